import { commentedOutput, readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const readme = new URL('../README.md', import.meta.url)

describe('README', () => {
  it('runs the service example as written and prints what its comments say', async () => {
    const example = readmeExample(readme)
    const { lines } = await runExample(example)
    expect(lines).toEqual([
      'true',
      'hello bob x3dh alice-phone',
      'hi alice',
      'ReplayError ERR_VERIFICATION',
      'still me double-ratchet alice-phone',
    ])
    expect(commentedOutput(example)).toEqual(lines)
  })

  it('runs the node example', async () => {
    const example = readmeExample(readme, { after: '## In a node' })
    const { lines } = await runExample(example)
    expect(lines).toEqual(['desktop true'])
    expect(commentedOutput(example)).toEqual(lines)
  })

  it('runs the primitives example', async () => {
    const example = readmeExample(readme, { after: '## Primitives example' })
    const { lines } = await runExample(example)
    expect(lines[0]).toMatch(/^first message goes to contact-discovery-\d+$/)
    expect(lines.slice(1)).toEqual(['hello bob', 'hi alice'])
  })
})
