import { DecodeError, InvalidParametersError, type ParleyErrorOptions } from '@parley/interfaces'
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
import { MessageType, type MessageTypeNumber, type RendezvousMessage } from './messages.ts'

/** A malformed rendezvous message. `messageType` is set when the type was read but the body was bad. */
export class RendezvousDecodeError extends DecodeError {
  readonly messageType: MessageTypeNumber | undefined

  constructor(message: string, messageType?: MessageTypeNumber, options?: ParleyErrorOptions) {
    super(message, options)
    this.name = 'RendezvousDecodeError'
    this.messageType = messageType
  }
}

const utf8 = new TextEncoder()
// Status messages and IPs are informational: invalid UTF-8 is replaced, not rejected.
const text = new TextDecoder()

/** The RLP body of a message; `undefined` for REMOTEIP, which has none. */
export function encodeBody(message: RendezvousMessage): Uint8Array | undefined {
  const body = bodyFields(message)
  return body === undefined ? undefined : encode(body)
}

/** An ENR is embedded as its RLP list, so it must be one. */
function embedded(record: Uint8Array): RlpInput {
  let value: RlpValue
  try {
    value = decode(record)
  } catch (error) {
    throw new InvalidParametersError('a record must be the RLP encoding of an ENR', { cause: error })
  }
  if (!Array.isArray(value)) throw new InvalidParametersError('a record must be an RLP list (an ENR)')
  return value as RlpInput
}

function bodyFields(message: RendezvousMessage): RlpInput | undefined {
  switch (message.type) {
    case MessageType.REGISTER:
      return [message.topic, embedded(message.record), message.ttlNs]
    case MessageType.REGISTER_RESPONSE:
      return [message.status, utf8.encode(message.message)]
    case MessageType.DISCOVER:
      return [message.limit, message.topic]
    case MessageType.DISCOVER_RESPONSE:
      return [message.status, utf8.encode(message.message), message.records.map(embedded)]
    case MessageType.REMOTEIP:
      return undefined
    case MessageType.REMOTEIP_RESPONSE:
      return [message.status, utf8.encode(message.ip)]
  }
}

/** `RLP(type) || RLP(body)`, as written on a `/rend/0.1.0` stream. */
export function encodeMessage(message: RendezvousMessage): Uint8Array {
  const type = encode(message.type)
  const body = encodeBody(message)
  if (body === undefined) return type
  const out = new Uint8Array(type.length + body.length)
  out.set(type)
  out.set(body, type.length)
  return out
}

/** Whether this type has a body after it (all but REMOTEIP). */
export function hasBody(type: MessageTypeNumber): boolean {
  return type !== MessageType.REMOTEIP
}

export function messageTypeOf(value: number): MessageTypeNumber {
  if (!Number.isInteger(value) || value < MessageType.REGISTER || value > MessageType.REMOTEIP_RESPONSE) {
    throw new RendezvousDecodeError(`unknown rendezvous message type ${value}`)
  }
  return value as MessageTypeNumber
}

function fields(value: RlpValue, count: number, what: string): RlpValue[] {
  const list = asList(value, what)
  // go-ethereum's struct decoding rejects both missing and extra fields.
  if (list.length !== count) throw new DecodeError(`${what} has ${list.length} fields, expected ${count}`)
  return list
}

/** Re-encoding gives the received bytes back: the strict decoder admits only canonical RLP. */
function record(value: RlpValue | undefined, what: string): Uint8Array {
  return encode(asList(value, what) as RlpInput)
}

function decodeBodyValue(type: MessageTypeNumber, value: RlpValue): RendezvousMessage {
  switch (type) {
    case MessageType.REGISTER: {
      const [topic, enr, ttl] = fields(value, 3, 'Register')
      return {
        type,
        topic: Uint8Array.from(asBytes(topic, 'topic')),
        record: record(enr, 'record'),
        ttlNs: toBigInt(ttl, 8, 'ttl'),
      }
    }
    case MessageType.REGISTER_RESPONSE: {
      const [status, message] = fields(value, 2, 'RegisterResponse')
      return {
        type,
        status: toNumber(status, 4, 'status'),
        message: text.decode(asBytes(message, 'message')),
      }
    }
    case MessageType.DISCOVER: {
      const [limit, topic] = fields(value, 2, 'Discover')
      return { type, limit: toNumber(limit, 7, 'limit'), topic: Uint8Array.from(asBytes(topic, 'topic')) }
    }
    case MessageType.DISCOVER_RESPONSE: {
      const [status, message, records] = fields(value, 3, 'DiscoverResponse')
      return {
        type,
        status: toNumber(status, 4, 'status'),
        message: text.decode(asBytes(message, 'message')),
        records: asList(records, 'records').map((item) => record(item, 'record')),
      }
    }
    case MessageType.REMOTEIP:
      throw new RendezvousDecodeError('REMOTEIP has no body', type)
    case MessageType.REMOTEIP_RESPONSE: {
      const [status, ip] = fields(value, 2, 'RemoteIpResponse')
      return { type, status: toNumber(status, 4, 'status'), ip: text.decode(asBytes(ip, 'ip')) }
    }
  }
}

/** Decodes the RLP body of a message of `type` (for peers that send a body without its type). */
export function decodeBody(type: MessageTypeNumber, body: Uint8Array): RendezvousMessage {
  try {
    return decodeBodyValue(type, decode(body))
  } catch (error) {
    if (error instanceof RendezvousDecodeError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new RendezvousDecodeError(`bad rendezvous message body (type ${type}): ${reason}`, type, {
      cause: error,
    })
  }
}
