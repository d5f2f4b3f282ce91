/**
 * The 14/WAKU2-MESSAGE deterministic hash (issue "Waku v2"): what every relay node, store and
 * filter computes for each message, for deduplication and as the store v3 key. The in-process
 * reference is node:crypto's SHA-256 fed the same five parts, with no WakuMessage handling around it.
 */
import { createHash } from 'node:crypto'
import { computeMessageHash, type WakuMessage } from '@parley/protocol-waku2'
import { IN_PROCESS_PREFIX } from '../in-process.ts'
import type { BenchCase } from '../types.ts'
import { consume, fillPattern } from './inputs.ts'

export const WAKU2_PUBSUB_TOPIC = '/waku/2/rs/16/32'
export const WAKU2_CONTENT_TOPIC = '/waku/1/0xf8946aac/rfc26'

/** A Status-shaped message: 1 KiB payload, version 1, a timestamp, no meta. */
export function waku2Message(index: number): WakuMessage {
  const payload = fillPattern(1024, 95)
  new DataView(payload.buffer).setUint32(0, index)
  return {
    payload,
    contentTopic: WAKU2_CONTENT_TOPIC,
    version: 1,
    timestamp: 1_700_000_000_000_000_000n + BigInt(index),
  }
}

export function waku2HashCases(): BenchCase[] {
  const message = waku2Message(0)
  const topic = new TextEncoder().encode(WAKU2_PUBSUB_TOPIC)
  const content = new TextEncoder().encode(message.contentTopic)
  const timestamp = new Uint8Array(8)
  new DataView(timestamp.buffer).setBigUint64(0, message.timestamp ?? 0n)
  return [
    {
      id: 'waku2-message-hash-1k',
      group: 'waku2-message-hash',
      unit: 'hashes/s',
      provider: '@parley/protocol-waku2 computeMessageHash, node:crypto SHA-256, per CPU-second',
      cpuTime: true,
      reference: `${IN_PROCESS_PREFIX}sha256-waku2-hash-1k`,
      inProcessReference: {
        id: `${IN_PROCESS_PREFIX}sha256-waku2-hash-1k`,
        describe:
          'node:crypto createHash("sha256") updated with the same topic, payload, content topic and timestamp bytes',
        run(iterations) {
          for (let i = 0; i < iterations; i++) {
            consume(
              createHash('sha256')
                .update(topic)
                .update(message.payload)
                .update(content)
                .update(timestamp)
                .digest(),
            )
          }
          return undefined
        },
      },
      run(iterations) {
        for (let i = 0; i < iterations; i++) consume(computeMessageHash(WAKU2_PUBSUB_TOPIC, message))
        return undefined
      },
    },
  ]
}
