/**
 * Waku v1 (`waku/1`) Status (0) and Status Update (22): a list of `[key, value]` pairs, with no
 * version element (waku/0 sent `[0, options]`). Messages, Batch Ack and Message Response payloads
 * are the same as Whisper's (see `whisper-packets.ts`).
 */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { asBytes, asList, decode, encode, type RlpInput, type RlpValue, toBigInt } from '@parley/rlp'
import { BLOOM_SIZE, FULL_BLOOM } from './bloom.ts'
import { boolFromRlp, powFromRlp, powToBits } from './pow-bits.ts'
import { TOPIC_LENGTH } from './topic.ts'

export const WAKU_PROTOCOL = 'waku'
export const WAKU_VERSION = 1
export const WAKU_MESSAGE_CODES = 128

export const WakuCode = {
  status: 0,
  messages: 1,
  batchAcknowledged: 11,
  messageResponse: 12,
  statusUpdate: 22,
  p2pRequestComplete: 125,
  p2pRequest: 126,
  p2pMessage: 127,
} as const

/** Status option keys. 6 (bytes rate limits) exists in status-go only. */
export const WakuStatusKey = {
  pow: 0,
  bloom: 1,
  lightNode: 2,
  confirmationsEnabled: 3,
  rateLimits: 4,
  topicInterest: 5,
  bytesRateLimits: 6,
} as const

/** The 6/WAKU1 cap on a topic-interest list. */
export const MAX_TOPIC_INTEREST = 10_000

/** `[ip, peerID, topic]` limits, uint64 each; 0 means no limit. */
export interface RateLimits {
  ip: bigint
  peerId: bigint
  topic: bigint
}

/**
 * Status options; every field is optional, and a Status Update carries only what changed. When both
 * `topicInterest` and `bloom` are set, topic interest takes precedence (see `peerInterest`).
 */
export interface WakuStatusOptions {
  pow?: number
  /** 64 bytes */
  bloom?: Uint8Array
  lightNode?: boolean
  confirmationsEnabled?: boolean
  rateLimits?: RateLimits
  /** at most 10 000 topics of 4 bytes */
  topicInterest?: Uint8Array[]
  bytesRateLimits?: RateLimits
}

/** Encodes the set options in key order, as status-go does. Bad values throw `InvalidParametersError`. */
export function encodeWakuStatus(options: WakuStatusOptions): Uint8Array {
  const pairs: RlpInput[] = []
  if (options.pow !== undefined) pairs.push([WakuStatusKey.pow, powToBits(options.pow)])
  if (options.bloom !== undefined) {
    if (options.bloom.length !== BLOOM_SIZE) throw new InvalidParametersError('a bloom filter is 64 bytes')
    pairs.push([WakuStatusKey.bloom, options.bloom])
  }
  if (options.lightNode !== undefined) pairs.push([WakuStatusKey.lightNode, options.lightNode ? 1 : 0])
  if (options.confirmationsEnabled !== undefined) {
    pairs.push([WakuStatusKey.confirmationsEnabled, options.confirmationsEnabled ? 1 : 0])
  }
  if (options.rateLimits !== undefined)
    pairs.push([WakuStatusKey.rateLimits, rateLimitsToRlp(options.rateLimits)])
  if (options.topicInterest !== undefined) {
    const topics = options.topicInterest
    if (topics.length > MAX_TOPIC_INTEREST) {
      throw new InvalidParametersError(
        `topic interest holds ${topics.length} topics, over ${MAX_TOPIC_INTEREST}`,
      )
    }
    if (topics.some((topic) => topic.length !== TOPIC_LENGTH))
      throw new InvalidParametersError('a topic is 4 bytes')
    pairs.push([WakuStatusKey.topicInterest, topics])
  }
  if (options.bytesRateLimits !== undefined) {
    pairs.push([WakuStatusKey.bytesRateLimits, rateLimitsToRlp(options.bytesRateLimits)])
  }
  return encode(pairs)
}

/**
 * Decodes Status or Status Update options. Unknown keys are ignored; a repeated key keeps the last
 * value (status-go decodes each pair into the same field). Each pair is exactly `[key, value]`.
 * Throws only `DecodeError`.
 */
