import type { Devp2pHost } from '@parley/interfaces'
import type { Clock } from './clock.ts'

/** Dials `enode`, aborted when `stop` aborts (the pool stops) or after `timeoutMs` on `clock`. */
export async function boundedDial(
  host: Devp2pHost,
  enode: string,
  stop: AbortSignal,
  timeoutMs: number | undefined,
  clock: Clock,
): Promise<void> {
  const controller = new AbortController()
  const onAbort = () => controller.abort()
  if (stop.aborted) onAbort()
  stop.addEventListener('abort', onAbort, { once: true })
  const timeout = timeoutMs === undefined ? undefined : clock.setTimeout(onAbort, timeoutMs)
  try {
    await host.dial(enode, { signal: controller.signal })
  } finally {
    clock.clearTimeout(timeout)
    stop.removeEventListener('abort', onAbort)
  }
}
