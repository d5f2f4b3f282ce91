/**
 * JSON-RPC over WebSocket: each text frame is a body (one call or a batch), answered on the same
 * connection, which also carries subscription notifications (`RpcSession`). Upgrades are checked
 * against the origin allow-list as geth's `--ws.origins`; a closed connection's subscriptions go.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from '@parley/interfaces'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { webSocketOriginAllowed } from './cors.ts'
import { RpcSession } from './session.ts'

/** Bytes queued to a client that does not read; past this it is disconnected. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024

export interface WsEndpointOptions {
  path: string
  /** Largest frame read; larger ones close the connection (1009). */
  maxMessageBytes: number
  origins: readonly string[]
  log: Logger
  handle(body: string, session: RpcSession): Promise<string | undefined>
}

export class WsEndpoint {
  readonly #options: WsEndpointOptions
  readonly #server: WebSocketServer
  readonly #sessions = new Set<RpcSession>()

  constructor(options: WsEndpointOptions) {
    this.#options = options
    this.#server = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes })
  }

  /** Open connections. */
  get connections(): number {
    return this.#server.clients.size
  }

  /** Serves WebSocket upgrades that arrive on `server`. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#upgrade(request, socket, head),
    )
  }

  /** Closes every connection (cancelling its subscriptions). */
  async close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate()
    await Promise.all([...this.#sessions].map((session) => session.close()))
    this.#sessions.clear()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy())
    const path = (request.url ?? '/').split('?')[0]
    if (path !== this.#options.path) {
      refuse(socket, '404 Not Found')
      return
    }
    if (!webSocketOriginAllowed(request.headers.origin, this.#options.origins)) {
      this.#options.log.warn('rejected WebSocket connection from origin %s', request.headers.origin)
      refuse(socket, '403 Forbidden')
      return
    }
    this.#server.handleUpgrade(request, socket, head, (client) => this.#connected(client))
  }

  #connected(client: WebSocket): void {
    const session = new RpcSession({
      send: (text) => {
        if (client.readyState !== client.OPEN) return
        if (client.bufferedAmount > MAX_QUEUED_BYTES) client.terminate()
        else client.send(text)
      },
      overflow: () => client.terminate(),
    })
    this.#sessions.add(session)
    client.on('message', (data: RawData) => {
      session.hold()
      this.#options
        .handle(textOf(data), session)
        .then(
          (text) => {
            if (text !== undefined && client.readyState === client.OPEN) client.send(text)
          },
          (error: unknown) => this.#options.log.error('JSON-RPC WebSocket message failed: %s', error),
        )
        .finally(() => session.release())
    })
    client.on('error', (error: Error) => this.#options.log.debug('WebSocket error: %s', error.message))
    client.on('close', () => {
      this.#sessions.delete(session)
      session.close().catch(() => undefined)
    })
  }
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data as ArrayBuffer).toString('utf8')
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
