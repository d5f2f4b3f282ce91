/**
 * Inputs both sides build the same way. `fillPattern` is native/bench.c's fill_pattern (xorshift32)
 * and the seal envelopes are native/cases.h's, so a seal case does the same hashes in JavaScript
 * and in C.
 */

/** Byte i of deterministic stream `seed`. */
export function fillPattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = (Math.imul(seed, 2654435761) + 1) >>> 0
  for (let i = 0; i < length; i++) {
    x = (x ^ (x << 13)) >>> 0
    x = (x ^ (x >>> 17)) >>> 0
    x = (x ^ (x << 5)) >>> 0
    out[i] = x & 0xff
  }
  return out
}

export const SEAL_EXPIRY_BASE = 1_700_000_000
/** keccak256("contact-discovery")[:4], a real Status topic */
export const SEAL_TOPIC = Uint8Array.of(0xf8, 0x94, 0x6a, 0xac)
export const SEAL_DATA = fillPattern(1024, 1)
/** Round r seals envelopes r * SEAL_ROUND_STRIDE, +1, ...: different per round, equal on both sides. */
export const SEAL_ROUND_STRIDE = 1_000_000

export interface SealParameters {
  pow: number
  ttl: number
}

/** Status's sending parameters (3/WHISPER-USAGE: PoW 0.002, TTL at least 10 s) */
export const STATUS_SEAL: SealParameters = { pow: 0.002, ttl: 10 }
/** go-ethereum's defaults (DefaultMinimumPoW 0.2, DefaultTTL 50) */
export const GETH_SEAL: SealParameters = { pow: 0.2, ttl: 50 }

export function sealEnvelope(index: number, ttl: number) {
  return { expiry: SEAL_EXPIRY_BASE + index, ttl, topic: SEAL_TOPIC, data: SEAL_DATA }
}

/** Results go here so that no engine can prove them unused. */
export let sink = 0

export function consume(bytes: Uint8Array): void {
  sink ^= bytes[0] ?? 0
}

export function consumeFlag(flag: boolean): void {
  sink ^= flag ? 1 : 0
}
