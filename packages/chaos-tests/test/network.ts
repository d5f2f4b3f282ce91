/**
 * The chaos network harness: starts and kills nodes by name, publishes the DNS tree on a loopback
 * server, and checks what recovery means here: the live members form one connected Waku v1 mesh,
 * and a message posted now reaches every one of them.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ParleyNode } from '@parley/core'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { buildTree, type DnsTreeServer, serveTree } from '@parley/discovery-dns'
import { addressEntries, enrToText, signEnr } from '@parley/enr'
import { devp2pHost, libp2pHost, type Secp256k1Provider, waku1Protocol } from '@parley/interfaces'
import type { PeerPool } from '@parley/peer-pool'
import { LOOPBACK, type NodeSpec, POW } from './nodes.ts'
import { waitUntil } from './wait.ts'

/** The Waku v1 topic of the test messages ("CHAS"). */
export const TOPIC = '0x43484153'
const DOMAIN = 'nodes.chaos.parley'

export class ChaosNetwork {
  readonly secp: Secp256k1Provider
  /** the members' SQLite caches live here */
  readonly dir: string
  readonly #live = new Map<string, ParleyNode>()
  readonly #treeKey = generatePrivateKey()
  #treeSeq = 0
  #dns: DnsTreeServer | undefined
  #treeUrl: string | undefined

  private constructor(secp: Secp256k1Provider, dir: string) {
    this.secp = secp
    this.dir = dir
  }

  static async open(): Promise<ChaosNetwork> {
    const { secp256k1 } = await loadCrypto()
    return new ChaosNetwork(secp256k1, await mkdtemp(join(tmpdir(), 'parley-chaos-')))
  }

