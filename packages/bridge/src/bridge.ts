/**
 * The bridge service: listens on every side it joined, checks each message once (`checks.ts`),
 * remembers it in the shared seen-cache, and posts it on every other side through that protocol's
 * public API. Whisper v6 ↔ Waku v1 hand over the envelope itself (`inject`), so its hash stays and
 * no PoW is spent, as status-go's bridge did; only one below the target's minimum PoW (or otherwise
 * refused there) is re-sealed for it with the TTL left, counted as `resealed`. A v1 envelope becomes a version-1 WakuMessage on `/waku/1/0x<topic>/rfc26`
 * timestamped expiry − TTL; such a WakuMessage becomes an envelope sealed with the target's PoW and
 * a short TTL.
 */
import { hexToTopic, topicToHex } from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  type HistoryClient,
  type HistoryQuery,
  type Logger,
  type MessageArchive,
  MissingCapabilityError,
  NotStartedError,
  type ReceivedMessage,
  type Startable,
  TypedEventEmitter,
  type V1DirectEvents,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import { wakuV1TopicToContentTopic } from '@parley/protocol-waku2'
import { type Checked, type Crossing, checkV1Envelope, checkV2Message, type DropReason } from './checks.ts'
import { type Delivery, postTo, targetRefusal } from './forward.ts'
import {
  fetchV1History,
  type HistoryFetchResult,
  type HistoryImportOptions,
  type HistoryImportResult,
  importV1History,
  type V2Archiver,
  type V2Target,
} from './history.ts'
import type { BridgeMetrics } from './metrics.ts'
import type { BridgeSettings, BridgeSide } from './options.ts'
import { TokenBucket } from './rate-limit.ts'
import { SeenCache } from './seen-cache.ts'
import { type BridgeSides, presentSides } from './sides.ts'
import { type BridgeStats, StatsBook } from './stats.ts'

export interface BridgedEvent {
  from: BridgeSide
  to: BridgeSide
  /** `0x` + 8 hex digits */
  topic: string
  /** the message's hash on the target side */
  hash: string
  /** receipt to the target's post resolving, ms */
  latencyMs: number
  /** the original envelope (`injected`, same hash), one sealed anew for a v1 target's PoW (`resealed`), or `sealed` */
  delivery: Delivery
}

export interface DroppedEvent {
  from: BridgeSide
  to: BridgeSide
  reason: DropReason
}

export interface BridgeEvents {
  'message:bridged': BridgedEvent
  'message:dropped': DroppedEvent
}

export interface BridgeComponents {
  logger: Logger
  metrics: BridgeMetrics
  sides: BridgeSides
  /** the node's Waku v2 store, and its archive (a mailserver's), for `importHistory` */
  history?: { archive?: MessageArchive; store: V2Archiver }
  /** the node's mailserver client, for `fetchHistory` */
  historyClient?: HistoryClient
}

export class Bridge extends TypedEventEmitter<BridgeEvents> implements Startable {
  readonly #components: BridgeComponents
  readonly #settings: BridgeSettings
  readonly #sides: BridgeSide[]
  readonly #seen: SeenCache
  readonly #stats = new StatsBook()
  readonly #buckets = new Map<string, TokenBucket>()
  readonly #pending = new Map<string, number>()
  #starting: Promise<void> | undefined
  #running: { controller: AbortController; detach: Array<() => Promise<void> | void> } | undefined

  constructor(components: BridgeComponents, settings: BridgeSettings) {
    super({
      onListenerError: (error, type) => components.logger.warn('a %s listener threw: %s', type, error),
    })
    this.#components = components
    this.#settings = settings
    this.#sides = presentSides(components.sides)
    this.#seen = new SeenCache(settings.seenCacheSize, settings.seenTtlMs)
  }

