/**
 * Node discovery v5 as a node plugin: a @chainsafe/discv5 service (patched so the packet protocol
 * id is `discv5` or Waku's `d5waku`), random lookups on a timer, results filtered by capability,
 * and a time box: once enough peers are known, discovery stops `stopAfterSatisfiedMs` later.
 */
import { type Discv5, generateKeypair } from '@chainsafe/discv5'
import type { ENR, SignableENR } from '@chainsafe/enr'
import {
  AbortError,
  type AbortOptions,
  type DiscoveredPeer,
  InvalidParametersError,
  type Libp2pHost,
  type Logger,
  type NodeIdentity,
  NotStartedError,
  type ParleyEvents,
  type PeerDiscovery,
  type PeerDiscoveryEvents,
  TypedEventEmitter,
  type TypedEventTarget,
} from '@parley/interfaces'
import { localEnr } from './local-enr.ts'
import type { Discv5Metrics } from './metrics.ts'
import { type Discv5Init, type Discv5Options, discv5Options } from './options.ts'
import { type Discv5Peer, discoveryEvent, discv5Peer, hasCapability } from './peer.ts'
import { createDiscv5, freeUdpPort } from './service.ts'
import { abortable, pick, recordEvents } from './util.ts'

export interface Discv5Components {
  logger: Logger
  events: TypedEventTarget<ParleyEvents>
  identity: NodeIdentity | undefined
  /** the node's libp2p host: a Waku record advertises its TCP port and WebSocket addresses */
  libp2p: Libp2pHost | undefined
  metrics: Discv5Metrics
}

/** Lookups `findPeers` runs at most before answering with what it has. */
const FIND_PEERS_LOOKUPS = 3

export class Discv5Discovery extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery {
  readonly source = 'discv5'
  readonly #init: Discv5Init
  readonly #options: Discv5Options
  readonly #components: Discv5Components
  /** matching peers by discovery node id, newest record each */
  readonly #found = new Map<string, Discv5Peer>()
  #privateKey: Uint8Array | undefined
  #port: number | undefined
  #lastEnr: string | undefined
  #record: SignableENR | undefined
  #service: Discv5 | undefined
  #started = false
  #lookupTimer: ReturnType<typeof setTimeout> | undefined
  #satisfiedTimer: ReturnType<typeof setTimeout> | undefined
  #lookup: Promise<void> | undefined
  /** `findPeers` calls running; the time box does not close under them */
  #finding = 0
  #transition: Promise<void> = Promise.resolve()

  constructor(init: Discv5Init, components: Discv5Components) {
    super({ onListenerError: (error) => components.logger.warn('a peer:discovery listener threw', error) })
    this.#init = init
    this.#options = discv5Options(init)
    this.#components = components
  }

  isStarted(): boolean {
    return this.#started
  }

  /** True while the UDP service runs and lookups are scheduled (false once the time box closed). */
  get discovering(): boolean {
    return this.#service !== undefined
  }

  /** The matching peers found so far. */
  get peers(): DiscoveredPeer[] {
    return [...this.#found.values()].map((found) => found.peer)
  }

  /**
   * The local record as `enr:…` text (its `seq` grows when discv5 learns the external address);
   * after the time box stopped the service, the last one it had.
   */
  get enr(): string {
    if (this.#service !== undefined) this.#lastEnr = this.#service.enr.toENR().encodeTxt()
    if (this.#lastEnr === undefined) throw new NotStartedError('discv5 is not started')
    return this.#lastEnr
  }

  /** The bound UDP port (known after start). */
  get port(): number {
    if (this.#port === undefined) throw new NotStartedError('discv5 is not started')
    return this.#port
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted) throw new AbortError()
    await this.#serialised(async () => {
      if (this.#started) return
      await this.#run()
      this.#started = true
    })
  }

  async stop(): Promise<void> {
    await this.#serialised(async () => {
      this.#started = false
      await this.#halt()
      this.#record = undefined
    })
  }

