/**
 * The 64-byte (512-bit) topic bloom filter of Whisper v6 and Waku v1.
 *
 * Each topic sets up to three bits: for i in 0..2, index = topic[i] + 256 if bit i of topic[3] is
 * set. Deployed nodes (go-ethereum `TopicToBloom`, status-go) ASSIGN `bloom[index / 8] = 1 << index % 8`
 * rather than OR-ing, so when two indexes share a byte the later one wins and the bloom has fewer
 * bits than EIP-627 describes (nim-eth ORs). We follow go-ethereum: a status-go peer computes the
 * same bloom and so matches exactly the envelopes it expects.
 */
import { InvalidParametersError } from '@parley/interfaces'
import { assertTopic } from './topic.ts'

export const BLOOM_SIZE = 64

/** All bits set: a full node that wants every envelope. Shared; do not mutate (use `fullBloom()`). */
export const FULL_BLOOM: Uint8Array = new Uint8Array(BLOOM_SIZE).fill(0xff)

/** A fresh all-ones bloom. */
export function fullBloom(): Uint8Array {
  return new Uint8Array(BLOOM_SIZE).fill(0xff)
}

/** The bloom of one topic, with go-ethereum's assign-not-OR quirk. */
export function topicToBloom(topic: Uint8Array): Uint8Array {
  assertTopic(topic)
  const bloom = new Uint8Array(BLOOM_SIZE)
  const high = topic[3]!
  for (let i = 0; i < 3; i++) {
    const index = topic[i]! + ((high & (1 << i)) !== 0 ? 256 : 0)
    bloom[index >> 3] = 1 << (index & 7) // assign, as go-ethereum does; see the module comment
  }
  return bloom
}

/**
 * go-ethereum's `BloomFilterMatch`: every bit of `sample` is also set in `filter`. A missing filter
 * (nil in go-ethereum: the peer sent none) matches everything.
 */
export function bloomMatches(filter: Uint8Array | undefined, sample: Uint8Array): boolean {
  if (filter === undefined) return true
  assertBloom(filter)
  assertBloom(sample)
  for (let i = 0; i < BLOOM_SIZE; i++) {
    const f = filter[i]!
    if ((f | sample[i]!) !== f) return false
  }
  return true
}

/** The union (bitwise OR) of blooms, e.g. of every topic a node is interested in. */
export function mergeBlooms(...blooms: readonly Uint8Array[]): Uint8Array {
  const merged = new Uint8Array(BLOOM_SIZE)
  for (const bloom of blooms) {
    assertBloom(bloom)
    for (let i = 0; i < BLOOM_SIZE; i++) merged[i] = merged[i]! | bloom[i]!
  }
  return merged
}

/** Whether every bit is set (the peer is a full node). */
export function isFullBloom(bloom: Uint8Array): boolean {
  return bloom.length === BLOOM_SIZE && bloom.every((byte) => byte === 0xff)
}

function assertBloom(bloom: Uint8Array): void {
  if (bloom.length !== BLOOM_SIZE) {
    throw new InvalidParametersError(`a bloom filter is ${BLOOM_SIZE} bytes, got ${bloom.length}`)
  }
}
