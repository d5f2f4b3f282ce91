/**
 * Dials the Waku v2 peers that discovery reports (DNS lists, discv5) while the libp2p host has room.
 * Static peers and service nodes are not here: transport-libp2p keeps those connected itself
 * (its `staticPeers`, redialled with back-off).
 */
import {
  type Components,
  type Libp2pHost,
  libp2pHost,
  type ParleyEvents,
  type Plugin,
  type Startable,
} from '@parley/interfaces'

export interface Libp2pDialerInit {
  /** discovery sources whose libp2p peers are dialled, by `source` (`dns`, `discv5`) */
  sources: readonly string[]
  /** no discovered peer is dialled while the host has this many */
  maxPeers: number
}

export interface Libp2pDialer extends Startable {
  /** peer ids dialled and not yet settled */
  readonly pending: number
}

const MAX_PENDING = 8

export function libp2pDialer(init: Libp2pDialerInit): Plugin<Libp2pDialer> {
  return {
    name: 'libp2p-dialer',
    needs: [libp2pHost],
    create: (components: Components) => new Dialer(init, components.get(libp2pHost), components),
  }
}

/** The peer id at the end of a multiaddr, if any. */
function peerIdOf(address: string): string | undefined {
  return /\/p2p\/([^/]+)$/.exec(address)?.[1]
}

/**
 * Addresses to try for a discovered Waku peer: the record's ip and tcp (as the enode carries them),
 * then its `multiaddrs` entries, each ending in `/p2p/<id>`.
 */
export function dialAddresses(detail: ParleyEvents['peer:discovery']): string[] {
  const withId = (address: string) =>
    peerIdOf(address) === undefined ? `${address}/p2p/${detail.id}` : address
  const addresses: string[] = []
  const hostPort = detail.enode === undefined ? null : /@([^:/?]+|\[[^\]]+\]):(\d+)/.exec(detail.enode)
  if (hostPort !== null && hostPort[2] !== '0') {
    const host = hostPort[1] ?? ''
    const family = host.startsWith('[') ? `ip6/${host.slice(1, -1)}` : `ip4/${host}`
    addresses.push(`/${family}/tcp/${hostPort[2]}/p2p/${detail.id}`)
  }
  for (const address of detail.multiaddrs ?? []) addresses.push(withId(address))
  return [...new Set(addresses)]
}

class Dialer implements Libp2pDialer {
  readonly #init: Libp2pDialerInit
  readonly #host: Libp2pHost
  readonly #components: Pick<Components, 'events'>
  readonly #log
  readonly #inFlight = new Set<string>()
  #controller = new AbortController()
  #started = false

  constructor(init: Libp2pDialerInit, host: Libp2pHost, components: Components) {
    this.#init = init
    this.#host = host
    this.#components = components
    this.#log = components.logger.forComponent('libp2p-dialer')
  }

  get pending(): number {
    return this.#inFlight.size
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(): Promise<void> {
    if (this.#started) return
    this.#controller = new AbortController()
    this.#components.events.addEventListener('peer:discovery', this.#onDiscovery)
    this.#started = true
  }

  async stop(): Promise<void> {
    this.#started = false
    this.#controller.abort()
    this.#components.events.removeEventListener('peer:discovery', this.#onDiscovery)
  }

  readonly #onDiscovery = (event: CustomEvent<ParleyEvents['peer:discovery']>): void => {
    const detail = event.detail
    if (detail.overlay !== 'libp2p' || !this.#init.sources.includes(detail.source)) return
    const connected = this.#host.connectedPeers()
    if (connected.includes(detail.id) || connected.length + this.#inFlight.size >= this.#init.maxPeers) return
    if (this.#inFlight.size >= MAX_PENDING) return
    const addresses = dialAddresses(detail)
    if (addresses.length > 0) this.#dial(detail.id, addresses)
  }

  /** Tries `addresses` in order until one connects. */
  #dial(id: string, addresses: readonly string[]): void {
    if (this.#inFlight.has(id)) return
    const { signal } = this.#controller
    this.#inFlight.add(id)
    void (async () => {
      for (const address of addresses) {
        if (signal.aborted) return
        try {
          await this.#host.dial(address, { signal })
          this.#log.debug('dialled %s', address)
          return
        } catch (error) {
          this.#log.debug('dial of %s failed: %s', address, error)
        }
      }
    })().finally(() => this.#inFlight.delete(id))
  }
}
