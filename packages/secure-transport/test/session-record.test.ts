import { bytesToHex, utf8ToBytes } from '@parley/crypto'
import { DecodeError } from '@parley/interfaces'
import { MemoryKeyValueStore } from '@parley/store-memory'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseState, serializeStateJson } from '../src/ratchet/state.ts'
import { decodeSessionRecord, encodeSessionRecord } from '../src/session-record.ts'
import { type SessionRecord, SessionStore } from '../src/session-store.ts'

const bytes = (max: number) => fc.uint8Array({ maxLength: max })
const record: fc.Arbitrary<SessionRecord> = fc
  .record({
    identity: bytes(65),
    installationId: fc.string({ unit: 'grapheme', maxLength: 40 }),
    bundleId: bytes(33),
    sharedKey: bytes(32),
    ephemeralKey: fc.option(bytes(33), { nil: undefined }),
    expired: fc.boolean(),
    state: bytes(300),
  })
  .map(({ ephemeralKey, ...rest }) => (ephemeralKey === undefined ? rest : { ...rest, ephemeralKey }))

describe('stored session records', () => {
  it('round-trip', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(decodeSessionRecord(encodeSessionRecord(r))).toEqual(r)
      }),
      { numRuns: 300 },
    )
  })

  it('any bytes either decode or are a DecodeError', () => {
    fc.assert(
      fc.property(bytes(120), (tail) => {
        try {
          decodeSessionRecord(new Uint8Array([2, ...tail]))
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('SessionStore', () => {
  it('still reads session records stored as JSON, with JSON ratchet state, before the binary forms', async () => {
    const kv = new MemoryKeyValueStore()
    const store = new SessionStore(kv, 'st/')
    const identity = new Uint8Array(33).fill(2)
    const bundleId = new Uint8Array(33).fill(3)
    const state = serializeStateJson(
      {
        rootKey: new Uint8Array(32).fill(4),
        dhs: { privateKey: new Uint8Array(32).fill(5), publicKey: new Uint8Array(33).fill(6) },
        dhr: undefined,
        send: { chainKey: new Uint8Array(32).fill(7), n: 3 },
        recv: { chainKey: new Uint8Array(32).fill(8), n: 0 },
        pn: 0,
        keysCount: 0,
        limits: { maxSkip: 1000, maxKeep: 3000, maxMessageKeys: 2000 },
      },
      [],
    )
    const legacy = {
      identity: bytesToHex(identity),
      installationId: 'phone',
      bundleId: bytesToHex(bundleId),
      sharedKey: bytesToHex(new Uint8Array(32).fill(9)),
      ephemeralKey: null,
      expired: true,
      state: new TextDecoder().decode(state),
    }
    const key = `st/session/${bytesToHex(identity)}/${bytesToHex(utf8ToBytes('phone'))}/${bytesToHex(bundleId)}`
    await kv.put(utf8ToBytes(key), utf8ToBytes(JSON.stringify(legacy)))
    const [read] = await store.sessions(identity, 'phone')
    expect(read).toEqual({
      identity,
      installationId: 'phone',
      bundleId,
      sharedKey: new Uint8Array(32).fill(9),
      expired: true,
      state,
    })
    const parsed = parseState(read?.state ?? new Uint8Array())
    expect(parsed.state.send.n).toBe(3)
  })
})
