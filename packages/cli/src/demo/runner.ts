import { TimeoutError } from '@parley/interfaces'
import { reasonOf } from '../errors.ts'
import type { DemoCheck, DemoContext } from './check.ts'

export const DEFAULT_CHECK_TIMEOUT_MS = 20_000

export interface CheckResult {
  name: string
  ok: boolean
  ms: number
  detail?: string
  /** one line, for a failed check */
  error?: string
}

export interface RunChecksOptions {
  timeoutMs?: number
  /** aborts the remaining checks (Ctrl-C) */
  signal?: AbortSignal
  /** called as each check finishes, so the summary streams */
  onResult?: (result: CheckResult) => void
}

/** Runs checks one after another (they open loopback ports; in sequence they cannot collide). */
export async function runChecks(
  checks: readonly DemoCheck[],
  context: DemoContext,
  options: RunChecksOptions = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  for (const check of checks) {
    const result = options.signal?.aborted
      ? { name: check.name, ok: false, ms: 0, error: 'not run: the demo was interrupted' }
      : await runCheck(check, context, options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS, options.signal)
    results.push(result)
    options.onResult?.(result)
  }
  return results
}

async function runCheck(
  check: DemoCheck,
  context: DemoContext,
  timeoutMs: number,
  parent: AbortSignal | undefined,
): Promise<CheckResult> {
  const controller = new AbortController()
  const abort = () => controller.abort(parent?.reason)
  parent?.addEventListener('abort', abort, { once: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  // A check that ignores its signal must still not hold the demo: the race ends it at the timeout.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(`timed out after ${timeoutMs} ms`)
      controller.abort(error)
      reject(error)
    }, timeoutMs)
  })
  const started = performance.now()
  try {
    const detail = await Promise.race([check.run(context, controller.signal), timeout])
    const ms = elapsed(started)
    return typeof detail === 'string'
      ? { name: check.name, ok: true, ms, detail }
      : { name: check.name, ok: true, ms }
  } catch (error) {
    return { name: check.name, ok: false, ms: elapsed(started), error: reasonOf(error) }
  } finally {
    clearTimeout(timer)
    parent?.removeEventListener('abort', abort)
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10
}
