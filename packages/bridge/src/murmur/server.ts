/**
 * The bridge node's end of Whisper over libp2p: libp2p clients open `/parley/shh/6/1.0.0` to it and
 * exchange devp2p Whisper packets as frames (`frames.ts`). Envelopes a client sends are validated as
 * a Whisper node would (`validateEnvelope`), passed to the other clients and announced to the
 * bridge (`onEnvelope`), which carries them to the devp2p side. A client's history request (126) goes,
 * unchanged, to a devp2p mailserver as this node's p2p request; the mailserver's envelopes (127) and
 * its request-complete (125) come back to that client. One request per mailserver is in flight at a
 * time, so what the mailserver sends belongs to the request being served.
 */
import { bytesToHex } from '@parley/crypto'
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  envelopeHash,
  hexToTopic,
  sealEnvelope,
  validateEnvelope,
} from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  type Counter,
  type Libp2pHost,
  type Logger,
  type PrivacyMessage,
  type Startable,
  type V1DirectEvents,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import { SeenCache } from '../seen-cache.ts'
import { type DuplexStream, FrameWriter } from './framed-stream.ts'
import { encodeFrame, type Frame, FrameCode, MURMUR_PROTOCOL, receiveFrames } from './frames.ts'

export interface MurmurServerInit {
  /** devp2p mailservers (enode URLs or node ids) that answer clients' history requests, in order of preference */
  mailservers?: readonly string[]
  /** largest frame accepted, bytes; default 1 MiB + 64 KiB (one envelope of Whisper's largest size) */
  maxFrameSize?: number
  /** ms to wait for a mailserver's request-complete; default 10 000 */
  requestTimeoutMs?: number
}

export interface MurmurServerComponents {
  host: Pick<Libp2pHost, 'handle' | 'unhandle'>
  whisper: V1PrivacyProtocol
  logger: Logger
  /** `result`: `accepted`, `malformed`, `oversize`, a `validateEnvelope` rejection, `duplicate`, … */
  frames: Counter
}

export type EnvelopeListener = (envelope: Uint8Array, from: string) => void

interface Session {
  peer: string
  writer: FrameWriter
}

const SEEN_TTL_MS = 10 * 60_000

export class MurmurServer implements Startable {
  readonly protocol = MURMUR_PROTOCOL
  readonly #components: MurmurServerComponents
  readonly #mailservers: string[]
  readonly #maxFrameSize: number
  readonly #requestTimeoutMs: number
  readonly #sessions = new Set<Session>()
  readonly #listeners = new Set<EnvelopeListener>()
  readonly #seen = new SeenCache(10_000, SEEN_TTL_MS)
  #history: Promise<void> = Promise.resolve()
  #started = false

  constructor(components: MurmurServerComponents, init: MurmurServerInit = {}) {
    this.#components = components
    this.#mailservers = (init.mailservers ?? []).map(nodeIdOf)
    this.#maxFrameSize = init.maxFrameSize ?? DEFAULT_MAX_MESSAGE_SIZE + 64 * 1024
    this.#requestTimeoutMs = init.requestTimeoutMs ?? 10_000
  }

  get minPow(): number {
    return this.#components.whisper.minPow
  }

  get maxMessageSize(): number {
    return this.#components.whisper.maxMessageSize
  }

