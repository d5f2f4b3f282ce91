/** The last step of a crossing: what the target side would refuse, and the post itself. */
import { topicToHex } from '@parley/envelope'
import { NotStartedError, type V1PrivacyProtocol, VerificationError } from '@parley/interfaces'
import { wakuV1TopicToContentTopic } from '@parley/protocol-waku2'
import { type Crossing, type DropReason, withinDrift } from './checks.ts'
import type { BridgeSettings, BridgeSide } from './options.ts'
import type { BridgeSides } from './sides.ts'

const NS_PER_MS = 1_000_000n

/**
 * How a crossing reached its target: `injected`, the original envelope (same hash, no PoW spent);
 * `resealed`, a v1 envelope the target would not take as it is (its PoW is below the target's
 * minimum), sealed anew; `sealed`, anything else (a v2 message, or a v1 envelope for v2).
 */
export type Delivery = 'injected' | 'resealed' | 'sealed'

export interface Posted {
  /** the message's hash on the target side */
  hash: string
  delivery: Delivery
}

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

/** Posts `crossing` on `to`. */
export async function postTo(
  sides: BridgeSides,
  settings: BridgeSettings,
  to: BridgeSide,
  crossing: Crossing,
  now: number,
  signal: AbortSignal,
): Promise<Posted> {
  const { topic, payload } = crossing
  if (to === 'waku2') {
    const relay = sides.waku2
    if (relay === undefined) throw new NotStartedError('no waku2 side')
    const timestamp = BigInt(Math.round(crossing.sentAt)) * NS_PER_MS
    const message = { topic: wakuV1TopicToContentTopic(topic), payload, version: 1, timestamp }
    return { hash: await relay.post(message, { signal }), delivery: 'sealed' }
  }
  const protocol = sides[to]
  if (protocol === undefined) throw new NotStartedError(`no ${to} side`)
  const { envelope } = crossing
  // Whisper's libp2p clients are on the same network: an envelope reaches them as it was sent.
  if (to === 'murmur' && envelope !== undefined && sides.murmur !== undefined)
    return { hash: sides.murmur.relay(envelope), delivery: 'injected' }
  if (to !== 'murmur' && envelope !== undefined) {
    const injected = await injectInto(sides[to], envelope, crossing.pow, signal)
    if (injected !== undefined) return { hash: injected, delivery: 'injected' }
  }
  // An envelope keeps the life it had left; a v2 message gets a short one.
  const ttl = crossing.expiry === undefined ? settings.v1Ttl : ttlLeft(crossing.expiry, now)
  const hash = await protocol.post(
    { topic: topicToHex(topic), payload, ttl, pow: protocol.minPow },
    { signal },
  )
  return { hash, delivery: envelope === undefined ? 'sealed' : 'resealed' }
}

/**
 * Hands the original envelope to a v1 side, as status-go's Whisper–Waku bridge did, so it keeps its
 * hash. Undefined when the side would not take it as it is (too little PoW for it, or refused by its
 * rules): the caller seals it anew.
 */
async function injectInto(
  protocol: V1PrivacyProtocol | undefined,
  envelope: Uint8Array,
  pow: number | undefined,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (protocol === undefined || pow === undefined || pow < protocol.minPow) return undefined
  try {
    return await protocol.inject(envelope, { signal })
  } catch (error) {
    if (error instanceof VerificationError) return undefined
    throw error
  }
}

/** Seconds an envelope expiring at `expiry` (unix s) has left at `now` (unix ms). */
function ttlLeft(expiry: number, now: number): number {
  return expiry - Math.floor(now / 1000)
}
