/**
 * The archive gate: with an archiver registered (`V1PrivacyProtocol.setArchiver`, a mailserver),
 * new envelopes wait here until the archiver has stored them, and only then go on to the pool and
 * the peers. Envelopes are archived in batches (all that arrived while the previous batch was being
 * written, at most `MAX_BATCH`), one batch at a time, so a packet of many envelopes costs one write.
 */
import {
  InvalidParametersError,
  LimitExceededError,
  NotStartedError,
  type V1Archiver,
  type V1DirectEvents,
} from '@parley/interfaces'

/** Envelopes per archiver call, at most. */
export const MAX_BATCH = 1000
/** Envelopes waiting for the archiver, at most: beyond, a store slower than the traffic sheds load. */
export const MAX_WAITING = 20 * MAX_BATCH

interface Waiting<T> {
  item: T
  detail: V1DirectEvents['envelope:accepted']
  resolve: () => void
  reject: (error: unknown) => void
}

export interface ArchiveGateInit<T> {
  /** these items are archived (or there is no archiver any more): pass them on */
  passed: (items: T[]) => void
  /** the archiver rejected these items: they go no further */
  failed: (items: T[], error: unknown) => void
}

export class ArchiveGate<T> {
  readonly #init: ArchiveGateInit<T>
  #archiver: V1Archiver | undefined
  #queue: Array<Waiting<T>> = []
  #running: Promise<void> | undefined
  /** the newest item's fate, never rejecting: batches run in order, so all before it are settled too */
  #last: Promise<void> = Promise.resolve()
  /** bumped by `clear`: a batch archived for an earlier generation is not passed on */
  #generation = 0

  constructor(init: ArchiveGateInit<T>) {
    this.#init = init
  }

  get active(): boolean {
    return this.#archiver !== undefined
  }

  /** Registers the one archiver; returns the function that unregisters it. */
  register(archiver: V1Archiver): () => void {
    if (this.#archiver !== undefined) throw new InvalidParametersError('an archiver is already registered')
    this.#archiver = archiver
    return () => {
      if (this.#archiver === archiver) this.#archiver = undefined
    }
  }

  /**
   * Queues an item; resolves once it passed, rejects with the archiver's error when it failed, or
   * at once with `LimitExceededError` when `MAX_WAITING` items wait already.
   */
  add(item: T, detail: V1DirectEvents['envelope:accepted']): Promise<void> {
    if (this.#queue.length >= MAX_WAITING) {
      const error = new LimitExceededError(`${MAX_WAITING} envelopes wait for the archiver`)
      this.#init.failed([item], error)
      return Promise.reject(error)
    }
    const passed = new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, detail, resolve, reject })
      this.#running ??= this.#run().finally(() => {
        this.#running = undefined
      })
    })
    this.#last = passed.then(settledAnyway, settledAnyway)
    return passed
  }

  /** Resolves once everything queued so far has passed or failed (not waiting for later arrivals). */
  settled(): Promise<void> {
    return this.#last
  }

  /** Drops what waits (the protocol stopped): queued and in-flight items reject with `NotStartedError`. */
  clear(): void {
    this.#generation++
    const dropped = this.#queue
    this.#queue = []
    for (const waiting of dropped) waiting.reject(new NotStartedError('the protocol stopped'))
  }

  async #run(): Promise<void> {
    // Let the rest of the current packet join the first batch.
    await Promise.resolve()
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH)
      const generation = this.#generation
      const archiver = this.#archiver
      let failure: { error: unknown } | undefined
      try {
        if (archiver !== undefined) await archiver(batch.map((waiting) => waiting.detail))
      } catch (error) {
        failure = { error }
      }
      if (generation !== this.#generation) {
        for (const waiting of batch) waiting.reject(new NotStartedError('the protocol stopped'))
      } else if (failure !== undefined) {
        this.#init.failed(
          batch.map((waiting) => waiting.item),
          failure.error,
        )
        for (const waiting of batch) waiting.reject(failure.error)
      } else {
        this.#init.passed(batch.map((waiting) => waiting.item))
        for (const waiting of batch) waiting.resolve()
      }
    }
  }
}

function settledAnyway(): void {}
