/** Runs the README's example as written, so the documentation cannot drift from the code. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'

const README = new URL('../README.md', import.meta.url)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('README example', () => {
  it('runs and prints what the README says it prints', async () => {
    const text = readFileSync(README, 'utf8')
    const example = /```ts\n([\s\S]*?)```/.exec(text)?.[1]
    expect(example, 'the README has no ts example').toBeDefined()
    const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-readme-'))
    const file = join(dir, 'example.ts')
    writeFileSync(file, example!)
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '))
    })
    try {
      await import(/* @vite-ignore */ pathToFileURL(file).href)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(lines).toEqual(['peer/a 1', 'peer/b 2', '3', '2 1 undefined', '3'])
    expect(text).toContain('It prints `peer/a 1`, `peer/b 2`, `3`, `2 1 undefined`, `3`.')
  })
})
