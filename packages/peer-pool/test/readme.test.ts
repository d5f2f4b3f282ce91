import { readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

describe('README', () => {
  it('runs the example as written', async () => {
    const { lines } = await runExample(readmeExample(new URL('../README.md', import.meta.url)))
    expect(lines).toEqual(['{"whisper":2}', 'suspended', '2'])
  }, 15_000)
})
