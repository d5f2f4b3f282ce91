import type { AbortOptions } from './abort.ts'
import type { TypedEventTarget } from './events.ts'
import type { Startable } from './startable.ts'

/**
 * A message as a transport-privacy protocol (Whisper v6, Waku v1, Waku v2) carries it. `payload`
 * is the already-encoded payload (for example a version-1 encrypted payload); encryption is the
 * envelope codec's job, not the protocol's.
 */
export interface PrivacyMessage {
  /** 4-byte topic (hex) for Whisper/Waku v1, content topic for Waku v2 */
  topic: string
  payload: Uint8Array
  /** seconds to live (v1) — ignored by Waku v2 */
  ttl?: number
  /** minimum proof of work to seal with (v1) */
  pow?: number
  /** Waku v2 only */
  pubsubTopic?: string
  ephemeral?: boolean
  /** Waku v2: the payload version (1 for a 26/WAKU2-PAYLOAD encrypted payload); v1 protocols ignore it */
  version?: number
}

export interface ReceivedMessage extends PrivacyMessage {
  /** protocol-specific message hash, hex */
  hash: string
  /** unix milliseconds at which the sender created it */
  timestamp: number
  /** peer that relayed it to us, if known */
  from?: string
  /** true when it arrived as a direct p2p message (code 127) rather than relayed */
  p2p?: boolean
  /** Waku v2: the message's `meta` field */
  meta?: Uint8Array
}

export interface MessageFilter {
  topics: string[]
  pubsubTopic?: string
  /**
   * Also deliver envelopes that a trusted peer sent directly (devp2p p2p message, code 127), such
   * as a mailserver's history. geth's and status-go's filters take them only with `AllowP2P`.
   */
  allowP2P?: boolean
}

export interface Subscription {
  unsubscribe(options?: AbortOptions): Promise<void>
}

export interface PrivacyProtocolEvents {
  'message:received': ReceivedMessage
}

export interface PrivacyProtocol extends Startable, TypedEventTarget<PrivacyProtocolEvents> {
  /** `shh/6`, `waku/1`, `waku2` */
  readonly protocol: string
  /** Sends a message; resolves with its hash once handed to the network. */
  post(message: PrivacyMessage, options?: AbortOptions): Promise<string>
  subscribe(
    filter: MessageFilter,
    handler: (message: ReceivedMessage) => void,
    options?: AbortOptions,
  ): Promise<Subscription>
}

/**
 * Direct packets of the devp2p generation, the codes status-go reserves for mailservers:
 * 126 (p2p request, one envelope), 127 (p2p message, envelopes) and 125 (request complete).
 * Envelopes travel as their RLP bytes (decode them with `@parley/envelope`).
 */
export interface V1DirectEvents {
  /**
   * A peer sent us a p2p request (126): for a mailserver, a history request. `payload` is the
   * packet's RLP: an envelope (`form: 'envelope'`, status-go's sealed request) or status-go's bare
   * `MessagesRequest` list (`form: 'messages-request'`), which the protocol tells apart.
   */
  'p2p:request': { peer: string; payload: Uint8Array; form: 'envelope' | 'messages-request' }
  /** A trusted peer sent us envelopes directly (127); they were also delivered to `allowP2P` subscriptions. */
  'p2p:message': { peer: string; envelopes: Uint8Array[] }
  /**
   * A trusted peer sent a request-complete (125): `payload` is status-go's layout
   * (`requestId ‖ lastEnvelopeHash ‖ cursor`) without the RLP string wrapping the protocol removes.
   */
  'p2p:request-complete': { peer: string; payload: Uint8Array }
  /**
   * Every new valid envelope entered the pool, our own posts included, direct (127) ones not: what
   * a mailserver archives (status-go's `MailServer.Archive`). `envelope` is its RLP.
   */
  'envelope:accepted': { envelope: Uint8Array; hash: string; from?: string }
  /**
   * A peer completed the handshake (its Status was accepted): from now on it is in `readyPeers()`
   * and direct packets may be sent to it.
   */
  'peer:ready': { peer: string }
}

export interface V1PrivacyProtocolEvents extends PrivacyProtocolEvents, V1DirectEvents {}

