/** Small helpers of the discv5 service. */
import type { Discv5 } from '@chainsafe/discv5'
import type { ENR } from '@chainsafe/enr'
import { AbortError } from '@parley/interfaces'

export type RecordListener = (enr: ENR) => void

/**
 * `Discv5`'s record events. It is a Node EventEmitter, but its typings come from
 * strict-event-emitter-types, whose declarations TypeScript's NodeNext resolution cannot find.
 */
export function recordEvents(service: Discv5): {
  on(event: 'discovered' | 'enrAdded', listener: RecordListener): unknown
  off(event: 'discovered' | 'enrAdded', listener: RecordListener): unknown
} {
  return service as unknown as ReturnType<typeof recordEvents>
}

export function pick<T extends object, K extends keyof T>(
  object: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {}
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key]
  return out
}

export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  if (signal.aborted) return Promise.reject(new AbortError())
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError())
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
