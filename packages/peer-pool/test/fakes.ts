import {
  type Devp2pHost,
  type Devp2pPeer,
  type DiscoveredPeer,
  type PeerDiscovery,
  type PeerDiscoveryEvents,
  TypedEventEmitter,
} from '@parley/interfaces'
import type { Clock } from '../src/index.ts'

/** Test doubles driven by hand: a clock, a devp2p host and a pausable discovery source. */
export class ManualClock implements Clock {
  #now = 0
  #timers = new Map<number, { at: number; callback: () => void }>()
  #next = 0
  now = () => this.#now
  setTimeout(callback: () => void, ms: number): unknown {
    this.#timers.set(++this.#next, { at: this.#now + ms, callback })
    return this.#next
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number)
  }
  get pending(): number {
    return this.#timers.size
  }
  /** Runs due timers one by one, letting the pool's promises settle after each. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms
    for (;;) {
      await settle()
      const due = [...this.#timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
      if (due === undefined) break
      this.#timers.delete(due[0])
      this.#now = due[1].at
      due[1].callback()
    }
    this.#now = until
    await settle()
  }
}

export const settle = async () => {
  for (let n = 0; n < 5; n++) await new Promise((resolve) => setImmediate(resolve))
}

export const peer = (n: number): DiscoveredPeer => {
  const id = n.toString(16).padStart(128, '0')
  return { id, enode: `enode://${id}@127.0.0.1:${30000 + n}` }
}

/** A host that connects the peers in `online` and fails the others; `drop` disconnects one, `inbound` connects one that dialled us. */
export function fakeHost(emit: (type: 'peer:connect' | 'peer:disconnect', id: string) => void) {
  const connected = new Map<string, Devp2pPeer>()
  const online = new Set<string>()
  const dialled: string[] = []
  const connect = (id: string): Devp2pPeer => {
    const p = { id, remoteAddress: '127.0.0.1', clientId: 'fake', send: async () => {}, disconnect: () => {} }
    connected.set(id, p)
    emit('peer:connect', id)
    return p
  }
  const host = {
    nodeId: 'ee'.repeat(64),
    enode: `enode://${'ee'.repeat(64)}@127.0.0.1:1`,
    registerCapability: () => {},
    dial: async (enode: string) => {
      const id = enode.slice(8, 136)
      dialled.push(id)
      if (!online.has(id)) throw new Error('offline')
      return connected.get(id) ?? connect(id)
    },
    peers: () => [...connected.values()],
    start: async () => {},
    stop: async () => {},
  } as unknown as Devp2pHost
  const drop = (id: string) => {
    connected.delete(id)
    emit('peer:disconnect', id)
  }
  const inbound = (id: string) => void connect(id)
  return { host, online, dialled, drop, inbound }
}

export class PausableSource extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery {
  readonly source = 'pausable'
  readonly calls: number[] = []
  readonly log: string[] = []
  peers: DiscoveredPeer[] = []
  paused = false
  readonly clock: ManualClock
  constructor(clock: ManualClock) {
    super()
    this.clock = clock
  }
  start() {}
  stop() {}
  isStarted() {
    return true
  }
  pause() {
    this.paused = true
    this.log.push('pause')
  }
  resume() {
    this.paused = false
    this.log.push('resume')
  }
  markConnected(id: string) {
    this.log.push(`connected ${Number.parseInt(id, 16)}`)
  }
  markDisconnected(id: string) {
    this.log.push(`disconnected ${Number.parseInt(id, 16)}`)
  }
  async findPeers(): Promise<DiscoveredPeer[]> {
    this.calls.push(this.clock.now())
    return this.peers
  }
}

/** A source that can re-check (like DNS): `refresh` announces `republished` once and records when it ran. */
export class RefreshingSource extends PausableSource {
  readonly refreshes: number[] = []
  republished: DiscoveredPeer[] = []
  async refresh(): Promise<DiscoveredPeer[]> {
    this.refreshes.push(this.clock.now())
    const fresh = this.republished
    this.republished = []
    this.peers = [...this.peers, ...fresh]
    for (const found of fresh) this.safeDispatchEvent('peer:discovery', found)
    return fresh
  }
}

/** The admin members of `Devp2pHost` (geth's admin_*), which the pool never calls. */
export const unusedAdmin = {
  addPeer: (): void => {},
  removePeer: (): boolean => false,
  peerInfo: (): [] => [],
  nodeInfo: (): never => {
    throw new Error('nodeInfo is not used by the peer pool')
  },
}
