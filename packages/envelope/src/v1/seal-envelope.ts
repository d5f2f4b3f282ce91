/** Building an envelope: expiry from the clock, then a nonce that meets the pow target. */
import { type SealOptions, seal } from '@parley/crypto'
import type { Envelope } from './envelope.ts'

export interface SealEnvelopeInput {
  topic: Uint8Array
  /** the sealed payload (`seal` from this package) */
  data: Uint8Array
  /** seconds, at least 1 */
  ttl: number
  /** target proof of work; 0 means none (nonce 0) */
  pow: number
}

export interface SealEnvelopeOptions extends Omit<SealOptions, 'pow' | 'bits'> {
  /** unix seconds to count the TTL from (default: the clock) */
  now?: number
}

/**
 * An envelope with `expiry = now + ttl` (go-ethereum's `NewEnvelope`) and a nonce found by
 * `@parley/crypto`'s `seal`, which targets the bits go-ethereum would and tries nonces in the same
 * order. Bad fields throw `InvalidParametersError`; `signal` aborts with `AbortError`, and `timeMs`
 * with a target gives up with `TimeoutError`.
 */
export async function sealEnvelope(
  input: SealEnvelopeInput,
  options: SealEnvelopeOptions = {},
): Promise<Envelope> {
  const { now = Math.floor(Date.now() / 1000), ...sealOptions } = options
  const fields = { expiry: now + input.ttl, ttl: input.ttl, topic: input.topic, data: input.data }
  const { nonce } = await seal(fields, { ...sealOptions, pow: input.pow })
  return { ...fields, nonce }
}
