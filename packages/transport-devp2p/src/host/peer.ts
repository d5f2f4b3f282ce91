/**
 * A connected devp2p peer as the host keeps it, and the per-capability views that capability
 * handlers receive (their `send` codes are relative to that capability's offset).
 */
import type { Socket } from 'node:net'
import type { AbortOptions, Devp2pPeer } from '@parley/interfaces'
import { InvalidParametersError } from '@parley/interfaces'
import type { SharedCapability } from '../capabilities.ts'
import { DISCONNECT_REASONS } from '../p2p/messages.ts'
import type { RlpxConnection } from '../tcp/connection.ts'

export type PeerDirection = 'inbound' | 'outbound'

/** One RLPx connection. `send` works only when exactly one capability is shared; else use `sendTo`. */
export class Devp2pHostPeer implements Devp2pPeer {
  readonly id: string
  readonly remoteAddress: string
  readonly clientId: string
  readonly direction: PeerDirection
  readonly capabilities: readonly SharedCapability[]
  readonly #connection: RlpxConnection
  /** The TCP socket under the connection, for byte accounting. */
  readonly socket: Socket
  readonly #onSent: () => void
  readonly #views = new Map<string, Devp2pPeer>()

  constructor(connection: RlpxConnection, socket: Socket, direction: PeerDirection, onSent: () => void) {
    this.#connection = connection
    this.socket = socket
    this.#onSent = onSent
    this.id = connection.remoteId
    this.clientId = connection.hello.clientId
    this.capabilities = connection.shared
    this.direction = direction
    const host = socket.remoteAddress ?? 'unknown'
    this.remoteAddress = `${host.includes(':') ? `[${host}]` : host}:${socket.remotePort ?? 0}`
  }

  /** Bytes read from this peer's socket, handshake included. */
  get bytesIn(): number {
    return this.socket.bytesRead
  }

  /** Bytes written to this peer's socket, handshake included. */
  get bytesOut(): number {
    return this.socket.bytesWritten
  }

  send(code: number, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    const [only, ...others] = this.capabilities
    if (only === undefined || others.length > 0)
      return Promise.reject(
        new InvalidParametersError('this peer shares several capabilities; use sendTo(name, code, data)'),
      )
    return this.sendTo(only.name, code, payload, options)
  }

  /** Sends `code` (relative to the capability) of the shared capability `name`. */
  sendTo(name: string, code: number, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    return this.#connection.send(name, code, payload, options).finally(this.#onSent)
  }

  disconnect(reason: number = DISCONNECT_REASONS.requested): void {
    this.#connection.disconnect(reason)
  }

  /** The view handed to the handler of capability `name`; the same object every time. */
  view(name: string): Devp2pPeer {
    let view = this.#views.get(name)
    if (view === undefined) {
      view = {
        id: this.id,
        remoteAddress: this.remoteAddress,
        clientId: this.clientId,
        send: (code, payload, options) => this.sendTo(name, code, payload, options),
        disconnect: (reason) => this.disconnect(reason),
      }
      this.#views.set(name, view)
    }
    return view
  }
}
