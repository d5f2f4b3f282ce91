import { commentedOutput, readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

describe('README', () => {
  it('runs the example as written and prints what its comments say', async () => {
    const example = readmeExample(new URL('../README.md', import.meta.url))
    const { lines } = await runExample(example)
    expect(lines).toEqual(commentedOutput(example))
  })
})
