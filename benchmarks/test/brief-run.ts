/** Runs a case for a tiny budget and checks its figures are usable (shared by the case tests). */
import { expect } from 'vitest'
import { IN_PROCESS_PREFIX } from '../src/in-process.ts'
import { measureRate } from '../src/measure.ts'
import type { BenchCase, SliceResult } from '../src/types.ts'

const clock = () => performance.now()

export async function runBriefly(benchCase: BenchCase, ms = 20): Promise<SliceResult> {
  await benchCase.setup?.()
  try {
    const slice =
      benchCase.runFor !== undefined
        ? await benchCase.runFor(ms, 1)
        : await measureRate(benchCase.run!, ms, clock)
    expect(slice.samples, benchCase.id).toBeGreaterThan(0)
    expect(Number.isFinite(slice.value) && slice.value > 0, `${benchCase.id}: ${slice.value}`).toBe(true)
    if (benchCase.inProcessReference !== undefined) {
      expect(benchCase.reference).toBe(benchCase.inProcessReference.id)
      expect(benchCase.reference?.startsWith(IN_PROCESS_PREFIX)).toBe(true)
      expect((await measureRate(benchCase.inProcessReference.run, ms, clock)).value).toBeGreaterThan(0)
    }
    // every case either has a reference or says why it has none
    expect(benchCase.reference ?? benchCase.referenceNote).toBeTruthy()
    return slice
  } finally {
    await benchCase.teardown?.()
  }
}
