import { keccak_256 } from '@noble/hashes/sha3.js'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { jsHashProvider } from '../src/hash/keccak-js.ts'
import {
  availableHashProviders,
  availableSecp256k1Providers,
  bytesToHex,
  createKeccak256,
  hexToBytes,
  keccak256,
  loadCrypto,
  utf8ToBytes,
} from '../src/index.ts'
import { field, loadVectors } from './vectors.ts'

const whisper = loadVectors('whisper-v6.json')
const EMPTY_KECCAK = 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'

/** A Whisper topic is the first 4 bytes of its input, zero-filled (go-ethereum BytesToTopic). */
function bytesToTopic(data: Uint8Array): Uint8Array {
  const topic = new Uint8Array(4)
  topic.set(data.subarray(0, 4))
  return topic
}

const topicOfName = (hash: (data: Uint8Array) => Uint8Array, name: string): string =>
  bytesToHex(hash(utf8ToBytes(name)).subarray(0, 4))

// Runs first in this file, before anything loads the WASM provider.
describe('module-level keccak256', () => {
  it('uses pure JS until providers load, then the fastest one', async () => {
    const spy = vi.spyOn(jsHashProvider, 'keccak256')
    expect(bytesToHex(keccak256(new Uint8Array(0)))).toBe(EMPTY_KECCAK)
    expect(spy).toHaveBeenCalledTimes(1)
    const crypto = await loadCrypto({ hash: 'js' })
    expect(crypto.hash).toBe(jsHashProvider)
    expect(bytesToHex(keccak256(utf8ToBytes('abc')))).toBe(bytesToHex(keccak_256(utf8ToBytes('abc'))))
    // wasm loaded alongside, so the module-level function moved to it even though 'js' was chosen.
    expect(spy).toHaveBeenCalledTimes(1)
    spy.mockRestore()
  })
})

describe('keccak256 providers', () => {
  it('load in order wasm, js', async () => {
    expect((await availableHashProviders()).map((provider) => provider.kind)).toEqual(['wasm', 'js'])
  })

  it('agree on any input, including inputs longer than the WASM buffer', async () => {
    const providers = await availableHashProviders()
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const digests = providers.map((provider) => bytesToHex(provider.keccak256(data)))
        expect(new Set(digests).size).toBe(1)
      }),
      { numRuns: 200 },
    )
    const large = new Uint8Array(100_000).map((_, i) => i * 7)
    expect(new Set(providers.map((provider) => bytesToHex(provider.keccak256(large)))).size).toBe(1)
  })

  it('return a fresh array each call (not a view into WASM memory)', async () => {
    const [wasm] = await availableHashProviders()
    const first = wasm!.keccak256(new Uint8Array(0))
    wasm!.keccak256(utf8ToBytes('something else'))
    expect(bytesToHex(first)).toBe(EMPTY_KECCAK)
  })

  it.each(whisper.filter((c) => c.id.startsWith('pow-')))('hash Whisper envelopes: $id', async (vector) => {
    for (const provider of await availableHashProviders()) {
      const powHash = provider.keccak256(hexToBytes(field(vector.derived, 'pow_hash_input')))
      expect(bytesToHex(powHash), provider.name).toBe(field(vector.expected, 'pow_hash'))
      const envelopeHash = provider.keccak256(hexToBytes(field(vector.derived, 'envelope_rlp')))
      expect(bytesToHex(envelopeHash), provider.name).toBe(field(vector.derived, 'envelope_hash'))
    }
  })
})

describe('Whisper / Status topics (whisper-v6.json)', () => {
  it.each(whisper.filter((c) => c.id.startsWith('status-topic') || c.id.startsWith('status-public-chat')))(
    'topic = keccak256(name)[:4]: $id',
    async (vector) => {
      const expected = (vector.expected.topic ?? vector.derived?.topic) as string
      expect(expected).toMatch(/^[0-9a-f]{8}$/)
      for (const provider of await availableHashProviders()) {
        expect(topicOfName(provider.keccak256, field(vector.input, 'name_text')), provider.name).toBe(
          expected,
        )
      }
    },
  )

  it.each(whisper.filter((c) => c.id.startsWith('status-partitioned-topic')))(
    'partitioned topic from a public key: $id',
    async (vector) => {
      for (const secp of await availableSecp256k1Providers()) {
        const publicKey = secp.getPublicKey(hexToBytes(field(vector.input, 'private_key')))
        const x = publicKey.subarray(1, 33)
        expect(bytesToHex(x)).toBe(field(vector.derived, 'public_key_x'))
        const partition = Number(BigInt(`0x${bytesToHex(x)}`) % 5000n)
        expect(partition).toBe(vector.expected.partition)
        const name = `contact-discovery-${partition}`
        expect(name).toBe(field(vector.expected, 'chat_id_text'))
        expect(topicOfName(keccak256, name)).toBe(field(vector.derived, 'topic'))
      }
    },
  )

  it.each(whisper.filter((c) => c.id.startsWith('bytes-to-topic-')))('bytes to topic: $id', (vector) => {
    const data = vector.input.data === null ? new Uint8Array(0) : hexToBytes(field(vector.input, 'data'))
    expect(bytesToHex(bytesToTopic(data))).toBe(field(vector.expected, 'topic'))
  })

  it.each(whisper.filter((c) => c.id.startsWith('topic-string-')))('topic text form: $id', (vector) => {
    const topic = hexToBytes(field(vector.input, 'topic'))
    expect(`0x${bytesToHex(topic)}`).toBe(field(vector.expected, 'text'))
    expect(bytesToHex(hexToBytes(field(vector.expected, 'text')))).toBe(field(vector.input, 'topic'))
  })
})

describe('incremental keccak256', () => {
  it('digests everything written so far without closing the stream', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 6 }), (chunks) => {
        const stream = createKeccak256()
        let written = new Uint8Array(0)
        for (const chunk of chunks) {
          stream.update(chunk)
          written = Uint8Array.of(...written, ...chunk)
          expect(bytesToHex(stream.digest())).toBe(bytesToHex(keccak256(written)))
        }
        expect(bytesToHex(stream.digest())).toBe(bytesToHex(keccak256(written)))
      }),
      { numRuns: 50 },
    )
  })

  it('keeps interleaved streams apart on the shared WASM hasher', async () => {
    const providers = await availableHashProviders()
    expect(providers.map((provider) => provider.kind)).toContain('wasm')
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 1500 })), { maxLength: 8 }),
        (writes) => {
          const streams = [createKeccak256(), createKeccak256()]
          const written = [new Uint8Array(0), new Uint8Array(0)]
          for (const [second, chunk] of writes) {
            const index = second ? 1 : 0
            streams[index]!.update(chunk)
            written[index] = Uint8Array.of(...written[index]!, ...chunk)
            expect(bytesToHex(streams[index]!.digest())).toBe(
              bytesToHex(jsHashProvider.keccak256(written[index]!)),
            )
          }
          expect(bytesToHex(streams[0]!.digest())).toBe(bytesToHex(jsHashProvider.keccak256(written[0]!)))
        },
      ),
      { numRuns: 50 },
    )
  })
})
