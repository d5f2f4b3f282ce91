/** Runs the README's example as written, so that it cannot drift from the code. */
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
  it('runs and prints what its comments say', async () => {
    const example = /```ts\n([\s\S]*?)```/.exec(readFileSync(README, 'utf8'))?.[1]
    expect(example, 'the README has no ts example').toBeDefined()
    const dir = mkdtempSync(join(tmpdir(), 'mailserver-readme-'))
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
    const printed = [...example!.matchAll(/console\.log\(.*\/\/ (.*)$/gm)].map((match) => match[1])
    expect(printed).toHaveLength(3)
    expect(lines).toEqual(printed)
  })
})
