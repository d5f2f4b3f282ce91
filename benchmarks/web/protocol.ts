/** Messages between the page and the benchmark worker. */
import type { Progress } from '../src/harness.ts'
import type { ResultsPass } from '../src/results.ts'

export interface RunRequest {
  rounds: number
  sliceMs: number
  filter: string | undefined
  /** remove WebAssembly in the worker before any provider loads */
  noWasm: boolean
}

export type WorkerMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'pass'; pass: ResultsPass }
  | { type: 'error'; message: string }
