/**
 * The direct packets of `shh/6` and `waku/1` (codes relative to the capability offset): P2P Request
 * (126, one envelope or status-go's bare MessagesRequest, from anyone: a mailserver's history request), P2P Message (127, envelopes) and
 * P2P Request Complete (125), both taken only from peers we trust, as go-ethereum and status-go do;
 * from anyone else they are dropped (counted, `envelope:rejected`), not held against the peer.
 */
import {
  decodeEnvelope,
  decodeP2PMessage,
  decodeP2PRequestComplete,
  type Envelope,
  encodeEnvelope,
  encodeP2PMessages,
  encodeP2PRequestComplete,
  p2pRequestForm,
} from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  InvalidParametersError,
  NotFoundError,
  type V1DirectEvents,
} from '@parley/interfaces'
import type { EnvelopePeers } from './envelope-peers.ts'
import type { WhisperSettings } from './options.ts'
import type { EnvelopePeer } from './peer-state.ts'
import type { EnvelopeRelay } from './relay.ts'

export const P2P_REQUEST_COMPLETE_CODE = 125
export const P2P_REQUEST_CODE = 126
export const P2P_MESSAGE_CODE = 127

/** The RLP list header a list payload adds to its items, at most (a 4-byte length suffices below 4 GiB). */
const LIST_HEADER_MAX = 5

/**
 * How P2P Message (127) travels. `single`: go-ethereum's whisperv6 form, one envelope per packet,
 * which every shh/6 node decodes; we also accept status-im/whisper's list. `list`: status-go's waku/1
 * form, a list of envelopes per packet, the only one it decodes.
 */
export type P2PMessageForm = 'single' | 'list'

export interface DirectPacketsInit<P extends EnvelopePeer> {
  settings: WhisperSettings
  peers: EnvelopePeers<P>
  relay: EnvelopeRelay<P>
  form: P2PMessageForm
  /** `shh/6`, `waku/1`, for errors */
  protocol: string
  emit: <K extends keyof V1DirectEvents & string>(type: K, detail: V1DirectEvents[K]) => void
}

export class DirectPackets<P extends EnvelopePeer> {
  readonly #init: DirectPacketsInit<P>
  readonly #trusted = new Set<string>()

  constructor(init: DirectPacketsInit<P>) {
    this.#init = init
  }

  trust(peerId: string): void {
    this.#trusted.add(normalizePeerId(peerId))
  }

  isTrusted(peerId: string): boolean {
    try {
      return this.#trusted.has(normalizePeerId(peerId))
    } catch {
      return false
    }
  }

  handles(code: number): boolean {
    return code === P2P_REQUEST_CODE || code === P2P_MESSAGE_CODE || code === P2P_REQUEST_COMPLETE_CODE
  }

