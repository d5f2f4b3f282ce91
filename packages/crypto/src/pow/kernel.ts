/**
 * A PoW kernel hashes `prefix || nonce` for runs of nonces after absorbing the constant prefix once.
 * Two implementations: the AssemblyScript kernel (WebAssembly) and a JavaScript fallback over
 * noble's keccak-f. This module and the kernels import nothing outside this directory but
 * @noble/hashes, so the worker entry can load them directly.
 */
import { JsPowKernel } from './kernel-js.ts'
import { WasmPowKernel, wasmKernelAvailable } from './kernel-wasm.ts'

export type PowKernelKind = 'wasm' | 'js'

export interface PowSearchResult {
  /** most leading zero bits seen (-1 when count was 0) */
  bits: number
  /** first nonce that reached `bits` */
  nonce: bigint
  /** nonces hashed: up to and including `nonce` when `bits >= targetBits`, else `count` */
  hashes: number
}

export interface PowKernel {
  readonly kind: PowKernelKind
  /** Absorbs rlp([Expiry, TTL, Topic, Data]); later calls hash this prefix followed by a nonce. */
  prepare(prefix: Uint8Array): void
  /**
   * Hashes nonces `start .. start + count - 1` (count < 2^32) and stops at the first one with at least
   * `targetBits` leading zero bits; pass 257 to always hash all `count` (raw throughput).
   */
  search(start: bigint, count: number, targetBits: number): PowSearchResult
  /** keccak256(prefix || nonce as 8 bytes big-endian) */
  hash(nonce: bigint): Uint8Array
}

/** Leading-zero target no hash can reach: search runs through all nonces it is given. */
export const UNREACHABLE_BITS = 257

/** The kernel `'auto'` picks: WebAssembly when the runtime has it, else JavaScript. */
export function defaultKernelKind(): PowKernelKind {
  return wasmKernelAvailable() ? 'wasm' : 'js'
}

/** A new, independent kernel (each one holds its own prepared prefix). */
export function powKernel(kind: PowKernelKind | 'auto' = 'auto'): PowKernel {
  const resolved = kind === 'auto' ? defaultKernelKind() : kind
  return resolved === 'wasm' ? new WasmPowKernel() : new JsPowKernel()
}

const idle: Record<PowKernelKind, PowKernel[]> = { wasm: [], js: [] }
const MAX_IDLE = 4

/** Borrows a kernel, reusing an idle one so that each seal does not instantiate WebAssembly again. */
export function acquireKernel(kind: PowKernelKind): PowKernel {
  return idle[kind].pop() ?? powKernel(kind)
}

export function releaseKernel(kernel: PowKernel): void {
  const list = idle[kernel.kind]
  if (list.length < MAX_IDLE) list.push(kernel)
}
