/**
 * One interface over node:worker_threads and Web Workers, and where the worker entry lives.
 * Bundlers that only follow `new Worker(new URL('<literal>', import.meta.url))` can pass their own
 * factory (PowWorkerPoolOptions.createWorker) wrapping the Worker with `webWorker`.
 */
import { UnsupportedError } from '@parley/interfaces'
import { workerThreads } from './node-builtins.ts'
import type { FromWorker, ToWorker } from './protocol.ts'

export interface PowWorkerHandle {
  postMessage(message: ToWorker): void
  onMessage(handler: (message: FromWorker) => void): void
  /** the worker died (uncaught error or exit) */
  onError(handler: (error: unknown) => void): void
  /** Node: whether the worker keeps the process alive (only while it searches); browsers: no-op */
  setActive(active: boolean): void
  terminate(): Promise<void>
}

/** Where pow-worker lives: `.ts` when running from the sources (vitest, Node type stripping), else `.js`. */
export const POW_WORKER_URL = new URL(
  `./pow-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
)

/** The structural part of a DOM `Worker` this module uses. */
export interface WebWorkerLike {
  postMessage(message: unknown): void
  addEventListener(
    type: 'message' | 'error' | 'messageerror',
    listener: (event: { data?: unknown }) => void,
  ): void
  terminate(): void
}

export function webWorker(worker: WebWorkerLike): PowWorkerHandle {
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.addEventListener('message', (event) => handler(event.data as FromWorker)),
    onError: (handler) => {
      worker.addEventListener('error', handler)
      worker.addEventListener('messageerror', handler)
    },
    setActive: () => {},
    terminate: async () => worker.terminate(),
  }
}

export async function nodeWorker(url: URL = POW_WORKER_URL): Promise<PowWorkerHandle> {
  const threads = workerThreads()
  if (threads === undefined) throw new UnsupportedError('node:worker_threads is not available')
  const worker = new threads.Worker(url)
  let exited = false
  worker.once('exit', () => {
    exited = true
  })
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.on('message', handler),
    onError: (handler) => {
      worker.on('error', handler)
      worker.on('exit', (code) => handler(new Error(`PoW worker exited with code ${code}`)))
    },
    setActive: (active) => (active ? worker.ref() : worker.unref()),
    terminate: async () => {
      if (!exited) await worker.terminate()
    },
  }
}

/** Node: worker_threads; browsers and Deno: a module Web Worker. */
export async function defaultWorkerFactory(): Promise<PowWorkerHandle> {
  if (workerThreads() !== undefined) return nodeWorker()
  const WebWorker = (globalThis as { Worker?: new (url: URL, options: { type: 'module' }) => WebWorkerLike })
    .Worker
  if (WebWorker === undefined) throw new UnsupportedError('This runtime has no worker threads')
  return webWorker(new WebWorker(POW_WORKER_URL, { type: 'module' }))
}
