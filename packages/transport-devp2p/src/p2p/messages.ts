/**
 * The devp2p base protocol ("p2p"), message ids 0x00..0x0f:
 *
 *   Hello      0x00  [protocolVersion, clientId, [[cap, version], ...], listenPort, nodeId(64), ...]
 *   Disconnect 0x01  [reason]  (a bare reason is accepted too, as go-ethereum does for old peers)
 *   Ping       0x02  []
 *   Pong       0x03  []
 *
 * Decoders follow EIP-8: extra list elements and bytes after the list are ignored.
 */
import { DecodeError } from '@parley/interfaces'
import { asBytes, asList, decodePrefix, encode, type RlpValue, toNumber } from '@parley/rlp'

/** The p2p version this codec speaks: 5 turns on Snappy (EIP-706). */
export const P2P_VERSION = 5
/** The base protocol reserves 16 ids; capabilities start at 0x10. */
export const BASE_PROTOCOL_LENGTH = 16

export const P2P_MESSAGE = { hello: 0x00, disconnect: 0x01, ping: 0x02, pong: 0x03 } as const

export interface CapabilityName {
  name: string
  version: number
}

export interface Hello {
  protocolVersion: number
  clientId: string
  capabilities: CapabilityName[]
  listenPort: number
  /** 64-byte public key, no 0x04 prefix */
  nodeId: Uint8Array
  /** elements after nodeId, ignored */
  rest: RlpValue[]
}

const utf8 = new TextEncoder()
const text = new TextDecoder()

export function encodeHello(hello: Omit<Hello, 'rest'> & { rest?: RlpValue[] }): Uint8Array {
  return encode([
    hello.protocolVersion,
    utf8.encode(hello.clientId),
    hello.capabilities.map((cap) => [utf8.encode(cap.name), cap.version]),
    hello.listenPort,
    hello.nodeId,
    ...(hello.rest ?? []),
  ])
}

export function decodeHello(data: Uint8Array): Hello {
  const fields = asList(decodePrefix(data).value, 'hello')
  if (fields.length < 5) throw new DecodeError(`hello has ${fields.length} elements, needs at least 5`)
  const nodeId = asBytes(fields[4], 'hello node id')
  if (nodeId.length !== 64) throw new DecodeError(`hello node id must be 64 bytes, got ${nodeId.length}`)
  return {
    protocolVersion: toNumber(fields[0], 7, 'hello version'),
    clientId: text.decode(asBytes(fields[1], 'hello client id')),
    capabilities: asList(fields[2], 'hello capabilities').map((item) => {
      // go-ethereum's Cap is a struct of two fields; extra elements would fail there too.
      const cap = asList(item, 'capability')
      if (cap.length !== 2) throw new DecodeError(`capability has ${cap.length} elements, needs 2`)
      return {
        name: text.decode(asBytes(cap[0], 'capability name')),
        version: toNumber(cap[1], 7, 'capability version'),
      }
    }),
    listenPort: toNumber(fields[3], 7, 'hello listen port'),
    nodeId,
    rest: fields.slice(5),
  }
}

/** Disconnect reasons, as go-ethereum names them (p2p/peer_error.go). */
export const DISCONNECT_REASONS = {
  requested: 0x00,
  networkError: 0x01,
  protocolError: 0x02,
  uselessPeer: 0x03,
  tooManyPeers: 0x04,
  alreadyConnected: 0x05,
  incompatibleVersion: 0x06,
  invalidIdentity: 0x07,
  quitting: 0x08,
  unexpectedIdentity: 0x09,
  self: 0x0a,
  readTimeout: 0x0b,
  subprotocolError: 0x10,
} as const

const REASON_TEXT: Readonly<Record<number, string>> = {
  0: 'disconnect requested',
  1: 'network error',
  2: 'breach of protocol',
  3: 'useless peer',
  4: 'too many peers',
  5: 'already connected',
  6: 'incompatible p2p protocol version',
  7: 'invalid node identity',
  8: 'client quitting',
  9: 'unexpected identity',
  10: 'connected to self',
  11: 'read timeout',
  16: 'subprotocol error',
}

/** A readable text for a reason code; unknown codes read as `unknown disconnect reason N`. */
export function disconnectReasonText(reason: number): string {
  return REASON_TEXT[reason] ?? `unknown disconnect reason ${reason}`
}

export function encodeDisconnect(reason: number): Uint8Array {
  return encode([reason])
}

/** Accepts `[reason, ...]` or a bare reason. */
export function decodeDisconnect(data: Uint8Array): number {
  const { value } = decodePrefix(data)
  if (Array.isArray(value)) {
    if (value.length === 0) throw new DecodeError('disconnect list is empty')
    return toNumber(value[0], 1, 'disconnect reason')
  }
  return toNumber(value, 1, 'disconnect reason')
}

const EMPTY_LIST = Uint8Array.of(0xc0)

/** Ping and Pong carry an empty list; receivers ignore the content. */
export function encodePing(): Uint8Array {
  return EMPTY_LIST
}

export function encodePong(): Uint8Array {
  return EMPTY_LIST
}