  /** The sides this bridge joins. */
  sides(): BridgeSide[] {
    return [...this.#sides]
  }

  /** Per direction (`whisper->waku2`, …): how many crossed and how many were dropped, by reason. */
  stats(): BridgeStats {
    return this.#stats.snapshot()
  }

  /**
   * Copies the v1 envelopes archived on this node (by a mailserver) into the Waku v2 store as the
   * WakuMessages the bridge would have published, so v2 store queries return that history too.
   * Needs a message archive, a serving Waku v2 store and the waku2 side (`MissingCapabilityError`);
   * `NotStartedError` before start.
   */
  async importHistory(options?: HistoryImportOptions): Promise<HistoryImportResult> {
    const archive = this.#components.history?.archive
    if (archive === undefined) throw new MissingCapabilityError('bridge', 'message-archive')
    return importV1History({ ...this.#v2Target(), archive }, options)
  }

  /**
   * Asks a devp2p mailserver, through the node's mailserver client, for the history of `query.topics`
   * (as `HistoryClient.requestHistory` takes it) and puts every envelope it sends into the Waku v2
   * store, so v2 store clients get it too. Needs a history client (`mailserverClient()`), a serving
   * Waku v2 store and the waku2 side (`MissingCapabilityError`); `NotStartedError` before start.
   */
  async fetchHistory(
    query: Omit<HistoryQuery, 'onEnvelope'>,
    options?: AbortOptions,
  ): Promise<HistoryFetchResult> {
    const client = this.#components.historyClient
    if (client === undefined) throw new MissingCapabilityError('bridge', 'history-client')
    return fetchV1History(client, this.#v2Target(), query, options)
  }

  /** Where history goes: the v2 store, keyed by the relay's pubsub topics. */
  #v2Target(): V2Target {
    const { history, sides } = this.#components
    if (history === undefined) throw new MissingCapabilityError('bridge', 'waku2-store')
    const relay = sides.waku2
    if (relay === undefined) throw new MissingCapabilityError('bridge', 'waku2-relay')
    if (this.#running === undefined) throw new NotStartedError('bridge is not started')
    const pubsubTopicFor = (contentTopic: string): string =>
      relay.pubsubTopicFor?.(contentTopic) ?? relay.pubsubTopics()[0] ?? ''
    return {
      store: history.store,
      ...(history.archive === undefined ? {} : { archive: history.archive }),
      pubsubTopicFor,
      maxPayloadSize: this.#settings.maxPayloadSize,
    }
  }

  isStarted(): boolean {
    return this.#running !== undefined
  }

  /** Listens on every side. Concurrent calls share one start; a failed start leaves nothing attached. */
  async start(options?: AbortOptions): Promise<void> {
    if (this.#running !== undefined) return
    this.#starting ??= this.#attach(options).finally(() => {
      this.#starting = undefined
    })
    await this.#starting
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined)
    const running = this.#running
    if (running === undefined) return
    this.#running = undefined
    running.controller.abort(new NotStartedError('bridge stopped'))
    await Promise.allSettled(running.detach.map((detach) => detach()))
    this.#seen.clear()
  }

  async #attach(options?: AbortOptions): Promise<void> {
    if (aborted(options)) throw new AbortError('bridge start aborted')
    const running = { controller: new AbortController(), detach: [] as Array<() => Promise<void> | void> }
    try {
      for (const side of ['whisper', 'waku1'] as const) {
        const protocol = this.#components.sides[side]
        if (protocol !== undefined) running.detach.push(this.#listenV1(side, protocol))
      }
      const murmur = this.#components.sides.murmur
      if (murmur !== undefined)
        running.detach.push(
          murmur.onEnvelope((envelope, from) =>
            this.#receive('murmur', checkV1Envelope(envelope, this.#settings.now(), this.#settings), from),
          ),
        )
      const relay = this.#components.sides.waku2
      if (relay !== undefined) {
        const handler = (message: ReceivedMessage): void =>
          this.#receive('waku2', checkV2Message(message, this.#settings.now(), this.#settings), message.from)
        for (const filter of this.#v2Filters(relay.pubsubTopics())) {
          const subscription = await relay.subscribe(filter, handler, options)
          running.detach.push(() => subscription.unsubscribe())
        }
      }
      if (aborted(options)) throw new AbortError('bridge start aborted')
    } catch (error) {
      await Promise.allSettled(running.detach.map((detach) => detach()))
      throw error
    }
    this.#running = running
    this.#components.logger('bridging %s', this.#sides.join(', '))
  }

  /** Every new valid envelope of a v1 protocol, ours included (those are recognised as echoes). */
  #listenV1(side: 'whisper' | 'waku1', protocol: V1PrivacyProtocol): () => void {
    const listener = ({ detail }: CustomEvent<V1DirectEvents['envelope:accepted']>): void => {
      this.#receive(side, checkV1Envelope(detail.envelope, this.#settings.now(), this.#settings), detail.from)
    }
    protocol.addEventListener('envelope:accepted', listener)
    return () => protocol.removeEventListener('envelope:accepted', listener)
  }

  /** Configured topics: their content topics; otherwise every content topic of the relay's pubsub topics. */
  #v2Filters(pubsubTopics: string[]): Array<{ topics: string[]; pubsubTopic?: string }> {
    const topics = this.#settings.topics
    if (topics === undefined) return pubsubTopics.map((pubsubTopic) => ({ topics: [], pubsubTopic }))
    return [{ topics: [...topics].map((topic) => wakuV1TopicToContentTopic(hexToTopic(topic))) }]
  }