export function decodeWakuStatus(payload: Uint8Array): WakuStatusOptions {
  const options: WakuStatusOptions = {}
  for (const item of asList(decode(payload), 'waku status')) {
    const pair = asList(item, 'waku status option')
    if (pair.length !== 2) throw new DecodeError(`a waku status option has 2 elements, got ${pair.length}`)
    const key = toBigInt(pair[0], 8, 'waku status key')
    const value = pair[1]
    switch (key) {
      case 0n:
        options.pow = powFromRlp(value, 'waku status pow')
        break
      case 1n: {
        const bloom = asBytes(value, 'waku status bloom')
        if (bloom.length !== BLOOM_SIZE)
          throw new DecodeError(`waku status bloom is ${bloom.length} bytes, not 64`)
        options.bloom = bloom.slice()
        break
      }
      case 2n:
        options.lightNode = boolFromRlp(value, 'waku status light node')
        break
      case 3n:
        options.confirmationsEnabled = boolFromRlp(value, 'waku status confirmations')
        break
      case 4n:
        options.rateLimits = rateLimitsFromRlp(value, 'waku status rate limits')
        break
      case 5n:
        options.topicInterest = topicInterestFromRlp(value)
        break
      case 6n:
        options.bytesRateLimits = rateLimitsFromRlp(value, 'waku status bytes rate limits')
        break
      default: // unknown keys are ignored, so that newer peers can add options
    }
  }
  return options
}

/** What status-go assumes for options a peer never sent. */
export const WAKU_STATUS_DEFAULTS = {
  pow: 0.001,
  lightNode: false,
  confirmationsEnabled: false,
} as const

/** The options with status-go's defaults for missing ones: pow 0.001, full bloom, no flags, no limits. */
export function withWakuDefaults(
  options: WakuStatusOptions,
): Required<Omit<WakuStatusOptions, 'topicInterest'>> & Pick<WakuStatusOptions, 'topicInterest'> {
  const noLimits = { ip: 0n, peerId: 0n, topic: 0n }
  return {
    pow: options.pow ?? WAKU_STATUS_DEFAULTS.pow,
    bloom: options.bloom ?? FULL_BLOOM.slice(),
    lightNode: options.lightNode ?? WAKU_STATUS_DEFAULTS.lightNode,
    confirmationsEnabled: options.confirmationsEnabled ?? WAKU_STATUS_DEFAULTS.confirmationsEnabled,
    rateLimits: options.rateLimits ?? noLimits,
    bytesRateLimits: options.bytesRateLimits ?? { ...noLimits },
    ...(options.topicInterest === undefined ? {} : { topicInterest: options.topicInterest }),
  }
}

export type PeerInterest = { kind: 'topics'; topics: Uint8Array[] } | { kind: 'bloom'; bloom: Uint8Array }

/** Which envelopes a peer wants: its topic interest when it sent one (it wins over bloom), else its bloom (full by default). */
export function peerInterest(options: WakuStatusOptions): PeerInterest {
  if (options.topicInterest !== undefined) return { kind: 'topics', topics: options.topicInterest }
  return { kind: 'bloom', bloom: options.bloom ?? FULL_BLOOM.slice() }
}

function rateLimitsToRlp(limits: RateLimits): RlpInput {
  return [limits.ip, limits.peerId, limits.topic]
}

function rateLimitsFromRlp(value: RlpValue | undefined, what: string): RateLimits {
  const list = asList(value, what)
  if (list.length !== 3) throw new DecodeError(`${what} has ${list.length} elements, not 3`)
  return {
    ip: toBigInt(list[0], 8, what),
    peerId: toBigInt(list[1], 8, what),
    topic: toBigInt(list[2], 8, what),
  }
}

function topicInterestFromRlp(value: RlpValue | undefined): Uint8Array[] {
  const list = asList(value, 'waku topic interest')
  if (list.length > MAX_TOPIC_INTEREST) {
    throw new DecodeError(`waku topic interest holds ${list.length} topics, over ${MAX_TOPIC_INTEREST}`)
  }
  return list.map((item) => {
    const topic = asBytes(item, 'waku topic interest topic')
    if (topic.length !== TOPIC_LENGTH) throw new DecodeError(`a topic is 4 bytes, got ${topic.length}`)
    return topic.slice()
  })
}
