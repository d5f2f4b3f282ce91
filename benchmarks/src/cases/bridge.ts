/**
 * The bridge (`@parley/bridge`) per direction over loopback: a source node speaking one protocol, a
 * bridge node joining it to one other, and a target node speaking that other one, all in this
 * process. Throughput is messages posted at the source and carried by the bridge per wall-clock
 * second (the source's own PoW sealing for a v1 source, and the bridge's re-sealing for a v1 target,
 * are inside the timed region: that is what bridging costs). Latency is what the bridge adds: from a
 * message's receipt at the bridge to the target protocol's `post` resolving (`message:bridged`'s
 * `latencyMs`), p50 (with p90) in one case and p99 in another.
 */
import { type Bridge, type BridgeSide, bridge, messageBridge } from '@parley/bridge'
import { createNode, type ParleyNode } from '@parley/core'
import { topicFromName, topicToHex } from '@parley/envelope'
import {
  AbortError,
  devp2pHost,
  libp2pHost,
  NotStartedError,
  type Plugin,
  TimeoutError,
  waku1Protocol,
  waku2Relay,
  whisperProtocol,
} from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { wakuV1TopicToContentTopic } from '@parley/protocol-waku2'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { whisper } from '@parley/protocol-whisper'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import { percentile } from '../stats.ts'
import type { BenchCase, SliceResult } from '../types.ts'
import { fillPattern } from './inputs.ts'

const TOPIC = topicFromName('parley-bench-bridge')
const CONTENT_TOPIC = wakuV1TopicToContentTopic(TOPIC)
const POW = 0.002
const LISTEN = ['/ip4/127.0.0.1/tcp/0']
const WAIT_MS = 10_000
const PAYLOAD = fillPattern(256, 7)
const quiet = { level: 'warn' as const }

function protocolOf(side: BridgeSide): Plugin {
  if (side === 'whisper') return whisper({ minPow: POW })
  if (side === 'waku1') return waku1({ minPow: POW })
  return wakuRelay({ gossipsub: { heartbeatInterval: 100 } })
}

function transportOf(side: BridgeSide): Plugin {
  return side === 'waku2' ? libp2p({ listen: LISTEN }) : devp2p({ port: 0 })
}

/** Source → bridge → target, and a count of what the bridge carried. */
class BridgePath {
  readonly from: BridgeSide
  readonly to: BridgeSide
  readonly #hub: ParleyNode
  readonly #source: ParleyNode
  readonly #target: ParleyNode
  #sent = 0
  #bridged = 0
  readonly #latencies: number[] = []
  #waiter: { count: number; resolve: () => void } | undefined

