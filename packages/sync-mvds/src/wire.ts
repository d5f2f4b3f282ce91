/**
 * The MVDS wire format as status-go deploys it (status-im/mvds `protobuf/sync.proto`). The field
 * numbers 5001+ and 6001+ differ from the MVDS spec and from the old vacp2p/mvds (fields 1-4),
 * which are not wire compatible; `group_offers` (5005) is absent from the spec.
 *
 * `Message.metadata` (6004) is 4/MVDS-META (vacp2p/rfc-index `vac/4/mvds-meta.md`): parents for
 * consistent ordering and the ephemeral flag. status-go does not know it and skips it as an unknown
 * field; it is not part of the message id.
 */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import protobuf from 'protobufjs'

const SCHEMA = `
syntax = "proto3";
message Payload {
  repeated bytes acks = 5001;
  repeated bytes offers = 5002;
  repeated bytes requests = 5003;
  repeated Message messages = 5004;
  repeated Offer group_offers = 5005;
}
message Offer {
  bytes group_id = 1;
  repeated bytes message_ids = 2;
}
message Message {
  bytes group_id = 6001;
  int64 timestamp = 6002;
  bytes body = 6003;
  Metadata metadata = 6004;
}
message Metadata {
  repeated bytes parents = 1;
  bool ephemeral = 2;
}
`

const root = protobuf.parse(SCHEMA, { keepCase: true }).root
const PayloadType = root.lookupType('Payload')
const MessageType = root.lookupType('Message')

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** 4/MVDS-META: `parents` are ids this message follows; `ephemeral` asks for no ACK and no history. */
export interface MessageMetadata {
  parents: Uint8Array[]
  ephemeral: boolean
}

/** One application message in a group; `timestamp` is Unix seconds at append time. */
export interface MvdsMessage {
  groupId: Uint8Array
  timestamp: bigint
  body: Uint8Array
  /** absent on messages from status-go, which does not send it */
  metadata?: MessageMetadata
}

/** Offers of several message ids in one group (deployed extension, field 5005). */
export interface GroupOffer {
  groupId: Uint8Array
  messageIds: Uint8Array[]
}

export interface Payload {
  acks: Uint8Array[]
  offers: Uint8Array[]
  requests: Uint8Array[]
  messages: MvdsMessage[]
  groupOffers: GroupOffer[]
}

