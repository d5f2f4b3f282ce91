import { loadCrypto } from '@parley/crypto'
import { addressEntries, type Enr, parseEnode, signEnr } from '@parley/enr'
import {
  AbortError,
  type AbortOptions,
  type Counter,
  type Devp2pHost,
  type DiscoveredPeer,
  InvalidConfigError,
  InvalidParametersError,
  type Libp2pHost,
  type Logger,
  NotStartedError,
  type ParleyEvents,
  type PeerDiscovery,
  type PeerDiscoveryEvents,
  type Secp256k1Provider,
  TypedEventEmitter,
  type TypedEventTarget,
} from '@parley/interfaces'
import type { Clock } from './clock.ts'
import { MessageType, topicBytes } from './messages.ts'
import { exchange, peerFromRecord } from './request.ts'

export interface RendezvousClientSettings {
  servers: readonly string[]
  topics: readonly string[]
  register: readonly string[]
  ttlMs: number
  registerIntervalMs: number
  requestTimeoutMs: number
  discoverLimit: number
  discoverIntervalMs: number | undefined
  privateKey: Uint8Array | undefined
  ip: string | undefined
  clock: Clock
}

export interface RendezvousClientComponents {
  host: Libp2pHost
  /** whose address the registered record carries */
  devp2p: Devp2pHost | undefined
  log: Logger
  events: TypedEventTarget<ParleyEvents>
  /** `parley_discovery_bytes_total{source, direction}` */
  bytes: Counter
  /** `parley_rendezvous_client_requests_total{type, result}` */
  requests: Counter
}

const SOURCE = 'rendezvous'

/**
 * The status-im rendezvous client as a `PeerDiscovery` source. Started, it registers this node's
 * signed ENR under each `register` topic with every server, again every `registerIntervalMs`.
 * Searching is `findPeers` (a DISCOVER per topic at a random server), plus, with
 * `discoverIntervalMs`, a periodic search announced as `peer:discovery` that `pause` suspends.
 * Registration goes on while paused.
 */
export class RendezvousDiscovery extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery {
  readonly source = SOURCE
  readonly #s: RendezvousClientSettings
  readonly #c: RendezvousClientComponents
  readonly #connected = new Set<string>()
  #secp: Secp256k1Provider | undefined
  #controller: AbortController | undefined
  #registerTimer: unknown
  #discoverTimer: unknown
  #paused = false
  #record: { enr: Enr; address: string } | undefined
  #seq = 0n
  #observedIp: Promise<string> | undefined

  constructor(settings: RendezvousClientSettings, components: RendezvousClientComponents) {
    super({ onListenerError: (error) => components.log.warn('a peer:discovery listener threw', error) })
    this.#s = settings
    this.#c = components
  }

  isStarted(): boolean {
    return this.#controller !== undefined
  }

  get paused(): boolean {
    return this.#paused
  }