  get treeUrl(): string {
    if (this.#treeUrl === undefined) throw new Error('no tree published yet')
    return this.#treeUrl
  }

  get dnsServer(): string {
    if (this.#dns === undefined) throw new Error('no tree published yet')
    return `${LOOPBACK}:${this.#dns.port}`
  }

  /** Publishes a tree listing `bootnodes` (started, so their ports are known), seq one higher each time. */
  async publish(bootnodes: readonly NodeSpec[]): Promise<void> {
    this.#treeSeq += 1
    const enrs = bootnodes.map((spec) =>
      enrToText(
        signEnr(
          { seq: this.#treeSeq, entries: addressEntries({ ip: LOOPBACK, tcp: spec.port, udp: spec.port }) },
          spec.privateKey,
          this.secp,
        ),
      ),
    )
    const tree = buildTree({ enrs, links: [], seq: this.#treeSeq, domain: DOMAIN }, this.#treeKey, this.secp)
    this.#treeUrl = tree.url
    if (this.#dns === undefined) this.#dns = await serveTree(tree.records, { address: LOOPBACK, port: 0 })
    else this.#dns.setRecords(tree.records)
  }

  /** Starts `node` as `spec`, and remembers the port it got so a restart keeps it. */
  async start(spec: NodeSpec, node: ParleyNode): Promise<ParleyNode> {
    if (this.#live.has(spec.name)) throw new Error(`${spec.name} is already running`)
    this.#live.set(spec.name, node)
    await node.start()
    spec.port = node.has(devp2pHost) ? enodePort(node) : libp2pPort(node)
    return node
  }

  /** Stops the named nodes at once (a graceful stop: their peers see the disconnect). */
  async kill(names: readonly string[]): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        const node = this.node(name)
        this.#live.delete(name)
        await node.stop()
      }),
    )
  }

  node(name: string): ParleyNode {
    const node = this.#live.get(name)
    if (node === undefined) throw new Error(`${name} is not running`)
    return node
  }

  /** True when the named live nodes are one connected graph of Waku v1 peers, each with a peer. */
  meshed(names: readonly string[]): boolean {
    return connected(names, (name) => this.node(name).get(waku1Protocol).readyPeers(), this.#ids(names))
  }

  /**
   * True when the named members' peer caches, as links between members, make one connected graph:
   * then every link a restarted node lost can be redialled from one end of it.
   */
  async cachesConnected(names: readonly string[]): Promise<boolean> {
    const cached = new Map<string, string[]>()
    for (const name of names) {
      const peers = await this.node(name).service<PeerPool>('pool').cachedPeers('waku')
      cached.set(
        name,
        peers.map((peer) => peer.id),
      )
    }
    return connected(names, (name) => cached.get(name) ?? [], this.#ids(names))
  }

  #ids(names: readonly string[]): Map<string, string> {
    return new Map(names.map((name) => [this.node(name).get(devp2pHost).nodeId, name]))
  }

  /** Each named node's ready peers and pool mode, for a failure message. */
  describe(names: readonly string[]): string {
    return names
      .map((name) => {
        const node = this.#live.get(name)
        if (node === undefined) return `${name}: down`
        const ready = node.get(waku1Protocol).readyPeers().length
        const pool = node.has(devp2pHost) && hasPool(node) ? ` ${node.service<PeerPool>('pool').mode}` : ''
        return `${name}: ${ready} peers${pool}`
      })
      .join(', ')
  }

  /**
   * Posts a fresh message from `from` and waits until every node in `to` has received it; resolves
   * with the milliseconds from the post to the last delivery.
   */
  async broadcast(from: string, to: readonly string[], timeoutMs: number): Promise<number> {
    const payload = crypto.getRandomValues(new Uint8Array(16))
    const received = new Set<string>()
    const subscriptions = await Promise.all(
      to.map((name) =>
        this.node(name)
          .get(waku1Protocol)
          .subscribe({ topics: [TOPIC] }, (message) => {
            if (sameBytes(message.payload, payload)) received.add(name)
          }),
      ),
    )
    try {
      const posted = performance.now()
      await this.node(from).get(waku1Protocol).post({ topic: TOPIC, payload, ttl: 60, pow: POW })
      await waitUntil(
        `delivery from ${from} to ${to.length} nodes`,
        () => received.size === to.length,
        timeoutMs,
        () => `missing ${to.filter((name) => !received.has(name)).join(', ')}; ${this.describe(to)}`,
      )
      return Math.round(performance.now() - posted)
    } finally {
      await Promise.all(subscriptions.map((subscription) => subscription.unsubscribe()))
    }
  }

  /** The pool's dials of `name` by origin and result, from its metrics (0 before the first). */
  async dials(name: string, origin: 'cache' | 'discovery', result: 'connected' | 'failed'): Promise<number> {
    const prefix = `parley_peer_pool_dials_total{origin="${origin}",result="${result}"} `
    const text = await this.node(name).metrics.expose()
    const line = text.split('\n').find((row) => row.startsWith(prefix))
    return line === undefined ? 0 : Number(line.slice(prefix.length))
  }

  async close(): Promise<void> {
    await this.kill([...this.#live.keys()])
    await this.#dns?.close()
    await rm(this.dir, { recursive: true, force: true })
  }
}

/**
 * Whether `names` form one connected graph (links taken both ways) where `links(name)` gives node
 * ids, mapped to names by `idToName`; every node needs a link.
 */
function connected(
  names: readonly string[],
  links: (name: string) => readonly string[],
  idToName: ReadonlyMap<string, string>,
): boolean {
  const edges = new Map(names.map((name) => [name, new Set<string>()]))
  for (const name of names) {
    for (const id of links(name)) {
      const other = idToName.get(id)
      if (other === undefined) continue
      edges.get(name)?.add(other)
      edges.get(other)?.add(name)
    }
  }
  const [first] = names
  if (first === undefined) return true
  const reached = new Set([first])
  const queue = [first]
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const other of edges.get(next) ?? []) {
      if (reached.has(other)) continue
      reached.add(other)
      queue.push(other)
    }
  }
  return reached.size === names.length && names.every((name) => (edges.get(name)?.size ?? 0) > 0)
}

function hasPool(node: ParleyNode): boolean {
  try {
    node.service<PeerPool>('pool')
    return true
  } catch {
    return false
  }
}

function enodePort(node: ParleyNode): number {
  const enode = node.get(devp2pHost).enode
  const port = Number(/:(\d+)(\?|$)/.exec(enode ?? '')?.[1])
  if (!Number.isInteger(port) || port === 0) throw new Error(`${node.name} has no devp2p port: ${enode}`)
  return port
}

function libp2pPort(node: ParleyNode): number {
  const address = node.get(libp2pHost).multiaddrs()[0] ?? ''
  const port = Number(/\/tcp\/(\d+)/.exec(address)?.[1])
  if (!Number.isInteger(port) || port === 0) throw new Error(`${node.name} has no libp2p port: ${address}`)
  return port
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index])
}