export interface DecodeLimits {
  /** refuse inputs longer than this many bytes (default 1 MiB) */
  maxBytes?: number
  /** refuse payloads with more ids plus messages than this (default 10 000) */
  maxItems?: number
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024
export const DEFAULT_MAX_PAYLOAD_ITEMS = 10_000

/** An empty payload to fill in. */
export function emptyPayload(): Payload {
  return { acks: [], offers: [], requests: [], messages: [], groupOffers: [] }
}

/** True when the payload carries nothing (status-go does not send those). */
export function isEmptyPayload(payload: Payload): boolean {
  return (
    payload.acks.length === 0 &&
    payload.offers.length === 0 &&
    payload.requests.length === 0 &&
    payload.messages.length === 0 &&
    payload.groupOffers.length === 0
  )
}

function checkTimestamp(timestamp: bigint): string {
  if (timestamp < INT64_MIN || timestamp > INT64_MAX) {
    throw new InvalidParametersError('MVDS message timestamp does not fit in int64')
  }
  // protobufjs 8 writes a bigint int64 as 0; a decimal string round-trips exactly.
  return timestamp.toString()
}

function messageObject(message: MvdsMessage): Record<string, unknown> {
  const object: Record<string, unknown> = {
    group_id: message.groupId,
    timestamp: checkTimestamp(message.timestamp),
    body: message.body,
  }
  if (message.metadata !== undefined) object.metadata = message.metadata
  return object
}

export function encodePayload(payload: Payload): Uint8Array {
  const object = {
    acks: payload.acks,
    offers: payload.offers,
    requests: payload.requests,
    messages: payload.messages.map(messageObject),
    group_offers: payload.groupOffers.map((offer) => ({
      group_id: offer.groupId,
      message_ids: offer.messageIds,
    })),
  }
  return plain(PayloadType.encode(PayloadType.fromObject(object)).finish())
}

/** One `Message` on its own (known-answer tests, size estimates). */
export function encodeMessage(message: MvdsMessage): Uint8Array {
  return plain(MessageType.encode(MessageType.fromObject(messageObject(message))).finish())
}

interface DecodedMessage {
  group_id?: Uint8Array
  timestamp?: string
  body?: Uint8Array
  metadata?: { parents?: Uint8Array[]; ephemeral?: boolean }
}

interface DecodedPayload {
  acks?: Uint8Array[]
  offers?: Uint8Array[]
  requests?: Uint8Array[]
  messages?: DecodedMessage[]
  group_offers?: { group_id?: Uint8Array; message_ids?: Uint8Array[] }[]
}

// protobufjs hands out Buffers (views into the input) under Node; callers get owned Uint8Arrays.
function plain(bytes: Uint8Array | undefined): Uint8Array {
  return bytes === undefined ? new Uint8Array(0) : Uint8Array.from(bytes)
}

function fromDecodedMessage(message: DecodedMessage): MvdsMessage {
  const decoded: MvdsMessage = {
    groupId: plain(message.group_id),
    timestamp: BigInt(message.timestamp ?? '0'),
    body: plain(message.body),
  }
  if (message.metadata !== undefined) {
    decoded.metadata = {
      parents: (message.metadata.parents ?? []).map(plain),
      ephemeral: message.metadata.ephemeral === true,
    }
  }
  return decoded
}

function decodeWith<T>(type: protobuf.Type, bytes: Uint8Array, what: string, limits?: DecodeLimits): T {
  const maxBytes = limits?.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES
  if (!(bytes instanceof Uint8Array)) throw new DecodeError(`${what} must be bytes`)
  if (bytes.length > maxBytes) {
    throw new DecodeError(`${what} is ${bytes.length} bytes, limit ${maxBytes}`)
  }
  try {
    return type.toObject(type.decode(bytes), { longs: String }) as T
  } catch (cause) {
    throw new DecodeError(`malformed MVDS ${what} protobuf`, { cause })
  }
}

/** Decodes a `Payload`. Throws only `DecodeError`, for malformed or oversized input. */
export function decodePayload(bytes: Uint8Array, limits?: DecodeLimits): Payload {
  const decoded = decodeWith<DecodedPayload>(PayloadType, bytes, 'Payload', limits)
  const payload: Payload = {
    acks: (decoded.acks ?? []).map(plain),
    offers: (decoded.offers ?? []).map(plain),
    requests: (decoded.requests ?? []).map(plain),
    messages: (decoded.messages ?? []).map(fromDecodedMessage),
    groupOffers: (decoded.group_offers ?? []).map((offer) => ({
      groupId: plain(offer.group_id),
      messageIds: (offer.message_ids ?? []).map(plain),
    })),
  }
  const maxItems = limits?.maxItems ?? DEFAULT_MAX_PAYLOAD_ITEMS
  const items =
    payload.acks.length +
    payload.offers.length +
    payload.requests.length +
    payload.messages.reduce((sum, message) => sum + 1 + (message.metadata?.parents.length ?? 0), 0) +
    payload.groupOffers.reduce((sum, offer) => sum + 1 + offer.messageIds.length, 0)
  if (items > maxItems) throw new DecodeError(`Payload holds ${items} items, limit ${maxItems}`)
  return payload
}

/** Decodes one `Message`. Throws only `DecodeError`. */
export function decodeMessage(bytes: Uint8Array, limits?: DecodeLimits): MvdsMessage {
  return fromDecodedMessage(decodeWith<DecodedMessage>(MessageType, bytes, 'Message', limits))
}

// Fields 5001-5005 with wire type 2 take a 3-byte tag; protobuf concatenates fields, so a payload's
// size is exactly the sum of its fields' sizes.
function fieldSize(contentLength: number): number {
  let varint = 1
  for (let n = contentLength; n >= 0x80; n = Math.floor(n / 0x80)) varint++
  return 3 + varint + contentLength
}

/**
 * Splits a payload into payloads of at most `maxBytes` encoded bytes each (status-go
 * `splitPayloadInBatches`, with exact sizes); an item too large on its own travels alone.
 */
export function splitPayload(payload: Payload, maxBytes: number): Payload[] {
  const parts: Payload[] = []
  let current = emptyPayload()
  let size = 0
  const add = (itemSize: number, put: (p: Payload) => void) => {
    if (size + itemSize > maxBytes && !isEmptyPayload(current)) {
      parts.push(current)
      current = emptyPayload()
      size = 0
    }
    put(current)
    size += itemSize
  }
  for (const id of payload.acks) add(fieldSize(id.length), (p) => p.acks.push(id))
  for (const id of payload.offers) add(fieldSize(id.length), (p) => p.offers.push(id))
  for (const id of payload.requests) add(fieldSize(id.length), (p) => p.requests.push(id))
  for (const message of payload.messages) {
    add(fieldSize(encodeMessage(message).length), (p) => p.messages.push(message))
  }
  for (const offer of payload.groupOffers) {
    const length = encodePayload({ ...emptyPayload(), groupOffers: [offer] }).length
    add(length, (p) => p.groupOffers.push(offer))
  }
  if (!isEmptyPayload(current)) parts.push(current)
  return parts
}
