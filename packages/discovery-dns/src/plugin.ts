/**
 * EIP-1459 DNS discovery as a node plugin: walks the configured trees, reports each new node record
 * as `peer:discovery`, and re-checks the roots on a timer like go-ethereum's client.
 */
import { bytesToHex, loadCrypto } from '@parley/crypto'
import type { Enr } from '@parley/enr'
import {
  AbortError,
  type AbortOptions,
  type Components,
  type Counter,
  type DiscoveredPeer,
  InvalidParametersError,
  type Logger,
  NotStartedError,
  type ParleyEvents,
  type PeerDiscovery,
  type PeerDiscoveryEvents,
  type Plugin,
  peerDiscovery,
  type Secp256k1Provider,
  TypedEventEmitter,
  type TypedEventTarget,
} from '@parley/interfaces'
import { nodeResolveTxt, type ResolveTxt } from './node-resolver.ts'
import { discoveredPeer, discoveryEvent } from './plugin/peer.ts'
import { DnsTreeClient } from './resolver.ts'
import { countingResolveTxt, discoveryBytesCounter } from './traffic.ts'

/** go-ethereum's `dnsdisc.Config` defaults: recheck roots every 30 minutes, 5 s lookups, 1000 cached entries. */
export const DEFAULT_REFRESH_INTERVAL_MS = 30 * 60 * 1000
export const DEFAULT_LOOKUP_TIMEOUT_MS = 5000
export const DEFAULT_CACHE_SIZE = 1000

export interface DnsDiscoveryInit {
  /** `enrtree://<key>@<domain>` URLs; at least one */
  urls: readonly string[]
  /** DNS servers, `'ip'` or `'ip:port'`; the system's when absent */
  servers?: readonly string[]
  /** DNS lookups one walk step (or one root re-check) may make; default 50 */
  maxRequests?: number
  /** time between root re-checks and full syncs; default 30 minutes */
  refreshIntervalMs?: number
  /** per-try DNS timeout; default 5000 */
  timeoutMs?: number
  /** verified tree entries cached, by hash; default 1000 */
  cacheSize?: number
  /** a TXT lookup instead of node:dns (then `servers` and `timeoutMs` are unused) */
  resolveTxt?: ResolveTxt
  /** the secp256k1 provider; loaded with `loadCrypto` at start when absent */
  secp?: Secp256k1Provider
}

interface DnsDiscoveryComponents {
  logger: Logger
  events: TypedEventTarget<ParleyEvents>
  /** `parley_discovery_bytes_total{source, direction}`; lookups are not counted when absent */
  bytes?: Counter
}

/**
 * The `peerDiscovery` service. Started, it syncs every tree (and linked trees) at once and then every
 * `refreshIntervalMs`, emitting `peer:discovery` for records not seen before or with a higher seq,
 * on itself and on the node's event bus. `findPeers` walks the trees lazily. Walks and syncs share
 * one client, one at a time: a lazy walk keeps state that concurrent walks would corrupt.
 */
export class DnsDiscovery extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery {
  readonly source = 'dns'
  readonly #init: DnsDiscoveryInit
  readonly #components: DnsDiscoveryComponents
  readonly #refreshIntervalMs: number
  readonly #found = new Map<string, { seq: bigint; peer: DiscoveredPeer }>()
  #secp: Secp256k1Provider | undefined
  #client: DnsTreeClient | undefined
  #starting: Promise<void> | undefined
  #started = false
  #running: AbortController | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #round: Promise<void> | undefined
  /** serialises use of the client */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(init: DnsDiscoveryInit, components: DnsDiscoveryComponents) {
    super({ onListenerError: (error) => components.logger.warn('a peer:discovery listener threw', error) })
    this.#init = init
    this.#components = components
    this.#refreshIntervalMs = init.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS
  }

  isStarted(): boolean {
    return this.#started
  }

  /** Every peer found so far, newest record per node. */
  get peers(): DiscoveredPeer[] {
    return [...this.#found.values()].map((entry) => entry.peer)
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted) throw new AbortError()
    if (this.#started) return
    this.#starting ??= this.#start(options).finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  async #start(options: AbortOptions): Promise<void> {
    this.#secp ??= this.#init.secp ?? (await loadCrypto({ signal: options.signal })).secp256k1
    if (this.#client === undefined) {
      const resolveTxt = this.#init.resolveTxt ?? this.#resolver()
      const { bytes } = this.#components
      const client = new DnsTreeClient({
        secp: this.#secp,
        resolveTxt: bytes === undefined ? resolveTxt : countingResolveTxt(resolveTxt, bytes),
        maxRequests: this.#init.maxRequests,
        cacheSize: this.#init.cacheSize ?? DEFAULT_CACHE_SIZE,
      })
      for (const url of this.#init.urls) client.addTree(url)
      this.#client = client
    }
    this.#running = new AbortController()
    this.#started = true
    this.#runRound()
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => {})
    if (!this.#started) return
    this.#started = false
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#running?.abort()
    this.#running = undefined
    await this.#round
  }

  /**
   * Re-checks every root and syncs every tree now; resolves with the peers new in this round. A tree
   * that fails does not stop the others: the first failure is thrown after all were tried.
   */
  async refresh(options: AbortOptions = {}): Promise<DiscoveredPeer[]> {
    const client = this.#requireClient()
    return this.#exclusive(async () => {
      const fresh: DiscoveredPeer[] = []
      let failure: unknown
      const attempt = async (task: () => Promise<void>) => {
        try {
          await task()
        } catch (error) {
          if (error instanceof AbortError) throw error
          failure ??= error
        }
      }
      await attempt(async () => void (await client.links(options)))
      for (const url of client.trees) {
        if (options.signal?.aborted) throw new AbortError()
        await attempt(async () => {
          const tree = await client.syncTree(url, options)
          for (const enr of tree.enrs) {
            const peer = this.#record(enr)
            if (peer !== undefined) fresh.push(peer)
          }
        })
      }
      if (failure !== undefined) throw failure
      return fresh
    })
  }

