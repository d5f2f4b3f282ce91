/** The stream handlers and services protocol plugins give the host: kept across restarts, applied to each new node. */
import { InvalidParametersError, type Libp2pStreamHandler, type Logger } from '@parley/interfaces'
import type { Libp2pNode, Libp2pServiceFactory } from './node.ts'

export class HostProtocols {
  readonly #log: Logger
  /** Handlers survive restarts: they are applied to each new node at start. */
  readonly #handlers = new Map<string, Libp2pStreamHandler>()
  /** Services contributed by protocol plugins; each new node (every start) gets a fresh instance. */
  readonly #services = new Map<string, Libp2pServiceFactory>()

  constructor(log: Logger) {
    this.#log = log
  }

  get services(): ReadonlyMap<string, Libp2pServiceFactory> {
    return this.#services
  }

  /** Keeps `handler` for every node, and registers it on `node` when one is running. */
  async handle(node: Libp2pNode | undefined, protocol: string, handler: Libp2pStreamHandler): Promise<void> {
    this.#handlers.set(protocol, handler)
    if (node !== undefined) await this.#register(node, protocol, handler)
  }

  async unhandle(node: Libp2pNode | undefined, protocol: string): Promise<void> {
    this.#handlers.delete(protocol)
    if (node !== undefined) await node.unhandle(protocol)
  }

  /** Throws `InvalidParametersError` for a name already taken, or once a node exists (`started`). */
  addService(name: string, factory: Libp2pServiceFactory, started: boolean): void {
    if (name === 'identify' || name === 'ping' || this.#services.has(name))
      throw new InvalidParametersError(`libp2p service "${name}" is already registered`)
    if (started) throw new InvalidParametersError(`libp2p service "${name}" added after the host started`)
    this.#services.set(name, factory)
  }

  /** Registers every kept handler on a new node. */
  async registerAll(node: Libp2pNode): Promise<void> {
    for (const [protocol, handler] of this.#handlers) await this.#register(node, protocol, handler)
  }

  async #register(node: Libp2pNode, protocol: string, handler: Libp2pStreamHandler): Promise<void> {
    await node.unhandle(protocol)
    await node.handle(protocol, ({ stream, connection }) => {
      const source = { remoteAddr: connection.remoteAddr.toString() }
      Promise.resolve(handler(stream, connection.remotePeer.toString(), source)).catch((error: unknown) => {
        this.#log(`handler for ${protocol} failed: ${String(error)}`)
        stream.abort(error instanceof Error ? error : new Error(String(error)))
      })
    })
  }
}