  /** One message from `from`; `relayedBy` is the peer it came from, absent for this node's own. */
  #receive(from: BridgeSide, checked: Checked, relayedBy: string | undefined): void {
    const running = this.#running
    if (running === undefined) return
    const targets = this.#sides.filter((side) => side !== from)
    if (!checked.ok) {
      for (const to of targets) this.#drop(from, to, checked.reason)
      return
    }
    const now = this.#settings.now()
    if (!this.#seen.add(checked.crossing.key, now)) {
      // Our own post coming back through the local protocol is expected, not news.
      if (relayedBy !== undefined) for (const to of targets) this.#drop(from, to, 'duplicate')
      return
    }
    const receivedAt = performance.now()
    for (const to of targets)
      void this.#forward(from, to, checked.crossing, receivedAt, running.controller.signal)
  }

  async #forward(
    from: BridgeSide,
    to: BridgeSide,
    crossing: Crossing,
    receivedAt: number,
    signal: AbortSignal,
  ): Promise<void> {
    const direction = `${from}->${to}`
    const now = this.#settings.now()
    const refusal = targetRefusal(this.#components.sides, this.#settings, to, crossing, now)
    if (refusal !== undefined) return this.#drop(from, to, refusal)
    if (!this.#bucket(direction, now)) return this.#drop(from, to, 'rate-limit')
    const pending = this.#pending.get(direction) ?? 0
    if (pending >= this.#settings.maxPending) return this.#drop(from, to, 'backlog')
    this.#pending.set(direction, pending + 1)
    try {
      const { hash, delivery } = await postTo(
        this.#components.sides,
        this.#settings,
        to,
        crossing,
        now,
        signal,
      )
      const latencyMs = performance.now() - receivedAt
      this.#stats.bridged(direction)
      // A re-sealed envelope has a new hash on the target: an operator should see how often.
      const result = delivery === 'resealed' ? 'resealed' : 'bridged'
      this.#components.metrics.messages.inc({ from, to, result })
      this.#components.metrics.latency.observe(latencyMs / 1000, { from, to })
      this.safeDispatchEvent('message:bridged', {
        from,
        to,
        topic: topicToHex(crossing.topic),
        hash,
        latencyMs,
        delivery,
      })
    } catch (error) {
      if (signal.aborted) return // stopping: nothing was lost that the bridge still owed
      this.#components.logger.warn('%s: post failed: %s', direction, error)
      this.#drop(from, to, 'failed')
    } finally {
      this.#pending.set(direction, (this.#pending.get(direction) ?? 1) - 1)
    }
  }

  #bucket(direction: string, now: number): boolean {
    const limit = this.#settings.rateLimit
    if (limit === undefined) return true
    let bucket = this.#buckets.get(direction)
    if (bucket === undefined) {
      bucket = new TokenBucket(limit, now)
      this.#buckets.set(direction, bucket)
    }
    return bucket.take(now)
  }

  #drop(from: BridgeSide, to: BridgeSide, reason: DropReason): void {
    this.#stats.dropped(`${from}->${to}`, reason)
    this.#components.metrics.messages.inc({ from, to, result: reason })
    this.safeDispatchEvent('message:dropped', { from, to, reason })
  }
}

/** A function, so TypeScript does not narrow `aborted` across the awaits between two checks. */
function aborted(options: AbortOptions | undefined): boolean {
  return options?.signal?.aborted === true
}
