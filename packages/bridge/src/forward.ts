/** The last step of a crossing: what the target side would refuse, and the post itself. */
import { topicToHex } from '@parley/envelope'
import { NotStartedError } from '@parley/interfaces'
import { wakuV1TopicToContentTopic } from '@parley/protocol-waku2'
import { type Crossing, type DropReason, withinDrift } from './checks.ts'
import type { BridgeSettings, BridgeSide } from './options.ts'
import type { BridgeSides } from './sides.ts'

const NS_PER_MS = 1_000_000n

/** What `to` would refuse, caught before sealing or sending; undefined when it may go. */
export function targetRefusal(
  sides: BridgeSides,
  settings: BridgeSettings,
  to: BridgeSide,
  crossing: Crossing,
  now: number,
): DropReason | undefined {
  if (to === 'waku2')
    return withinDrift(crossing.sentAt, now, settings.maxTimestampDrift) ? undefined : 'stale'
  const protocol = sides[to]
  if (protocol !== undefined && 20 + crossing.payload.length > protocol.maxMessageSize) return 'too-big'
  if (crossing.expiry !== undefined && ttlLeft(crossing.expiry, now) < settings.minRemainingTtl)
    return 'expired'
  return undefined
}

/** Posts `crossing` on `to`; resolves with its hash there. */
export function postTo(
  sides: BridgeSides,
  settings: BridgeSettings,
  to: BridgeSide,
  crossing: Crossing,
  now: number,
  signal: AbortSignal,
): Promise<string> {
  const { topic, payload } = crossing
  if (to === 'waku2') {
    const relay = sides.waku2
    if (relay === undefined) throw new NotStartedError('no waku2 side')
    const timestamp = BigInt(Math.round(crossing.sentAt)) * NS_PER_MS
    return relay.post({ topic: wakuV1TopicToContentTopic(topic), payload, version: 1, timestamp }, { signal })
  }
  const protocol = sides[to]
  if (protocol === undefined) throw new NotStartedError(`no ${to} side`)
  // Whisper's libp2p clients are on the same network: an envelope reaches them as it was sent.
  if (to === 'murmur' && crossing.envelope !== undefined && sides.murmur !== undefined)
    return Promise.resolve(sides.murmur.relay(crossing.envelope))
  // An envelope keeps the life it had left; a v2 message gets a short one.
  const ttl = crossing.expiry === undefined ? settings.v1Ttl : ttlLeft(crossing.expiry, now)
  return protocol.post({ topic: topicToHex(topic), payload, ttl, pow: protocol.minPow }, { signal })
}

/** Seconds an envelope expiring at `expiry` (unix s) has left at `now` (unix ms). */
function ttlLeft(expiry: number, now: number): number {
  return expiry - Math.floor(now / 1000)
}
