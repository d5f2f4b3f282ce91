import { bytesToHex, hexToBytes, keccak256 } from '@parley/crypto'
import { caseById, loadCompleteVectors } from '@parley/test-support'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runCli } from './run.ts'

const whisperVectors = loadCompleteVectors('whisper-v6.json')

/** rlp([expiry 0, ttl 1, topic, data deadbeef, nonce 276]), written out by hand. */
const envelopeRlp = (topic: string) => `cf800184${topic}84deadbeef820114`

async function json(argv: string[]): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await runCli(argv)
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  return JSON.parse(stdout) as Record<string, unknown>
}

describe('parley topic', () => {
  it("prints keccak256(name)[:4] as 0x hex, Status's contact-discovery topic among them", async () => {
    const vector = caseById(whisperVectors, 'status-topic-contact-discovery')
    expect(await json(['topic', String(vector.input.name_text)])).toEqual({
      name: 'contact-discovery',
      topic: `0x${vector.expected.topic}`,
    })
    const name = 'ünïcode chat'
    const digest = bytesToHex(keccak256(new TextEncoder().encode(name)))
    expect(await json(['topic', name])).toEqual({ name, topic: `0x${digest.slice(0, 8)}` })
    expect((await json(['topic', '--', '-dashed'])).name).toBe('-dashed')
  })
})

describe('parley envelope inspect', () => {
  it('prints the fields, the RLP hash, PoW and bloom of a known envelope', async () => {
    const pow = caseById(whisperVectors, 'pow-nonce-276')
    const bloom = caseById(whisperVectors, 'bloom-topic-0000ff06')
    const hex = envelopeRlp(String(bloom.input.topic))
    expect(await json(['envelope', 'inspect', `0x${hex}`])).toEqual({
      expiry: 0,
      expiryTime: '1970-01-01T00:00:00.000Z',
      ttl: 1,
      topic: '0x0000ff06',
      dataSize: 4,
      nonce: '0x114',
      hash: `0x${bytesToHex(keccak256(hexToBytes(hex)))}`,
      // PoW does not depend on the topic's value, only on the lengths and the hash
      pow: expect.any(Number),
      bloom: `0x${bloom.expected.bloom}`,
      size: 24,
    })
    const zeroTopic = await json(['envelope', 'inspect', envelopeRlp('00000000')])
    expect(zeroTopic.pow).toBe(pow.expected.pow)
    // TTL 0: go-ethereum's PoW divides by zero; JSON has no Infinity, so null.
    const noTtl = await json(['envelope', 'inspect', 'cf8080840000000084deadbeef820114'])
    expect(noTtl).toMatchObject({ ttl: 0, pow: null })
  })

  it('refuses input that is not hex or not an envelope: one line, exit 2', async () => {
    const cases: Array<[string, RegExp]> = [
      ['xyz', /^parley: <hex> is not hex: /],
      ['abc', /^parley: <hex> is not hex: .*odd/],
      ['', /^parley: <hex> is not a v1 envelope: /],
      ['80', /^parley: <hex> is not a v1 envelope: /],
      // four elements: no nonce
      ['cc8001840000000084deadbeef', /: an envelope has 5 elements, got 4\n$/],
      // a 3-byte topic
      ['ce80018300000084deadbeef820114', /: an envelope topic is 4 bytes, got 3\n$/],
    ]
    for (const [input, expected] of cases) {
      const { code, stdout, stderr } = await runCli(['envelope', 'inspect', input])
      expect({ input, code, stdout }).toEqual({ input, code: 2, stdout: '' })
      expect(stderr).toMatch(expected)
      expect(stderr.trimEnd().split('\n')).toHaveLength(1)
    }
  })

  it('never fails with anything but exit 0 and JSON or exit 2 and one line, whatever the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (bytes) => {
        const { code, stdout, stderr } = await runCli(['envelope', 'inspect', bytesToHex(bytes)])
        if (code === 0) expect(JSON.parse(stdout)).toHaveProperty('hash')
        else expect({ code, lines: stderr.trimEnd().split('\n').length }).toEqual({ code: 2, lines: 1 })
      }),
      { numRuns: 200 },
    )
  })
})

describe('parley pow seal', () => {
  it('seals random data to the target and prints an envelope that inspects to the same facts', async () => {
    const sealed = await json([
      'pow',
      'seal',
      '--data-size',
      '300',
      '--ttl',
      '20',
      '--pow',
      '0.05',
      '--topic',
      '0xcafebabe',
    ])
    expect(sealed).toMatchObject({ target: 0.05, size: 320 })
    expect(sealed.pow).toBeGreaterThanOrEqual(0.05)
    expect(sealed.ms).toBeGreaterThanOrEqual(0)
    const inspected = await json(['envelope', 'inspect', String(sealed.envelope)])
    expect(inspected).toMatchObject({
      ttl: 20,
      topic: '0xcafebabe',
      dataSize: 300,
      size: 320,
      nonce: sealed.nonce,
      hash: sealed.hash,
      pow: sealed.pow,
    })
    expect(Number(inspected.expiry) - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(20)
  })

  it('with --pow 0 does no work (nonce 0)', async () => {
    expect(await json(['pow', 'seal', '--pow', '0', '--data-size', '0'])).toMatchObject({
      nonce: '0x0',
      size: 20,
    })
  })

  it('gives up after --timeout-ms with exit 1, and refuses a bad topic or size with exit 2', async () => {
    const slow = await runCli(['pow', 'seal', '--pow', '1000000', '--timeout-ms', '50'])
    expect(slow.code).toBe(1)
    expect(slow.stderr).toMatch(/^parley: .*\n$/)
    const topic = await runCli(['pow', 'seal', '--topic', 'status'])
    expect(topic).toMatchObject({
      code: 2,
      stderr: 'parley: flag --topic: a topic is 8 hex digits, got "status"\n',
    })
    expect((await runCli(['pow', 'seal', '--data-size', '-1'])).code).toBe(2)
  })

  it('stops the search when interrupted', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    // Without the interrupt this search never ends: that it returns, saying so, is the check (a time
    // bound on it would fail on a busy machine).
    const { code, stderr } = await runCli(['pow', 'seal', '--pow', '1000000'], {}, controller.signal)
    expect(code).toBe(1)
    expect(stderr).toBe('parley: The operation was aborted\n')
  })
})
