/**
 * One RLPx connection over a TCP socket: the handshake, the Hello exchange, then capability
 * messages, with go-ethereum's timers (5 s per handshake phase, a Ping every 15 s, 30 s without
 * any frame ends the session). The protocol rules live in `P2pSession`; this file only moves
 * bytes and keeps time.
 */
import type { Socket } from 'node:net'
import { bytesToHex } from '@parley/crypto'
import type { AbortOptions, Secp256k1Provider } from '@parley/interfaces'
import { AbortError, DecodeError, InvalidParametersError, TimeoutError } from '@parley/interfaces'
import type { LocalCapability, SharedCapability } from '../capabilities.ts'
import { FrameCoder } from '../frame/codec.ts'
import { Initiator, Recipient } from '../handshake/handshake.ts'
import { type Secrets, withoutPrefix } from '../handshake/secrets.ts'
import { DISCONNECT_REASONS, disconnectReasonText, type Hello } from '../p2p/messages.ts'
import { P2pSession, type SessionEvent } from '../p2p/session.ts'
import { readHandshake, type SocketReader, socketReader } from './socket-reader.ts'

export interface RlpxConnectionOptions {
  secp: Secp256k1Provider
  privateKey: Uint8Array
  clientId: string
  listenPort: number
  capabilities: readonly LocalCapability[]
  /** Per handshake phase (auth/ack, then Hello). Default 5000 ms. */
  handshakeTimeoutMs?: number
  /** Ping interval. Default 15000 ms. */
  pingIntervalMs?: number
  /** The session ends when no frame arrives for this long. Default 30000 ms. */
  readTimeoutMs?: number
  allowLegacy?: boolean
  /** A capability message; `code` is relative to the capability. */
  onMessage?: (capability: SharedCapability, code: number, data: Uint8Array) => void
  /** Called once when the session ends, whoever ended it. */
  onClose?: (reason: number, remote: boolean, error?: Error) => void
}

export class RlpxConnection {
  readonly remoteId: string
  readonly hello: Hello
  readonly shared: readonly SharedCapability[]
  readonly #socket: Socket
  readonly #session: P2pSession
  readonly #options: RlpxConnectionOptions
  readonly #reader: SocketReader
  #pingTimer: ReturnType<typeof setInterval> | undefined
  #readTimer: ReturnType<typeof setTimeout> | undefined
  #closed = false

  private constructor(
    socket: Socket,
    session: P2pSession,
    hello: Hello,
    reader: SocketReader,
    options: RlpxConnectionOptions,
  ) {
    this.#socket = socket
    this.#session = session
    this.#options = options
    this.#reader = reader
    this.hello = hello
    this.shared = session.shared ?? []
    this.remoteId = bytesToHex(hello.nodeId)
  }

  /** Dials out on a connected socket: we send auth. `remotePublicKey` comes from the enode URL. */
  static dial(
    socket: Socket,
    remotePublicKey: Uint8Array,
    options: RlpxConnectionOptions,
    abort: AbortOptions = {},
  ): Promise<RlpxConnection> {
    return RlpxConnection.#open(socket, remotePublicKey, options, abort)
  }

  /** Takes an inbound socket: the remote sends auth. */
  static accept(
    socket: Socket,
    options: RlpxConnectionOptions,
    abort: AbortOptions = {},
  ): Promise<RlpxConnection> {
    return RlpxConnection.#open(socket, undefined, options, abort)
  }

