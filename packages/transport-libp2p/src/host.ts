/** `Libp2pHostService`: one js-libp2p node per start, with the node's secp256k1 key as its identity. */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { type Identify, identify } from '@libp2p/identify'
import { mplex } from '@libp2p/mplex'
import { peerIdFromString } from '@libp2p/peer-id'
import { type PingService, ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
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
import { createLibp2p, type Libp2p } from 'libp2p'
import { KeepAlive, type KeepAliveOptions } from './keepalive.ts'
import { libp2pPrivateKey } from './keys.ts'
import type { Libp2pHostMetrics } from './metrics.ts'
import { type StaticPeerOptions, StaticPeers } from './static-peers.ts'
import { protocolByteMetrics } from './stream-metrics.ts'
import { type WebSocketTlsOptions, webSocketTransport } from './websocket.ts'

export type Libp2pMuxer = 'yamux' | 'mplex'

export interface Libp2pHostOptions {
  privateKey: Uint8Array | undefined
  listen: string[]
  maxConnections: number
  muxers: Libp2pMuxer[]
  webSocket: WebSocketTlsOptions
  keepAlive: KeepAliveOptions
  staticPeers: StaticPeerOptions
}

export interface Libp2pHostComponents {
  log: Logger
  metrics: Libp2pHostMetrics
  events: TypedEventTarget<ParleyEvents>
  identity: NodeIdentity | undefined
}

/** The services every host runs; Waku v2 protocol plugins add theirs through `handle` or `node`. */
export interface Libp2pHostServices {
  identify: Identify
  ping: PingService
  [name: string]: unknown
}

export type Libp2pNode = Libp2p<Libp2pHostServices>

/** The stream `dialProtocol` resolves with and handlers receive (js-libp2p's `Stream`). */
export type Libp2pStream = Awaited<ReturnType<Libp2pNode['dialProtocol']>>

/**
 * A libp2p service factory, as `createLibp2p({ services })` takes it (`gossipsub(init)`, …). libp2p
 * builds services only at node creation, so a protocol plugin contributes one before the host starts.
 */
export type Libp2pServiceFactory = (components: never) => unknown

function abortError(signal: AbortSignal, what = 'libp2p host start'): AbortError {
  return new AbortError(`${what} aborted`, { cause: signal.reason })
}

/**
 * libp2p 2.10's address manager is not startable: closing the listeners at stop re-arms a 1 s
 * debounced peer-store update that outlives the node. Cancel it so stop leaves no timer behind.
 */
function cancelAddressDebounce(node: Libp2pNode): void {
  const internals = node as unknown as {
    components?: { addressManager?: { _updatePeerStoreAddresses?: { stop?: () => void } } }
  }
  internals.components?.addressManager?._updatePeerStoreAddresses?.stop?.()
}

function withPeerId(address: Multiaddr, id: string): string {
  const text = address.toString()
  return text.endsWith(`/p2p/${id}`) ? text : `${text}/p2p/${id}`
}

/** A multiaddr ending in `/p2p/<id>`, or a bare peer id; throws `InvalidParametersError`. */
function dialTarget(peer: string): Multiaddr | ReturnType<typeof peerIdFromString> {
  try {
    if (!peer.startsWith('/')) return peerIdFromString(peer)
    const address = multiaddr(peer)
    if (address.getPeerId() === null) throw new InvalidParametersError('no /p2p/<peer id>')
    return address
  } catch (cause) {
    throw new InvalidParametersError(`not a peer id or a multiaddr ending in /p2p/<id>: ${peer}`, { cause })
  }
}

function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true
}

export class Libp2pHostService implements Libp2pHost {
  readonly #options: Libp2pHostOptions
  readonly #components: Libp2pHostComponents
  /** Handlers survive restarts: they are applied to each new node at start. */
  readonly #handlers = new Map<string, Libp2pStreamHandler>()
  /** Services contributed by protocol plugins; each new node (every start) gets a fresh instance. */
  readonly #services = new Map<string, Libp2pServiceFactory>()
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
    let parsed: ReturnType<typeof multiaddr>
    try {
      parsed = multiaddr(address)
    } catch (cause) {
      throw new InvalidParametersError(`not a multiaddr: ${address}`, { cause })
    }
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
    this.#handlers.set(protocol, handler)
    if (this.#node !== undefined) await this.#register(this.#node, protocol, handler)
  }

