/**
 * Message filters (`shh_newMessageFilter`, `waku_newMessageFilter`): each subscribes to its topics
 * on the protocol, opens every matching envelope with its key, applies the sender and pow criteria,
 * and buffers what passes until `…_getFilterMessages` takes it. Buffers are bounded: the oldest go
 * first. `watch` does the same for a WebSocket subscription, handing each message on at once.
 */
import type { KeyInput } from '@parley/crypto'
import { bytesToHex, equalBytes } from '@parley/crypto'
import { open } from '@parley/envelope'
import type {
  AbortOptions,
  Logger,
  PrivacyProtocol,
  ReceivedMessage,
  Secp256k1Provider,
  Subscription,
} from '@parley/interfaces'
import { LimitExceededError } from '@parley/interfaces'
import { newKeyId } from './keys.ts'

/** go-ethereum's RPC `Message`: byte fields as 0x-hex, `timestamp` in unix seconds. */
export interface RpcMessage {
  sig?: string
  ttl: number
  timestamp: number
  topic: string
  payload: string
  padding: string
  pow: number
  hash: string
  recipientPublicKey?: string
  /** status-go's name (sic) for "arrived as a direct p2p message"; only present when true */
  bool?: true
}

export interface FilterCriteria {
  /** 0x-hex 4-byte topics; at least one. */
  topics: string[]
  /** Exactly one of the two keys. */
  symKey?: KeyInput
  privateKey?: Uint8Array
  /** Only messages signed by this 65-byte public key. */
  sig?: Uint8Array
  minPow: number
  /** Also direct p2p messages from trusted peers (a mailserver's history). */
  allowP2P?: boolean
}

export const DEFAULT_MAX_FILTERS = 1000
export const DEFAULT_MAX_BUFFERED = 1000

export interface MessageFiltersInit {
  protocol: PrivacyProtocol
  secp256k1: () => Secp256k1Provider
  log: Logger
  maxFilters?: number
  /** Messages kept per filter between polls. */
  maxBuffered?: number
}

interface Filter {
  readonly criteria: FilterCriteria
  readonly recipientPublicKey?: string
  readonly subscription: Subscription
  messages: RpcMessage[]
  dropped: number
}

export class MessageFilters {
  readonly #init: MessageFiltersInit
  readonly #filters = new Map<string, Filter>()
  #watching = 0

  constructor(init: MessageFiltersInit) {
    this.#init = init
  }

  /** Filters and watches held. */
  get size(): number {
    return this.#filters.size + this.#watching
  }

  /** Messages waiting in all buffers, and their payload bytes (for shh_info). */
  buffered(): { messages: number; bytes: number } {
    let messages = 0
    let bytes = 0
    for (const filter of this.#filters.values()) {
      messages += filter.messages.length
      for (const message of filter.messages) bytes += (message.payload.length - 2) / 2
    }
    return { messages, bytes }
  }

  async add(criteria: FilterCriteria, options?: AbortOptions): Promise<string> {
    this.#checkLimit()
    let id = newKeyId()
    while (this.#filters.has(id)) id = newKeyId()
    const recipientPublicKey = this.#recipient(criteria)
    const holder: { filter?: Filter } = {}
    const subscription = await this.#subscribe(
      criteria,
      (message) => {
        if (holder.filter !== undefined) this.#receive(holder.filter, message)
      },
      options,
    )
    holder.filter = { criteria, recipientPublicKey, subscription, messages: [], dropped: 0 }
    this.#filters.set(id, holder.filter)
    return id
  }