  /** Walks the trees lazily for up to `limit` distinct peers; fewer when the trees hold fewer. */
  async findPeers(limit: number, options: AbortOptions = {}): Promise<DiscoveredPeer[]> {
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new InvalidParametersError(`findPeers: limit must be a non-negative integer, not ${limit}`)
    const client = this.#requireClient()
    return this.#exclusive(async () => {
      const peers = new Map<string, DiscoveredPeer>()
      // A pass returns each record once, so repeats mean the trees are exhausted; the bound keeps
      // a random tree choice from ending the search too early.
      for (let attempts = 0; peers.size < limit && attempts < 2 * limit + 8; attempts++) {
        // Cached walks make no lookup, so the signal is checked here too.
        if (options.signal?.aborted) throw new AbortError()
        const enr = await client.nextEnr(options)
        if (enr === undefined) break
        const peer = this.#record(enr) ?? this.#found.get(bytesToHex(enr.nodeId))?.peer
        if (peer !== undefined) peers.set(peer.id, peer)
      }
      return [...peers.values()]
    })
  }

  #resolver(): ResolveTxt {
    const { servers } = this.#init
    return nodeResolveTxt({
      ...(servers === undefined ? {} : { servers }),
      timeoutMs: this.#init.timeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS,
    })
  }

  #requireClient(): DnsTreeClient {
    if (!this.#started || this.#client === undefined)
      throw new NotStartedError('dns discovery is not started; call start() first')
    return this.#client
  }

  /** Runs one background round, then schedules the next one while started. */
  #runRound(): void {
    const signal = this.#running?.signal
    if (signal === undefined) return
    this.#round = this.refresh({ signal }).then(
      (fresh) => {
        if (fresh.length > 0) this.#components.logger.debug('dns discovery: %d new peers', fresh.length)
      },
      (error: unknown) => {
        if (!signal.aborted) this.#components.logger.warn('dns discovery round failed: %s', message(error))
      },
    )
    void this.#round.then(() => {
      if (signal.aborted || !this.#started) return
      this.#timer = setTimeout(() => this.#runRound(), this.#refreshIntervalMs)
    })
  }

  /** Caches `enr` and emits it when it is new or newer; returns the peer in that case. */
  #record(enr: Enr): DiscoveredPeer | undefined {
    const secp = this.#secp
    if (secp === undefined) return undefined
    const id = bytesToHex(enr.nodeId)
    const known = this.#found.get(id)
    if (known !== undefined && known.seq >= enr.seq) return undefined
    const peer = discoveredPeer(enr, secp)
    this.#found.set(id, { seq: enr.seq, peer })
    if (this.#started) {
      this.safeDispatchEvent('peer:discovery', peer)
      this.#components.events.safeDispatchEvent('peer:discovery', discoveryEvent(enr, peer))
    }
    return peer
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task)
    this.#queue = run.catch(() => {})
    return run
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The DNS discovery plugin; provides `peerDiscovery`. Throws `InvalidParametersError` for bad init. */
export function dnsDiscovery(init: DnsDiscoveryInit): Plugin<DnsDiscovery> {
  if (init.urls.length === 0)
    throw new InvalidParametersError('dnsDiscovery: give at least one enrtree:// URL')
  for (const url of init.urls)
    if (!url.startsWith('enrtree://'))
      throw new InvalidParametersError(`dnsDiscovery: "${url}" is not an enrtree:// URL`)
  for (const [key, value] of [
    ['maxRequests', init.maxRequests],
    ['refreshIntervalMs', init.refreshIntervalMs],
    ['timeoutMs', init.timeoutMs],
    ['cacheSize', init.cacheSize],
  ] as const) {
    // setTimeout takes at most 2^31 - 1 ms; larger values would fire at once.
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1 || value > 2 ** 31 - 1))
      throw new InvalidParametersError(`dnsDiscovery: ${key} must be an integer in 1..2^31-1, not ${value}`)
  }
  return {
    name: 'dns-discovery',
    provides: [peerDiscovery],
    create: (components: Components) =>
      new DnsDiscovery(init, {
        logger: components.logger.forComponent('discovery-dns'),
        events: components.events,
        bytes: discoveryBytesCounter(components.metrics),
      }),
  }
}