  /** Connected clients' peer ids (one per open stream). */
  clients(): string[] {
    return [...this.#sessions].map((session) => session.peer)
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(options?: AbortOptions): Promise<void> {
    if (options?.signal?.aborted === true) throw new AbortError('whisper over libp2p server start aborted')
    if (this.#started) return
    for (const mailserver of this.#mailservers) this.#components.whisper.markTrustedPeer(mailserver)
    await this.#components.host.handle(MURMUR_PROTOCOL, (stream, peer) =>
      this.#serve(stream as DuplexStream, peer),
    )
    this.#started = true
  }

  async stop(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    await this.#components.host.unhandle(MURMUR_PROTOCOL)
    for (const session of this.#sessions) session.writer.close()
    this.#sessions.clear()
    this.#seen.clear()
  }

  /** Calls `listener` with every new valid envelope a client sent (not those relayed to clients). */
  onEnvelope(listener: EnvelopeListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Sends an envelope (its RLP) to every client unchanged; resolves with its hash. */
  relay(envelope: Uint8Array): string {
    const decoded = decodeEnvelope(envelope)
    const hash = bytesToHex(envelopeHash(decoded))
    if (this.#seen.add(hash, Date.now())) this.#broadcast(decoded, undefined)
    return `0x${hash}`
  }

  /** Seals `message` as Whisper does (PoW `message.pow`, TTL `message.ttl`) and sends it to every client. */
  async post(message: PrivacyMessage, options?: AbortOptions): Promise<string> {
    const envelope = await sealEnvelope(
      {
        topic: hexToTopic(message.topic),
        data: message.payload,
        ttl: message.ttl ?? 50,
        pow: message.pow ?? this.minPow,
      },
      { signal: options?.signal },
    )
    return this.relay(encodeEnvelope(envelope))
  }

  async #serve(stream: DuplexStream, peer: string): Promise<void> {
    const session: Session = { peer, writer: new FrameWriter(stream) }
    this.#sessions.add(session)
    try {
      await receiveFrames(
        stream,
        this.#maxFrameSize,
        (frame) => this.#onFrame(session, frame),
        (result) => this.#count(result),
      )
    } finally {
      this.#sessions.delete(session)
      session.writer.close()
    }
  }

  #onFrame(session: Session, frame: Frame): void {
    if (frame.code === FrameCode.messages) {
      for (const envelope of frame.envelopes) this.#fromClient(session, envelope)
    } else if (frame.code === FrameCode.p2pRequest) {
      this.#history = this.#history.then(() => this.#askMailserver(session, frame.request))
    } else this.#count('unexpected')
  }

  #fromClient(session: Session, envelope: Envelope): void {
    const verdict = validateEnvelope(envelope, { minPow: this.minPow, maxSize: this.maxMessageSize })
    if (!verdict.ok) {
      this.#count(verdict.reason)
      return
    }
    const hash = bytesToHex(envelopeHash(envelope))
    if (!this.#seen.add(hash, Date.now())) {
      this.#count('duplicate')
      return
    }
    this.#count('accepted')
    this.#broadcast(envelope, session)
    const bytes = encodeEnvelope(envelope)
    for (const listener of this.#listeners) {
      try {
        listener(bytes, session.peer)
      } catch (error) {
        this.#components.logger.warn('an envelope listener threw: %s', error)
      }
    }
  }

  #broadcast(envelope: Envelope, except: Session | undefined): void {
    const frame = encodeFrame({ code: FrameCode.messages, envelopes: [envelope] })
    for (const session of this.#sessions) if (session !== except) session.writer.write(frame)
  }

  /** Forwards one history request and streams the answer back; never rejects. */
  async #askMailserver(session: Session, request: Envelope): Promise<void> {
    const { whisper, logger } = this.#components
    const ready = new Set(whisper.readyPeers())
    const mailserver = this.#mailservers.find((id) => ready.has(id))
    if (mailserver === undefined || !this.#sessions.has(session)) {
      this.#count('no-mailserver')
      return
    }
    const requestId = envelopeHash(request)
    const requestHex = bytesToHex(requestId)
    const done = new AbortController()
    const onMessages = ({ detail }: CustomEvent<V1DirectEvents['p2p:message']>): void => {
      if (detail.peer !== mailserver) return
      const envelopes = detail.envelopes.map((bytes) => decodeEnvelope(bytes))
      session.writer.write(encodeFrame({ code: FrameCode.p2pMessage, envelopes }))
    }
    const onComplete = ({ detail }: CustomEvent<V1DirectEvents['p2p:request-complete']>): void => {
      if (detail.peer !== mailserver || bytesToHex(detail.payload.subarray(0, 32)) !== requestHex) return
      session.writer.write(encodeFrame({ code: FrameCode.requestComplete, payload: detail.payload }))
      done.abort()
    }
    whisper.addEventListener('p2p:message', onMessages)
    whisper.addEventListener('p2p:request-complete', onComplete)
    const timer = setTimeout(() => {
      this.#count('history-timeout')
      done.abort()
    }, this.#requestTimeoutMs)
    try {
      await whisper.sendP2PRequest(mailserver, encodeEnvelope(request))
      this.#count('history-request')
      await new Promise<void>((resolve) => {
        if (done.signal.aborted) resolve()
        else done.signal.addEventListener('abort', () => resolve(), { once: true })
      })
    } catch (error) {
      logger.warn('history request to %s failed: %s', mailserver, error)
      this.#count('history-failed')
    } finally {
      clearTimeout(timer)
      whisper.removeEventListener('p2p:message', onMessages)
      whisper.removeEventListener('p2p:request-complete', onComplete)
    }
  }

  #count(result: string): void {
    this.#components.frames.inc({ side: 'server', result })
  }
}

/** A node id from an enode URL (`enode://<id>@host:port`) or a bare id. */
export function nodeIdOf(mailserver: string): string {
  const match = /^enode:\/\/([0-9a-fA-F]{128})@/.exec(mailserver)
  return (match?.[1] ?? mailserver).toLowerCase()
}
