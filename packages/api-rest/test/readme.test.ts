/** Runs the README's example as written, so the documentation cannot drift from the code. */
import { commentedOutput, readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const README = new URL('../README.md', import.meta.url)

describe('README example', () => {
  it('runs and prints what its comments say', async () => {
    const example = readmeExample(README)
    const { lines } = await runExample(example)
    expect(commentedOutput(example)).toHaveLength(3)
    expect(lines).toEqual(commentedOutput(example))
  })
})
