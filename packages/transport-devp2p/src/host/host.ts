/**
 * The devp2p host: listens for RLPx connections, dials enode URLs, keeps the peer set (limits,
 * duplicates, self), redials static peers, and routes capability messages to registered handlers.
 * `node:net` is imported when the host starts, so loading the package still does not need Node.
 */
import type { Server, Socket } from 'node:net'
import { generatePrivateKey, loadCrypto, nodeIdFromPublicKey } from '@parley/crypto'
import type {
  AbortOptions,
  Devp2pHost,
  Devp2pNodeInfo,
  Devp2pPeerInfo,
  Logger,
  NodeIdentity,
  ParleyEvents,
  Secp256k1Provider,
  TypedEventTarget,
} from '@parley/interfaces'
import {
  AbortError,
  InvalidParametersError,
  LimitExceededError,
  NotStartedError,
  TimeoutError,
} from '@parley/interfaces'
import { DISCONNECT_REASONS } from '../p2p/messages.ts'
import { RlpxConnection, type RlpxConnectionOptions } from '../tcp/connection.ts'
import { type Devp2pCapabilityWithInfo, describeNode, describePeer } from './admin.ts'
import { CapabilityHandlers } from './capabilities.ts'
import { formatEnode, parseEnode } from './enode.ts'
import { Lifecycle } from './lifecycle.ts'
import type { HostMetrics } from './metrics.ts'
import type { Devp2pHostPeer } from './peer.ts'
import { type Admission, PeerTable } from './peer-table.ts'
import type { RedialDelay } from './redial.ts'
import { connectSocket, listen, waitForClose } from './sockets.ts'
import { StaticPeers } from './static-peers.ts'

export interface Devp2pHostOptions {
  privateKey?: Uint8Array
  host: string
  port: number
  maxPeers: number
  clientId: string
  staticPeers: readonly string[]
  dialTimeoutMs: number
  redialDelay?: RedialDelay
  pingIntervalMs?: number
  readTimeoutMs?: number
}

export interface Devp2pHostComponents {
  log: Logger
  metrics: HostMetrics
  events: TypedEventTarget<ParleyEvents>
  identity?: NodeIdentity
}

/** Handshakes in flight at once, go-ethereum's default `MaxPendingPeers`; more are closed unread. */
const MAX_PENDING_HANDSHAKES = 50

/** How long `stop` waits for a peer to close its side after our Disconnect. */
const CLOSE_GRACE_MS = 1000

export class Devp2pHostService implements Devp2pHost {
  readonly #options: Devp2pHostOptions
  readonly #components: Devp2pHostComponents
  readonly #handlers: CapabilityHandlers
  readonly #peers: PeerTable
  readonly #dialing = new Set<string>()
  readonly #sockets = new Set<Socket>()
  readonly #handshakes = new Set<AbortController>()
  readonly #static: StaticPeers
  readonly #life = new Lifecycle()
  #server: Server | undefined
  #net: typeof import('node:net') | undefined
  #secp: Secp256k1Provider | undefined
  #privateKey: Uint8Array | undefined
  #nodeId: string | undefined
  #enode: string | undefined
  #port = 0

