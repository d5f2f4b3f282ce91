/**
 * One WebSocket connection's subscriptions, and the notifications they send as go-ethereum's
 * `<namespace>_subscription`. While a call is being answered, notifications wait: a client must
 * see a subscription's id (the call's response) before that subscription's first notification.
 * Closing the session cancels every subscription.
 */
import { bytesToHex, randomBytes } from '@parley/crypto'
import { LimitExceededError } from '@parley/interfaces'

/** Subscriptions one connection may hold. */
export const DEFAULT_MAX_SUBSCRIPTIONS = 100
/** Notifications held while calls are in flight; past this the connection is too slow and is closed. */
const MAX_HELD = 10_000

export interface RpcSessionInit {
  /** Writes one text frame. */
  send(text: string): void
  /** The client cannot keep up: close the connection. */
  overflow(): void
  maxSubscriptions?: number
}

interface SessionSubscription {
  cancel(): Promise<void>
}

export class RpcSession {
  readonly #init: RpcSessionInit
  readonly #subscriptions = new Map<string, SessionSubscription>()
  #calls = 0
  #held: string[] = []
  #closed = false

  constructor(init: RpcSessionInit) {
    this.#init = init
  }

  get closed(): boolean {
    return this.#closed
  }

  get subscriptions(): number {
    return this.#subscriptions.size
  }

  /** A fresh id in go-ethereum's shape: `0x` and 32 hex digits. */
  newId(): string {
    const max = this.#init.maxSubscriptions ?? DEFAULT_MAX_SUBSCRIPTIONS
    if (this.#subscriptions.size >= max) throw new LimitExceededError(`too many subscriptions (${max})`)
    let id = `0x${bytesToHex(randomBytes(16))}`
    while (this.#subscriptions.has(id)) id = `0x${bytesToHex(randomBytes(16))}`
    return id
  }

  has(id: string): boolean {
    return this.#subscriptions.has(id)
  }

  /** Keeps a subscription under `id` (from `newId`) until unsubscribed or the session closes. */
  add(id: string, cancel: () => Promise<void>): void {
    if (this.#closed) {
      void cancel()
      return
    }
    this.#subscriptions.set(id, { cancel })
  }

  /** Sends `result` as a notification of subscription `id` in `namespace`. */
  notify(namespace: string, id: string, result: unknown): void {
    if (this.#closed || !this.#subscriptions.has(id)) return
    const text = JSON.stringify({
      jsonrpc: '2.0',
      method: `${namespace}_subscription`,
      params: { subscription: id, result },
    })
    if (this.#calls === 0) {
      this.#init.send(text)
      return
    }
    this.#held.push(text)
    if (this.#held.length > MAX_HELD) this.#init.overflow()
  }

  /** Cancels subscription `id`; false when this session has none by that id. */
  async remove(id: string): Promise<boolean> {
    const subscription = this.#subscriptions.get(id)
    if (subscription === undefined) return false
    this.#subscriptions.delete(id)
    await subscription.cancel()
    return true
  }

  /** A call starts: notifications wait until every call in flight has been answered. */
  hold(): void {
    this.#calls++
  }

  /** A call has been answered. */
  release(): void {
    this.#calls = Math.max(0, this.#calls - 1)
    if (this.#calls > 0 || this.#held.length === 0) return
    const held = this.#held
    this.#held = []
    if (!this.#closed) for (const text of held) this.#init.send(text)
  }

  /** The connection closed: every subscription is cancelled. */
  async close(): Promise<void> {
    this.#closed = true
    this.#held = []
    const subscriptions = [...this.#subscriptions.values()]
    this.#subscriptions.clear()
    await Promise.all(subscriptions.map((subscription) => subscription.cancel().catch(() => undefined)))
  }
}
