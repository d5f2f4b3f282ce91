/**
 * The p2p base protocol of one connection after the RLPx handshake, as a pure state machine: it
 * turns received bytes into events and replies, and outgoing messages into bytes. The TCP layer
 * owns the socket and the timers (ping interval, read and write timeouts); this class owns the
 * protocol rules, as go-ethereum's p2p/peer.go and transport.go apply them:
 *
 * - the first message must be Hello (a Disconnect is also accepted); anything else is a breach;
 * - the Hello's node id must be the key the handshake authenticated;
 * - no shared capability means `uselessPeer`;
 * - Snappy starts after the remote Hello if it says version >= 5, in both directions;
 * - Ping is answered with Pong; other base ids (0x04..0x0f) are ignored;
 * - a message id outside every shared capability is a breach of protocol.
 */
import { equalBytes } from '@parley/crypto'
import {
  DecodeError,
  InvalidParametersError,
  LimitExceededError,
  VerificationError,
} from '@parley/interfaces'
import {
  absoluteMessageCode,
  type LocalCapability,
  matchCapabilities,
  resolveMessageCode,
  type SharedCapability,
} from '../capabilities.ts'
import type { FrameCoder } from '../frame/codec.ts'
import { decodeMessage, encodeMessage } from '../frame/message.ts'
import {
  BASE_PROTOCOL_LENGTH,
  DISCONNECT_REASONS,
  decodeDisconnect,
  decodeHello,
  encodeDisconnect,
  encodeHello,
  encodePing,
  encodePong,
  type Hello,
  P2P_MESSAGE,
  P2P_VERSION,
} from './messages.ts'

export type SessionEvent =
  | { type: 'hello'; hello: Hello; shared: SharedCapability[] }
  | { type: 'message'; capability: SharedCapability; code: number; data: Uint8Array }
  | { type: 'pong' }
  /** The session is over. `remote` says who ended it; `error` is why, when it was a failure here. */
  | { type: 'disconnect'; reason: number; remote: boolean; error?: Error }

export interface SessionOutput {
  events: SessionEvent[]
  /** bytes to write to the socket, in order (replies such as Pong, or a Disconnect) */
  send: Uint8Array[]
}

export interface P2pSessionOptions {
  /** the frame coder built from the handshake secrets */
  frames: FrameCoder
  /** the remote static key the handshake authenticated (64 bytes) */
  remotePublicKey: Uint8Array
  /** this node's key (64 bytes), sent in Hello */
  localPublicKey: Uint8Array
  clientId: string
  listenPort: number
  capabilities: readonly LocalCapability[]
}

interface Failure {
  reason: number
  error: Error
}

const breach = (message: string): Failure => ({
  reason: DISCONNECT_REASONS.protocolError,
  error: new DecodeError(message),
})

export class P2pSession {
  readonly #frames: FrameCoder
  readonly #options: P2pSessionOptions
  #snappy = false
  #shared: SharedCapability[] | undefined
  #closed = false

  constructor(options: P2pSessionOptions) {
    matchCapabilities(options.capabilities, []) // checks the local lengths now rather than at Hello
    this.#frames = options.frames
    this.#options = options
  }

