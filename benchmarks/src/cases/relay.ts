/**
 * Relay throughput: envelopes per second from one node to another over loopback TCP, both in this
 * process (so on one core). The receiver is a full node (`createNode` + `devp2p()` + `whisper()` or
 * `waku1()`) with a subscription on the topic; it decodes, hashes, dedups, verifies the PoW, pools and
 * delivers every envelope. The sender is a devp2p node that speaks the capability by hand: it sends
 * its Status and then Messages packets of envelopes sealed (PoW 0.002) before the timed region,
 * because a full node's `post` would seal inside it. The figure is envelopes counted at the
 * receiver's subscription over the CPU time the process spent from the first send to the last
 * arrival: what one core moves, whatever else the machine runs.
 */
import { createNode, type ParleyNode } from '@parley/core'
import {
  type Envelope,
  encodeEnvelopes,
  encodeWakuStatus,
  encodeWhisperStatus,
  fullBloom,
  topicToHex,
} from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  type Devp2pPeer,
  devp2pHost,
  NotStartedError,
  type Plugin,
  TimeoutError,
  type V1PrivacyProtocol,
  waku1Protocol,
  whisperProtocol,
} from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { MESSAGES_CODE, STATUS_CODE, whisper } from '@parley/protocol-whisper'
import { devp2p } from '@parley/transport-devp2p'
import { cpuClock } from '../measure.ts'
import type { BenchCase, SliceResult } from '../types.ts'
import { ENVELOPE_NOW, ENVELOPE_POW, ENVELOPE_TOPIC, sealedEnvelope } from './envelope-inputs.ts'
import { fillPattern } from './inputs.ts'

export interface RelayProtocol {
  /** `whisper`, `waku1` */
  label: string
  capability: { name: string; version: number }
  plugin: () => Plugin
  get: (node: ParleyNode) => V1PrivacyProtocol
  /** the sender's Status: Status's pow, every topic, not a light node */
  status: () => Uint8Array
}

const receiverInit = { minPow: ENVELOPE_POW, now: () => ENVELOPE_NOW }

export const WHISPER: RelayProtocol = {
  label: 'whisper',
  capability: { name: 'shh', version: 6 },
  plugin: () => whisper(receiverInit),
  get: (node) => node.get(whisperProtocol),
  status: () => encodeWhisperStatus({ pow: ENVELOPE_POW, bloom: fullBloom(), isLightNode: false }),
}

export const WAKU1: RelayProtocol = {
  label: 'waku1',
  capability: { name: 'waku', version: 1 },
  plugin: () => waku1(receiverInit),
  get: (node) => node.get(waku1Protocol),
  status: () =>
    encodeWakuStatus({
      pow: ENVELOPE_POW,
      bloom: fullBloom(),
      lightNode: false,
      confirmationsEnabled: false,
    }),
}

const ARRIVAL_TIMEOUT_MS = 10_000
const DATA = fillPattern(1024, 1)

/** Two connected nodes and the count of envelopes the receiver's subscription has delivered. */
export class RelayLink {
  readonly protocol: RelayProtocol
  readonly #receiver: ParleyNode
  readonly #sender: ParleyNode
  #peer: Devp2pPeer | undefined
  #arrived = 0
  #waiter: { count: number; resolve: () => void } | undefined
  /** envelopes sealed so far; each has a different Data, so none is a duplicate */
  #sealed = 0

