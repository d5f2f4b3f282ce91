/** Runs the README's example as written, so the documentation cannot drift from the code. */
import { readFileSync } from 'node:fs'
import { readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const README = new URL('../README.md', import.meta.url)

describe('README example', () => {
  it('runs and prints what the README says it prints', async () => {
    const { lines } = await runExample(readmeExample(README))
    expect(lines).toEqual(['peer/a 1', 'peer/b 2', '3', '2 1 undefined', '3'])
    expect(readFileSync(README, 'utf8')).toContain(
      'It prints `peer/a 1`, `peer/b 2`, `3`, `2 1 undefined`, `3`.',
    )
  })
})
