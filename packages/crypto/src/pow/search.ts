/**
 * The nonce search loop shared by the in-thread path and the worker: it runs the kernel in slices
 * of about SLICE_MS, and between slices checks the deadline, yields to the event loop (so messages,
 * timers and aborts get through) and asks whether to stop. Nonces go 0, 1, 2, ... as in
 * go-ethereum's Seal, so a target search finds the same nonce go-ethereum would.
 */
import type { PowKernel, PowSearchResult } from './kernel.ts'

export interface SearchRequest {
  /** rlp([Expiry, TTL, Topic, Data]) */
  prefix: Uint8Array
  /** stop at the first nonce with this many leading zero bits (UNREACHABLE_BITS: never) */
  targetBits: number
  /** `Date.now()` after which no new slice starts; the first slice always runs */
  deadline?: number
}

const SLICE_MS = 8
const MIN_SLICE = 1024
/** nonces hashed before the first deadline check */
export const FIRST_SLICE = MIN_SLICE
const MAX_SLICE = 1 << 22

/** Resolves with the best nonce found, or undefined when `shouldStop` returned true. */
export async function searchNonce(
  kernel: PowKernel,
  request: SearchRequest,
  shouldStop: () => boolean,
): Promise<PowSearchResult | undefined> {
  const { targetBits, deadline } = request
  kernel.prepare(request.prefix)
  let best: PowSearchResult = { bits: -1, nonce: 0n, hashes: 0 }
  let hashes = 0
  let start = 0n
  let slice = MIN_SLICE
  for (;;) {
    const began = performance.now()
    const result = kernel.search(start, slice, targetBits)
    const elapsed = performance.now() - began
    hashes += result.hashes
    if (result.bits > best.bits) best = result
    if (best.bits >= targetBits) break
    start += BigInt(slice)
    const remaining = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now()
    if (remaining <= 0) break
    // size the next slice from the measured rate, and never past the deadline
    const perMs = slice / Math.max(elapsed, 0.05)
    slice = Math.round(Math.min(MAX_SLICE, Math.max(MIN_SLICE, perMs * Math.min(SLICE_MS, remaining))))
    await yieldToEventLoop()
    if (shouldStop()) return undefined
  }
  return { bits: best.bits, nonce: best.nonce, hashes }
}

/** setImmediate where it exists (Node); elsewhere a MessageChannel round trip, which is not clamped like setTimeout. */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve))
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    const port = channel.port1 as unknown as { onmessage: (() => void) | null; close(): void }
    port.onmessage = () => {
      port.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}
