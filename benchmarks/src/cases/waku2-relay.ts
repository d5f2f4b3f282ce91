/**
 * Waku v2 relay across a 10-node loopback network (issue "Waku v2"): ten full nodes (`createNode`
 * + libp2p + `wakuRelay`) in this process, each dialling the next three in a ring, all subscribed to
 * one content topic; node 0 publishes 1 KiB messages and the other nine deliver them. Every node
 * receives each message from its mesh peers (duplicates included), validates, deduplicates and
 * forwards it, so the work per message is what a relay node does in a real network.
 *
 * - `waku2-relay-10-nodes-1k`: messages published with at most WINDOW undelivered, counted once all
 *   nine have them; the figure is messages × 10 nodes per CPU-second of the process: the messages
 *   one core relays through one node (the issue's ≥ 2 000/s). The network's wall rate is logged.
 * - `waku2-relay-10-nodes-latency`: one message at a time, publish to the last of the nine
 *   deliveries; median and p90 per round, p50/p99 over the run logged at the end;
 * - `waku2-relay-10-nodes-latency-p99`: the same, its figure the 99th percentile of each round.
 *
 * The three share one network, opened by the first setup and closed by the last teardown. The
 * gossipsub heartbeat is 100 ms (nwaku: 1 s) so meshes form quickly; it adds gossip work.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { libp2pHost, NotStartedError, TimeoutError, waku2Relay } from '@parley/interfaces'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { libp2p } from '@parley/transport-libp2p'
import { cpuClock, latencyResult } from '../measure.ts'
import { percentile } from '../stats.ts'
import { WAKU2_RELAY_TARGET } from '../targets.ts'
import type { BenchCase, SliceResult } from '../types.ts'
import { fillPattern } from './inputs.ts'
import { WAKU2_CONTENT_TOPIC } from './waku2-hash.ts'

const DIALS_PER_NODE = 3
const WINDOW = 64
const ARRIVAL_TIMEOUT_MS = 15_000
const PAYLOAD = fillPattern(1024, 99)

export class RelayNetwork {
  readonly size: number
  readonly #nodes: ParleyNode[] = []
  /** per message index, how many of the receivers delivered it */
  readonly #arrivals = new Map<number, number>()
  /** messages every receiver delivered, above the watermark */
  readonly #done = new Set<number>()
  /** every message below it reached every receiver */
  #watermark = 0
  #next = 0
  #waiter: { index: number; resolve: () => void } | undefined

  constructor(size: number) {
    this.size = size
  }

  /** messages 0..delivered-1 have reached every receiver */
  get delivered(): number {
    return this.#watermark
  }

  /** messages published so far */
  get published(): number {
    return this.#next
  }

  #relay(node: ParleyNode): WakuRelay {
    return node.get(waku2Relay) as unknown as WakuRelay
  }

  async open(): Promise<void> {
    for (let i = 0; i < this.size; i++) {
      const node = createNode({
        name: `bench-waku2-${i}`,
        logger: { level: 'error' },
        protocols: [
          libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }),
          wakuRelay({ gossipsub: { heartbeatInterval: 100 } }),
        ],
      })
      this.#nodes.push(node)
      await node.start()
    }
    for (const [i, node] of this.#nodes.entries()) {
      if (i === 0) continue // the publisher delivers to itself; it is not counted
      await this.#relay(node).subscribe({ topics: [WAKU2_CONTENT_TOPIC] }, (message) => {
        this.#arrived(new DataView(message.payload.buffer, message.payload.byteOffset).getUint32(0))
      })
    }
    await this.#relay(this.#nodes[0]!).subscribe({ topics: [WAKU2_CONTENT_TOPIC] }, () => {})
    for (const [i, node] of this.#nodes.entries()) {
      for (let k = 1; k <= Math.min(DIALS_PER_NODE, this.size - 1); k++) {
        const peer = this.#nodes[(i + k) % this.size]!
        const address = peer.get(libp2pHost).multiaddrs()[0]
        if (address === undefined) throw new NotStartedError('a relay node is not listening')
        await node.get(libp2pHost).dial(address)
      }
    }
    const topic = this.#relay(this.#nodes[0]!).pubsubTopicFor(WAKU2_CONTENT_TOPIC)
    await Promise.all(this.#nodes.map((node) => this.#relay(node).waitForPeers(topic)))
    // a few heartbeats so the meshes fill, then a message every node must deliver
    await new Promise((resolve) => setTimeout(resolve, 500))
    await this.publish()
    await this.arrival(this.#next - 1)
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#nodes.map((node) => node.stop()))
  }

  /** Node 0 publishes the next message; resolves once gossipsub has sent it. */
  async publish(): Promise<number> {
    const index = this.#next++
    const payload = PAYLOAD.slice()
    new DataView(payload.buffer).setUint32(0, index)
    await this.#relay(this.#nodes[0]!).post({ topic: WAKU2_CONTENT_TOPIC, payload })
    return index
  }

  #arrived(index: number): void {
    const count = (this.#arrivals.get(index) ?? 0) + 1
    if (count < this.size - 1) {
      this.#arrivals.set(index, count)
      return
    }
    this.#arrivals.delete(index)
    this.#done.add(index)
    while (this.#done.delete(this.#watermark)) this.#watermark++
    if (this.#waiter !== undefined && this.#waiter.index < this.#watermark) this.#waiter.resolve()
  }

  /** Resolves once messages 0..`index` have reached all the receivers. */
  arrival(index: number): Promise<void> {
    if (index < this.#watermark) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined
        reject(new TimeoutError(`message ${index} did not reach all ${this.size - 1} receivers`))
      }, ARRIVAL_TIMEOUT_MS)
      this.#waiter = {
        index,
        resolve: () => {
          clearTimeout(timer)
          this.#waiter = undefined
          resolve()
        },
      }
    })
  }
}

