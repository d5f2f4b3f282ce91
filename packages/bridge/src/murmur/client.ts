/**
 * A Whisper client on libp2p only (murmur's browser node): it reaches the devp2p Whisper network
 * through bridges that run `whisperOverLibp2pServer`. `post` seals an envelope with PoW exactly as a
 * Whisper node does and sends it to every connected bridge; `subscribe` takes 4-byte topics; and
 * `requestHistory` sends a mailserver request envelope (sealed as for devp2p's 126) to a bridge, which
 * has a devp2p mailserver answer it.
 */
import { bytesToHex } from '@parley/crypto'
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  type Envelope,
  envelopeHash,
  hexToTopic,
  sealEnvelope,
  topicToHex,
} from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  type Counter,
  type Libp2pHost,
  type Logger,
  type MessageFilter,
  NotFoundError,
  NotStartedError,
  type PrivacyMessage,
  type PrivacyProtocol,
  type PrivacyProtocolEvents,
  type ReceivedMessage,
  type Subscription,
  TimeoutError,
  TypedEventEmitter,
} from '@parley/interfaces'
import { SeenCache } from '../seen-cache.ts'
import { type DuplexStream, FrameWriter } from './framed-stream.ts'
import { encodeFrame, type Frame, FrameCode, MURMUR_PROTOCOL, receiveFrames } from './frames.ts'

export interface WhisperOverLibp2pInit {
  /** bridges (multiaddrs ending in `/p2p/<id>`) to connect to at start */
  bridges?: readonly string[]
  /** PoW `post` seals with when the message names none; default 0.002 (Status) */
  minPow?: number
  /** TTL, seconds, when the message names none; default 50 */
  ttl?: number
  /** largest frame accepted, bytes; default 1 MiB + 64 KiB */
  maxFrameSize?: number
}

export interface WhisperOverLibp2pComponents {
  host: Pick<Libp2pHost, 'dialProtocol'>
  logger: Logger
  frames: Counter
}

export interface HistoryRequestOptions extends AbortOptions {
  /** the bridge to ask (its peer id); default the first connected */
  bridge?: string
  /** ms to wait for the request-complete; default 10 000 */
  timeoutMs?: number
  /** each envelope of the answer, as RLP-decoded */
  onEnvelope?: (envelope: Envelope) => void
}

export interface HistoryAnswer {
  /** envelopes the mailserver sent for this request */
  envelopes: number
  /** the request-complete payload (status-go's `requestId ‖ lastEnvelopeHash ‖ cursor`) */
  complete: Uint8Array
}

interface Session {
  peer: string
  writer: FrameWriter
}

interface PendingHistory {
  /** the bridge asked: only its answer counts */
  session: Session
  requestId: string
  options: HistoryRequestOptions
  envelopes: number
  resolve: (complete: Uint8Array) => void
}

interface Listener {
  topics: ReadonlySet<string>
  allowP2P: boolean
  handler: (message: ReceivedMessage) => void
}

export class WhisperOverLibp2p extends TypedEventEmitter<PrivacyProtocolEvents> implements PrivacyProtocol {
  readonly protocol = 'shh/6'
  readonly #components: WhisperOverLibp2pComponents
  readonly #init: WhisperOverLibp2pInit
  readonly #sessions = new Map<string, Session>()
  readonly #listeners = new Set<Listener>()
  readonly #seen = new SeenCache(10_000, 10 * 60_000)
  #pending: PendingHistory | undefined
  #history: Promise<unknown> = Promise.resolve()
  /** aborted at stop, ending any history request in flight */
  #running = new AbortController()
  #started = false

  constructor(components: WhisperOverLibp2pComponents, init: WhisperOverLibp2pInit = {}) {
    super()
    this.#components = components
    this.#init = init
  }

  isStarted(): boolean {
    return this.#started
  }

