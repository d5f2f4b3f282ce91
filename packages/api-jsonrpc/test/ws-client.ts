/** A small JSON-RPC WebSocket client for the tests: calls by id, and the notifications received. */
import { once } from 'node:events'
import { WebSocket } from 'ws'
import type { RpcError } from './helpers.ts'

export interface Notification {
  jsonrpc: '2.0'
  method: string
  params: { subscription: string; result: unknown }
}

export class WsClient {
  readonly socket: WebSocket
  readonly notifications: Notification[] = []
  /** Every frame received, in order. */
  readonly frames: unknown[] = []
  readonly #pending = new Map<number, (response: { result?: unknown; error?: RpcError }) => void>()
  #nextId = 1

  private constructor(socket: WebSocket) {
    this.socket = socket
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; method?: string; result?: unknown }
      this.frames.push(message)
      if (message.method !== undefined) this.notifications.push(message as Notification)
      else if (typeof message.id === 'number') this.#pending.get(message.id)?.(message)
    })
  }

  static async connect(url: string, origin?: string): Promise<WsClient> {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin })
    await once(socket, 'open')
    return new WsClient(socket)
  }

  /** Sends a raw frame and resolves with the next frame that is not a notification. */
  async raw(text: string): Promise<unknown> {
    const seen = this.frames.length
    this.socket.send(text)
    while (true) {
      await once(this.socket, 'message')
      const reply = this.frames
        .slice(seen)
        .find((frame) => (frame as { method?: string }).method === undefined)
      if (reply !== undefined) return reply
    }
  }

  /** Calls `method`; resolves with the whole response. */
  request(method: string, params: unknown[] = []): Promise<{ result?: unknown; error?: RpcError }> {
    const id = this.#nextId++
    return new Promise((resolve) => {
      this.#pending.set(id, resolve)
      this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    })
  }

  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const response = await this.request(method, params)
    if (response.error !== undefined) throw response.error
    return response.result as T
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return
    const closed = once(this.socket, 'close')
    this.socket.close()
    await closed
  }
}