  constructor(from: BridgeSide, to: BridgeSide) {
    this.from = from
    this.to = to
    const transports = [...new Set([from, to].map((side) => (side === 'waku2' ? 'libp2p' : 'devp2p')))]
    this.#hub = createNode({
      name: `bench-bridge-${from}-${to}`,
      transports: transports.map((kind) =>
        kind === 'libp2p' ? libp2p({ listen: LISTEN }) : devp2p({ port: 0 }),
      ),
      protocols: [
        protocolOf(from),
        protocolOf(to),
        bridge({ rateLimit: false, maxPending: 100_000, minPow: POW }),
      ],
      logger: quiet,
    })
    this.#source = createNode({
      name: `bench-${from}`,
      transports: [transportOf(from)],
      protocols: [protocolOf(from)],
      logger: quiet,
    })
    this.#target = createNode({
      name: `bench-${to}`,
      transports: [transportOf(to)],
      protocols: [protocolOf(to)],
      logger: quiet,
    })
  }

  async open(): Promise<void> {
    for (const node of [this.#hub, this.#source, this.#target]) await node.start()
    const hubBridge = this.#hub.get(messageBridge) as Bridge
    hubBridge.addEventListener('message:bridged', ({ detail }) => {
      if (detail.from !== this.from || detail.to !== this.to) return
      this.#bridged++
      this.#latencies.push(detail.latencyMs)
      if (this.#waiter !== undefined && this.#bridged >= this.#waiter.count) this.#waiter.resolve()
    })
    await this.#connect(this.#source, this.from)
    await this.#connect(this.#target, this.to)
  }

  async close(): Promise<void> {
    for (const node of [this.#source, this.#target, this.#hub]) await node.stop()
  }

  /** Posts `count` new messages at the source and resolves once the bridge has carried them all. */
  async carry(count: number): Promise<void> {
    const posts: Promise<string>[] = []
    for (let i = 0; i < count; i++) posts.push(this.#post())
    await Promise.all(posts)
    await this.#carried(this.#sent)
  }

  /** The bridge's added latency of each message carried since the last call. */
  takeLatencies(): number[] {
    return this.#latencies.splice(0)
  }

  #post(): Promise<string> {
    const payload = PAYLOAD.slice()
    new DataView(payload.buffer).setUint32(0, this.#sent++) // every message new to the seen-cache
    if (this.from === 'waku2')
      return (this.#source.get(waku2Relay) as WakuRelay).post({ topic: CONTENT_TOPIC, payload, version: 1 })
    const protocol = this.#source.get(this.from === 'whisper' ? whisperProtocol : waku1Protocol)
    return protocol.post({ topic: topicToHex(TOPIC), payload, ttl: 30 })
  }

  #carried(count: number): Promise<void> {
    if (this.#bridged >= count) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined
        reject(new TimeoutError(`the bridge carried ${this.#bridged} of ${count}`))
      }, WAIT_MS)
      this.#waiter = {
        count,
        resolve: () => {
          clearTimeout(timer)
          this.#waiter = undefined
          resolve()
        },
      }
    })
  }

  async #connect(node: ParleyNode, side: BridgeSide): Promise<void> {
    const signal = AbortSignal.timeout(WAIT_MS)
    if (side === 'waku2') {
      await node.get(libp2pHost).dial(this.#hub.get(libp2pHost).multiaddrs()[0]!, { signal })
      const pubsubTopic = (node.get(waku2Relay) as WakuRelay).pubsubTopicFor(CONTENT_TOPIC)
      await (node.get(waku2Relay) as WakuRelay).waitForPeers(pubsubTopic, { signal })
      await (this.#hub.get(waku2Relay) as WakuRelay).waitForPeers(pubsubTopic, { signal })
      return
    }
    const protocol = node.get(side === 'whisper' ? whisperProtocol : waku1Protocol)
    const hubId = this.#hub.get(devp2pHost).nodeId
    const enode = this.#hub.get(devp2pHost).enode
    if (enode === undefined) throw new NotStartedError('the bridge node is not listening')
    await node.get(devp2pHost).dial(enode, { signal })
    while (!protocol.readyPeers().includes(hubId)) {
      if (signal.aborted) throw new AbortError('the bridge never accepted the Status')
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
}

const DIRECTIONS: ReadonlyArray<readonly [BridgeSide, BridgeSide]> = [
  ['whisper', 'waku2'],
  ['waku2', 'whisper'],
  ['waku1', 'waku2'],
  ['waku2', 'waku1'],
  ['whisper', 'waku1'],
  ['waku1', 'whisper'],
]

const NOTE = 'no reference: no other bridge runs in this process'

function pathCase(from: BridgeSide, to: BridgeSide, kind: 'rate' | 'p50' | 'p99'): BenchCase {
  let path: BridgePath | undefined
  const live = (): BridgePath => {
    if (path === undefined) throw new NotStartedError('bridge case run before setup')
    return path
  }
  const common = {
    group: `bridge-${kind === 'rate' ? 'throughput' : 'latency'}`,
    provider: `${from} → bridge → ${to} over loopback, 256-byte payloads`,
    referenceNote: NOTE,
    async setup() {
      path = new BridgePath(from, to)
      await path.open()
    },
    async teardown() {
      await path?.close()
    },
  }
  if (kind === 'rate')
    return {
      ...common,
      id: `bridge-${from}-to-${to}`,
      unit: 'ops/s',
      run: async (iterations) => {
        await live().carry(iterations)
        return iterations
      },
    }
  return {
    ...common,
    id: `bridge-${from}-to-${to}-latency${kind === 'p99' ? '-p99' : ''}`,
    unit: 'ms',
    async runFor(ms): Promise<SliceResult> {
      const began = performance.now()
      live().takeLatencies()
      do await live().carry(1)
      while (performance.now() - began < ms)
      const latencies = live().takeLatencies()
      if (kind === 'p99') return { value: percentile(latencies, 0.99), samples: latencies.length }
      return { value: percentile(latencies, 0.5), p90: percentile(latencies, 0.9), samples: latencies.length }
    },
  }
}

/** Per direction: bridged messages/s, and the latency the bridge adds (p50 with p90, and p99). */
export function bridgeCases(): BenchCase[] {
  return DIRECTIONS.flatMap(([from, to]) => [
    pathCase(from, to, 'rate'),
    pathCase(from, to, 'p50'),
    pathCase(from, to, 'p99'),
  ])
}
