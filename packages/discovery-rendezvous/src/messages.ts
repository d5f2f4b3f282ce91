/**
 * The status-im/rendezvous protocol (`/rend/0.1.0`), not libp2p rendezvous. Type numbers start at 1:
 * in the Go const block `VERSION` comes first, so `REGISTER MessageType = iota` is 1.
 */
export const RENDEZVOUS_PROTOCOL = '/rend/0.1.0'

export const MessageType = {
  REGISTER: 1,
  REGISTER_RESPONSE: 2,
  DISCOVER: 3,
  DISCOVER_RESPONSE: 4,
  REMOTEIP: 5,
  REMOTEIP_RESPONSE: 6,
} as const
export type MessageTypeNumber = (typeof MessageType)[keyof typeof MessageType]

export const Status = {
  OK: 0,
  E_INVALID_NAMESPACE: 100,
  E_INVALID_ENR: 101,
  E_INVALID_TTL: 102,
  E_INVALID_LIMIT: 103,
  E_INVALID_CONTENT: 104,
  E_NOT_AUTHORIZED: 200,
  E_INTERNAL_ERROR: 300,
} as const

/** Topics are Go strings, i.e. raw bytes; `topicBytes('whisper')` makes one from text. */
export interface RegisterMessage {
  type: typeof MessageType.REGISTER
  topic: Uint8Array
  /** the signed ENR as its RLP encoding (embedded in the body as a list, not a byte string) */
  record: Uint8Array
  /** time to live in nanoseconds (Go `time.Duration`) */
  ttlNs: bigint
}

export interface RegisterResponseMessage {
  type: typeof MessageType.REGISTER_RESPONSE
  status: number
  message: string
}

export interface DiscoverMessage {
  type: typeof MessageType.DISCOVER
  limit: number
  topic: Uint8Array
}

export interface DiscoverResponseMessage {
  type: typeof MessageType.DISCOVER_RESPONSE
  status: number
  message: string
  /** ENRs as RLP encodings */
  records: Uint8Array[]
}

/** Asks the server for the caller's address as it sees it; has no body. */
export interface RemoteIpMessage {
  type: typeof MessageType.REMOTEIP
}

export interface RemoteIpResponseMessage {
  type: typeof MessageType.REMOTEIP_RESPONSE
  status: number
  ip: string
}

export type RendezvousRequest = RegisterMessage | DiscoverMessage | RemoteIpMessage
export type RendezvousResponse = RegisterResponseMessage | DiscoverResponseMessage | RemoteIpResponseMessage
export type RendezvousMessage = RendezvousRequest | RendezvousResponse

export function topicBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}