  async start(options?: AbortOptions): Promise<void> {
    if (this.#controller !== undefined) return
    const { secp256k1 } = await loadCrypto(options?.signal === undefined ? {} : { signal: options.signal })
    if (this.#controller !== undefined) return
    this.#secp = secp256k1
    this.#controller = new AbortController()
    if (this.#s.register.length > 0) void this.#registerRound()
    if (!this.#paused) this.#scheduleDiscover(0)
  }

  stop(): void {
    this.#controller?.abort(new AbortError('rendezvous client stopped'))
    this.#controller = undefined
    this.#s.clock.clearTimeout(this.#registerTimer)
    this.#s.clock.clearTimeout(this.#discoverTimer)
    this.#registerTimer = undefined
    this.#discoverTimer = undefined
  }

  /** Stops the periodic search; registration goes on. */
  pause(): void {
    this.#paused = true
    this.#s.clock.clearTimeout(this.#discoverTimer)
    this.#discoverTimer = undefined
  }

  resume(): void {
    if (!this.#paused) return
    this.#paused = false
    if (this.#controller !== undefined) this.#scheduleDiscover(0)
  }

  /** A connected peer is not announced again until it disconnects. */
  markConnected(id: string): void {
    this.#connected.add(id)
  }

  markDisconnected(id: string): void {
    this.#connected.delete(id)
  }

  /** Up to `limit` peers: one DISCOVER per topic, each at a random server. */
  async findPeers(limit: number, options?: AbortOptions): Promise<DiscoveredPeer[]> {
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new InvalidParametersError(`findPeers: limit must be a non-negative integer, got ${limit}`)
    const results = await Promise.allSettled(this.#s.topics.map((topic) => this.discover(topic, options)))
    const found = new Map<string, DiscoveredPeer>()
    for (const result of results) {
      if (result.status === 'rejected') continue
      for (const peer of result.value) {
        const known = found.get(peer.id)
        if (known === undefined) found.set(peer.id, peer)
        else known.capabilities = [...new Set([...(known.capabilities ?? []), ...(peer.capabilities ?? [])])]
      }
    }
    const failure = results.find((result) => result.status === 'rejected')
    if (found.size === 0 && failure !== undefined) throw failure.reason
    return [...found.values()].slice(0, limit)
  }

  /** One DISCOVER for `topic` at a random server; records that do not verify are skipped. */
  async discover(topic: string, options?: AbortOptions): Promise<DiscoveredPeer[]> {
    const secp = this.#running()
    const server = this.#s.servers[Math.floor(Math.random() * this.#s.servers.length)] as string
    const response = await this.#request(
      server,
      { type: MessageType.DISCOVER, limit: this.#s.discoverLimit, topic: topicBytes(topic) },
      options,
    )
    if (response.type !== MessageType.DISCOVER_RESPONSE) return []
    const peers: DiscoveredPeer[] = []
    for (const record of response.records) {
      try {
        const peer = peerFromRecord(record, topic, secp)
        if (peer !== undefined && peer.id !== this.#c.devp2p?.nodeId) peers.push(peer)
      } catch (error) {
        this.#c.log.debug('rendezvous server %s sent a bad record: %s', server, error)
      }
    }
    return peers
  }

  /** Registers this node's record under `topic` with every server; rejects with the first refusal. */
  async register(topic: string, options?: AbortOptions): Promise<void> {
    this.#running()
    const record = await this.#ownRecord(options)
    const ttlNs = BigInt(this.#s.ttlMs) * 1_000_000n
    const results = await Promise.allSettled(
      this.#s.servers.map((server) =>
        this.#request(
          server,
          { type: MessageType.REGISTER, topic: topicBytes(topic), record, ttlNs },
          options,
        ),
      ),
    )
    const failure = results.find((result) => result.status === 'rejected')
    if (failure !== undefined) throw failure.reason
  }

  #running(): Secp256k1Provider {
    if (this.#controller === undefined || this.#secp === undefined)
      throw new NotStartedError('rendezvous client is not started')
    return this.#secp
  }

  async #request(server: string, request: Parameters<typeof exchange>[2], options?: AbortOptions) {
    const signals = [this.#controller?.signal, options?.signal].filter((s) => s !== undefined)
    const type = ({ 1: 'register', 3: 'discover', 5: 'remoteip' } as const)[request.type]
    try {
      const response = await exchange(this.#c.host, server, request, {
        signal: AbortSignal.any(signals),
        timeoutMs: this.#s.requestTimeoutMs,
        clock: this.#s.clock,
        onBytes: (direction, count) => this.#c.bytes.inc({ source: SOURCE, direction }, count),
      })
      this.#c.requests.inc({ type, result: 'ok' })
      return response
    } catch (error) {
      this.#c.requests.inc({ type, result: 'failed' })
      throw error
    }
  }

  /**
   * This node's ENR: the devp2p listener's address, signed with the node key; re-signed when it
   * moves. A listener on an unspecified address (0.0.0.0) advertises the IP a server sees (REMOTEIP).
   */
  async #ownRecord(options?: AbortOptions): Promise<Uint8Array> {
    const secp = this.#running()
    const key = this.#s.privateKey
    const enode = this.#c.devp2p?.enode
    if (key === undefined || enode === undefined)
      throw new InvalidConfigError('registering needs the node key and a listening devp2p host')
    const { host, tcp, udp } = parseEnode(enode)
    const ip = this.#s.ip ?? (isUnspecified(host) ? await this.#remoteIp(options) : host)
    const address = `${ip}:${tcp}:${udp}`
    if (this.#record?.address !== address) {
      this.#seq = this.#seq === 0n ? BigInt(this.#s.clock.now()) : this.#seq + 1n
      const enr = signEnr({ seq: this.#seq, entries: addressEntries({ ip, tcp, udp }) }, key, secp)
      this.#record = { enr, address }
    }
    return this.#record.enr.bytes
  }

  async #remoteIp(options?: AbortOptions): Promise<string> {
    this.#observedIp ??= (async () => {
      const response = await this.#request(
        this.#s.servers[0] as string,
        { type: MessageType.REMOTEIP },
        options,
      )
      if (response.type !== MessageType.REMOTEIP_RESPONSE || response.ip === '')
        throw new InvalidConfigError('the rendezvous server did not say which IP it sees; set `ip`')
      return response.ip
    })().catch((error: unknown) => {
      this.#observedIp = undefined
      throw error
    })
    return this.#observedIp
  }

  async #registerRound(): Promise<void> {
    const signal = this.#controller?.signal
    if (signal === undefined) return
    await Promise.all(
      this.#s.register.map((topic) =>
        this.register(topic, { signal }).catch((error: unknown) => {
          if (!signal.aborted) this.#c.log.warn('registering under %s failed: %s', topic, error)
        }),
      ),
    )
    if (signal.aborted) return
    this.#registerTimer = this.#s.clock.setTimeout(
      () => void this.#registerRound(),
      this.#s.registerIntervalMs,
    )
  }

  #scheduleDiscover(delay: number): void {
    const interval = this.#s.discoverIntervalMs
    if (interval === undefined) return
    this.#s.clock.clearTimeout(this.#discoverTimer)
    this.#discoverTimer = this.#s.clock.setTimeout(() => void this.#discoverRound(interval), delay)
  }

  async #discoverRound(interval: number): Promise<void> {
    const signal = this.#controller?.signal
    if (signal === undefined || this.#paused) return
    try {
      for (const peer of await this.findPeers(this.#s.discoverLimit * this.#s.topics.length, { signal })) {
        if (!this.#connected.has(peer.id)) this.#announce(peer)
      }
    } catch (error) {
      if (!signal.aborted) this.#c.log.debug('rendezvous discovery failed: %s', error)
    }
    if (!signal.aborted && !this.#paused) this.#scheduleDiscover(interval)
  }

  #announce(peer: DiscoveredPeer): void {
    this.safeDispatchEvent('peer:discovery', { ...peer })
    this.#c.events.safeDispatchEvent('peer:discovery', {
      id: peer.id,
      overlay: 'devp2p',
      source: SOURCE,
      ...(peer.enode === undefined ? {} : { enode: peer.enode }),
      ...(peer.enr === undefined ? {} : { enr: peer.enr }),
    })
  }
}

function isUnspecified(host: string | undefined): boolean {
  return host === undefined || host === '0.0.0.0' || host === '::'
}
