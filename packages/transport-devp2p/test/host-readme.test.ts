/** Runs the README's Host example as written, so that section cannot drift from the code. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'

const README = new URL('../README.md', import.meta.url)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('README Host example', () => {
  it('runs and prints what its comments say', async () => {
    const section = readFileSync(README, 'utf8').split('## Host (`src/host/`)')[1]
    const example = section === undefined ? undefined : /```ts\n([\s\S]*?)```/.exec(section)?.[1]
    expect(example, 'the README has no Host ts example').toBeDefined()
    const dir = mkdtempSync(join(tmpdir(), 'devp2p-host-readme-'))
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
    const printed = [...(example as string).matchAll(/console\.log\(.*\/\/ (.*)$/gm)].map((match) => match[1])
    expect(printed).toHaveLength(2)
    expect(lines).toEqual(printed)
  })
})