  /** Hands every message that passes `criteria` to `onMessage` until unsubscribed. */
  async watch(
    criteria: FilterCriteria,
    onMessage: (message: RpcMessage) => void,
    options?: AbortOptions,
  ): Promise<Subscription> {
    this.#checkLimit()
    const recipientPublicKey = this.#recipient(criteria)
    this.#watching++
    try {
      const subscription = await this.#subscribe(
        criteria,
        (message) => {
          const rpcMessage = this.#match(criteria, recipientPublicKey, message)
          if (rpcMessage !== undefined) onMessage(rpcMessage)
        },
        options,
      )
      let active = true
      return {
        unsubscribe: async (unsubscribeOptions) => {
          if (!active) return
          active = false
          this.#watching--
          await subscription.unsubscribe(unsubscribeOptions)
        },
      }
    } catch (error) {
      this.#watching--
      throw error
    }
  }

  /** Takes the buffered messages of filter `id`; `undefined` when there is no such filter. */
  take(id: string): RpcMessage[] | undefined {
    const filter = this.#filters.get(id)
    if (filter === undefined) return undefined
    const messages = filter.messages
    filter.messages = []
    if (filter.dropped > 0) {
      this.#init.log.warn('filter %s dropped %d messages between polls', id.slice(0, 8), filter.dropped)
      filter.dropped = 0
    }
    return messages
  }

  async delete(id: string, options?: AbortOptions): Promise<boolean> {
    const filter = this.#filters.get(id)
    if (filter === undefined) return false
    this.#filters.delete(id)
    await filter.subscription.unsubscribe(options)
    return true
  }

  async clear(options?: AbortOptions): Promise<void> {
    await Promise.all([...this.#filters.keys()].map((id) => this.delete(id, options)))
  }

  #checkLimit(): void {
    const maxFilters = this.#init.maxFilters ?? DEFAULT_MAX_FILTERS
    if (this.size >= maxFilters) throw new LimitExceededError(`too many filters (${maxFilters})`)
  }

  #recipient(criteria: FilterCriteria): string | undefined {
    const { privateKey } = criteria
    return privateKey === undefined ? undefined : hex(this.#init.secp256k1().getPublicKey(privateKey, false))
  }

  #subscribe(
    criteria: FilterCriteria,
    handler: (message: ReceivedMessage) => void,
    options?: AbortOptions,
  ): Promise<Subscription> {
    const filter = { topics: criteria.topics, allowP2P: criteria.allowP2P === true }
    return this.#init.protocol.subscribe(filter, handler, options)
  }

  #receive(filter: Filter, message: ReceivedMessage): void {
    const rpcMessage = this.#match(filter.criteria, filter.recipientPublicKey, message)
    if (rpcMessage === undefined) return
    filter.messages.push(rpcMessage)
    const maxBuffered = this.#init.maxBuffered ?? DEFAULT_MAX_BUFFERED
    if (filter.messages.length > maxBuffered) {
      filter.messages.shift()
      filter.dropped++
    }
  }

  /** The RPC form of `message` if it passes `criteria`. */
  #match(
    criteria: FilterCriteria,
    recipientPublicKey: string | undefined,
    message: ReceivedMessage,
  ): RpcMessage | undefined {
    if (message.p2p === true && criteria.allowP2P !== true) return
    if ((message.pow ?? 0) < criteria.minPow) return
    let opened: ReturnType<typeof open>
    try {
      opened = open(message.payload, {
        secp256k1: this.#init.secp256k1(),
        symKey: criteria.symKey,
        privateKey: criteria.privateKey,
      })
    } catch {
      return // not for this key, or garbage: either way not this filter's message
    }
    if (
      criteria.sig !== undefined &&
      (opened.signer === undefined || !equalBytes(opened.signer, criteria.sig))
    ) {
      return
    }
    const rpcMessage: RpcMessage = {
      ttl: message.ttl ?? 0,
      timestamp: Math.floor(message.timestamp / 1000),
      topic: message.topic,
      payload: hex(opened.payload),
      padding: hex(opened.padding),
      pow: message.pow ?? 0,
      hash: message.hash,
    }
    if (opened.signer !== undefined) rpcMessage.sig = hex(opened.signer)
    if (recipientPublicKey !== undefined) rpcMessage.recipientPublicKey = recipientPublicKey
    if (message.p2p === true) rpcMessage.bool = true
    return rpcMessage
  }
}

export function hex(bytes: Uint8Array): string {
  return `0x${bytesToHex(bytes)}`
}
