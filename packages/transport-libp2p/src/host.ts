/** `Libp2pHostService`: one js-libp2p node per start, with the node's secp256k1 key as its identity. */
import { generatePrivateKey } from '@parley/crypto'
import {
  AbortError,
  type AbortOptions,
  InvalidParametersError,
  type Libp2pHost,
  type Libp2pPeerInfo,
  type Libp2pStreamHandler,
  type Logger,
  type NodeIdentity,
  NotStartedError,
  type ParleyEvents,
  type TypedEventTarget,
} from '@parley/interfaces'
import { dialTarget, parseMultiaddr, withPeerId } from './addresses.ts'
import { ConnectedPeers } from './connections.ts'
import { KeepAlive } from './keepalive.ts'
import type { Libp2pHostMetrics } from './metrics.ts'
import {
  cancelAddressDebounce,
  createNode,
  type Libp2pHostOptions,
  type Libp2pNode,
  type Libp2pServiceFactory,
  type Libp2pStream,
} from './node.ts'
import { HostProtocols } from './protocols.ts'
import { StaticPeers } from './static-peers.ts'

export interface Libp2pHostComponents {
  log: Logger
  metrics: Libp2pHostMetrics
  events: TypedEventTarget<ParleyEvents>
  identity: NodeIdentity | undefined
}

function abortError(signal: AbortSignal, what = 'libp2p host start'): AbortError {
  return new AbortError(`${what} aborted`, { cause: signal.reason })
}

function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true
}

export class Libp2pHostService implements Libp2pHost {
  readonly #options: Libp2pHostOptions
  readonly #components: Libp2pHostComponents
  readonly #protocols: HostProtocols
  readonly #peers: ConnectedPeers
  /** Generated once, so a host without a configured key keeps its peer id across restarts. */
  #generatedKey: Uint8Array | undefined
  #node: Libp2pNode | undefined
  /** keep-alive and static-peer loops of the running node */
  #loops: { keepAlive: KeepAlive; staticPeers: StaticPeers } | undefined
  #starting: Promise<void> | undefined
  #stopping: Promise<void> | undefined

  constructor(options: Libp2pHostOptions, components: Libp2pHostComponents) {
    this.#options = options
    this.#components = components
    this.#protocols = new HostProtocols(components.log)
    this.#peers = new ConnectedPeers(components.metrics, components.events)
  }

  /** The running js-libp2p node, for Waku v2 protocol plugins (gossipsub, store, …). */
  get node(): Libp2pNode {
    if (this.#node === undefined) throw new NotStartedError('libp2p host is not started')
    return this.#node
  }

  get peerId(): string {
    return this.node.peerId.toString()
  }

  isStarted(): boolean {
    return this.#node !== undefined && this.#starting === undefined
  }

  multiaddrs(): string[] {
    return this.node.getMultiaddrs().map((address) => address.toString())
  }

  connectedPeers(): string[] {
    return this.node.getPeers().map((peer) => peer.toString())
  }

  async dial(address: string, options: AbortOptions = {}): Promise<void> {
    const parsed = parseMultiaddr(address)
    await this.node.dial(parsed, { signal: options.signal })
  }

  async peerInfo(options: AbortOptions = {}): Promise<Libp2pPeerInfo[]> {
    const node = this.node
    return Promise.all(
      node.getPeers().map(async (peer) => {
        const id = peer.toString()
        const addresses = node.getConnections(peer).map((connection) => withPeerId(connection.remoteAddr, id))
        // identify fills the peer store; a peer not identified yet has no protocols
        const stored = await node.peerStore.get(peer, { signal: options.signal }).catch(() => undefined)
        return { id, addresses: [...new Set(addresses)], protocols: [...(stored?.protocols ?? [])].sort() }
      }),
    )
  }

  async dialProtocol(
    peer: string,
    protocols: string | readonly string[],
    options: AbortOptions = {},
  ): Promise<Libp2pStream> {
    const target = dialTarget(peer)
    const wanted = typeof protocols === 'string' ? [protocols] : [...protocols]
    if (wanted.length === 0) throw new InvalidParametersError('dialProtocol needs a protocol')
    if (options.signal?.aborted === true) throw abortError(options.signal, 'dialProtocol')
    return this.node.dialProtocol(target, wanted, { signal: options.signal })
  }

  async handle(protocol: string, handler: Libp2pStreamHandler): Promise<void> {
    await this.#protocols.handle(this.#node, protocol, handler)
  }

  async unhandle(protocol: string): Promise<void> {
    await this.#protocols.unhandle(this.#node, protocol)
  }

  /**
   * Adds a libp2p service (`node.services[name]`) to every node this host creates from now on. Call it
   * before the host starts, e.g. from a plugin's `create`: a running node cannot gain a service, so
   * a call while started throws `InvalidParametersError`, as does a name already taken.
   */
  addService(name: string, factory: Libp2pServiceFactory): void {
    this.#protocols.addService(name, factory, this.#node !== undefined || this.#starting !== undefined)
  }

  async start(options: AbortOptions = {}): Promise<void> {
    await this.#stopping
    if (this.#starting !== undefined) return this.#starting
    if (this.#node !== undefined) return
    this.#starting = this.#start(options).finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined)
    if (this.#stopping !== undefined) return this.#stopping
    const node = this.#node
    if (node === undefined) return
    this.#stopping = this.#stop(node).finally(() => {
      this.#stopping = undefined
    })
    return this.#stopping
  }

  async #start({ signal }: AbortOptions): Promise<void> {
    if (isAborted(signal)) throw abortError(signal)
    const node = await this.#create({ signal })
    this.#node = node
    this.#peers.attach(node)
    try {
      await this.#protocols.registerAll(node)
      await node.start()
      // libp2p's start takes no signal, so an abort during it is honoured once it returns.
      if (isAborted(signal)) throw abortError(signal)
      const log = this.#components.log
      this.#loops = {
        keepAlive: new KeepAlive(node, this.#options.keepAlive, log, this.#components.metrics.keepAlive),
        staticPeers: new StaticPeers(node, this.#options.staticPeers, log),
      }
      this.#loops.keepAlive.start()
      this.#loops.staticPeers.start()
    } catch (error) {
      await this.#stop(node)
      throw isAborted(signal) ? abortError(signal) : error
    }
    this.#components.log(`libp2p host ${node.peerId.toString()} listening on ${this.multiaddrs().join(' ')}`)
  }

  async #create(options: AbortOptions): Promise<Libp2pNode> {
    const key = this.#options.privateKey ?? this.#components.identity?.privateKey ?? this.#generated()
    const { protocolBytes } = this.#components.metrics
    return createNode(this.#options, key, this.#protocols.services, protocolBytes, options)
  }

  #generated(): Uint8Array {
    this.#generatedKey ??= generatePrivateKey()
    return this.#generatedKey
  }

  async #stop(node: Libp2pNode): Promise<void> {
    const peers = node.getPeers().map((peer) => peer.toString())
    const loops = this.#loops
    this.#loops = undefined
    loops?.staticPeers.stop()
    await loops?.keepAlive.stop()
    try {
      await node.stop()
    } finally {
      cancelAddressDebounce(node)
      this.#peers.detach(node)
      if (this.#node === node) this.#node = undefined
      // libp2p does not emit peer:disconnect for connections it closes while stopping.
      for (const id of peers) this.#peers.gone(id, 'host stopped')
    }
  }
}
