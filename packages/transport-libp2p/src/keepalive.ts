/**
 * Keep-alive as nwaku runs it: every interval (nwaku: 2 minutes, 20% of its 10-minute stream idle
 * timeout) ping each peer we hold an outbound connection to, since each side keeps its own outgoing
 * connections alive. nwaku only counts failures (`waku_node_errors{type="keep_alive_failure"}`);
 * here a peer that fails `maxFailures` rounds in a row is also hung up, so dead links do not linger.
 */
import type { Counter, Logger } from '@parley/interfaces'
import type { Libp2pNode } from './node.ts'

export interface KeepAliveOptions {
  /** ms between rounds; 0 turns keep-alive off */
  interval: number
  /** consecutive failed pings after which the peer is hung up */
  maxFailures: number
}

export interface KeepAliveMetrics {
  pings: Counter
  failures: Counter
  hangUps: Counter
}

type PeerId = ReturnType<Libp2pNode['getPeers']>[number]

/** A ping unanswered this long fails. Rounds never overlap: the next is scheduled when one ends. */
const PING_TIMEOUT = 10_000

export class KeepAlive {
  readonly #node: Libp2pNode
  readonly #options: KeepAliveOptions
  readonly #log: Logger
  readonly #metrics: KeepAliveMetrics
  readonly #failures = new Map<string, number>()
  readonly #stopped = new AbortController()
  #timer: ReturnType<typeof setTimeout> | undefined
  #round: Promise<void> | undefined

  constructor(node: Libp2pNode, options: KeepAliveOptions, log: Logger, metrics: KeepAliveMetrics) {
    this.#node = node
    this.#options = options
    this.#log = log
    this.#metrics = metrics
  }

  start(): void {
    if (this.#options.interval > 0) this.#schedule()
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer)
    this.#stopped.abort()
    await this.#round
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#round = this.#pingAll().finally(() => {
        this.#round = undefined
        if (!this.#stopped.signal.aborted) this.#schedule()
      })
    }, this.#options.interval)
  }

  async #pingAll(): Promise<void> {
    const outbound = new Map<string, PeerId>()
    for (const connection of this.#node.getConnections())
      if (connection.direction === 'outbound' && connection.status === 'open')
        outbound.set(connection.remotePeer.toString(), connection.remotePeer)
    // forget peers that are gone, so a later reconnection starts with a clean slate
    for (const id of this.#failures.keys()) if (!outbound.has(id)) this.#failures.delete(id)
    await Promise.all([...outbound].map(([id, peer]) => this.#ping(peer, id)))
  }

  async #ping(peer: PeerId, id: string): Promise<void> {
    const signal = AbortSignal.any([this.#stopped.signal, AbortSignal.timeout(PING_TIMEOUT)])
    this.#metrics.pings.inc()
    try {
      await this.#node.services.ping.ping(peer, { signal })
      this.#failures.delete(id)
    } catch (error) {
      if (this.#stopped.signal.aborted) return
      const failures = (this.#failures.get(id) ?? 0) + 1
      this.#metrics.failures.inc()
      this.#log(
        `keep-alive ping to ${id} failed (${failures}/${this.#options.maxFailures}): ${String(error)}`,
      )
      if (failures < this.#options.maxFailures) {
        this.#failures.set(id, failures)
        return
      }
      this.#failures.delete(id)
      this.#metrics.hangUps.inc()
      await this.#node.hangUp(peer, { signal: this.#stopped.signal }).catch(() => undefined)
    }
  }
}
