/**
 * Static peers (nwaku's `--staticnode`): dialled at start and redialled whenever their last
 * connection closes, with a back-off that doubles from `initialDelay` to `maxDelay` while dials fail
 * and resets once one succeeds.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Logger } from '@parley/interfaces'
import type { Libp2pNode } from './node.ts'

export interface StaticPeerOptions {
  /** multiaddrs ending in `/p2p/<peer id>` */
  peers: readonly Multiaddr[]
  /** ms before the first redial after a disconnect or failed dial */
  initialDelay: number
  /** ms cap of the doubling back-off */
  maxDelay: number
}

interface Entry {
  id: string
  address: Multiaddr
  delay: number
  timer: ReturnType<typeof setTimeout> | undefined
  dialling: boolean
}

export class StaticPeers {
  readonly #node: Libp2pNode
  readonly #options: StaticPeerOptions
  readonly #log: Logger
  readonly #byPeer = new Map<string, Entry>()
  readonly #stopped = new AbortController()

  constructor(node: Libp2pNode, options: StaticPeerOptions, log: Logger) {
    this.#node = node
    this.#options = options
    this.#log = log
    for (const address of options.peers) {
      const id = address.getPeerId()
      if (id !== null)
        this.#byPeer.set(id, { id, address, delay: options.initialDelay, timer: undefined, dialling: false })
    }
  }

  start(): void {
    this.#node.addEventListener('peer:disconnect', this.#onDisconnect)
    for (const entry of this.#byPeer.values()) void this.#dial(entry)
  }

  stop(): void {
    this.#stopped.abort()
    this.#node.removeEventListener('peer:disconnect', this.#onDisconnect)
    for (const entry of this.#byPeer.values()) clearTimeout(entry.timer)
  }

  readonly #onDisconnect = (event: CustomEvent<{ toString(): string }>): void => {
    const entry = this.#byPeer.get(event.detail.toString())
    if (entry !== undefined) this.#later(entry)
  }

  #later(entry: Entry): void {
    if (this.#stopped.signal.aborted || entry.timer !== undefined || entry.dialling) return
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      void this.#dial(entry)
    }, entry.delay)
  }

  async #dial(entry: Entry): Promise<void> {
    if (this.#stopped.signal.aborted || entry.dialling) return
    entry.dialling = true
    try {
      await this.#node.dial(entry.address, { signal: this.#stopped.signal })
      entry.delay = this.#options.initialDelay
    } catch (error) {
      if (this.#stopped.signal.aborted) return
      this.#log(
        `static peer ${entry.address.toString()} dial failed, retry in ${entry.delay} ms: ${String(error)}`,
      )
      entry.dialling = false
      this.#later(entry)
      entry.delay = Math.min(entry.delay * 2, this.#options.maxDelay)
      return
    } finally {
      entry.dialling = false
    }
    // the connection may have closed while the dial resolved, before a disconnect could be seen
    if (!this.#node.getPeers().some((peer) => peer.toString() === entry.id)) this.#later(entry)
  }
}
