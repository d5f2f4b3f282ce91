/**
 * Which timers, sockets and servers a piece of code leaves open. async_hooks sees each handle as it
 * is created; those created while `run` ran, or by anything it started (a socket's callbacks run in
 * the context that opened it), and still open once the loop settles are what it leaked. Comparing
 * the process's active-handle counts before and after instead is noisy: the test runner's own timers
 * come and go in between, which can hide a leak or invent one.
 */
import { AsyncLocalStorage, createHook } from 'node:async_hooks'
import { settle } from './setup.ts'

/** async_hooks types of handles that keep a process alive; requests and promises complete by themselves. */
const HANDLE_TYPES = new Set([
  'Timeout',
  'Immediate',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'UDPWRAP',
  'PIPEWRAP',
  'PIPESERVERWRAP',
  'PROCESSWRAP',
  'SIGNALWRAP',
  'FSEVENTWRAP',
  'STATWATCHER',
])

interface Tracked {
  type: string
  resource: { hasRef?: () => boolean; _destroyed?: boolean }
}

function stillOpen({ resource }: Tracked): boolean {
  if (resource._destroyed === true) return false
  // An unref'd timer or socket does not hold the process open; getActiveResourcesInfo skips it too.
  return typeof resource.hasRef !== 'function' || resource.hasRef()
}

/**
 * Runs `run`, lets the event loop settle (`settle`), and returns the kinds of handles it opened that
 * are still open and referenced, e.g. `['Timeout']`; `[]` when it cleaned up after itself.
 */
export async function handlesLeftOpenBy(run: () => unknown): Promise<string[]> {
  const inside = new AsyncLocalStorage<true>()
  const open = new Map<number, Tracked>()
  const hook = createHook({
    init(asyncId, type, _triggerAsyncId, resource) {
      if (HANDLE_TYPES.has(type) && inside.getStore() === true)
        open.set(asyncId, { type, resource: resource as Tracked['resource'] })
    },
    destroy(asyncId) {
      open.delete(asyncId)
    },
  })
  hook.enable()
  try {
    await inside.run(true, async () => {
      await run()
    })
    await settle()
  } finally {
    hook.disable()
  }
  return [...new Set([...open.values()].filter(stillOpen).map((tracked) => tracked.type))].sort()
}