  static async #open(
    socket: Socket,
    remotePublicKey: Uint8Array | undefined,
    options: RlpxConnectionOptions,
    abort: AbortOptions,
  ): Promise<RlpxConnection> {
    const timeout = options.handshakeTimeoutMs ?? 5000
    const reader = socketReader(socket, abort.signal)
    try {
      const handshake = {
        secp: options.secp,
        privateKey: options.privateKey,
        allowLegacy: options.allowLegacy ?? false,
      }
      let secrets: Secrets
      let rest: Uint8Array
      if (remotePublicKey !== undefined) {
        const initiator = new Initiator({ ...handshake, remotePublicKey })
        socket.write(initiator.makeAuth())
        const ack = await readHandshake(reader, 'ack', handshake.allowLegacy, timeout)
        secrets = initiator.readAck(ack.packet)
        rest = ack.rest
      } else {
        const recipient = new Recipient(handshake)
        const auth = await readHandshake(reader, 'auth', handshake.allowLegacy, timeout)
        recipient.readAuth(auth.packet)
        socket.write(recipient.makeAck())
        secrets = recipient.secrets()
        rest = auth.rest
      }
      const session = new P2pSession({
        frames: new FrameCoder(secrets),
        remotePublicKey: secrets.remotePublicKey,
        localPublicKey: withoutPrefix(options.secp.getPublicKey(options.privateKey, false)),
        clientId: options.clientId,
        listenPort: options.listenPort,
        capabilities: options.capabilities,
      })
      socket.write(session.hello())
      const { hello, early } = await exchangeHello(session, socket, reader, rest, timeout)
      const connection = new RlpxConnection(socket, session, hello, reader, options)
      connection.#run(early)
      return connection
    } catch (error) {
      reader.stop()
      socket.destroy()
      throw error
    }
  }

  /** Sends `data` as `code` of a shared capability; resolves once the socket has taken it. */
  async send(
    capabilityName: string,
    code: number,
    data: Uint8Array,
    options: AbortOptions = {},
  ): Promise<void> {
    if (this.#closed) throw new InvalidParametersError('the connection is closed')
    if (options.signal?.aborted) throw new AbortError()
    const frame = this.#session.send(capabilityName, code, data)
    await new Promise<void>((resolve, reject) => {
      this.#socket.write(frame, (error) => (error ? reject(error) : resolve()))
    })
  }

  /** Sends Disconnect and closes the socket. */
  disconnect(reason: number = DISCONNECT_REASONS.requested): void {
    if (this.#closed) return
    this.#socket.end(this.#session.disconnect(reason))
    this.#close(reason, false)
  }

  #run(early: SessionEvent[]): void {
    const pingInterval = this.#options.pingIntervalMs ?? 15_000
    this.#pingTimer = setInterval(() => {
      if (!this.#closed) this.#socket.write(this.#session.ping())
    }, pingInterval)
    this.#pingTimer.unref?.()
    this.#armReadTimer()
    this.#reader.listen(
      (chunk) => {
        this.#armReadTimer()
        const { events, send } = this.#session.receive(chunk)
        for (const bytes of send) this.#socket.write(bytes)
        this.#deliver(events)
      },
      () => this.#close(DISCONNECT_REASONS.networkError, true, new DecodeError('the socket closed')),
    )
    // Messages that arrived with the Hello are delivered once the caller holds the connection.
    queueMicrotask(() => this.#deliver(early))
  }

  #deliver(events: SessionEvent[]): void {
    for (const event of events) {
      if (this.#closed) return
      if (event.type === 'message') this.#options.onMessage?.(event.capability, event.code, event.data)
      else if (event.type === 'disconnect') {
        // A Disconnect of ours is already in the `send` bytes written before this.
        this.#socket.end()
        this.#close(event.reason, event.remote, event.error)
      }
    }
  }

  #armReadTimer(): void {
    clearTimeout(this.#readTimer)
    this.#readTimer = setTimeout(() => {
      if (this.#closed) return
      this.#socket.end(this.#session.disconnect(DISCONNECT_REASONS.readTimeout))
      this.#close(DISCONNECT_REASONS.readTimeout, false, new TimeoutError('no frame within the read timeout'))
    }, this.#options.readTimeoutMs ?? 30_000)
    this.#readTimer.unref?.()
  }

  #close(reason: number, remote: boolean, error?: Error): void {
    if (this.#closed) return
    this.#closed = true
    clearInterval(this.#pingTimer)
    clearTimeout(this.#readTimer)
    this.#reader.stop()
    this.#options.onClose?.(reason, remote, error)
  }
}

async function exchangeHello(
  session: P2pSession,
  socket: Socket,
  reader: SocketReader,
  first: Uint8Array,
  timeoutMs: number,
): Promise<{ hello: Hello; early: SessionEvent[] }> {
  let chunk: Uint8Array | undefined = first
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { events, send } = session.receive(chunk)
    for (const bytes of send) socket.write(bytes)
    const index = events.findIndex((event) => event.type === 'hello' || event.type === 'disconnect')
    const decisive = events[index]
    if (decisive?.type === 'hello') return { hello: decisive.hello, early: events.slice(index + 1) }
    if (decisive?.type === 'disconnect')
      throw (
        decisive.error ??
        new DecodeError(`peer disconnected during Hello: ${disconnectReasonText(decisive.reason)}`)
      )
    chunk = await reader.next(deadline - Date.now())
  }
}
