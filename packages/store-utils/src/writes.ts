import { type Counter, type Metrics, StoreFullError } from '@parley/interfaces'

/** The metric every store counts refused writes in: one name for all adapters, labelled by store. */
export function writeErrorsCounter(metrics: Metrics): Counter {
  return metrics.counter({
    name: 'parley_store_write_errors_total',
    help: 'Writes a store refused, by store and reason (full: disk or quota)',
    labelNames: ['store', 'reason'],
  })
}

export interface FullStorageGuardInit {
  /** the `store` label of the counter: `sqlite`, `level`, `postgres`… */
  store: string
  /** where the counter is registered; without it nothing is counted */
  metrics?: Metrics | undefined
  /** whether a failed write failed because the storage is full (the driver's own error) */
  isFull: (error: unknown) => boolean
  /** the `StoreFullError` message, e.g. naming the file or server */
  message: string
}

/** Runs one write. */
export type WriteGuard = <T>(work: () => T | Promise<T>) => Promise<T>

/**
 * Wraps a store's writes: a write that fails because the storage is full (which the database has
 * already rolled back) becomes `StoreFullError`, with the driver's error as its cause, and is
 * counted as `{ store, reason: 'full' }`. Other failures pass through unchanged.
 */
export function fullStorageGuard(init: FullStorageGuardInit): WriteGuard {
  const counter = init.metrics === undefined ? undefined : writeErrorsCounter(init.metrics)
  return async (work) => {
    try {
      return await work()
    } catch (error) {
      if (!init.isFull(error)) throw error
      counter?.inc({ store: init.store, reason: 'full' })
      throw new StoreFullError(init.message, { cause: error })
    }
  }
}