export interface RelayCaseOptions {
  size?: number
  log?: (line: string) => void
}

/** A network opened by the first case that needs it and closed when the last is done with it. */
function network(size: number): {
  get: () => RelayNetwork
  open: () => Promise<void>
  close: () => Promise<void>
} {
  let net: Promise<RelayNetwork> | undefined
  let opened: RelayNetwork | undefined
  let users = 0
  const start = async (): Promise<RelayNetwork> => {
    const fresh = new RelayNetwork(size)
    try {
      await fresh.open()
    } catch (error) {
      await fresh.close()
      throw error
    }
    opened = fresh
    return fresh
  }
  return {
    get: () => {
      if (opened === undefined) throw new NotStartedError('relay network case run before setup')
      return opened
    },
    open: async () => {
      users++
      net ??= start()
      await net
    },
    close: async () => {
      users--
      if (users > 0 || net === undefined) return
      const closing = net
      net = undefined
      opened = undefined
      await (await closing.catch(() => undefined))?.close()
    },
  }
}

export function waku2RelayCases(options: RelayCaseOptions = {}): BenchCase[] {
  const size = options.size ?? 10
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  // one network for the three cases: two idle ones would load every other case with heartbeats
  const throughputNet = network(size)
  const latencyNet = throughputNet
  const latencies: number[] = []
  const wallRates: number[] = []
  const note = 'no reference: no other Waku v2 client runs in this process; the figure is against its target'
  /** one message in flight; the p50 case reports median and p90, the p99 case its 99th percentile */
  const latencyCase = (figure: 'p50' | 'p99'): BenchCase => ({
    id: `waku2-relay-${size}-nodes-latency${figure === 'p50' ? '' : '-p99'}`,
    group: 'waku2-relay-latency',
    unit: 'ms',
    provider: `${size} nodes, one message in flight, publish to the last of ${size - 1} deliveries${figure === 'p99' ? '; p99 per round' : ''}`,
    referenceNote: note,
    setup: latencyNet.open,
    async teardown() {
      await latencyNet.close()
      if (figure === 'p50' && latencies.length > 0) {
        const p50 = percentile(latencies, 0.5).toFixed(2)
        const p99 = percentile(latencies, 0.99).toFixed(2)
        log(`waku2-relay-${size}-nodes-latency: p50 ${p50} ms, p99 ${p99} ms (${latencies.length} messages)`)
      }
    },
    async runFor(ms): Promise<SliceResult> {
      const net = latencyNet.get()
      const times: number[] = []
      const began = performance.now()
      do {
        const t0 = performance.now()
        await net.arrival(await net.publish())
        times.push(performance.now() - t0)
      } while (performance.now() - began < ms)
      latencies.push(...times)
      return figure === 'p50'
        ? latencyResult(times)
        : { value: percentile(times, 0.99), p90: percentile(times, 0.9), samples: times.length }
    },
  })
  return [
    {
      id: `waku2-relay-${size}-nodes-1k`,
      group: 'waku2-relay',
      unit: 'ops/s',
      provider: `${size} nodes, libp2p TCP + gossipsub on loopback, one process; messages × nodes per CPU-second`,
      referenceNote: note,
      target: WAKU2_RELAY_TARGET,
      setup: throughputNet.open,
      async teardown() {
        await throughputNet.close()
        if (wallRates.length > 0)
          log(
            `waku2-relay-${size}-nodes-1k: network wall rate ${Math.round(percentile(wallRates, 0.5))} messages/s`,
          )
      },
      async runFor(ms): Promise<SliceResult> {
        const net = throughputNet.get()
        const first = net.published
        const began = performance.now()
        const cpuBegan = cpuClock()
        while (performance.now() - began < ms) {
          if (net.published - net.delivered >= WINDOW) {
            await net.arrival(net.published - WINDOW / 2)
          }
          await net.publish()
        }
        await net.arrival(net.published - 1)
        const cpuMs = cpuClock() - cpuBegan
        const messages = net.published - first
        wallRates.push(messages / ((performance.now() - began) / 1000))
        return { value: (messages * size) / (cpuMs / 1000), samples: messages }
      },
    },
    latencyCase('p50'),
    latencyCase('p99'),
  ]
}