  /** Starts discovery again after the time box stopped it. */
  async resume(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted) throw new AbortError()
    this.#requireStarted()
    await this.#serialised(async () => {
      if (this.#started && this.#service === undefined) await this.#run()
    })
  }

  /**
   * Up to `limit` matching peers: the known ones, plus up to three random lookups now when fewer are
   * known (resuming a stopped discovery first).
   */
  async findPeers(limit: number, options: AbortOptions = {}): Promise<DiscoveredPeer[]> {
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new InvalidParametersError(`findPeers: limit must be a non-negative integer, not ${limit}`)
    this.#requireStarted()
    if (this.#found.size < limit) {
      this.#finding++
      try {
        await this.resume(options)
        for (let i = 0; i < FIND_PEERS_LOOKUPS && this.#found.size < limit; i++) {
          if (options.signal?.aborted) throw new AbortError()
          await abortable(this.#lookupOnce(), options.signal)
        }
      } finally {
        this.#finding--
        this.#checkSatisfied()
      }
    }
    return this.peers.slice(0, limit)
  }

  /** One random lookup now; resolves with the matching peers it found that were not known. */
  async lookup(options: AbortOptions = {}): Promise<DiscoveredPeer[]> {
    this.#requireStarted()
    const before = new Set(this.#found.keys())
    await abortable(this.#lookupOnce(), options.signal)
    return [...this.#found.entries()].filter(([id]) => !before.has(id)).map(([, found]) => found.peer)
  }

  #requireStarted(): void {
    if (!this.#started) throw new NotStartedError('discv5 is not started; call start() first')
  }

  /** Starts and stops one at a time, so a time-box stop and a resume do not interleave. */
  #serialised(task: () => Promise<void>): Promise<void> {
    const run = this.#transition.then(task, task)
    this.#transition = run.catch(() => {})
    return run
  }

  async #run(): Promise<void> {
    if (this.#service !== undefined) return
    const options = this.#options
    this.#privateKey ??=
      this.#init.privateKey ??
      this.#components.identity?.privateKey ??
      generateKeypair('secp256k1').privateKey
    this.#port ??= options.port === 0 ? await freeUdpPort(options.host) : options.port
    const wildcard = options.host === '0.0.0.0' || options.host === '::'
    const ip = this.#init.announceIp ?? (wildcard ? undefined : options.host)
    // Kept across a time-box stop and resume, so a seq raised by address votes does not go back.
    this.#record ??= localEnr({
      privateKey: this.#privateKey,
      udp: this.#port,
      ...(ip === undefined ? {} : { ip }),
      ...this.#libp2pAddresses(),
      ...pick(this.#init, ['tcp', 'waku2', 'multiaddrs', 'shards', 'v1']),
    })
    const enr = this.#record
    const service = createDiscv5({
      enr,
      privateKey: this.#privateKey,
      host: options.host,
      port: this.#port,
      protocolId: options.protocolId,
      requestTimeoutMs: options.requestTimeoutMs,
      bytes: this.#components.metrics.bytes,
    })
    recordEvents(service).on('discovered', this.#consider)
    recordEvents(service).on('enrAdded', this.#consider)
    await service.start()
    this.#service = service
    for (const text of options.bootstrap) service.addEnr(text)
    // Records found before a time-box stop seed the new routing table.
    for (const found of this.#found.values()) if (found.peer.enr !== undefined) service.addEnr(found.peer.enr)
    this.#components.logger.info('discv5 (%s) on %s:%d', options.protocolId, options.host, this.#port)
    this.#components.metrics.discovering.set(1)
    this.#scheduleLookup(0)
  }

  /**
   * For a Waku record (`waku2` set) on a node with a started libp2p host: its TCP port as `tcp` and
   * its WebSocket addresses as `multiaddrs` (31/WAKU2-ENR: what ip/tcp cannot say), without /p2p.
   */
  #libp2pAddresses(): { tcp?: number; multiaddrs?: string[] } {
    const host = this.#components.libp2p
    if (this.#init.waku2 === undefined || host === undefined) return {}
    let listening: string[]
    try {
      listening = host.multiaddrs()
    } catch {
      return {} // not started: nothing to advertise
    }
    const addresses = listening.map((address) => address.replace(/\/p2p\/[^/]+$/, ''))
    const tcp = addresses.map((address) => /^\/ip[46]\/[^/]+\/tcp\/(\d+)$/.exec(address)?.[1]).find(Boolean)
    const websockets = addresses.filter((address) => /\/wss?$/.test(address))
    return {
      ...(tcp === undefined ? {} : { tcp: Number(tcp) }),
      ...(websockets.length === 0 ? {} : { multiaddrs: websockets }),
    }
  }

  async #halt(): Promise<void> {
    clearTimeout(this.#lookupTimer)
    clearTimeout(this.#satisfiedTimer)
    this.#lookupTimer = undefined
    this.#satisfiedTimer = undefined
    const service = this.#service
    this.#service = undefined
    if (service === undefined) return
    this.#components.metrics.discovering.set(0)
    this.#lastEnr = service.enr.toENR().encodeTxt()
    recordEvents(service).off('discovered', this.#consider)
    recordEvents(service).off('enrAdded', this.#consider)
    await service.stop()
    await this.#lookup
  }

  #scheduleLookup(delayMs: number): void {
    clearTimeout(this.#lookupTimer)
    this.#lookupTimer = setTimeout(() => {
      void this.#lookupOnce().finally(() => {
        if (this.#service === undefined) return
        this.#checkSatisfied()
        this.#scheduleLookup(this.#options.lookupIntervalMs)
      })
    }, delayMs)
  }

  /** One random lookup; concurrent callers share it. Never rejects. */
  #lookupOnce(): Promise<void> {
    const service = this.#service
    if (service === undefined) return Promise.resolve()
    this.#lookup ??= service
      .findRandomNode()
      .then(
        (enrs) => {
          this.#components.metrics.lookups.inc({ result: 'ok' })
          for (const enr of enrs) this.#consider(enr)
        },
        (error: unknown) => {
          this.#components.metrics.lookups.inc({ result: 'failed' })
          this.#components.logger.debug('discv5 lookup failed: %s', String(error))
        },
      )
      .finally(() => {
        this.#lookup = undefined
      })
    return this.#lookup
  }

  /** Records `enr` when it matches and is new or newer, and reports it. */
  readonly #consider = (enr: ENR): void => {
    const service = this.#service
    if (service === undefined || enr.nodeId === service.enr.nodeId) return
    const known = this.#found.get(enr.nodeId)
    if (known !== undefined && known.seq >= enr.seq) return
    let found: Discv5Peer
    try {
      found = discv5Peer(enr)
    } catch (error) {
      this.#components.logger.debug('discv5: unusable record %s: %s', enr.nodeId, String(error))
      return
    }
    if (this.#options.requireWaku2 && !found.content.entries.has('waku2')) return
    if (!hasCapability(found.peer, this.#init.capabilities)) return
    this.#found.set(enr.nodeId, found)
    this.#components.metrics.peersFound.inc()
    this.safeDispatchEvent('peer:discovery', found.peer)
    this.#components.events.safeDispatchEvent('peer:discovery', discoveryEvent(found))
    this.#checkSatisfied()
  }

  #checkSatisfied(): void {
    if (this.#service === undefined || this.#satisfiedTimer !== undefined) return
    if (this.#found.size < this.#options.targetPeers) return
    this.#components.logger.info(
      'discv5 satisfied with %d peers; stopping in %d ms',
      this.#found.size,
      this.#options.stopAfterSatisfiedMs,
    )
    this.#satisfiedTimer = setTimeout(() => {
      this.#satisfiedTimer = undefined
      // A findPeers caller wants more now; it re-checks when done.
      if (this.#finding > 0) return
      void this.#serialised(() => this.#halt()).catch((error: unknown) =>
        this.#components.logger.warn('discv5 stop failed: %s', String(error)),
      )
    }, this.#options.stopAfterSatisfiedMs)
  }
}
