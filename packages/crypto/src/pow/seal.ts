/**
 * seal: find a nonce for an envelope, either up to a target (pow or bits) or the best one within a
 * time budget, like go-ethereum's Envelope.Seal. Small targets run in this thread (starting a worker
 * costs more than the search); long searches run in a worker so they do not block the event loop.
 */
import { AbortError, type AbortOptions, InvalidParametersError, TimeoutError } from '@parley/interfaces'
import {
  acquireKernel,
  defaultKernelKind,
  type PowKernelKind,
  releaseKernel,
  UNREACHABLE_BITS,
} from './kernel.ts'
import {
  ENVELOPE_HEADER_LENGTH,
  type PowEnvelopeFields,
  powFromBits,
  powPrefix,
  requiredBits,
} from './pow.ts'
import { type SearchRequest, searchNonce } from './search.ts'
import { PowWorkerPool } from './worker-pool.ts'

export interface SealOptions extends AbortOptions {
  /** target proof of work; 0 means none (nonce 0, like go-ethereum) */
  pow?: number
  /** target leading zero bits instead of `pow` */
  bits?: number
  /**
   * time budget in ms. Alone: return the best nonce found in that time (go-ethereum's PoW < 0 mode;
   * go-ethereum also adds the work time to Expiry first, which is the caller's job here). With a
   * target: give up after that long with a TimeoutError.
   */
  timeMs?: number
  /** true: in a worker; false: in this thread; 'auto' (default): in a worker only for long searches */
  worker?: boolean | 'auto'
  /** WebAssembly or JavaScript kernel; 'auto' (default) prefers WebAssembly. A `pool` uses its own setting. */
  kernel?: PowKernelKind | 'auto'
  /** workers to use instead of a worker started (and terminated) for this one call */
  pool?: PowWorkerPool
}

export interface SealResult {
  nonce: bigint
  /** the envelope's pow with this nonce, as computePow returns it */
  pow: number
  /** leading zero bits of the PoW hash */
  bits: number
  /** nonces hashed */
  hashes: number
}

/** 'auto' searches in a worker when the target needs at least this many bits (2^16 hashes ≈ 30 ms in WASM). */
export const AUTO_WORKER_MIN_BITS = 16
/** ...or when a time-only search may run this long. */
export const AUTO_WORKER_MIN_MS = 20

/**
 * Bits to reach `pow`: go-ethereum's requiredBits over 20 + len(Data), and never fewer than the
 * envelope's pow formula needs (it divides by len(rlp)), so that computePow(sealed) >= pow always.
 */
export function sealTargetBits(envelope: PowEnvelopeFields, pow: number, prefixLength: number): number {
  const size = ENVELOPE_HEADER_LENGTH + envelope.data.length
  return Math.max(requiredBits(pow, size, envelope.ttl), requiredBits(pow, prefixLength, envelope.ttl))
}

export async function seal(envelope: PowEnvelopeFields, options: SealOptions = {}): Promise<SealResult> {
  const { pow, bits, timeMs, signal } = options
  const prefix = powPrefix(envelope)
  if (pow !== undefined && bits !== undefined) {
    throw new InvalidParametersError('Give either pow or bits, not both')
  }
  if (pow !== undefined && !(Number.isFinite(pow) && pow >= 0)) {
    throw new InvalidParametersError(`pow must be finite and >= 0, got ${pow}`)
  }
  if (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= 256)) {
    throw new InvalidParametersError(`bits must be an integer from 0 to 256, got ${bits}`)
  }
  if (timeMs !== undefined && !(Number.isFinite(timeMs) && timeMs >= 0)) {
    throw new InvalidParametersError(`timeMs must be finite and >= 0, got ${timeMs}`)
  }
  if (pow === undefined && bits === undefined && timeMs === undefined) {
    throw new InvalidParametersError('seal needs pow, bits or timeMs')
  }
  const targetBits =
    bits ??
    (pow === undefined ? UNREACHABLE_BITS : pow === 0 ? 0 : sealTargetBits(envelope, pow, prefix.length))
  if (signal?.aborted) throw new AbortError()

  const request: SearchRequest = {
    prefix,
    targetBits,
    deadline: timeMs === undefined ? undefined : Date.now() + timeMs,
  }
  const kernel = options.kernel ?? 'auto'
  const found = useWorker(options, targetBits)
    ? await searchInWorker(request, kernel, options)
    : await searchInThread(request, kernel === 'auto' ? defaultKernelKind() : kernel, signal)
  if (found.bits < targetBits && targetBits !== UNREACHABLE_BITS) {
    throw new TimeoutError(`Reached ${found.bits} of ${targetBits} PoW bits in the ${timeMs} ms allowed`)
  }
  return {
    nonce: found.nonce,
    bits: found.bits,
    pow: powFromBits(found.bits, prefix.length, envelope.ttl),
    hashes: found.hashes,
  }
}

function useWorker(options: SealOptions, targetBits: number): boolean {
  const mode = options.worker ?? 'auto'
  if (mode !== 'auto') return mode
  if (targetBits === UNREACHABLE_BITS) return (options.timeMs ?? 0) >= AUTO_WORKER_MIN_MS
  return targetBits >= AUTO_WORKER_MIN_BITS
}

async function searchInThread(request: SearchRequest, kind: PowKernelKind, signal?: AbortSignal) {
  const kernel = acquireKernel(kind)
  try {
    const found = await searchNonce(kernel, request, () => signal?.aborted === true)
    if (found === undefined) throw new AbortError()
    return found
  } finally {
    releaseKernel(kernel)
  }
}

async function searchInWorker(request: SearchRequest, kernel: PowKernelKind | 'auto', options: SealOptions) {
  if (options.pool !== undefined) return options.pool.search(request, options)
  const pool = new PowWorkerPool({ kernel })
  try {
    return await pool.search(request, options)
  } finally {
    await pool.close()
  }
}