  constructor(protocol: RelayProtocol) {
    this.protocol = protocol
    const quiet = { level: 'warn' as const }
    this.#receiver = createNode({
      name: `bench-${protocol.label}-receiver`,
      transports: [devp2p({ port: 0 })],
      protocols: [protocol.plugin()],
      logger: quiet,
    })
    this.#sender = createNode({
      name: `bench-${protocol.label}-sender`,
      transports: [devp2p({ port: 0 })],
      logger: quiet,
    })
    this.#sender.get(devp2pHost).registerCapability({
      ...protocol.capability,
      length: 128,
      onPeerConnect: (peer) => {
        this.#peer = peer
        void peer.send(STATUS_CODE, protocol.status())
      },
      onMessage: () => {}, // the receiver's Status; it relays nothing back to where envelopes came from
      onPeerDisconnect: () => {
        this.#peer = undefined
      },
    })
  }

  /** Envelopes the receiver's subscription has delivered since `open`. */
  get arrived(): number {
    return this.#arrived
  }

  async open(options?: AbortOptions): Promise<void> {
    await this.#receiver.start(options)
    await this.#sender.start(options)
    const received = this.protocol.get(this.#receiver)
    await received.subscribe({ topics: [topicToHex(ENVELOPE_TOPIC)] }, () => {
      this.#arrived++
      if (this.#waiter !== undefined && this.#arrived >= this.#waiter.count) this.#waiter.resolve()
    })
    const enode = this.#receiver.get(devp2pHost).enode
    if (enode === undefined) throw new NotStartedError('the receiver is not listening')
    await this.#sender.get(devp2pHost).dial(enode, options)
    const senderId = this.#sender.get(devp2pHost).nodeId
    const deadline = Date.now() + ARRIVAL_TIMEOUT_MS
    while (!received.readyPeers().includes(senderId) || this.#peer === undefined) {
      if (options?.signal?.aborted === true) throw new AbortError('relay link open aborted')
      if (Date.now() > deadline) throw new TimeoutError('the receiver never accepted the Status')
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  async close(): Promise<void> {
    await this.#sender.stop()
    await this.#receiver.stop()
  }

  /** `count` new envelopes, sealed now (untimed by the caller). */
  async seal(count: number, options?: AbortOptions): Promise<Envelope[]> {
    const envelopes: Envelope[] = []
    for (let i = 0; i < count; i++) {
      const data = DATA.slice()
      new DataView(data.buffer).setUint32(0, this.#sealed++)
      envelopes.push(await sealedEnvelope(data, options))
    }
    return envelopes
  }

  /**
   * Sends `envelopes`, `batch` per Messages packet, keeping at most `window` undelivered, until they
   * are all sent or `ms` have passed; then waits for every sent one to arrive. Returns the number sent.
   */
  async pump(
    envelopes: readonly Envelope[],
    batch: number,
    window: number,
    ms: number,
    options?: AbortOptions,
  ): Promise<number> {
    const peer = this.#peer
    if (peer === undefined) throw new NotStartedError('the sender is not connected')
    const base = this.#arrived
    const began = performance.now()
    let sent = 0
    while (sent < envelopes.length && performance.now() - began < ms) {
      if (sent - (this.#arrived - base) >= window) await this.#arrival(base + sent - window / 2, options)
      const packet = envelopes.slice(sent, sent + batch)
      await peer.send(MESSAGES_CODE, encodeEnvelopes(packet), options)
      sent += packet.length
    }
    await this.#arrival(base + sent, options)
    return sent
  }

  /** Resolves once `count` envelopes have arrived; rejects after ARRIVAL_TIMEOUT_MS or on abort. */
  #arrival(count: number, options?: AbortOptions): Promise<void> {
    if (this.#arrived >= count) return Promise.resolve()
    if (options?.signal?.aborted === true) return Promise.reject(new AbortError('relay pump aborted'))
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        clearTimeout(timer)
        options?.signal?.removeEventListener('abort', onAbort)
        this.#waiter = undefined
        if (error === undefined) resolve()
        else reject(error)
      }
      const onAbort = () => settle(new AbortError('relay pump aborted'))
      const timer = setTimeout(
        () => settle(new TimeoutError(`${this.#arrived} envelopes arrived, waiting for ${count}`)),
        ARRIVAL_TIMEOUT_MS,
      )
      options?.signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiter = { count, resolve: () => settle() }
    })
  }
}

/**
 * Envelopes sent over the CPU time this process (both nodes) spent from the first send to the last
 * arrival: the envelopes one core moves per second. Idle time waiting on loopback is not counted;
 * `wallRate` is the same over the wall clock.
 */
async function relaySlice(
  link: RelayLink,
  batch: number,
  ms: number,
  estimate: number,
): Promise<SliceResult & { wallRate: number }> {
  // enough for the slice at the last rate seen, and then some; sealing is not timed
  const envelopes = await link.seal(Math.ceil((estimate * ms * 1.5) / 1000) + 4 * batch)
  const began = performance.now()
  const cpuBegan = cpuClock()
  const sent = await link.pump(envelopes, batch, Math.max(64, 8 * batch), ms)
  const cpuMs = cpuClock() - cpuBegan
  const wallMs = performance.now() - began
  return { value: sent / (cpuMs / 1000), samples: sent, wallRate: sent / (wallMs / 1000) }
}

export function relayCase(protocol: RelayProtocol, batch: number): BenchCase {
  let link: RelayLink | undefined
  let estimate = 5000
  const perPacket = batch === 1 ? '1 envelope per packet' : `${batch} envelopes per packet`
  return {
    id: `relay-${protocol.label}-1k${batch === 1 ? '' : `-batch${batch}`}`,
    group: 'relay',
    unit: 'ops/s',
    provider: `${protocol.capability.name}/${protocol.capability.version} over loopback RLPx, ${perPacket}, per CPU-second`,
    referenceNote:
      'no reference: no other client runs in this process; receive-pipeline-1k-unsigned is the receiving side without the transport',
    async setup() {
      link = new RelayLink(protocol)
      await link.open()
    },
    async teardown() {
      await link?.close()
    },
    async runFor(ms) {
      if (link === undefined) throw new NotStartedError('relay case run before setup')
      const { wallRate, ...slice } = await relaySlice(link, batch, ms, estimate)
      // the stock for the next slice follows the wall rate: that is how fast envelopes go out
      estimate = Math.max(wallRate, 500)
      return slice
    },
  }
}

export function relayCases(): BenchCase[] {
  return [relayCase(WHISPER, 1), relayCase(WHISPER, 64), relayCase(WAKU1, 1)]
}