  async unhandle(protocol: string): Promise<void> {
    this.#handlers.delete(protocol)
    if (this.#node !== undefined) await this.#node.unhandle(protocol)
  }

  /**
   * Adds a libp2p service (`node.services[name]`) to every node this host creates from now on. Call it
   * before the host starts, e.g. from a plugin's `create`: a running node cannot gain a service, so
   * a call while started throws `InvalidParametersError`, as does a name already taken.
   */
  addService(name: string, factory: Libp2pServiceFactory): void {
    if (name === 'identify' || name === 'ping' || this.#services.has(name))
      throw new InvalidParametersError(`libp2p service "${name}" is already registered`)
    if (this.#node !== undefined || this.#starting !== undefined)
      throw new InvalidParametersError(`libp2p service "${name}" added after the host started`)
    this.#services.set(name, factory)
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
    node.addEventListener('peer:connect', this.#onConnect)
    node.addEventListener('peer:disconnect', this.#onDisconnect)
    try {
      for (const [protocol, handler] of this.#handlers) await this.#register(node, protocol, handler)
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
    const muxers = { yamux: yamux(), mplex: mplex() }
    return createLibp2p<Libp2pHostServices>({
      start: false,
      privateKey: libp2pPrivateKey(key),
      addresses: { listen: this.#options.listen },
      transports: [tcp(), await webSocketTransport(this.#options.webSocket, options)],
      connectionEncrypters: [noise()],
      streamMuxers: this.#options.muxers.map((name) => muxers[name]),
      connectionManager: { maxConnections: this.#options.maxConnections },
      services: { ...Object.fromEntries(this.#services), identify: identify(), ping: ping() },
      metrics: protocolByteMetrics(this.#components.metrics.protocolBytes),
    })
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
      node.removeEventListener('peer:connect', this.#onConnect)
      node.removeEventListener('peer:disconnect', this.#onDisconnect)
      if (this.#node === node) this.#node = undefined
      // libp2p does not emit peer:disconnect for connections it closes while stopping.
      for (const id of peers) this.#peerGone(id, 'host stopped')
    }
  }

  async #register(node: Libp2pNode, protocol: string, handler: Libp2pStreamHandler): Promise<void> {
    await node.unhandle(protocol)
    await node.handle(protocol, ({ stream, connection }) => {
      const source = { remoteAddr: connection.remoteAddr.toString() }
      Promise.resolve(handler(stream, connection.remotePeer.toString(), source)).catch((error: unknown) => {
        this.#components.log(`handler for ${protocol} failed: ${String(error)}`)
        stream.abort(error instanceof Error ? error : new Error(String(error)))
      })
    })
  }

  readonly #connected = new Set<string>()

  readonly #onConnect = (event: CustomEvent<{ toString(): string }>): void => {
    const id = event.detail.toString()
    if (this.#connected.has(id)) return
    this.#connected.add(id)
    this.#components.metrics.connections.inc()
    this.#components.metrics.peers.set(this.#connected.size)
    this.#components.events.safeDispatchEvent('peer:connect', { id, overlay: 'libp2p' })
  }

  readonly #onDisconnect = (event: CustomEvent<{ toString(): string }>): void => {
    this.#peerGone(event.detail.toString())
  }

  #peerGone(id: string, reason?: string): void {
    if (!this.#connected.delete(id)) return
    this.#components.metrics.disconnections.inc()
    this.#components.metrics.peers.set(this.#connected.size)
    this.#components.events.safeDispatchEvent('peer:disconnect', {
      id,
      overlay: 'libp2p',
      ...(reason === undefined ? {} : { reason }),
    })
  }
}
