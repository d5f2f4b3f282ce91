import { loadCrypto } from '@parley/crypto'
import {
  type AbortOptions,
  type Components,
  type Counter,
  type Gauge,
  InvalidConfigError,
  type Libp2pHost,
  LimitExceededError,
  type Logger,
  libp2pHost,
  type ParleyEvents,
  type Plugin,
  type Startable,
  TimeoutError,
  type TypedEventTarget,
} from '@parley/interfaces'
import { type Clock, systemClock } from './clock.ts'
import { encodeMessage, RendezvousDecodeError } from './codec.ts'
import { FloodGuard } from './flood-guard.ts'
import { MessageType, RENDEZVOUS_PROTOCOL, type RendezvousResponse, Status } from './messages.ts'
import { RendezvousRegistry } from './registry.ts'
import { handleRequest, invalidContentResponse } from './server-logic.ts'
import { type RendezvousStream, readFirstMessage } from './stream.ts'

/** Why the server refused or dropped a stream without answering it. */
export type RendezvousRefusalReason = 'rate' | 'streams' | 'malformed' | 'timeout'

declare module '@parley/interfaces' {
  interface ParleyEvents {
    /** the rendezvous server dropped a peer's stream; `error` is a `LimitExceededError` or a decode/timeout error */
    'rendezvous:refused': { peer: string; reason: RendezvousRefusalReason; error: Error }
    /** the rendezvous server accepted a registration from `peer` (a libp2p peer id) under `topic` */
    'rendezvous:registered': { peer: string; topic: string }
  }
}

export interface RendezvousServerInit {
  /** records held at most, over all topics (default 100 000) */
  maxRecords?: number
  /** live records one libp2p peer may hold per topic (default 2) */
  maxRegistrationsPerPeer?: number
  /** sustained requests per second per peer (default 5); status-go makes about one a second */
  requestsPerSecond?: number
  /** requests a peer may make in a burst (default 20) */
  burst?: number
  /** streams per peer open at once (default 4) */
  maxStreamsPerPeer?: number
  /** peers whose rate is tracked at once (default 10 000) */
  maxTrackedPeers?: number
  /** time a stream has to deliver its request (default 5000 ms) */
  readTimeoutMs?: number
  /** largest RLP item accepted (default 64 KiB) */
  maxItemBytes?: number
  /** how often expired records are purged (default 30 000 ms) */
  purgeIntervalMs?: number
  clock?: Clock
}

const DEFAULTS = {
  maxRecords: 100_000,
  maxRegistrationsPerPeer: 2,
  requestsPerSecond: 5,
  burst: 20,
  maxStreamsPerPeer: 4,
  maxTrackedPeers: 10_000,
  readTimeoutMs: 5_000,
  maxItemBytes: 64 * 1024,
  purgeIntervalMs: 30_000,
} as const

type Settings = typeof DEFAULTS extends infer T ? { [K in keyof T]: number } : never

interface ServerComponents {
  host: Libp2pHost
  log: Logger
  events: TypedEventTarget<ParleyEvents>
  requests: Counter
  refused: Counter
  records: Gauge
}

/** Serves `/rend/0.1.0` on the libp2p host: one request per stream, as the Go server does. */
export class RendezvousServer implements Startable {
  readonly #settings: Settings
  readonly #clock: Clock
  readonly #c: ServerComponents
  readonly #guard: FloodGuard
  #registry: RendezvousRegistry | undefined
  #purgeTimer: unknown
  #starting: Promise<void> | undefined
  readonly #streams = new Set<RendezvousStream>()

  constructor(settings: Settings, clock: Clock, components: ServerComponents) {
    this.#settings = settings
    this.#clock = clock
    this.#c = components
    this.#guard = new FloodGuard({ ...settings, clock })
  }

  isStarted(): boolean {
    return this.#registry !== undefined
  }

