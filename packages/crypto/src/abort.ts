/** AbortSignal plumbing: every async call rejects with `AbortError` once its signal fires. */
import { AbortError } from '@parley/interfaces'

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new AbortError(undefined, { cause: signal.reason })
}

/**
 * Settles with `work`, or rejects with `AbortError` as soon as `signal` aborts. The work itself may
 * not be cancellable (a thread-pool job, a WASM loop); its late result is then dropped.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work
  if (signal.aborted) {
    work.catch(() => {})
    return Promise.reject(new AbortError(undefined, { cause: signal.reason }))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError(undefined, { cause: signal.reason }))
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
