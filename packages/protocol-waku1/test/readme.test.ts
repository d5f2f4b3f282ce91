/** Runs the README's example as written, so the documentation cannot drift from the code. */
import { readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const README = new URL('../README.md', import.meta.url)

describe('README example', () => {
  it('runs and prints what the README says', async () => {
    const { lines } = await runExample(readmeExample(README))
    expect(lines).toEqual(['66', 'hello'])
  })

  it('runs the trusted-peer and confirmations example and prints what it says', async () => {
    const { lines } = await runExample(readmeExample(README, { after: '## Trusted peers' }))
    expect(lines).toEqual(['archived', '64', '66'])
  })
})
