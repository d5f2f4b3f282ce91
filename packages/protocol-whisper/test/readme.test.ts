/** Runs the README's example as written, so it cannot drift from the code. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('README example', () => {
  it('runs and prints what its comments say', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(example, 'the README has a ts example').toBeDefined()
    const dir = mkdtempSync(join(tmpdir(), 'whisper-readme-'))
    const file = join(dir, 'example.ts')
    writeFileSync(file, example as string)
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '))
    })
    try {
      await import(/* @vite-ignore */ pathToFileURL(file).href)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(lines).toEqual(['66', 'hello'])
  })
})
