/**
 * Runs a package README's TypeScript example as written, so documentation cannot drift from code.
 * The example is written to a temporary file and imported (vitest resolves `@parley/*` in it), with
 * `console.log` captured so the test can compare what it prints.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface ReadmeExampleOptions {
  /** take the first example after this text (a heading, say) instead of the first in the file */
  after?: string
}

/** The first fenced `ts` block of the README (after `options.after`); throws when there is none. */
export function readmeExample(readme: URL, options: ReadmeExampleOptions = {}): string {
  const text = readFileSync(readme, 'utf8')
  const from = options.after === undefined ? 0 : text.indexOf(options.after)
  if (from < 0) throw new Error(`${readme.pathname} has no "${options.after}"`)
  const example = /```ts\n([\s\S]*?)```/.exec(text.slice(from))?.[1]
  if (example === undefined)
    throw new Error(`${readme.pathname} has no ts example${options.after ? ` after "${options.after}"` : ''}`)
  return example
}

export interface ExampleRun<Module = unknown> {
  /** each `console.log` call, its arguments joined by spaces */
  lines: string[]
  module: Module
}

/** Imports `source` as a module from a temporary file and returns what it logged and exported. */
export async function runExample<Module = unknown>(source: string): Promise<ExampleRun<Module>> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-example-'))
  const file = join(dir, 'example.ts')
  writeFileSync(file, source)
  const lines: string[] = []
  const log = console.log
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '))
  }
  try {
    const module = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Module
    return { lines, module }
  } finally {
    console.log = log
    rmSync(dir, { recursive: true, force: true })
  }
}

/** What an example's `console.log(...) // text` lines say they print, in order. */
export function commentedOutput(source: string): string[] {
  return [...source.matchAll(/console\.log\(.*\/\/ (.*)$/gm)].map((match) => match[1] ?? '')
}
