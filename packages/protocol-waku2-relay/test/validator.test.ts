import { encodeWakuMessage, MAX_WAKU_MESSAGE_SIZE, type WakuMessage } from '@parley/protocol-waku2'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_TIMESTAMP_DRIFT_MS, RELAY_REJECT_REASONS, validateRelayMessage } from '../src/index.ts'

const NOW = 1_750_000_000_000
const NS = 1_000_000n
const message = (fields: Partial<WakuMessage> = {}): Uint8Array =>
  encodeWakuMessage({ payload: new Uint8Array([1, 2, 3]), contentTopic: '/app/1/chat/proto', ...fields })

describe('relay message validator', () => {
  it('accepts a WakuMessage and returns it decoded', () => {
    const result = validateRelayMessage(message({ timestamp: BigInt(NOW) * NS, version: 1 }), { now: NOW })
    expect(result).toEqual({
      valid: true,
      message: {
        payload: new Uint8Array([1, 2, 3]),
        contentTopic: '/app/1/chat/proto',
        timestamp: BigInt(NOW) * NS,
        version: 1,
      },
    })
  })

  it('rejects more than 150 KiB, and honours a configured limit', () => {
    const big = message({ payload: new Uint8Array(MAX_WAKU_MESSAGE_SIZE) })
    expect(validateRelayMessage(big)).toEqual({ valid: false, reason: 'oversize' })
    const justFits = message({ payload: new Uint8Array(MAX_WAKU_MESSAGE_SIZE - 30) })
    expect(justFits.length).toBeLessThanOrEqual(MAX_WAKU_MESSAGE_SIZE)
    expect(validateRelayMessage(justFits).valid).toBe(true)
    expect(validateRelayMessage(message(), { maxMessageSize: 10 })).toEqual({
      valid: false,
      reason: 'oversize',
    })
  })

  it('rejects bytes that do not decode as a WakuMessage', () => {
    // field 1 (payload) claims 5 bytes but 1 follows; a lone varint tag; field 2 with invalid UTF-8
    for (const bytes of [[0x0a, 0x05, 0x01], [0x08], [0x12, 0x01, 0xff]])
      expect(validateRelayMessage(new Uint8Array(bytes))).toEqual({ valid: false, reason: 'undecodable' })
  })

  it('keeps timestamps within 20 s of the clock, bounds included; absent or 0 passes', () => {
    const drift = BigInt(MAX_TIMESTAMP_DRIFT_MS) * NS
    const at = (timestamp: bigint) => validateRelayMessage(message({ timestamp }), { now: NOW })
    const now = BigInt(NOW) * NS
    expect(at(now - drift).valid).toBe(true)
    expect(at(now + drift).valid).toBe(true)
    expect(at(now - drift - 1n)).toEqual({ valid: false, reason: 'timestamp-old' })
    expect(at(now + drift + 1n)).toEqual({ valid: false, reason: 'timestamp-future' })
    expect(at(-1n)).toEqual({ valid: false, reason: 'timestamp-old' })
    expect(at(0n).valid).toBe(true)
    expect(validateRelayMessage(message(), { now: NOW }).valid).toBe(true)
    expect(
      validateRelayMessage(message({ timestamp: now + 60n * 1000n * NS }), {
        now: NOW,
        maxTimestampDrift: 120_000,
      }).valid,
    ).toBe(true)
  })

  it('never throws on arbitrary bytes, and agrees with the size and decode rules', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.integer({ min: 1, max: 600 }),
        (bytes, maxMessageSize) => {
          const result = validateRelayMessage(bytes, { maxMessageSize, now: NOW })
          if (bytes.length > maxMessageSize) expect(result).toEqual({ valid: false, reason: 'oversize' })
          else if (result.valid)
            expect(encodeWakuMessage(result.message).length).toBeLessThanOrEqual(bytes.length)
          else expect(RELAY_REJECT_REASONS).toContain(result.reason)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('accepts every well-formed message with a current timestamp', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 256 }),
        fc.string({ maxLength: 64 }),
        fc.integer({ min: -MAX_TIMESTAMP_DRIFT_MS, max: MAX_TIMESTAMP_DRIFT_MS }),
        fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        (payload, contentTopic, offset, version, ephemeral) => {
          const fields: WakuMessage = {
            payload,
            contentTopic,
            timestamp: BigInt(NOW + offset) * NS,
            ...(version === undefined ? {} : { version }),
            ...(ephemeral === undefined ? {} : { ephemeral }),
          }
          expect(validateRelayMessage(encodeWakuMessage(fields), { now: NOW })).toEqual({
            valid: true,
            message: fields,
          })
        },
      ),
    )
  })
})
