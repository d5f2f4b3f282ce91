/** Messages between PowWorkerPool and pow-worker.ts (structured clone carries bigint and Uint8Array). */
import type { PowKernelKind } from './kernel.ts'

export interface SearchMessage {
  type: 'search'
  id: number
  kernel: PowKernelKind | 'auto'
  prefix: Uint8Array
  targetBits: number
  deadline?: number
}

export interface CancelMessage {
  type: 'cancel'
  id: number
}

export type ToWorker = SearchMessage | CancelMessage

export type FromWorker =
  | { type: 'result'; id: number; bits: number; nonce: bigint; hashes: number }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string }
