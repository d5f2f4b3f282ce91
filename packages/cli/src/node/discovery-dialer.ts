/**
 * Dials the devp2p peers that discovery reports (`peer:discovery` with an enode), so nodes found in
 * an EIP-1459 tree become connections. Static peers are not its business: the host redials those.
 */
import {
  type Components,
  type Devp2pHost,
  devp2pHost,
  type ParleyEvents,
  type Plugin,
  type Startable,
} from '@parley/interfaces'

export interface DiscoveryDialerInit {
  /** discovery sources to follow, by `source` (`dns`) */
  sources: readonly string[]
  /** no dial while the host has this many peers */
  maxPeers: number
  /** dials in flight at once; default 8 */
  maxPending?: number
}

export interface DiscoveryDialer extends Startable {
  /** enode ids dialled and not yet settled */
  readonly pending: number
}

const DEFAULT_MAX_PENDING = 8

export function discoveryDialer(init: DiscoveryDialerInit): Plugin<DiscoveryDialer> {
  return {
    name: 'discovery-dialer',
    needs: [devp2pHost],
    create(components: Components): DiscoveryDialer {
      const host = components.get(devp2pHost)
      return new Dialer(init, host, components)
    },
  }
}

type DiscoveryEvent = CustomEvent<ParleyEvents['peer:discovery']>

class Dialer implements DiscoveryDialer {
  readonly #init: DiscoveryDialerInit
  readonly #host: Devp2pHost
  readonly #components: Pick<Components, 'events' | 'logger'>
  readonly #log
  readonly #inFlight = new Set<string>()
  /** aborts the dials in flight at stop; a fresh one per run */
  #controller = new AbortController()
  #started = false

  constructor(init: DiscoveryDialerInit, host: Devp2pHost, components: Components) {
    this.#init = init
    this.#host = host
    this.#components = components
    this.#log = components.logger.forComponent('discovery-dialer')
    // Listening from creation: a discovery source that starts before us may report at once.
    components.events.addEventListener('peer:discovery', this.#onDiscovery)
  }

  get pending(): number {
    return this.#inFlight.size
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(): Promise<void> {
    if (this.#controller.signal.aborted) this.#controller = new AbortController()
    this.#components.events.addEventListener('peer:discovery', this.#onDiscovery)
    this.#started = true
  }

  async stop(): Promise<void> {
    this.#started = false
    this.#controller.abort()
    this.#components.events.removeEventListener('peer:discovery', this.#onDiscovery)
  }

  readonly #onDiscovery = (event: DiscoveryEvent): void => {
    const { enode, id, source } = event.detail
    if (enode === undefined || !this.#init.sources.includes(source)) return
    // Before our start is fine (a source may report first); a host that is not listening is not.
    if (this.#controller.signal.aborted || this.#host.enode === undefined || this.#inFlight.has(id)) return
    if (this.#inFlight.size >= (this.#init.maxPending ?? DEFAULT_MAX_PENDING)) return
    if (this.#host.peers().length + this.#inFlight.size >= this.#init.maxPeers) return
    if (this.#host.peers().some((peer) => peer.id === id)) return
    const { signal } = this.#controller
    this.#inFlight.add(id)
    this.#host
      .dial(enode, { signal })
      .then(
        () => this.#log.debug('dialled %s peer %s', source, enode),
        (error: unknown) => this.#log.debug('dial of %s peer %s failed: %s', source, enode, error),
      )
      .finally(() => this.#inFlight.delete(id))
  }
}