  /** The shared capabilities, once the remote Hello has been read. */
  get shared(): readonly SharedCapability[] | undefined {
    return this.#shared
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Our Hello: the first frame to send. Never compressed. */
  hello(): Uint8Array {
    const hello = encodeHello({
      protocolVersion: P2P_VERSION,
      clientId: this.#options.clientId,
      capabilities: this.#options.capabilities.map(({ name, version }) => ({ name, version })),
      listenPort: this.#options.listenPort,
      nodeId: this.#options.localPublicKey,
    })
    return this.#frames.writeFrame(encodeMessage(P2P_MESSAGE.hello, hello, { snappy: false }))
  }

  /** Sends `data` as `code` of a shared capability (code relative to its offset). */
  send(capabilityName: string, code: number, data: Uint8Array): Uint8Array {
    const capability = this.#shared?.find((cap) => cap.name === capabilityName)
    if (capability === undefined)
      throw new InvalidParametersError(`capability ${capabilityName} is not shared`)
    return this.#write(absoluteMessageCode(capability, code), data)
  }

  ping(): Uint8Array {
    return this.#write(P2P_MESSAGE.ping, encodePing())
  }

  /** The Disconnect frame to send before closing; the session is over afterwards. */
  disconnect(reason: number): Uint8Array {
    const frame = this.#write(P2P_MESSAGE.disconnect, encodeDisconnect(reason))
    this.#closed = true
    return frame
  }

  /** Feeds bytes from the socket. Never throws on bad input: a failure becomes a disconnect event. */
  receive(chunk: Uint8Array): SessionOutput {
    const output: SessionOutput = { events: [], send: [] }
    if (this.#closed) return output
    try {
      for (const frame of this.#frames.push(chunk)) {
        this.#handle(frame, output)
        if (this.#closed) break
      }
    } catch (error) {
      if (
        !(
          error instanceof DecodeError ||
          error instanceof VerificationError ||
          error instanceof LimitExceededError
        )
      )
        throw error
      this.#fail(output, DISCONNECT_REASONS.protocolError, error)
    }
    return output
  }

  #handle(frame: Uint8Array, output: SessionOutput): void {
    // Decode one frame at a time: the Hello decides whether the frames after it are compressed.
    const message = decodeMessage(frame, { snappy: this.#snappy })
    const failure = this.#dispatch(message.code, message.data, output)
    if (failure !== undefined) this.#fail(output, failure.reason, failure.error)
  }

  /** Handles one message; returns why the session must end, if it must. */
  #dispatch(code: number, data: Uint8Array, output: SessionOutput): Failure | undefined {
    if (code === P2P_MESSAGE.disconnect) {
      this.#closed = true
      output.events.push({ type: 'disconnect', reason: decodeDisconnect(data), remote: true })
      return undefined
    }
    if (this.#shared === undefined) {
      if (code !== P2P_MESSAGE.hello) return breach('expected Hello first')
      return this.#readHello(decodeHello(data), output)
    }
    if (code === P2P_MESSAGE.hello) return breach('second Hello')
    if (code === P2P_MESSAGE.ping) output.send.push(this.#write(P2P_MESSAGE.pong, encodePong()))
    else if (code === P2P_MESSAGE.pong) output.events.push({ type: 'pong' })
    else if (code >= BASE_PROTOCOL_LENGTH) {
      // Reserved base ids (0x04..0x0f) fall through and are ignored, as go-ethereum does.
      const target = resolveMessageCode(this.#shared, code)
      if (target === undefined) return breach(`message id ${code} is out of range`)
      output.events.push({ type: 'message', capability: target.capability, code: target.code, data })
    }
    return undefined
  }

  #readHello(hello: Hello, output: SessionOutput): Failure | undefined {
    if (!equalBytes(hello.nodeId, this.#options.remotePublicKey))
      return {
        reason: DISCONNECT_REASONS.unexpectedIdentity,
        error: new VerificationError('Hello node id is not the handshake key'),
      }
    const shared = matchCapabilities(this.#options.capabilities, hello.capabilities)
    if (shared.length === 0)
      return { reason: DISCONNECT_REASONS.uselessPeer, error: new DecodeError('no shared capability') }
    this.#shared = shared
    this.#snappy = hello.protocolVersion >= P2P_VERSION
    output.events.push({ type: 'hello', hello, shared })
    return undefined
  }

  #fail(output: SessionOutput, reason: number, error: Error): void {
    output.send.push(this.disconnect(reason))
    output.events.push({ type: 'disconnect', reason, remote: false, error })
  }

  #write(code: number, data: Uint8Array): Uint8Array {
    if (this.#closed) throw new InvalidParametersError('the session is closed')
    return this.#frames.writeFrame(encodeMessage(code, data, { snappy: this.#snappy }))
  }
}