/**
 * Stores new valid envelopes (each as `envelope:accepted` describes it) before the protocol passes
 * them on: see `V1PrivacyProtocol.setArchiver`. Resolve once they are written (a later crash must
 * not lose them); reject to withhold them from the network.
 */
export type V1Archiver = (
  envelopes: ReadonlyArray<V1DirectEvents['envelope:accepted']>,
  options?: AbortOptions,
) => Promise<void>

/**
 * Whisper v6 and Waku v1 (the devp2p generation) also expose their admission settings, which geth's
 * `shh_*` and status-go's `waku_*` APIs change at run time, and the direct packets mailservers use.
 */
export interface V1PrivacyProtocol
  extends Omit<PrivacyProtocol, keyof TypedEventTarget<PrivacyProtocolEvents>>,
    TypedEventTarget<V1PrivacyProtocolEvents> {
  readonly minPow: number
  /** the 64-byte bloom filter this node advertises */
  readonly bloom: Uint8Array
  /** Changes the minimum PoW and tells every peer; the previous value is honoured for a grace period. */
  setMinPow(pow: number, options?: AbortOptions): Promise<void>
  /** Changes the advertised bloom filter and tells every peer; the previous one is honoured for a grace period. */
  setBloomFilter(bloom: Uint8Array, options?: AbortOptions): Promise<void>
  /** ids of peers whose status handshake completed */
  readyPeers(): string[]
  /** Largest envelope accepted (20 + data length), bytes. */
  readonly maxMessageSize: number
  /** Changes the largest envelope accepted and sent; throws `InvalidParametersError` outside 1..(geth's) 10 MiB. */
  setMaxMessageSize(size: number): void
  /**
   * Trusts a connected or future peer (by node id): we accept its expired envelopes and its direct
   * p2p messages (127) and request-complete packets (125), as geth's `MarkPeerTrusted`.
   */
  markTrustedPeer(peerId: string): void
  isTrustedPeer(peerId: string): boolean
  /**
   * Sends a p2p request (126) to one peer, e.g. a mailserver history request: `request` is an
   * envelope's RLP (a sealed request) or status-go's bare `MessagesRequest` RLP. Anything else is
   * refused with `InvalidParametersError`.
   */
  sendP2PRequest(peerId: string, request: Uint8Array, options?: AbortOptions): Promise<void>
  /** Sends envelopes (each RLP) to one peer as a p2p message (127), bypassing the pool: a mailserver's reply. */
  sendP2PMessages(peerId: string, envelopes: readonly Uint8Array[], options?: AbortOptions): Promise<void>
  /** Sends a request-complete (125) payload in status-go's layout; the protocol wraps it as an RLP string. */
  sendP2PRequestComplete(peerId: string, payload: Uint8Array, options?: AbortOptions): Promise<void>
  /**
   * Admits one envelope (its RLP, as it travelled on another network: a bridge's other side) exactly
   * as if a peer had sent it: the same size, time, PoW (this node's minimum), bloom/topic and dedup
   * rules, the archiver if one is registered, then local subscriptions and the peers that want it.
   * The envelope is not re-sealed, so its hash is unchanged; resolves with that hash. A duplicate
   * resolves too, and nothing is sent again. Rejects with `DecodeError` when it does not decode,
   * `VerificationError` naming the rule it breaks (`low-pow`, `expired`, `too-big`, …) when refused,
   * the archiver's error when archiving fails, and `NotStartedError` before start.
   */
  inject(envelope: Uint8Array, options?: AbortOptions): Promise<string>
  /**
   * Optional. Registers the node's one archiver (a mailserver's): from now on every new valid
   * envelope, ours included, is handed to it in batches first, and pooled, delivered, relayed,
   * confirmed and announced (`envelope:accepted`) only once its batch is archived. So a peer never
   * gets from us an envelope our archive could lose in a crash. An envelope whose batch the archiver
   * rejects is dropped, never relayed (and `post` rejects with the archiver's error). Throws
   * `InvalidParametersError` while another archiver is registered; returns the function that
   * unregisters it.
   */
  setArchiver?(archiver: V1Archiver): () => void
}