  /** The registration store; throws before start. */
  get registry(): RendezvousRegistry {
    if (this.#registry === undefined) throw new InvalidConfigError('rendezvous server is not started')
    return this.#registry
  }

  async start(options?: AbortOptions): Promise<void> {
    if (this.#registry !== undefined) return
    this.#starting ??= this.#start(options).finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  async #start(options?: AbortOptions): Promise<void> {
    const { secp256k1 } = await loadCrypto(options?.signal === undefined ? {} : { signal: options.signal })
    this.#registry = new RendezvousRegistry({
      secp256k1,
      now: () => this.#clock.now(),
      maxRecords: this.#settings.maxRecords,
      maxPerOwner: this.#settings.maxRegistrationsPerPeer,
    })
    await this.#c.host.handle(RENDEZVOUS_PROTOCOL, (stream, peer, { remoteAddr }) =>
      this.#serve(stream as RendezvousStream, peer, remoteIp(remoteAddr)),
    )
    this.#schedulePurge()
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined)
    if (this.#registry === undefined) return
    this.#clock.clearTimeout(this.#purgeTimer)
    this.#registry = undefined
    await this.#c.host.unhandle(RENDEZVOUS_PROTOCOL)
    for (const stream of this.#streams) stream.abort(new Error('rendezvous server stopped'))
    this.#streams.clear()
  }

  #schedulePurge(): void {
    this.#purgeTimer = this.#clock.setTimeout(() => {
      const registry = this.#registry
      if (registry === undefined) return
      registry.purgeExpired()
      this.#c.records.set(registry.size)
      this.#schedulePurge()
    }, this.#settings.purgeIntervalMs)
  }

  async #serve(stream: RendezvousStream, peer: string, remoteIp: string | undefined): Promise<void> {
    const registry = this.#registry
    if (registry === undefined) return stream.abort(new Error('rendezvous server stopped'))
    const refusal = this.#guard.admit(peer)
    if (refusal !== undefined) {
      const error = new LimitExceededError(
        refusal === 'rate'
          ? `rendezvous peer ${peer} exceeds ${this.#settings.requestsPerSecond} requests/s`
          : `rendezvous peer ${peer} has ${this.#settings.maxStreamsPerPeer} streams open`,
      )
      return this.#refuse(stream, peer, refusal, error)
    }
    this.#streams.add(stream)
    try {
      let response: RendezvousResponse | undefined
      try {
        const request = await readFirstMessage(stream, {
          timeoutMs: this.#settings.readTimeoutMs,
          clock: this.#clock,
          maxItemBytes: this.#settings.maxItemBytes,
        })
        if (request === undefined) return await stream.close?.()
        response = handleRequest(registry, request, { peer, ...(remoteIp === undefined ? {} : { remoteIp }) })
        this.#c.requests.inc({ type: request.type, status: response?.status ?? 'none' })
        this.#c.records.set(registry.size)
        if (request.type === MessageType.REGISTER && response?.status === Status.OK) {
          const topic = new TextDecoder().decode(request.topic)
          this.#c.events.safeDispatchEvent('rendezvous:registered', { peer, topic })
        }
      } catch (error) {
        if (error instanceof TimeoutError) return this.#refuse(stream, peer, 'timeout', error)
        if (!(error instanceof RendezvousDecodeError)) throw error
        // A request whose type was read gets E_INVALID_CONTENT, as from the Go server.
        response = invalidContentResponse(error.messageType)
        if (response === undefined) return this.#refuse(stream, peer, 'malformed', error)
        this.#count(peer, 'malformed', error)
      }
      if (response === undefined) return stream.abort(new Error('a response is not a request'))
      await stream.sink([encodeMessage(response)])
      await stream.close?.()
    } catch (error) {
      this.#c.log.debug('rendezvous stream from %s failed: %s', peer, error)
      stream.abort(asError(error))
    } finally {
      this.#streams.delete(stream)
      this.#guard.release(peer)
    }
  }

  #refuse(stream: RendezvousStream, peer: string, reason: RendezvousRefusalReason, error: Error): void {
    this.#count(peer, reason, error)
    stream.abort(error)
  }

  #count(peer: string, reason: RendezvousRefusalReason, error: Error): void {
    this.#c.refused.inc({ reason })
    this.#c.log.debug('rendezvous: %s from %s: %s', reason, peer, error.message)
    this.#c.events.safeDispatchEvent('rendezvous:refused', { peer, reason, error })
  }
}

/** The IP of a connection's remote multiaddr (`/ip4/<ip>/tcp/…`), as REMOTEIP answers it. */
function remoteIp(remoteAddr: string): string | undefined {
  return /^\/ip[46]\/([^/]+)/.exec(remoteAddr)?.[1]
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback
  if (!Number.isFinite(resolved) || resolved <= 0)
    throw new InvalidConfigError(`rendezvousServer: ${name} must be positive, got ${value}`)
  return resolved
}

/**
 * The rendezvous server plugin: serves `/rend/0.1.0` on the node's libp2p host. Bad options throw
 * `InvalidConfigError` here.
 */
export function rendezvousServer(init: RendezvousServerInit = {}): Plugin<RendezvousServer> {
  const settings = Object.fromEntries(
    Object.entries(DEFAULTS).map(([name, fallback]) => [
      name,
      positive(name, init[name as keyof typeof DEFAULTS], fallback),
    ]),
  ) as Settings
  return {
    name: 'rendezvous-server',
    needs: [libp2pHost],
    create(components: Components): RendezvousServer {
      const { metrics } = components
      return new RendezvousServer(settings, init.clock ?? systemClock, {
        host: components.get(libp2pHost),
        log: components.logger.forComponent('rendezvous-server'),
        events: components.events,
        requests: metrics.counter({
          name: 'parley_rendezvous_server_requests_total',
          help: 'Rendezvous requests answered, by message type and response status',
          labelNames: ['type', 'status'],
        }),
        refused: metrics.counter({
          name: 'parley_rendezvous_server_refused_total',
          help: 'Rendezvous streams refused or answered with an error before reaching the registry, by reason',
          labelNames: ['reason'],
        }),
        records: metrics.gauge({
          name: 'parley_rendezvous_server_records',
          help: 'Registrations the rendezvous server holds',
        }),
      })
    },
  }
}
