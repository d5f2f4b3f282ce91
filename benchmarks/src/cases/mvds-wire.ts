/**
 * The MVDS wire (issue "secure transport"): a Payload as a 1:1 chat sends it, one 1 KiB message and
 * the ACK of the last one received, encoded and decoded (protobuf, 4/MVDS plus status-go's
 * metadata), and the message id (SHA-256) MVDS keys its state by. No reference: no other MVDS
 * codec runs in this process; the figure is absolute.
 */
import { decodePayload, encodePayload, messageId, type Payload } from '@parley/sync-mvds'
import type { BenchCase } from '../types.ts'
import { consume, fillPattern } from './inputs.ts'

/** One 1 KiB message in a 1:1 group, and one ACK. */
export function mvdsPayload(): Payload {
  return {
    acks: [fillPattern(32, 96)],
    offers: [],
    requests: [],
    groupOffers: [],
    messages: [{ groupId: fillPattern(32, 97), timestamp: 1_700_000_000n, body: fillPattern(1024, 98) }],
  }
}

const NOTE = 'no reference: no other MVDS codec runs in this process; the figure is absolute'

export function mvdsCases(): BenchCase[] {
  const payload = mvdsPayload()
  const bytes = encodePayload(payload)
  return [
    {
      id: 'mvds-payload-encode-1k',
      group: 'mvds-payload',
      unit: 'ops/s',
      provider: '@parley/sync-mvds encodePayload + messageId, per CPU-second',
      cpuTime: true,
      referenceNote: NOTE,
      run(iterations) {
        for (let i = 0; i < iterations; i++) {
          consume(messageId(payload.messages[0]!))
          consume(encodePayload(payload))
        }
        return undefined
      },
    },
    {
      id: 'mvds-payload-decode-1k',
      group: 'mvds-payload',
      unit: 'ops/s',
      provider: '@parley/sync-mvds decodePayload + messageId, per CPU-second',
      cpuTime: true,
      referenceNote: NOTE,
      run(iterations) {
        for (let i = 0; i < iterations; i++) {
          const [message] = decodePayload(bytes).messages
          if (message === undefined) throw new RangeError('the MVDS payload lost its message')
          consume(messageId(message))
        }
        return undefined
      },
    },
  ]
}
