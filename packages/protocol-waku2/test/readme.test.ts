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
  it('runs and prints what its comments say', async () => {
    const example = /```ts\n([\s\S]*?)```/.exec(readFileSync(README, 'utf8'))?.[1]
    expect(example, 'the README has no ts example').toBeDefined()
    const dir = mkdtempSync(join(tmpdir(), 'waku2-readme-'))
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
    expect(lines).toEqual(['/waku/2/rs/1/3', 'true', '64', '32', '/waku/1/0x007f80ff/rfc26'])
  })
})
