import {
  AbortError,
  type AbortOptions,
  type Counter,
  InvalidParametersError,
  type KeyValueStore,
  type Logger,
  type ParleyEvents,
  type Startable,
  type TypedEventTarget,
} from '@parley/interfaces'

// A third-party plugin adds its events to the node's event map by declaration merging.
declare module '@parley/interfaces' {
  interface ParleyEvents {
    'heartbeat:tick': { beats: number }
  }
}

/** Exactly what this plugin uses from the node: nothing more. */
export interface HeartbeatComponents {
  logger: Logger
  events: TypedEventTarget<ParleyEvents>
  store: KeyValueStore
  beats: Counter
}

export interface HeartbeatInit {
  /** milliseconds between beats (default 1000) */
  intervalMs?: number
}

const COUNT_KEY = new TextEncoder().encode('heartbeat/beats')

/**
 * Counts beats on a timer and persists the count in the node's key-value store, so the count
 * survives a restart. Small on purpose: it shows the lifecycle, a needed capability, events,
 * metrics and clean-up of a timer.
 */
export class Heartbeat implements Startable {
  readonly #components: HeartbeatComponents
  readonly #intervalMs: number
  #timer: ReturnType<typeof setInterval> | undefined
  #beats = 0
  #started = false

  constructor(components: HeartbeatComponents, init: HeartbeatInit = {}) {
    const intervalMs = init.intervalMs ?? 1000
    if (!Number.isFinite(intervalMs) || intervalMs < 1) {
      throw new InvalidParametersError(`heartbeat intervalMs must be ≥ 1, got ${intervalMs}`)
    }
    this.#components = components
    this.#intervalMs = intervalMs
  }

  get beats(): number {
    return this.#beats
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (this.#started) return
    if (options.signal?.aborted) throw new AbortError()
    const stored = await this.#components.store.get(COUNT_KEY, options)
    this.#beats = stored === undefined ? 0 : new DataView(stored.buffer, stored.byteOffset).getUint32(0)
    this.#timer = setInterval(() => void this.beat(), this.#intervalMs)
    this.#started = true
    this.#components.logger.info('started at %d beats, one every %d ms', this.#beats, this.#intervalMs)
  }

  async stop(): Promise<void> {
    if (!this.#started) return
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#started = false
  }

  /** One beat: count, persist, announce. Public so tests need not wait for the timer. */
  async beat(options?: AbortOptions): Promise<number> {
    this.#beats += 1
    const value = new Uint8Array(4)
    new DataView(value.buffer).setUint32(0, this.#beats)
    await this.#components.store.put(COUNT_KEY, value, options)
    this.#components.beats.inc()
    this.#components.events.safeDispatchEvent('heartbeat:tick', { beats: this.#beats })
    return this.#beats
  }
}
