/**
 * Message segmentation (status-go protocol/common/message_segmentation.go): a payload larger than
 * 3/4 of the maximum message size is sent as several SegmentMessage parts, each carrying
 * keccak256 of the whole payload, its index and the segment count.
 *
 * Not done yet: status-go also sends Reed-Solomon parity segments (rate 0.125, none when there are
 * more than 256 data segments) so that lost parts can be rebuilt. We never emit parity segments and
 * reassembly ignores them, so a message is only recovered once every data segment arrived.
 */
import { concatBytes, equalBytes, keccak256 } from '@parley/crypto'
import { DecodeError, InvalidParametersError, VerificationError } from '@parley/interfaces'
import { bytesField, decodePlain, numberField, plainBytes } from './proto/decode.ts'
import { SegmentMessageType } from './proto/schema.ts'

export interface Segment {
  entireMessageHash: Uint8Array
  index: number
  segmentsCount: number
  payload: Uint8Array
  paritySegmentIndex: number
  paritySegmentsCount: number
}

export function encodeSegment(segment: Segment): Uint8Array {
  const message = SegmentMessageType.fromObject({
    entire_message_hash: segment.entireMessageHash,
    index: segment.index,
    segments_count: segment.segmentsCount,
    payload: segment.payload,
    parity_segment_index: segment.paritySegmentIndex,
    parity_segments_count: segment.paritySegmentsCount,
  })
  return plainBytes(SegmentMessageType.encode(message).finish())
}

/** Decodes and sanity-checks one SegmentMessage; throws DecodeError. */
export function decodeSegment(bytes: Uint8Array): Segment {
  const decoded = decodePlain(SegmentMessageType, bytes, 'SegmentMessage')
  const segment: Segment = {
    entireMessageHash: bytesField(decoded.entire_message_hash),
    index: numberField(decoded.index),
    segmentsCount: numberField(decoded.segments_count),
    payload: bytesField(decoded.payload),
    paritySegmentIndex: numberField(decoded.parity_segment_index),
    paritySegmentsCount: numberField(decoded.parity_segments_count),
  }
  if (segment.entireMessageHash.length !== 32) throw new DecodeError('SegmentMessage hash is not 32 bytes')
  if (isParitySegment(segment)) return segment
  if (segment.segmentsCount < 2 || segment.index >= segment.segmentsCount) {
    throw new DecodeError('SegmentMessage index or count out of range')
  }
  return segment
}

/** A Reed-Solomon parity segment: segments_count 0 and a parity count (status-go `IsParityMessage`). */
export function isParitySegment(segment: Segment): boolean {
  return segment.segmentsCount === 0 && segment.paritySegmentsCount > 0
}

/**
 * Splits `payload` into encoded SegmentMessages when it is larger than 3/4 of `maxMessageSize`
 * (each part then holds at most that much); returns `[payload]` unchanged when it fits.
 */
export function segmentPayload(payload: Uint8Array, maxMessageSize: number): Uint8Array[] {
  // status-go computes maxSize / 4 * 3 in integer arithmetic
  const segmentSize = Math.floor(maxMessageSize / 4) * 3
  if (!Number.isInteger(maxMessageSize) || segmentSize < 1) {
    throw new InvalidParametersError('maxMessageSize must be a positive integer')
  }
  if (payload.length <= segmentSize) return [payload]
  const entireMessageHash = keccak256(payload)
  const segmentsCount = Math.ceil(payload.length / segmentSize)
  const parts: Uint8Array[] = []
  for (let index = 0; index < segmentsCount; index++) {
    const part = payload.subarray(index * segmentSize, (index + 1) * segmentSize)
    parts.push(
      encodeSegment({
        entireMessageHash,
        index,
        segmentsCount,
        payload: part,
        paritySegmentIndex: 0,
        paritySegmentsCount: 0,
      }),
    )
  }
  return parts
}

export interface SegmentReassemblerOptions {
  /** how many incomplete messages to hold at once; the oldest is dropped first (default 100) */
  maxPending?: number
  /** refuse messages split into more segments than this (default 1024) */
  maxSegments?: number
}

/** Collects segments per message hash and yields the whole payload once every part arrived. */
export class SegmentReassembler {
  readonly #pending = new Map<string, Map<number, Uint8Array>>()
  readonly #maxPending: number
  readonly #maxSegments: number

  constructor(options: SegmentReassemblerOptions = {}) {
    this.#maxPending = options.maxPending ?? 100
    this.#maxSegments = options.maxSegments ?? 1024
  }

  /**
   * Adds one decoded segment. Returns the reassembled payload when complete, else undefined.
   * Parity segments are ignored (no Reed-Solomon yet). Throws VerificationError when the parts do
   * not hash to the announced message hash, DecodeError when the count is over the limit.
   */
  add(segment: Segment): Uint8Array | undefined {
    if (isParitySegment(segment)) return undefined
    if (segment.segmentsCount > this.#maxSegments) {
      throw new DecodeError(`SegmentMessage announces ${segment.segmentsCount} segments, over the limit`)
    }
    const key = `${segment.segmentsCount}:${Array.from(segment.entireMessageHash).join(',')}`
    let parts = this.#pending.get(key)
    if (parts === undefined) {
      parts = new Map()
      this.#pending.set(key, parts)
      if (this.#pending.size > this.#maxPending) {
        const oldest = this.#pending.keys().next().value
        if (oldest !== undefined) this.#pending.delete(oldest)
      }
    }
    parts.set(segment.index, segment.payload)
    if (parts.size < segment.segmentsCount) return undefined
    this.#pending.delete(key)
    const ordered: Uint8Array[] = []
    for (let index = 0; index < segment.segmentsCount; index++) {
      const part = parts.get(index)
      if (part === undefined) return undefined
      ordered.push(part)
    }
    const whole = concatBytes(...ordered)
    if (!equalBytes(keccak256(whole), segment.entireMessageHash)) {
      throw new VerificationError('reassembled segments do not match the announced hash')
    }
    return whole
  }

  get pending(): number {
    return this.#pending.size
  }
}
