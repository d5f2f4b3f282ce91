/**
 * Proof of work: the raw nonce search rate of each kernel (hashes/s) against native/keccak.c's
 * midstate loop, and the latency of `seal` at Status's and go-ethereum's parameters.
 */
import {
  defaultKernelKind,
  type PowKernelKind,
  powKernel,
  powPrefix,
  seal,
  UNREACHABLE_BITS,
} from '@parley/crypto'
import { latencyResult } from '../measure.ts'
import type { BenchCase, SliceResult } from '../types.ts'
import { GETH_SEAL, SEAL_ROUND_STRIDE, type SealParameters, STATUS_SEAL, sealEnvelope } from './inputs.ts'

const KERNELS: readonly PowKernelKind[] = ['wasm', 'js']

function searchCase(kind: PowKernelKind): BenchCase {
  const kernel = powKernel(kind)
  let next = 0n
  return {
    id: `pow-nonce-search/${kind}`,
    group: 'pow-nonce-search',
    unit: 'hashes/s',
    provider: `${kind} kernel`,
    reference: 'pow-nonce-search',
    target: kind === 'wasm' ? { minRatio: 0.8 } : undefined,
    // the midstate of a 1 KiB Status envelope: one keccak-f per nonce, as in the C loop
    setup: () => kernel.prepare(powPrefix(sealEnvelope(0, STATUS_SEAL.ttl))),
    run(iterations) {
      kernel.search(next, iterations, UNREACHABLE_BITS)
      next += BigInt(iterations)
      return iterations
    },
  }
}

/** Seals envelopes one after another for `ms`; each latency covers RLP, midstate and search. */
async function sealLatencies(parameters: SealParameters, ms: number, round: number): Promise<SliceResult> {
  const latencies: number[] = []
  const end = performance.now() + ms
  for (let index = round * SEAL_ROUND_STRIDE; performance.now() < end; index++) {
    const envelope = sealEnvelope(index, parameters.ttl)
    const began = performance.now()
    await seal(envelope, { pow: parameters.pow })
    latencies.push(performance.now() - began)
  }
  return latencyResult(latencies)
}

function sealCase(name: string, parameters: SealParameters, target: BenchCase['target']): BenchCase {
  return {
    id: `seal-${name}`,
    group: 'seal',
    unit: 'ms',
    provider: `seal() defaults (${defaultKernelKind()} kernel)`,
    reference: `seal-${name}`,
    target,
    runFor: (ms, round) => sealLatencies(parameters, ms, round),
  }
}

export function powCases(): BenchCase[] {
  // without WebAssembly (a no-WASM run, Hermes) only the JavaScript kernel exists
  const kernels = defaultKernelKind() === 'wasm' ? KERNELS : KERNELS.filter((kind) => kind !== 'wasm')
  return [
    ...kernels.map(searchCase),
    sealCase('status', STATUS_SEAL, { maxMedian: 0.1 }),
    sealCase('geth', GETH_SEAL, undefined),
  ]
}
