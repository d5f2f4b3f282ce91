/**
 * References that run in this process (`js:` ids): for a case whose honest floor is node:crypto
 * called directly rather than C. They go through the same `ReferenceRunner` interface as the native
 * program, so the harness interleaves and alternates them the same way.
 */
import { AbortError, type AbortOptions, UnsupportedError } from '@parley/interfaces'
import { cpuClock, measureRate } from './measure.ts'
import type { BenchCase, InProcessReference, ReferenceRunner, SliceResult } from './types.ts'

export const IN_PROCESS_PREFIX = 'js:'

/** `native` for C ids, the cases' own in-process references for `js:` ids. */
export function withInProcessReferences(
  native: ReferenceRunner,
  cases: readonly BenchCase[],
): ReferenceRunner {
  const local = new Map<string, { reference: InProcessReference; cpuTime: boolean }>()
  for (const c of cases) {
    if (c.inProcessReference)
      local.set(c.inProcessReference.id, { reference: c.inProcessReference, cpuTime: c.cpuTime === true })
  }
  return {
    unavailable(id) {
      if (!id.startsWith(IN_PROCESS_PREFIX)) return native.unavailable(id)
      return local.has(id) ? undefined : `no in-process reference ${id}`
    },
    async measure(id, ms, offset, options?: AbortOptions): Promise<SliceResult> {
      if (!id.startsWith(IN_PROCESS_PREFIX)) return native.measure(id, ms, offset, options)
      if (options?.signal?.aborted === true) throw new AbortError()
      const entry = local.get(id)
      if (entry === undefined) throw new UnsupportedError(`no in-process reference ${id}`)
      // the same clock as the case it is the reference of
      return measureRate(entry.reference.run, ms, entry.cpuTime ? cpuClock : () => performance.now())
    },
  }
}
