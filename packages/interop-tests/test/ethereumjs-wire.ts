/**
 * Their side's packets, written from the references (go-ethereum whisperv6, status-go waku/1) with
 * ethereumjs's RLP and Keccak only, so a test compares two independent encoders. Import it as a
 * namespace: `import * as theirs from './ethereumjs-wire.ts'`.
 */
import { type TheirRlpInput, type TheirRlpValue, theirKeccak256, theirRlp } from './ethereumjs-deps.ts'

export interface Envelope {
  expiry: number
  ttl: number
  topic: Uint8Array
  data: Uint8Array
  nonce: bigint
}

export interface WhisperStatus {
  version: number
  pow: number
  bloom: Uint8Array
  lightNode: boolean
}

/** go-ethereum whisperv6 `Status`: `[6, math.Float64bits(pow), bloom, isLightNode]`. */
export function whisperStatus(status: Omit<WhisperStatus, 'version'>): Uint8Array {
  return theirRlp.encode([6, float64Bits(status.pow), status.bloom, status.lightNode ? 1 : 0])
}

export function readWhisperStatus(payload: Uint8Array): WhisperStatus {
  const [version, pow, bloom, lightNode] = list(theirRlp.decode(payload), 'whisper status')
  return {
    version: Number(uint(version)),
    pow: fromFloat64Bits(uint(pow)),
    bloom: bytes(bloom),
    lightNode: uint(lightNode) === 1n,
  }
}

/** status-go waku/1 `StatusOptions` keys. */
export const WAKU_KEY = {
  pow: 0,
  bloom: 1,
  lightNode: 2,
  confirmations: 3,
  rateLimits: 4,
  topicInterest: 5,
  bytesRateLimits: 6,
}

export interface WakuStatus {
  pow: number
  bloom: Uint8Array
  lightNode: boolean
  confirmationsEnabled: boolean
  /** `[ip, peerID, topic]` packets per second, 0 for none */
  rateLimits: [number, number, number]
  topicInterest?: Uint8Array[]
  /** the same in bytes per second (status-go only) */
  bytesRateLimits: [number, number, number]
}

/** status-go's `StatusOptions.EncodeRLP`: `[[key, value], ...]` in key order, set fields only, no version. */
export function wakuStatus(status: WakuStatus): Uint8Array {
  const pairs: TheirRlpInput[] = [
    [WAKU_KEY.pow, float64Bits(status.pow)],
    [WAKU_KEY.bloom, status.bloom],
    [WAKU_KEY.lightNode, status.lightNode ? 1 : 0],
    [WAKU_KEY.confirmations, status.confirmationsEnabled ? 1 : 0],
    [WAKU_KEY.rateLimits, status.rateLimits],
  ]
  if (status.topicInterest !== undefined) pairs.push([WAKU_KEY.topicInterest, status.topicInterest])
  pairs.push([WAKU_KEY.bytesRateLimits, status.bytesRateLimits])
  return theirRlp.encode(pairs)
}

/** A `[ip, peerID, topic]` rate-limits value. */
export function readRateLimits(value: TheirRlpValue | undefined): bigint[] {
  const limits = list(value, 'rate limits').map(uint)
  if (limits.length !== 3) throw new Error(`rate limits are [ip, peerID, topic], got ${limits.length} values`)
  return limits
}

/** The options of a waku/1 Status, by key; values stay raw RLP items. */
export function readWakuStatus(payload: Uint8Array): Map<number, TheirRlpValue> {
  const options = new Map<number, TheirRlpValue>()
  for (const pair of list(theirRlp.decode(payload), 'waku status')) {
    const [key, value] = list(pair, 'waku status option')
    if (value === undefined) throw new Error('a waku status option is [key, value]')
    options.set(Number(uint(key)), value)
  }
  return options
}

/** An envelope as the RLP list go-ethereum encodes: `[Expiry, TTL, Topic, Data, Nonce]`, minimal integers. */
function envelopeItem(envelope: Envelope): TheirRlpInput {
  return [envelope.expiry, envelope.ttl, envelope.topic, envelope.data, envelope.nonce]
}

/** Messages (1) and P2P Message (127) as status-go sends them: a list of envelopes. */
export function envelopesPacket(envelopes: readonly Envelope[]): Uint8Array {
  return theirRlp.encode(envelopes.map(envelopeItem))
}

/** P2P Request (126): one envelope. */
export function envelopePacket(envelope: Envelope): Uint8Array {
  return theirRlp.encode(envelopeItem(envelope))
}

/**
 * status-go's other P2P Request (126): a bare `MessagesRequest`, `[ID, From, To, Limit, Cursor,
 * Bloom, Topics]` (waku/1; shh/6 has no `Topics`).
 */
export function messagesRequestPacket(request: {
  id: Uint8Array
  from: number
  to: number
  limit: number
  topics: Uint8Array[]
}): Uint8Array {
  const { id, from, to, limit, topics } = request
  return theirRlp.encode([id, from, to, limit, new Uint8Array(0), new Uint8Array(0), topics])
}

/** status-go's P2P Request Complete (125): `requestID || lastEnvelopeHash || cursor` as one RLP string. */
export function requestCompletePacket(layout: Uint8Array): Uint8Array {
  return theirRlp.encode(layout)
}

export function readEnvelopes(payload: Uint8Array): Envelope[] {
  return list(theirRlp.decode(payload), 'envelopes').map(envelopeOf)
}

export function readEnvelope(payload: Uint8Array): Envelope {
  return envelopeOf(theirRlp.decode(payload))
}

export function readRequestComplete(payload: Uint8Array): Uint8Array {
  return bytes(theirRlp.decode(payload))
}

/** keccak256 of the envelope's RLP: the hash both sides deduplicate by. */
export function envelopeHash(envelope: Envelope): string {
  return `0x${Buffer.from(theirKeccak256(theirRlp.encode(envelopeItem(envelope)))).toString('hex')}`
}

function envelopeOf(item: TheirRlpValue): Envelope {
  const fields = list(item, 'envelope')
  if (fields.length !== 5) throw new Error(`an envelope has 5 fields, got ${fields.length}`)
  const [expiry, ttl, topic, data, nonce] = fields
  return {
    expiry: Number(uint(expiry)),
    ttl: Number(uint(ttl)),
    topic: bytes(topic),
    data: bytes(data),
    nonce: uint(nonce),
  }
}

/** `math.Float64bits` */
export function float64Bits(value: number): bigint {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, value)
  return view.getBigUint64(0)
}

function fromFloat64Bits(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8))
  view.setBigUint64(0, bits)
  return view.getFloat64(0)
}

function list(value: TheirRlpValue | undefined, what: string): TheirRlpValue[] {
  if (!Array.isArray(value)) throw new Error(`${what}: expected a list`)
  return value
}

function bytes(value: TheirRlpValue | undefined): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new Error('expected a byte string')
  return value
}

/** A minimal big-endian RLP integer. */
export function uint(value: TheirRlpValue | undefined): bigint {
  const raw = bytes(value)
  if (raw.length > 0 && raw[0] === 0) throw new Error('non-canonical integer')
  return raw.reduce((total, byte) => (total << 8n) | BigInt(byte), 0n)
}
