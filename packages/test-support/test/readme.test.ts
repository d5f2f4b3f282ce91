import { commentedOutput, readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const README = new URL('../README.md', import.meta.url)

describe('README example runner', () => {
  it('runs this package README example and captures what it prints', async () => {
    const example = readmeExample(README)
    const { lines } = await runExample(example)
    expect(commentedOutput(example)).toEqual(['pow-nonce-276'])
    expect(lines).toEqual(commentedOutput(example))
  })

  it('returns the example module exports and restores console.log', async () => {
    const log = console.log
    const { module, lines } = await runExample<{ answer: number }>(
      "console.log('a', 1)\nexport const answer = 42\n",
    )
    expect(module.answer).toBe(42)
    expect(lines).toEqual(['a 1'])
    expect(console.log).toBe(log)
  })

  it('fails loudly when there is no example', () => {
    expect(() => readmeExample(README, { after: 'no such heading' })).toThrow(/has no/)
  })
})
