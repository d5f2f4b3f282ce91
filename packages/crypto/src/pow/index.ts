export {
  acquireKernel,
  defaultKernelKind,
  type PowKernel,
  type PowKernelKind,
  type PowSearchResult,
  powKernel,
  releaseKernel,
  UNREACHABLE_BITS,
} from './kernel.ts'
export {
  computePow,
  ENVELOPE_HEADER_LENGTH,
  leadingZeroBits,
  type PowEnvelope,
  type PowEnvelopeFields,
  powFromBits,
  powHash,
  powPrefix,
  requiredBits,
  verifyPow,
} from './pow.ts'
export {
  AUTO_WORKER_MIN_BITS,
  AUTO_WORKER_MIN_MS,
  type SealOptions,
  type SealResult,
  seal,
  sealTargetBits,
} from './seal.ts'
export type { SearchRequest } from './search.ts'
export {
  defaultWorkerFactory,
  nodeWorker,
  POW_WORKER_URL,
  type PowWorkerHandle,
  type WebWorkerLike,
  webWorker,
} from './worker-handle.ts'
export { PowWorkerPool, type PowWorkerPoolOptions } from './worker-pool.ts'
