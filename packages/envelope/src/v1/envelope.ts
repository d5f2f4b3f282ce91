/**
 * The Whisper v6 / Waku v1 envelope: rlp([Expiry uint32, TTL uint32, Topic [4]byte, Data, Nonce uint64]).
 *
 * Integers are minimal RLP integers (0 is `80`, 100000 is `830186a0`), not the fixed 4- and 8-byte
 * fields EIP-627's prose suggests; that is what go-ethereum, status-go and nim-eth put on the wire.
 * Decoding is as strict as go-ethereum's `rlp.Decode` into its `Envelope` struct: exactly five
 * elements (the struct has no `rlp:"tail"` field), canonical integers that fit their Go types, and a
 * topic of exactly 4 bytes. So a decoded envelope re-encodes to the same bytes, and its hash is the
 * hash of what the peer sent.
 */
import { keccak256, leadingZeroBits, powFromBits, powHash } from '@parley/crypto'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import {
  asBytes,
  asList,
  decode,
  encode,
  type RlpInput,
  type RlpValue,
  toBigInt,
  toNumber,
} from '@parley/rlp'
import { DEFAULT_MAX_LENGTH } from '../limits.ts'
import { assertTopic, TOPIC_LENGTH } from './topic.ts'

export interface Envelope {
  /** unix seconds when the envelope expires, uint32 */
  expiry: number
  /** seconds to live, uint32 */
  ttl: number
  /** 4 bytes */
  topic: Uint8Array
  /** the encrypted payload (see `seal`/`open`) */
  data: Uint8Array
  /** proof-of-work nonce, uint64 */
  nonce: bigint
}

/** go-ethereum's `EnvelopeHeaderLength`: what an envelope's `size()` adds to len(Data). */
export const ENVELOPE_HEADER_LENGTH = 20

/** Default cap on envelopes in one Messages packet (go-ethereum has none; its packet size cap is 10 MiB). */
export const DEFAULT_MAX_ENVELOPES = 100_000

/** The envelope as an RLP item, for packets that embed envelopes. Validates the fields. */
export function envelopeToRlp(envelope: Envelope): RlpInput {
  const { expiry, ttl, topic, data, nonce } = envelope
  checkFields(expiry, ttl, topic)
  if (typeof nonce !== 'bigint' || nonce < 0n || nonce > UINT64_MAX) {
    throw new InvalidParametersError(`nonce must be a uint64 bigint, got ${nonce}`)
  }
  return [expiry, ttl, topic, data, nonce]
}

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return encode(envelopeToRlp(envelope))
}

/** An envelope from an already-decoded RLP item. Throws `DecodeError` (an `RlpDecodeError` for bad fields). */
export function envelopeFromRlp(value: RlpValue): Envelope {
  const fields = asList(value, 'envelope')
  if (fields.length !== 5) {
    throw new DecodeError(`an envelope has 5 elements, got ${fields.length}`)
  }
  const expiry = toNumber(fields[0], 4, 'envelope expiry')
  const ttl = toNumber(fields[1], 4, 'envelope ttl')
  const topic = asBytes(fields[2], 'envelope topic')
  if (topic.length !== TOPIC_LENGTH) {
    throw new DecodeError(`an envelope topic is ${TOPIC_LENGTH} bytes, got ${topic.length}`)
  }
  const data = asBytes(fields[3], 'envelope data')
  const nonce = toBigInt(fields[4], 8, 'envelope nonce')
  // Copies, so that a stored envelope does not keep the whole packet buffer alive.
  return { expiry, ttl, topic: topic.slice(), data: data.slice(), nonce }
}

export interface DecodeEnvelopeOptions {
  /** reject input longer than this before any work (default `DEFAULT_MAX_LENGTH`, 10 MiB) */
  maxLength?: number
}

/** One envelope from its RLP bytes. Throws only `DecodeError`. */
export function decodeEnvelope(bytes: Uint8Array, options: DecodeEnvelopeOptions = {}): Envelope {
  checkLength(bytes, 'envelope', options.maxLength)
  return envelopeFromRlp(decode(bytes))
}

export interface DecodeEnvelopesOptions extends DecodeEnvelopeOptions {
  /** reject packets with more envelopes than this (default `DEFAULT_MAX_ENVELOPES`) */
  maxEnvelopes?: number
}

/**
 * The payload of a Messages packet (code 1; also P2P Message 127): a list of envelopes. Like
 * go-ethereum, one bad envelope fails the whole packet. Throws only `DecodeError`.
 */
export function decodeEnvelopes(payload: Uint8Array, options: DecodeEnvelopesOptions = {}): Envelope[] {
  checkLength(payload, 'messages packet', options.maxLength)
  const items = asList(decode(payload), 'messages packet')
  const maxEnvelopes = options.maxEnvelopes ?? DEFAULT_MAX_ENVELOPES
  if (items.length > maxEnvelopes) {
    throw new DecodeError(
      `messages packet holds ${items.length} envelopes, over the limit of ${maxEnvelopes}`,
    )
  }
  return items.map(envelopeFromRlp)
}

/** The payload of a Messages packet carrying these envelopes. */
export function encodeEnvelopes(envelopes: readonly Envelope[]): Uint8Array {
  return encode(envelopes.map(envelopeToRlp))
}

/** keccak256 of the full envelope RLP, nonce included: the id nodes use to deduplicate and confirm. */
export function envelopeHash(envelope: Envelope): Uint8Array {
  return keccak256(encodeEnvelope(envelope))
}

/**
 * The envelope's proof of work, bit for bit go-ethereum's `PoW()`. `extraTtl` is go-ethereum's
 * adjustment for an envelope sent up to the sync allowance in the future: it divides by TTL + extraTtl
 * (uint32 arithmetic). A TTL of 0 divides by zero and gives Infinity, as in go-ethereum.
 */
export function envelopePow(envelope: Envelope, extraTtl = 0): number {
  const { expiry, ttl, topic, data, nonce } = envelope
  checkFields(expiry, ttl, topic)
  const prefix = encode([expiry, ttl, topic, data])
  return powFromBits(leadingZeroBits(powHash(prefix, nonce)), prefix.length, (ttl + extraTtl) >>> 0)
}

/** go-ethereum's `size()`: 20 + len(Data), which the max-size check and pow targets use. */
export function envelopeSize(envelope: Pick<Envelope, 'data'>): number {
  return ENVELOPE_HEADER_LENGTH + envelope.data.length
}

const UINT32_MAX = 0xffff_ffff
const UINT64_MAX = 0xffff_ffff_ffff_ffffn

/** Throws `InvalidParametersError` unless expiry and ttl are uint32s and the topic is 4 bytes. */
function checkFields(expiry: number, ttl: number, topic: Uint8Array): void {
  for (const [name, value] of [
    ['expiry', expiry],
    ['ttl', ttl],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
      throw new InvalidParametersError(`${name} must be a uint32, got ${value}`)
    }
  }
  assertTopic(topic)
}

function checkLength(bytes: Uint8Array, what: string, maxLength = DEFAULT_MAX_LENGTH): void {
  if (bytes.length > maxLength) {
    throw new DecodeError(`${what} is ${bytes.length} bytes, over the ${maxLength}-byte limit`)
  }
}
