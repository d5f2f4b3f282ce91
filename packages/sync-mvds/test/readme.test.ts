/** Runs the README's example as written, so the documentation cannot drift from the code. */
import { readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const README = new URL('../README.md', import.meta.url)

describe('README example', () => {
  it('runs and prints what the README says', async () => {
    const { lines } = await runExample(readmeExample(README))
    expect(lines).toEqual(['hi bob', 'bob'])
  })
})
