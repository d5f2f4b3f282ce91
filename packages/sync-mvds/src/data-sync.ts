/**
 * The MVDS `DataSync` service: an `MvdsNode` driven by an epoch timer, persisted in a
 * `KeyValueStore`, sending through a pluggable transport function and fed received payloads by
 * whoever owns the wire (the messenger, after decryption).
 *
 * Operations that touch the node run one at a time; each saves its changes in one batch before it
 * resolves or emits events, so a restart never re-delivers a message the application was given, and
 * a message is ACKed only after it was saved.
 */
import {
  AbortError,
  type AbortOptions,
  type DataSync,
  InvalidParametersError,
  type Logger,
  NotStartedError,
  TypedEventEmitter,
} from '@parley/interfaces'
import {
  decodeIncoming,
  type MvdsComponents,
  type MvdsEvents,
  type MvdsInit,
  type MvdsTransport,
  type ReceiveResult,
  rejectionError,
} from './api.ts'
import { type Clock, systemClock } from './clock.ts'
import { hasNoStateChanges, mergeChanges, type NodeChanges } from './journal.ts'
import { type MvdsMetrics, mvdsMetrics } from './metrics.ts'
import { MvdsNode } from './node.ts'
import { MvdsPersistence } from './persistence.ts'
import { type ScheduleConfig, scheduleConfig } from './schedule.ts'
import { DEFAULT_MAX_PAYLOAD_BYTES, encodePayload, type Payload, splitPayload } from './wire.ts'

export class MvdsDataSync extends TypedEventEmitter<MvdsEvents> implements DataSync {
  readonly #init: MvdsInit
  readonly #schedule: ScheduleConfig
  readonly #clock: Clock
  readonly #log: Logger
  readonly #metrics: MvdsMetrics
  readonly #persistence: MvdsPersistence | undefined
  readonly #maxPayloadBytes: number
  #transport: MvdsTransport | undefined
  #node: MvdsNode | undefined
  #started = false
  #starting: Promise<void> | undefined
  #timer: unknown
  #ticking: Promise<void> | undefined
  #queue: Promise<unknown> = Promise.resolve()
  #unsaved: NodeChanges | undefined

  constructor(init: MvdsInit, components: MvdsComponents) {
    super({ onListenerError: (error, type) => components.logger.warn(`${type} listener threw`, error) })
    this.#init = init
    this.#schedule = scheduleConfig(init.schedule)
    this.#clock = init.clock ?? systemClock
    this.#log = components.logger
    this.#metrics = mvdsMetrics(components.metrics)
    this.#transport = init.transport
    this.#maxPayloadBytes = init.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES
    this.#persistence =
      components.store === undefined
        ? undefined
        : new MvdsPersistence(components.store, init.namespace ?? 'default')
  }

  isStarted(): boolean {
    return this.#started
  }

  /** The current epoch (advances by one per `schedule.epochMs` while started with a transport). */
  get epoch(): number {
    return this.#node?.epoch ?? 0
  }

  /** The underlying node, for inspection; undefined before the first start. */
  get node(): MvdsNode | undefined {
    return this.#node
  }

  /** Sets (or replaces) the function payloads are sent through. */
  setTransport(transport: MvdsTransport): void {
    this.#transport = transport
  }

  async start(options?: AbortOptions): Promise<void> {
    if (options?.signal?.aborted === true) throw new AbortError()
    if (this.#started) return
    this.#starting ??= this.#load(options).finally(() => {
      this.#starting = undefined
    })
    await this.#starting
    if (this.#started) return
    this.#started = true
    this.#arm()
  }

