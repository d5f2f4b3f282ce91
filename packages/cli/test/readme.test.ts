import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { optionsTable } from '../src/config/docs.ts'
import { configSchema } from '../src/config/schema.ts'

const README = new URL('../README.md', import.meta.url)
const START = /<!-- options:start[^>]*-->\n/
const END = '<!-- options:end -->'

describe('README options table', () => {
  it('matches the schema (regenerate with UPDATE_README=1)', () => {
    const text = readFileSync(README, 'utf8')
    const start = START.exec(text)
    const end = text.indexOf(END)
    expect(start, 'the options:start marker is missing').not.toBeNull()
    expect(end, 'the options:end marker is missing').toBeGreaterThan(0)
    const from = (start?.index ?? 0) + (start?.[0].length ?? 0)
    const expected = `${optionsTable(configSchema)}\n`
    if (process.env.UPDATE_README === '1') {
      writeFileSync(README, text.slice(0, from) + expected + text.slice(end))
      return
    }
    expect(normalized(text.slice(from, end))).toBe(normalized(expected))
  })
})

/** Biome pads Markdown tables into aligned columns; compare cells, not padding. */
function normalized(table: string): string {
  return table
    .trim()
    .split('\n')
    .map((row) => row.replace(/ *(?<!\\)\| */g, '|').replace(/-{3,}/g, '---'))
    .join('\n')
}
