import { commentedOutput, readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const readme = new URL('../README.md', import.meta.url)

describe('README', () => {
  it('runs the payload example as written', async () => {
    const { lines } = await runExample(readmeExample(readme))
    expect(lines).toEqual(['hello from 65 byte key', '/waku/1/0xcd423760/rfc26'])
  })

  it('runs the messenger example and prints what its comments say', async () => {
    const example = readmeExample(readme, { after: '## Messenger' })
    const { lines } = await runExample(example)
    expect(lines).toEqual(['hello, public public', 'true', 'hello, bob true', 'true', 'pair 2', 'group true'])
    expect(commentedOutput(example)).toEqual(lines)
  })
})