  /** A 125–127 packet from a ready peer; throws (a violation) when it is undecodable. */
  onPacket(state: P, code: number, payload: Uint8Array): void {
    const peer = state.peer.id
    if (code === P2P_REQUEST_CODE) {
      // An envelope, or status-go's bare MessagesRequest: the mailserver reads either.
      const form = p2pRequestForm(payload)
      this.#init.emit('p2p:request', { peer, payload: payload.slice(), form })
      return
    }
    if (!this.isTrusted(peer)) {
      this.#init.relay.count(
        code === P2P_MESSAGE_CODE ? 'untrusted-p2p-message' : 'untrusted-request-complete',
        state,
      )
      return
    }
    if (code === P2P_MESSAGE_CODE) {
      const envelopes = decodeP2PMessage(payload, { acceptSingle: this.#init.form === 'single' })
      this.#init.relay.onDirect(state, envelopes)
      this.#init.emit('p2p:message', {
        peer,
        envelopes: envelopes.map((envelope) => encodeEnvelope(envelope)),
      })
      return
    }
    this.#init.emit('p2p:request-complete', { peer, payload: decodeP2PRequestComplete(payload) })
  }

  /** `request`: an envelope's RLP, or status-go's bare MessagesRequest RLP. */
  async sendRequest(peerId: string, request: Uint8Array, options?: AbortOptions): Promise<void> {
    const state = this.#ready(peerId)
    if (request.length > this.#init.settings.maxMessageSize) {
      throw new InvalidParametersError(`request over maxMessageSize (${this.#init.settings.maxMessageSize})`)
    }
    try {
      p2pRequestForm(request)
    } catch (error) {
      throw new InvalidParametersError(`not a p2p request: ${(error as Error).message}`)
    }
    await this.#init.peers.sendOrThrow(state, P2P_REQUEST_CODE, request, options)
  }

  async sendMessages(
    peerId: string,
    envelopes: readonly Uint8Array[],
    options?: AbortOptions,
  ): Promise<void> {
    const state = this.#ready(peerId)
    const decoded = envelopes.map((bytes) => this.#envelopeOf(bytes))
    for (const payload of this.#packets(envelopes, decoded)) {
      if (options?.signal?.aborted === true) throw new AbortError('p2p messages aborted')
      await this.#init.peers.sendOrThrow(state, P2P_MESSAGE_CODE, payload, options)
    }
  }

  async sendRequestComplete(peerId: string, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    const state = this.#ready(peerId)
    const packet = encodeP2PRequestComplete(payload)
    if (packet.length > this.#init.settings.maxMessageSize) {
      throw new InvalidParametersError(
        `request complete over maxMessageSize (${this.#init.settings.maxMessageSize})`,
      )
    }
    await this.#init.peers.sendOrThrow(state, P2P_REQUEST_COMPLETE_CODE, packet, options)
  }

  /** One envelope per packet (`single`), or lists that each stay within our max message size. */
  #packets(raw: readonly Uint8Array[], envelopes: readonly Envelope[]): Uint8Array[] {
    if (this.#init.form === 'single') return raw.map((bytes) => bytes.slice())
    const limit = this.#init.settings.maxMessageSize - LIST_HEADER_MAX
    const packets: Uint8Array[] = []
    let batch: Envelope[] = []
    let size = 0
    envelopes.forEach((envelope, index) => {
      const length = raw[index]?.length ?? 0
      if (batch.length > 0 && size + length > limit) {
        packets.push(encodeP2PMessages(batch))
        batch = []
        size = 0
      }
      batch.push(envelope)
      size += length
    })
    if (batch.length > 0) packets.push(encodeP2PMessages(batch))
    return packets
  }

  /** The envelope in these bytes; `InvalidParametersError` unless it is one that fits a packet. */
  #envelopeOf(bytes: Uint8Array): Envelope {
    const limit = this.#init.settings.maxMessageSize - (this.#init.form === 'list' ? LIST_HEADER_MAX : 0)
    if (bytes.length > limit) {
      throw new InvalidParametersError(`envelope of ${bytes.length} bytes over maxMessageSize (${limit})`)
    }
    try {
      return decodeEnvelope(bytes)
    } catch (error) {
      throw new InvalidParametersError(`not an envelope: ${(error as Error).message}`)
    }
  }

  #ready(peerId: string): P {
    const state = this.#init.peers.get(normalizePeerId(peerId))
    if (state === undefined || !state.ready) {
      throw new NotFoundError(
        `no ${this.#init.protocol} peer ${peerId.slice(0, 16)} has completed its Status`,
      )
    }
    return state
  }
}

/**
 * A node id as the host spells it (128 lowercase hex digits), from that, `0x`-prefixed or upper-case
 * hex, or an `enode://` URL. Throws `InvalidParametersError` for anything else.
 */
export function normalizePeerId(peerId: string): string {
  let id = peerId.trim()
  if (id.startsWith('enode://')) id = id.slice('enode://'.length).split('@')[0] ?? ''
  if (id.startsWith('0x') || id.startsWith('0X')) id = id.slice(2)
  id = id.toLowerCase()
  if (!/^[0-9a-f]{128}$/.test(id)) throw new InvalidParametersError(`not a devp2p node id: ${peerId}`)
  return id
}