  async stop(options?: AbortOptions): Promise<void> {
    if (!this.#started) return
    this.#started = false
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#ticking
    await this.#exclusive(() => this.#save(options, true))
  }

  async addPeer(groupId: Uint8Array, peer: string, options?: AbortOptions): Promise<void> {
    const node = this.#ready(options)
    if (!(groupId instanceof Uint8Array)) throw new InvalidParametersError('groupId must be bytes')
    if (typeof peer !== 'string' || peer.length === 0)
      throw new InvalidParametersError('peer must be a non-empty string')
    await this.#exclusive(async () => {
      node.addPeer(groupId, peer)
      await this.#save(options)
    })
  }

  async send(
    groupId: Uint8Array,
    body: Uint8Array,
    options?: AbortOptions & { ephemeral?: boolean },
  ): Promise<Uint8Array> {
    const node = this.#ready(options)
    if (!(groupId instanceof Uint8Array) || !(body instanceof Uint8Array)) {
      throw new InvalidParametersError('groupId and body must be bytes')
    }
    const seconds = BigInt(Math.floor(this.#clock.now() / 1000))
    return this.#exclusive(async () => {
      const id = node.append(groupId, body, seconds, options?.ephemeral === true)
      await this.#save(options)
      return id
    })
  }

  /** A peer came back online: resend what it is missing within `peerOnlineJitterEpochs`. */
  async peerOnline(peer: string, options?: AbortOptions): Promise<void> {
    const node = this.#ready(options)
    await this.#exclusive(async () => {
      node.peerOnline(peer)
      await this.#save(options)
    })
  }

  /**
   * Handles a payload received from `peer`. Throws `DecodeError` (malformed or empty) or
   * `LimitExceededError` (too large) and changes nothing; otherwise applies what it can and lists
   * the items it refused (requests for unknown ids, bad ids) with a typed error each.
   */
  async receive(peer: string, bytes: Uint8Array, options?: AbortOptions): Promise<ReceiveResult> {
    const node = this.#ready(options)
    const payload = this.#decode(peer, bytes)
    this.#metrics.payloads.inc({ direction: 'in' })
    return this.#exclusive(async () => {
      const outcome = node.onPayload(peer, payload)
      try {
        await this.#save(options)
      } finally {
        this.#report(peer, outcome)
      }
      return {
        delivered: outcome.delivered.length,
        acknowledged: outcome.acknowledged.length,
        duplicates: outcome.duplicates,
        held: outcome.held,
        rejected: outcome.rejected.map((r) => ({ ...r, error: rejectionError(r, peer) })),
      }
    })
  }

  #decode(peer: string, bytes: Uint8Array): Payload {
    const decoded = decodeIncoming(bytes, this.#maxPayloadBytes)
    if ('payload' in decoded) return decoded.payload
    this.#metrics.rejected.inc({ reason: decoded.reason })
    this.safeDispatchEvent('payload:rejected', { peer, ...decoded })
    throw decoded.error
  }

  #report(peer: string, outcome: ReturnType<MvdsNode['onPayload']>): void {
    const counts = { delivered: outcome.delivered.length, duplicate: outcome.duplicates, held: outcome.held }
    for (const [kind, count] of Object.entries(counts)) this.#metrics.received.inc({ outcome: kind }, count)
    this.#metrics.acknowledged.inc(undefined, outcome.acknowledged.length)
    for (const { from, messageId, message } of outcome.delivered) {
      this.safeDispatchEvent('message:received', {
        id: messageId,
        groupId: message.groupId,
        timestamp: Number(message.timestamp),
        body: message.body,
        from,
      })
    }
    for (const { messageId } of outcome.acknowledged) {
      this.safeDispatchEvent('message:delivered', { id: messageId, peer })
    }
    for (const rejection of outcome.rejected) {
      this.#metrics.rejected.inc({ reason: rejection.reason })
      const error = rejectionError(rejection, peer)
      this.safeDispatchEvent('payload:rejected', { peer, reason: rejection.reason, error })
    }
  }

  async #load(options?: AbortOptions): Promise<void> {
    if (this.#node !== undefined) return
    const { mode, ordering } = this.#init
    if (this.#persistence === undefined) {
      this.#node = new MvdsNode({ mode, ordering, schedule: this.#schedule })
      return
    }
    const { snapshot, corrupt } = await this.#persistence.load(options)
    if (corrupt > 0) {
      this.#log.warn(`skipped ${corrupt} unreadable MVDS state entries`)
      this.#metrics.storeFailures.inc(undefined, corrupt)
    }
    this.#node = new MvdsNode({ mode, ordering, schedule: this.#schedule, snapshot })
  }

  #arm(): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined
      this.#ticking = this.#tick().finally(() => {
        this.#ticking = undefined
        if (this.#started) this.#arm()
      })
      return this.#ticking
    }, this.#schedule.epochMs)
  }

  // One epoch: compute and save under the lock, then transmit outside it, so two services whose
  // transports call each other's `receive` cannot deadlock.
  async #tick(): Promise<void> {
    const transport = this.#transport
    const node = this.#node
    if (transport === undefined || node === undefined) return // epochs wait for a transport
    let outcome: ReturnType<MvdsNode['tick']>
    try {
      outcome = await this.#exclusive(async () => {
        const result = node.tick(node.epoch + 1)
        await this.#save()
        return result
      })
    } catch (error) {
      this.#log.error('MVDS tick failed', error)
      return
    }
    const { stats, expired, payloads } = outcome
    this.#metrics.sent.inc({ kind: 'persistent' }, stats.messages)
    this.#metrics.sent.inc({ kind: 'ephemeral' }, stats.ephemeral)
    this.#metrics.retransmitted.inc(undefined, stats.retransmissions)
    this.#metrics.expired.inc(undefined, expired.length)
    for (const { messageId, peer } of expired)
      this.safeDispatchEvent('message:expired', { id: messageId, peer })
    const max = this.#init.maxOutgoingBytes
    const parts = payloads.flatMap(({ peer, payload }) =>
      (max === undefined ? [payload] : splitPayload(payload, max)).map((part) => ({ peer, part })),
    )
    await Promise.all(
      parts.map(async ({ peer, part }) => {
        this.#metrics.payloads.inc({ direction: 'out' })
        try {
          await transport(peer, encodePayload(part))
        } catch (error) {
          this.#metrics.sendFailures.inc()
          this.#log.debug(`MVDS payload to ${peer} failed`, error)
        }
      }),
    )
  }

  async #save(options?: AbortOptions, always = false): Promise<void> {
    const node = this.#node
    if (node === undefined) return
    const changes = mergeChanges(this.#unsaved, node.takeChanges())
    this.#unsaved = undefined
    this.#metrics.pendingRecords.set(node.state.size)
    this.#metrics.heldMessages.set(node.held.size)
    if (this.#persistence === undefined || (!always && hasNoStateChanges(changes))) return
    try {
      await this.#persistence.save(changes, options)
    } catch (error) {
      // Memory is ahead of the store now; the next save writes these changes again.
      this.#unsaved = changes
      this.#metrics.storeFailures.inc()
      throw error
    }
  }

  #ready(options?: AbortOptions): MvdsNode {
    if (options?.signal?.aborted === true) throw new AbortError()
    if (!this.#started || this.#node === undefined) throw new NotStartedError('MVDS data sync is not started')
    return this.#node
  }

  #exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(run)
    this.#queue = result.catch(() => undefined)
    return result
  }
}
