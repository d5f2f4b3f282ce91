/**
 * Inputs of the envelope cases: Status-shaped envelopes (1 KiB payload, v1 payload encoding,
 * topic "contact-discovery", PoW 0.002, TTL 10) sealed against a fixed clock, so that every
 * envelope is valid whenever the benchmark runs and the receiving side can use the same clock.
 */
import { loadCrypto, type Secp256k1Provider, type SymmetricKey } from '@parley/crypto'
import {
  createSymKey,
  type Envelope,
  encodeEnvelopes,
  seal,
  sealEnvelope,
  validateEnvelope,
} from '@parley/envelope'
import type { AbortOptions } from '@parley/interfaces'
import { fillPattern, SEAL_EXPIRY_BASE, SEAL_TOPIC, STATUS_SEAL } from './inputs.ts'

/** The unix time every envelope case runs at (nodes get `now: () => ENVELOPE_NOW`). */
export const ENVELOPE_NOW = SEAL_EXPIRY_BASE
export const ENVELOPE_TOPIC = SEAL_TOPIC
/** Status's sending parameters, which are also the pow a Status node requires. */
export const ENVELOPE_POW = STATUS_SEAL.pow
export const ENVELOPE_TTL = STATUS_SEAL.ttl
export const PAYLOAD_LENGTH = 1024

/** The provider a node would pick (`loadCrypto()`: the fastest that loads), cached. */
let crypto: Promise<Secp256k1Provider> | undefined
export function nodeSecp256k1(): Promise<Secp256k1Provider> {
  crypto ??= loadCrypto().then((loaded) => loaded.secp256k1)
  return crypto
}

/** "native (secp256k1)"-style label for the provider column. */
export function providerLabel(secp: Secp256k1Provider, rest: string): string {
  return `${secp.kind} secp256k1, ${rest}`
}

/** A chat key as a node holds it: a checked handle, so the key schedule is cached. */
export function chatKey(): SymmetricKey {
  return createSymKey(fillPattern(32, 51))
}

/** The sender's identity: Status signs every message. */
export const SENDER_KEY = fillPattern(32, 52)

/** Payload `index`: the fixed 1 KiB pattern with the index in its first four bytes, so each differs. */
export function payload(index: number): Uint8Array {
  const bytes = fillPattern(PAYLOAD_LENGTH, 53)
  new DataView(bytes.buffer).setUint32(0, index)
  return bytes
}

/** An envelope around `data`, sealed at PoW 0.002 against `ENVELOPE_NOW`. */
export function sealedEnvelope(data: Uint8Array, options?: AbortOptions): Promise<Envelope> {
  return sealEnvelope(
    { topic: ENVELOPE_TOPIC, data, ttl: ENVELOPE_TTL, pow: ENVELOPE_POW },
    { now: ENVELOPE_NOW, signal: options?.signal },
  )
}

export interface SymmetricEnvelopes {
  /** one Messages packet (code 1) per envelope, as a peer may send them */
  packets: Uint8Array[]
  envelopes: Envelope[]
}

/**
 * `count` distinct envelopes of symmetric v1 payloads (1 KiB, signed when `signed`), each also
 * encoded as a one-envelope Messages packet.
 */
export async function symmetricEnvelopes(
  count: number,
  key: SymmetricKey,
  signed: boolean,
): Promise<SymmetricEnvelopes> {
  const secp256k1 = await nodeSecp256k1()
  const envelopes: Envelope[] = []
  for (let i = 0; i < count; i++) {
    const data = seal(
      { payload: payload(i), symKey: key, ...(signed ? { sigKey: SENDER_KEY } : {}) },
      { secp256k1 },
    )
    envelopes.push(await sealedEnvelope(data))
  }
  return { envelopes, packets: envelopes.map((envelope) => encodeEnvelopes([envelope])) }
}

/** The checks a node runs, with the benchmark's clock and Status's pow. */
export function validateAtBenchTime(envelope: Envelope) {
  return validateEnvelope(envelope, { minPow: ENVELOPE_POW, now: ENVELOPE_NOW })
}
