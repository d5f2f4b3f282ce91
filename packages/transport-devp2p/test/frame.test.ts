import { createKeccak256, loadCrypto, randomBytes } from '@parley/crypto'
import { DecodeError, LimitExceededError, VerificationError } from '@parley/interfaces'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { FrameCoder, type FrameSecrets } from '../src/frame/codec.ts'
import { FrameMac } from '../src/frame/mac.ts'
import { decodeMessage, encodeMessage } from '../src/frame/message.ts'
import { Initiator, Recipient } from '../src/handshake/handshake.ts'
import type { MacState } from '../src/handshake/secrets.ts'
import { field, hex, loadVectors, unhex, vectorCase } from './vectors.ts'

const cases = loadVectors('rlpx-eip8.json')
let secp: Awaited<ReturnType<typeof loadCrypto>>['secp256k1']

beforeAll(async () => {
  secp = (await loadCrypto()).secp256k1
})

/** go-ethereum TestFrameReadWrite's fake hash: writes are ignored, the digest is fixed. */
const fakeMac = (digest: Uint8Array): MacState => {
  const state: MacState = { update: () => state as never, digest: () => digest.slice() }
  return state
}

/** Both ends of a connection after a real handshake with random keys. */
function connectedPair(maxFrameSize?: number): [FrameCoder, FrameCoder] {
  const a = randomKey()
  const b = randomKey()
  const initiator = new Initiator({ secp, privateKey: a, remotePublicKey: secp.getPublicKey(b, false) })
  const recipient = new Recipient({ secp, privateKey: b })
  recipient.readAuth(initiator.makeAuth())
  const ours = initiator.readAck(recipient.makeAck())
  const options = maxFrameSize === undefined ? {} : { maxFrameSize }
  return [new FrameCoder(ours), new FrameCoder(recipient.secrets(), options)]
}

function randomKey(): Uint8Array {
  for (;;) {
    const key = randomBytes(32)
    if (secp.isValidPrivateKey(key)) return key
  }
}

/** Splits `bytes` at the given cut points (any order, duplicates allowed). */
function chop(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y)
  const pieces: Uint8Array[] = []
  let start = 0
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(start, point))
    start = point
  }
  return pieces
}

describe('frame vectors', () => {
  it('writes and reads the go-ethereum golden frame with the fake MAC hash', () => {
    const c = vectorCase(cases, 'frame-write-read-geth-fake-mac')
    const digest = unhex(field(c.input, 'fake_mac_digest'))
    const secrets: FrameSecrets = {
      aes: unhex(field(c.input, 'aes_secret')),
      mac: unhex(field(c.input, 'mac_secret')),
      egressMac: fakeMac(digest),
      ingressMac: fakeMac(digest),
    }
    const content = encodeMessage(field<number>(c.input, 'msg_code'), unhex(field(c.input, 'msg_data_rlp')), {
      snappy: field<boolean>(c.input, 'snappy'),
    })
    expect(hex(content)).toBe(field(c.expected, 'read_frame_content'))
    const frame = new FrameCoder(secrets).writeFrame(content)
    expect(hex(frame)).toBe(field(c.expected, 'frame'))
    const [read] = new FrameCoder(secrets).push(frame)
    expect(hex(read!)).toBe(field(c.expected, 'read_frame_content'))
  })

  it('matches the ethereumjs MAC case', () => {
    const c = vectorCase(cases, 'ethereumjs-mac-updateHeader-then-updateBody')
    const state = createKeccak256()
    const mac = new FrameMac(unhex(field(c.input, 'mac_secret')), state)
    for (const [op, data] of field<[string, string][]>(c.input, 'ops')) {
      if (op === 'updateHeader') mac.header(unhex(data))
      else if (op === 'updateBody') mac.frame(unhex(data))
      else throw new Error(`unknown op ${op}`)
    }
    expect(hex(state.digest().subarray(0, 16))).toBe(field(c.expected, 'digest16'))
  })
})

describe('FrameCoder', () => {
  it('carries 100 frames each way through random chunking after a real handshake (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 100, maxLength: 100 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        (messages, cuts) => {
          const [a, b] = connectedPair()
          for (const [from, to] of [
            [a, b],
            [b, a],
          ] as const) {
            const wire = Buffer.concat(messages.map((m) => from.writeFrame(m)))
            const received = chop(wire, cuts).flatMap((piece) => to.push(piece))
            expect(received.map(hex)).toEqual(messages.map(hex))
            expect(to.buffered).toBe(0)
          }
        },
      ),
      { numRuns: 5 },
    )
  })

  it('rejects a flipped bit in the header, header MAC, body or frame MAC, and stays failed', () => {
    for (const position of [0, 20, 40, 60]) {
      const [a, b] = connectedPair()
      const frame = a.writeFrame(new Uint8Array(20).fill(7))
      frame[position] = frame[position]! ^ 1
      expect(() => b.push(frame)).toThrow(VerificationError)
      expect(() => b.push(new Uint8Array(1))).toThrow(VerificationError)
    }
  })

  it('enforces the frame size limit on the reader', () => {
    const [a, b] = connectedPair(100)
    expect(b.push(a.writeFrame(new Uint8Array(100)))).toHaveLength(1)
    expect(() => b.push(a.writeFrame(new Uint8Array(101)))).toThrow(LimitExceededError)
  })

  it('garbage makes the frame reader throw only VerificationError or LimitExceededError (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 200 }), (junk) => {
        const [, reader] = connectedPair()
        try {
          reader.push(junk)
        } catch (error) {
          expect(error instanceof VerificationError || error instanceof LimitExceededError).toBe(true)
        }
      }),
      { numRuns: 30 },
    )
  })
})

describe('messages', () => {
  it('round-trips ids past 127 as RLP integers, with and without Snappy', () => {
    for (const snappy of [false, true])
      for (const code of [0, 1, 0x10, 0x7f, 0x80, 0x8f, 0x90, 0x10f, 0xffff]) {
        const data = new Uint8Array(50).fill(code & 0xff)
        const content = encodeMessage(code, data, { snappy })
        const decoded = decodeMessage(content, { snappy })
        expect(decoded.code).toBe(code)
        expect(hex(decoded.data)).toBe(hex(data))
      }
    expect(hex(encodeMessage(0x80, new Uint8Array(0), { snappy: false }))).toBe('8180')
  })

  it('rejects a malformed id or Snappy block with DecodeError (fast-check)', () => {
    expect(() => decodeMessage(new Uint8Array(0), { snappy: false })).toThrow(DecodeError)
    expect(() => decodeMessage(unhex('8100'), { snappy: false })).toThrow(DecodeError)
    expect(() => decodeMessage(unhex('c0'), { snappy: false })).toThrow(DecodeError)
    expect(() => decodeMessage(unhex('10'), { snappy: true })).toThrow(DecodeError)
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (junk, snappy) => {
        try {
          decodeMessage(junk, { snappy })
        } catch (error) {
          expect(error instanceof DecodeError || error instanceof LimitExceededError).toBe(true)
        }
      }),
    )
  })
})
