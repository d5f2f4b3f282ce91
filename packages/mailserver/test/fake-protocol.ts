/**
 * An in-memory `V1PrivacyProtocol` for unit tests: fakes on one `FakeNetwork` deliver each other's
 * direct packets (126, 127, 125) as the real protocols' events, synchronously after a microtask.
 * Only the direct-packet members do anything; the rest satisfy the interface.
 */
import { p2pRequestForm } from '@parley/envelope'
import {
  type MessageFilter,
  NotStartedError,
  type ReceivedMessage,
  type Subscription,
  TypedEventEmitter,
  type V1PrivacyProtocol,
  type V1PrivacyProtocolEvents,
} from '@parley/interfaces'

export class FakeNetwork {
  readonly nodes = new Map<string, FakeV1>()
  /** ids that receive nothing (a dead mailserver) */
  readonly silent = new Set<string>()
}

export class FakeV1 extends TypedEventEmitter<V1PrivacyProtocolEvents> implements V1PrivacyProtocol {
  readonly protocol: string
  readonly id: string
  readonly #network: FakeNetwork
  readonly trusted = new Set<string>()
  readonly sent: Array<{ code: 125 | 126 | 127; to: string; payload: Uint8Array[] }> = []
  maxMessageSize = 1024 * 1024
  minPow = 0
  bloom: Uint8Array = new Uint8Array(64).fill(0xff)
  #started = true

  constructor(network: FakeNetwork, id: string, protocol = 'waku/1') {
    super()
    this.#network = network
    this.id = id
    this.protocol = protocol
    network.nodes.set(id, this)
  }

  readyPeers(): string[] {
    return [...this.#network.nodes.keys()].filter((id) => id !== this.id)
  }

  markTrustedPeer(peerId: string): void {
    this.trusted.add(peerId)
  }

  isTrustedPeer(peerId: string): boolean {
    return this.trusted.has(peerId)
  }

  async sendP2PRequest(peerId: string, payload: Uint8Array): Promise<void> {
    this.sent.push({ code: 126, to: peerId, payload: [payload] })
    const form = p2pRequestForm(payload)
    this.#deliver(peerId, (target) =>
      target.safeDispatchEvent('p2p:request', { peer: this.id, payload, form }),
    )
  }

  async sendP2PMessages(peerId: string, envelopes: readonly Uint8Array[]): Promise<void> {
    this.sent.push({ code: 127, to: peerId, payload: [...envelopes] })
    this.#deliver(peerId, (target) => {
      if (target.trusted.has(this.id))
        target.safeDispatchEvent('p2p:message', { peer: this.id, envelopes: [...envelopes] })
    })
  }

  async sendP2PRequestComplete(peerId: string, payload: Uint8Array): Promise<void> {
    this.sent.push({ code: 125, to: peerId, payload: [payload] })
    this.#deliver(peerId, (target) => {
      if (target.trusted.has(this.id))
        target.safeDispatchEvent('p2p:request-complete', { peer: this.id, payload })
    })
  }

  #deliver(peerId: string, dispatch: (target: FakeV1) => void): void {
    if (!this.#started) throw new NotStartedError()
    const target = this.#network.nodes.get(peerId)
    if (target === undefined || this.#network.silent.has(peerId)) return
    queueMicrotask(() => dispatch(target))
  }

  setMaxMessageSize(size: number): void {
    this.maxMessageSize = size
  }
  async setMinPow(pow: number): Promise<void> {
    this.minPow = pow
  }
  async setBloomFilter(bloom: Uint8Array): Promise<void> {
    this.bloom = bloom
  }
  async post(): Promise<string> {
    return '0x'
  }
  async inject(): Promise<string> {
    return '0x'
  }
  async subscribe(
    _filter: MessageFilter,
    _handler: (message: ReceivedMessage) => void,
  ): Promise<Subscription> {
    return { unsubscribe: async () => {} }
  }
  isStarted(): boolean {
    return this.#started
  }
  async start(): Promise<void> {
    this.#started = true
  }
  async stop(): Promise<void> {
    this.#started = false
  }
}
