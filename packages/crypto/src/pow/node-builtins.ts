/**
 * node:worker_threads without a static or dynamic `import 'node:…'` (which bundlers for browsers
 * trip over): `process.getBuiltinModule`, Node ≥ 22.3. Undefined outside Node.
 */
import type * as WorkerThreads from 'node:worker_threads'

export function workerThreads(): typeof WorkerThreads | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  return proc?.getBuiltinModule?.('node:worker_threads') as typeof WorkerThreads | undefined
}