  /** Connects to `init.bridges`; when one cannot be reached, start fails and leaves it stopped. */
  async start(options?: AbortOptions): Promise<void> {
    if (options?.signal?.aborted === true) throw new AbortError('whisper over libp2p start aborted')
    if (this.#started) return
    this.#running = new AbortController()
    this.#started = true
    try {
      for (const bridge of this.#init.bridges ?? []) await this.connect(bridge, options)
    } catch (error) {
      await this.stop()
      throw error
    }
  }

  async stop(): Promise<void> {
    this.#started = false
    this.#running.abort(new NotStartedError('whisper over libp2p stopped'))
    for (const session of this.#sessions.values()) session.writer.close()
    this.#sessions.clear()
    this.#seen.clear()
  }

  /** Peer ids of the bridges connected. */
  bridges(): string[] {
    return [...this.#sessions.keys()]
  }

  /** Opens Whisper over libp2p to a bridge (a multiaddr ending in `/p2p/<id>`, or a connected peer id). */
  async connect(bridge: string, options?: AbortOptions): Promise<string> {
    if (!this.#started) throw new NotStartedError('whisper over libp2p is not started')
    const stream = (await this.#components.host.dialProtocol(
      bridge,
      MURMUR_PROTOCOL,
      options,
    )) as DuplexStream
    const peer = /\/p2p\/([^/]+)$/.exec(bridge)?.[1] ?? bridge
    const session: Session = { peer, writer: new FrameWriter(stream) }
    this.#sessions.get(peer)?.writer.close()
    this.#sessions.set(peer, session)
    void this.#read(session, stream)
    return peer
  }

  async post(message: PrivacyMessage, options?: AbortOptions): Promise<string> {
    if (this.#sessions.size === 0) throw new NotFoundError('whisper over libp2p: no bridge connected')
    const envelope = await sealEnvelope(
      {
        topic: hexToTopic(message.topic),
        data: message.payload,
        ttl: message.ttl ?? this.#init.ttl ?? 50,
        pow: message.pow ?? this.#init.minPow ?? 0.002,
      },
      { signal: options?.signal },
    )
    const frame = encodeFrame({ code: FrameCode.messages, envelopes: [envelope] })
    for (const session of this.#sessions.values()) session.writer.write(frame)
    return `0x${bytesToHex(envelopeHash(envelope))}`
  }

  async subscribe(
    filter: MessageFilter,
    handler: (message: ReceivedMessage) => void,
    options?: AbortOptions,
  ): Promise<Subscription> {
    if (options?.signal?.aborted === true) throw new AbortError('subscribe aborted')
    const listener = {
      topics: new Set(filter.topics.map((topic) => topicToHex(hexToTopic(topic)))),
      allowP2P: filter.allowP2P === true,
      handler,
    }
    this.#listeners.add(listener)
    return { unsubscribe: async () => void this.#listeners.delete(listener) }
  }

  /**
   * Sends a mailserver request envelope (the one devp2p's p2p request, 126, carries) to a bridge and
   * collects the envelopes its mailserver sends back (delivered to `allowP2P` subscriptions too) until
   * the request-complete. One request at a time; `TimeoutError`, `AbortError`, `NotFoundError`.
   */
  requestHistory(request: Envelope, options: HistoryRequestOptions = {}): Promise<HistoryAnswer> {
    const run = this.#history.then(() => this.#request(request, options))
    this.#history = run.catch(() => undefined)
    return run
  }

  async #request(request: Envelope, options: HistoryRequestOptions): Promise<HistoryAnswer> {
    const session =
      options.bridge === undefined ? this.#sessions.values().next().value : this.#sessions.get(options.bridge)
    if (session === undefined) throw new NotFoundError('whisper over libp2p: no such bridge connected')
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000)
    const signals = [timeout, this.#running.signal, ...(options.signal === undefined ? [] : [options.signal])]
    const signal = AbortSignal.any(signals)
    const pending: PendingHistory = {
      session,
      requestId: bytesToHex(envelopeHash(request)),
      options,
      envelopes: 0,
      resolve: () => undefined,
    }
    try {
      const complete = await new Promise<Uint8Array>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason)
        signal.addEventListener('abort', () => reject(signal.reason), { once: true })
        pending.resolve = resolve
        this.#pending = pending
        session.writer.write(encodeFrame({ code: FrameCode.p2pRequest, request }))
      })
      return { envelopes: pending.envelopes, complete }
    } catch (error) {
      if (timeout.aborted) throw new TimeoutError('history request: no request-complete in time')
      throw new AbortError('history request aborted', { cause: error })
    } finally {
      if (this.#pending === pending) this.#pending = undefined
    }
  }

  async #read(session: Session, stream: DuplexStream): Promise<void> {
    try {
      await receiveFrames(
        stream,
        this.#init.maxFrameSize ?? DEFAULT_MAX_MESSAGE_SIZE + 65_536,
        (frame) => this.#onFrame(session, frame),
        (result) => this.#count(result),
      )
    } finally {
      if (this.#sessions.get(session.peer) === session) this.#sessions.delete(session.peer)
    }
  }

  #onFrame(session: Session, frame: Frame): void {
    if (frame.code === FrameCode.messages) {
      for (const envelope of frame.envelopes) this.#deliver(envelope, session.peer, false)
    } else if (frame.code === FrameCode.p2pMessage) {
      const pending = this.#pending
      if (pending?.session !== session) {
        this.#count('unexpected')
        return
      }
      for (const envelope of frame.envelopes) {
        pending.envelopes += 1
        pending.options.onEnvelope?.(envelope)
        this.#deliver(envelope, session.peer, true)
      }
    } else if (frame.code === FrameCode.requestComplete) {
      const pending = this.#pending
      if (pending?.session !== session || bytesToHex(frame.payload.subarray(0, 32)) !== pending.requestId) {
        this.#count('unexpected')
        return
      }
      pending.resolve(frame.payload)
    } else this.#count('unexpected')
  }

  #deliver(envelope: Envelope, from: string, p2p: boolean): void {
    const hash = bytesToHex(envelopeHash(envelope))
    if (!this.#seen.add(hash, Date.now())) {
      this.#count('duplicate')
      return
    }
    this.#count('accepted')
    const message: ReceivedMessage = {
      topic: topicToHex(envelope.topic),
      payload: envelope.data,
      ttl: envelope.ttl,
      hash: `0x${hash}`,
      timestamp: (envelope.expiry - envelope.ttl) * 1000,
      from,
      ...(p2p ? { p2p } : {}),
    }
    if (!p2p) this.safeDispatchEvent('message:received', message)
    for (const listener of this.#listeners)
      if (listener.topics.has(message.topic) && (!p2p || listener.allowP2P)) {
        try {
          listener.handler(message)
        } catch (error) {
          this.#components.logger.warn('a subscription handler threw: %s', error)
        }
      }
  }

  #count(result: string): void {
    this.#components.frames.inc({ side: 'client', result })
  }
}