  constructor(options: Devp2pHostOptions, components: Devp2pHostComponents) {
    this.#options = options
    this.#components = components
    this.#static = new StaticPeers(options.staticPeers, options.redialDelay, {
      wanted: (id) => this.#life.started && !this.#peers.has(id) && !this.#dialing.has(id),
      dial: (url) => this.dial(url),
      failed: (url, error) => {
        this.#components.metrics.handshakeFailed('outbound', error)
        this.#components.log.debug('static peer %s: %s', url, error.message)
      },
    })
    this.#handlers = new CapabilityHandlers((peer, error, during) => this.#handlerFailed(peer, error, during))
    this.#peers = new PeerTable({
      metrics: components.metrics,
      events: components.events,
      handlers: this.#handlers,
      staticPeers: this.#static,
      maxPeers: options.maxPeers,
      started: () => this.#life.started,
    })
  }

  /** This node's id (128 hex digits); known from the first `start` on. */
  get nodeId(): string {
    if (this.#nodeId === undefined) throw new NotStartedError('the node id is known once the host starts')
    return this.#nodeId
  }

  get enode(): string | undefined {
    return this.#enode
  }

  isStarted(): boolean {
    return this.#life.started
  }

  /** Registers a subprotocol; it may also report admin info (`Devp2pCapabilityWithInfo`). */
  registerCapability(capability: Devp2pCapabilityWithInfo): void {
    if (this.#life.state !== 'stopped')
      throw new InvalidParametersError('register capabilities before the devp2p host starts')
    this.#handlers.register(capability)
  }

  peers(): Devp2pHostPeer[] {
    return this.#peers.list()
  }

  /** geth's `admin_addPeer`: a static peer, dialled now (or at start) and redialled when dropped. */
  addPeer(enode: string): void {
    if (parseEnode(enode).nodeId === this.#nodeId)
      throw new InvalidParametersError('a node cannot add itself')
    this.#static.add(enode)
  }

  /** geth's `admin_removePeer`: no longer static, and disconnected; false when neither. */
  removePeer(enode: string): boolean {
    const { nodeId } = parseEnode(enode)
    const wasStatic = this.#static.remove(nodeId)
    const peer = this.#peers.get(nodeId)
    peer?.disconnect(DISCONNECT_REASONS.requested)
    return wasStatic || peer !== undefined
  }

  peerInfo(): Devp2pPeerInfo[] {
    const capabilities = this.#handlers.list
    return this.peers().map((peer) =>
      describePeer(peer, { capabilities, isStatic: this.#static.has(peer.id), isTrusted: false }),
    )
  }

  nodeInfo(): Devp2pNodeInfo {
    const { host, clientId } = this.#options
    const capabilities = this.#handlers.list
    return describeNode({ nodeId: this.nodeId, clientId, host, port: this.#port, capabilities })
  }

  start(options: AbortOptions = {}): Promise<void> {
    return this.#life.start(
      () => this.#start(options.signal),
      () => {
        this.#components.log.info('devp2p host listening as %s', this.#enode)
        this.#static.dialAll()
      },
      options.signal,
    )
  }

  async #start(signal: AbortSignal | undefined): Promise<void> {
    const [{ secp256k1 }, net] = await Promise.all([loadCrypto({ signal }), import('node:net')])
    if (signal?.aborted) throw new AbortError('devp2p host start was aborted')
    this.#net = net
    this.#secp = secp256k1
    // Resolved once, so a restarted host keeps its node id.
    this.#privateKey ??=
      this.#options.privateKey ?? this.#components.identity?.privateKey ?? generatePrivateKey()
    this.#nodeId = nodeIdFromPublicKey(secp256k1.getPublicKey(this.#privateKey, false))
    const server = net.createServer((socket) => this.#onInbound(socket))
    this.#port = await listen(server, this.#options.host, this.#options.port, signal)
    this.#server = server
    this.#enode = formatEnode(this.#nodeId, this.#options.host, this.#port)
  }

  stop(_options: AbortOptions = {}): Promise<void> {
    return this.#life.stop(() => this.#stop())
  }

  async #stop(): Promise<void> {
    this.#static.stop()
    for (const handshake of this.#handshakes) handshake.abort()
    for (const peer of this.#peers.list()) peer.disconnect(DISCONNECT_REASONS.quitting)
    const server = this.#server
    this.#server = undefined
    this.#enode = undefined
    const closed = server && new Promise<void>((resolve) => server.close(() => resolve()))
    await Promise.all([...this.#sockets].map((socket) => waitForClose(socket, CLOSE_GRACE_MS)))
    await closed
    this.#components.log.info('devp2p host stopped')
  }

  async dial(enode: string, options: AbortOptions = {}): Promise<Devp2pHostPeer> {
    if (!this.#life.started || this.#net === undefined) throw new NotStartedError()
    const address = parseEnode(enode)
    if (address.nodeId === this.#nodeId) throw new InvalidParametersError('a node cannot dial itself')
    if (this.#peers.has(address.nodeId) || this.#dialing.has(address.nodeId))
      throw new InvalidParametersError(`already connected or dialling ${address.nodeId.slice(0, 16)}…`)
    if (this.#peers.size >= this.#options.maxPeers)
      throw new LimitExceededError(`already at maxPeers (${this.#options.maxPeers})`)
    if (options.signal?.aborted) throw new AbortError('the dial was aborted')
    const controller = new AbortController()
    const abort = (): void => controller.abort()
    options.signal?.addEventListener('abort', abort, { once: true })
    const timer = setTimeout(abort, this.#options.dialTimeoutMs)
    this.#handshakes.add(controller)
    this.#dialing.add(address.nodeId)
    try {
      const socket = await connectSocket(this.#net, address.host, address.tcpPort, controller.signal)
      this.#track(socket)
      const admission: Admission = { early: [] }
      const connection = await RlpxConnection.dial(
        socket,
        address.publicKey,
        this.#connectionOptions(admission),
        { signal: controller.signal },
      )
      return this.#peers.admit(connection, socket, 'outbound', admission, this.nodeId)
    } catch (error) {
      if (options.signal?.aborted) throw new AbortError('the dial was aborted', { cause: error })
      if (controller.signal.aborted && this.#life.started)
        throw new TimeoutError(`dialling ${address.host}:${address.tcpPort} timed out`, { cause: error })
      throw error
    } finally {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', abort)
      this.#handshakes.delete(controller)
      this.#dialing.delete(address.nodeId)
    }
  }

  #onInbound(socket: Socket): void {
    if (!this.#life.started || this.#handshakes.size >= MAX_PENDING_HANDSHAKES) {
      socket.destroy()
      return
    }
    this.#track(socket)
    const controller = new AbortController()
    this.#handshakes.add(controller)
    const admission: Admission = { early: [] }
    RlpxConnection.accept(socket, this.#connectionOptions(admission), { signal: controller.signal })
      .then((connection) => this.#peers.admit(connection, socket, 'inbound', admission, this.nodeId))
      .catch((error: Error) => {
        this.#components.metrics.handshakeFailed('inbound', error)
        this.#components.log.debug('inbound connection refused: %s', error.message)
      })
      .finally(() => this.#handshakes.delete(controller))
  }

  #connectionOptions(admission: Admission): RlpxConnectionOptions {
    return {
      secp: this.#secp as Secp256k1Provider,
      privateKey: this.#privateKey as Uint8Array,
      clientId: this.#options.clientId,
      listenPort: this.#port,
      capabilities: this.#handlers.list,
      handshakeTimeoutMs: this.#options.dialTimeoutMs,
      pingIntervalMs: this.#options.pingIntervalMs,
      readTimeoutMs: this.#options.readTimeoutMs,
      onMessage: (capability, code, data) => this.#peers.received(admission, capability, code, data),
      onClose: (reason, remote, error) => {
        this.#components.metrics.disconnected(reason, remote)
        if (error !== undefined) this.#components.log.debug('session ended: %s', error.message)
        this.#peers.closed(admission, reason)
      },
    }
  }

  /** A capability handler threw or rejected: that peer ends with `subprotocolError`. */
  #handlerFailed(peer: Devp2pHostPeer, error: unknown, during: string): void {
    this.#components.metrics.handlerFailed()
    this.#components.log.warn('%s failed for %s: %s', during, peer.id.slice(0, 16), error)
    peer.disconnect(DISCONNECT_REASONS.subprotocolError)
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket)
    this.#components.metrics.trackSocket(socket)
    socket.once('close', () => this.#sockets.delete(socket))
  }
}
