/**
 * Worker entry (node:worker_threads or a module Web Worker): runs one search at a time and stops
 * between slices when told to cancel. Imports stay relative and free of workspace packages so that
 * Node can run this file straight from the TypeScript sources as well as from dist.
 */
import { acquireKernel, defaultKernelKind, releaseKernel } from './kernel.ts'
import { workerThreads } from './node-builtins.ts'
import type { FromWorker, SearchMessage, ToWorker } from './protocol.ts'
import { searchNonce } from './search.ts'

interface Port {
  post(message: FromWorker): void
  listen(handler: (message: ToWorker) => void): void
}

function connect(): Port {
  const scope = globalThis as unknown as {
    WorkerGlobalScope?: unknown
    postMessage(message: unknown): void
    addEventListener(type: 'message', listener: (event: { data: ToWorker }) => void): void
  }
  if (scope.WorkerGlobalScope !== undefined) {
    return {
      post: (message) => scope.postMessage(message),
      listen: (handler) => scope.addEventListener('message', (event) => handler(event.data)),
    }
  }
  const parentPort = workerThreads()?.parentPort
  if (parentPort === undefined || parentPort === null)
    throw new Error('pow-worker must run in a worker thread')
  return {
    post: (message) => parentPort.postMessage(message),
    listen: (handler) => parentPort.on('message', handler),
  }
}

const port = connect()
/** jobs received and not yet answered, and those of them the pool cancelled */
const pending = new Set<number>()
const cancelled = new Set<number>()
let queue = Promise.resolve()

async function run(job: SearchMessage): Promise<void> {
  const kernel = acquireKernel(job.kernel === 'auto' ? defaultKernelKind() : job.kernel)
  try {
    const request = { prefix: job.prefix, targetBits: job.targetBits, deadline: job.deadline }
    const result = cancelled.has(job.id)
      ? undefined
      : await searchNonce(kernel, request, () => cancelled.has(job.id))
    if (result === undefined || cancelled.has(job.id)) port.post({ type: 'cancelled', id: job.id })
    else port.post({ type: 'result', id: job.id, ...result })
  } catch (err) {
    port.post({ type: 'error', id: job.id, message: err instanceof Error ? err.message : String(err) })
  } finally {
    releaseKernel(kernel)
    pending.delete(job.id)
    cancelled.delete(job.id)
  }
}

port.listen((message) => {
  if (message.type === 'cancel') {
    if (pending.has(message.id)) cancelled.add(message.id)
  } else {
    pending.add(message.id)
    queue = queue.then(() => run(message))
  }
})
