import { InvalidParametersError, type MessageQuery } from '@parley/interfaces'

/*
 * Query validation and v1 bloom matching. Every store package keeps a copy of this file (they
 * depend on nothing but @parley/interfaces); keep the copies identical.
 */

export const INT64_MIN = -(2n ** 63n)
export const INT64_MAX = 2n ** 63n - 1n
const BLOOM_BYTES = 64
const V1_TOPIC = /^[0-9a-fA-F]{8}$/

/** Timestamps are signed 64-bit nanoseconds in every store. */
export function assertInt64(value: bigint, name: string): void {
  if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
    throw new InvalidParametersError(`${name} must be a bigint in the signed 64-bit range, got ${value}`)
  }
}

/** Rejects what no store can answer sensibly: an inverted range, a bad limit, a malformed bloom. */
export function validateQuery(query: Partial<MessageQuery>): void {
  const { from, to, limit, bloom, cursor } = query
  if (from !== undefined && typeof from !== 'bigint')
    throw new InvalidParametersError('from must be a bigint')
  if (to !== undefined && typeof to !== 'bigint') throw new InvalidParametersError('to must be a bigint')
  if (from !== undefined && to !== undefined && from > to) {
    throw new InvalidParametersError(`from (${from}) is after to (${to})`)
  }
  if (limit !== undefined && !(typeof limit === 'number' && limit >= 0)) {
    throw new InvalidParametersError(`limit must be a non-negative number, got ${limit}`)
  }
  if (bloom !== undefined && bloom.length !== BLOOM_BYTES) {
    throw new InvalidParametersError(`a bloom is ${BLOOM_BYTES} bytes, got ${bloom.length}`)
  }
  if (cursor !== undefined) assertInt64(cursor.timestamp, 'cursor.timestamp')
}

/** The page size for `limit`: 0 or absent means the default; larger values are capped. */
export function pageSize(limit: number | undefined, maxPageSize: number): number {
  return Math.min(limit ? Math.floor(limit) : maxPageSize, maxPageSize)
}

/**
 * Whether the bloom of `topic` (8 hex chars) lies within `bloom`. The topic bloom is go-ethereum's
 * `TopicToBloom`: bit indexes topic[i] (+256 when bit i of topic[3] is set) are ASSIGNED to their
 * byte, so an index sharing a byte with an earlier one replaces it. Other topics never match.
 */
export function topicInBloom(topic: string, bloom: Uint8Array): boolean {
  if (!V1_TOPIC.test(topic)) return false
  const value = Number.parseInt(topic, 16)
  const high = value & 0xff
  const masks = new Map<number, number>()
  for (let index = 0; index < 3; index++) {
    const bit = ((value >>> (24 - 8 * index)) & 0xff) + ((high >> index) & 1) * 256
    masks.set(bit >> 3, 1 << (bit & 7))
  }
  for (const [byte, mask] of masks) if (((bloom[byte] ?? 0) & mask) === 0) return false
  return true
}

/** The 64-byte bloom of `topic` (8 hex chars) as go-ethereum computes it, or undefined for other topics. */
export function topicBloom(topic: string): Uint8Array | undefined {
  if (!V1_TOPIC.test(topic)) return undefined
  const value = Number.parseInt(topic, 16)
  const bloom = new Uint8Array(BLOOM_BYTES)
  for (let index = 0; index < 3; index++) {
    const bit = ((value >>> (24 - 8 * index)) & 0xff) + (((value & 0xff) >> index) & 1) * 256
    bloom[bit >> 3] = 1 << (bit & 7)
  }
  return bloom
}
