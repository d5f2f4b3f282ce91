/**
 * The whole Double Ratchet state of one session, and its serialized form for stores: format 2 is
 * binary (written on every message, so it is kept cheap); format 1, UTF-8 JSON with hex bytes, is
 * what stores written before hold, and is still read.
 */
import { bytesToHex, hexToBytes } from '@parley/crypto'
import { DecodeError } from '@parley/interfaces'
import { ByteReader, ByteWriter } from '../binary.ts'
import type { SkippedKey } from './skipped-keys.ts'

export interface Chain {
  chainKey: Uint8Array
  /** number of keys taken from this chain so far */
  n: number
}

export interface RatchetLimits {
  /** most message keys skipped in one chain by one message (status-go MaxSkip = 1000) */
  maxSkip: number
  /** skipped keys older than this many later skipped keys are dropped (status-go MaxKeep = 3000) */
  maxKeep: number
  /** most skipped keys kept per session (status-go MaxMessageKeysPerSession = 2000) */
  maxMessageKeys: number
}

export const STATUS_LIMITS: RatchetLimits = Object.freeze({
  maxSkip: 1000,
  maxKeep: 3000,
  maxMessageKeys: 2000,
})

export interface RatchetState {
  rootKey: Uint8Array
  /** our ratchet key pair (private scalar, 33-byte compressed public key) */
  dhs: { privateKey: Uint8Array; publicKey: Uint8Array }
  /** their current ratchet public key; undefined for a responder that has received nothing */
  dhr: Uint8Array | undefined
  send: Chain
  recv: Chain
  /** length of our previous sending chain */
  pn: number
  /** skipped keys created so far; the sequence number of the next one */
  keysCount: number
  limits: RatchetLimits
}

const JSON_FORMAT = 1
const BINARY_FORMAT = 2
const EMPTY = new Uint8Array(0)

/** Format 2 (binary). It contains private keys: store it as a secret. */
export function serializeState(state: RatchetState, skipped: Iterable<SkippedKey>): Uint8Array {
  const out = new ByteWriter()
    .u8(BINARY_FORMAT)
    .bytes(state.rootKey)
    .bytes(state.dhs.privateKey)
    .bytes(state.dhs.publicKey)
    .bytes(state.dhr ?? EMPTY)
    .bytes(state.send.chainKey)
    .count(state.send.n)
    .bytes(state.recv.chainKey)
    .count(state.recv.n)
    .count(state.pn)
    .count(state.keysCount)
    .count(state.limits.maxSkip)
    .count(state.limits.maxKeep)
    .count(state.limits.maxMessageKeys)
  const keys = [...skipped]
  out.count(keys.length)
  for (const key of keys) out.bytes(key.dh).count(key.n).bytes(key.messageKey).count(key.seq)
  return out.finish()
}

function parseBinary(data: Uint8Array): { state: RatchetState; skipped: SkippedKey[] } {
  const input = new ByteReader(data, 'ratchet state')
  if (input.u8() !== BINARY_FORMAT) throw new DecodeError('ratchet state: unknown format version')
  const rootKey = input.bytes('rootKey', 32)
  const dhs = { privateKey: input.bytes('dhs.privateKey', 32), publicKey: input.bytes('dhs.publicKey', 33) }
  const dhr = input.bytes('dhr')
  if (dhr.length !== 0 && dhr.length !== 33) throw new DecodeError('ratchet state: dhr has a bad length')
  const send = { chainKey: input.bytes('send.chainKey', 32), n: input.count('send.n') }
  const recv = { chainKey: input.bytes('recv.chainKey', 32), n: input.count('recv.n') }
  const pn = input.count('pn')
  const keysCount = input.count('keysCount')
  const limits = {
    maxSkip: input.count('limits.maxSkip'),
    maxKeep: input.count('limits.maxKeep'),
    maxMessageKeys: input.count('limits.maxMessageKeys'),
  }
  const skipped: SkippedKey[] = []
  for (let left = input.count('skipped'); left > 0; left--) {
    skipped.push({
      dh: input.bytes('skipped.dh'),
      n: input.count('skipped.n'),
      messageKey: input.bytes('skipped.messageKey', 32),
      seq: input.count('skipped.seq'),
    })
  }
  input.end()
  skipped.sort((a, b) => a.seq - b.seq)
  const state = { rootKey, dhs, dhr: dhr.length === 0 ? undefined : dhr, send, recv, pn, keysCount, limits }
  return { state, skipped }
}

/** Format 1 (UTF-8 JSON with hex bytes), as stores written before format 2 hold it. */
export function serializeStateJson(state: RatchetState, skipped: Iterable<SkippedKey>): Uint8Array {
  const json = {
    version: JSON_FORMAT,
    rootKey: bytesToHex(state.rootKey),
    dhs: { privateKey: bytesToHex(state.dhs.privateKey), publicKey: bytesToHex(state.dhs.publicKey) },
    dhr: state.dhr === undefined ? null : bytesToHex(state.dhr),
    send: { chainKey: bytesToHex(state.send.chainKey), n: state.send.n },
    recv: { chainKey: bytesToHex(state.recv.chainKey), n: state.recv.n },
    pn: state.pn,
    keysCount: state.keysCount,
    limits: { ...state.limits },
    skipped: [...skipped].map((key) => ({
      dh: bytesToHex(key.dh),
      n: key.n,
      messageKey: bytesToHex(key.messageKey),
      seq: key.seq,
    })),
  }
  return new TextEncoder().encode(JSON.stringify(json))
}

type Json = Record<string, unknown>

function record(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecodeError(`ratchet state: ${what} is not an object`)
  }
  return value as Json
}

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DecodeError(`ratchet state: ${what} is not a non-negative integer`)
  }
  return value
}

function bytes(value: unknown, what: string, length?: number): Uint8Array {
  if (typeof value !== 'string' || !/^([0-9a-f]{2})*$/.test(value)) {
    throw new DecodeError(`ratchet state: ${what} is not hex`)
  }
  const out = hexToBytes(value)
  if (length !== undefined && out.length !== length)
    throw new DecodeError(`ratchet state: ${what} has a bad length`)
  return out
}

function chain(value: unknown, what: string): Chain {
  const json = record(value, what)
  return { chainKey: bytes(json.chainKey, `${what}.chainKey`, 32), n: count(json.n, `${what}.n`) }
}

/** Parses either format; `DecodeError` on anything else. Keys are not checked on the curve. */
export function parseState(data: Uint8Array): { state: RatchetState; skipped: SkippedKey[] } {
  if (data[0] === BINARY_FORMAT) return parseBinary(data)
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data))
  } catch (cause) {
    throw new DecodeError('ratchet state is not UTF-8 JSON', { cause })
  }
  const json = record(parsed, 'state')
  if (json.version !== JSON_FORMAT) throw new DecodeError('ratchet state: unknown format version')
  const dhs = record(json.dhs, 'dhs')
  const limits = record(json.limits, 'limits')
  if (!Array.isArray(json.skipped)) throw new DecodeError('ratchet state: skipped is not an array')
  const skipped = json.skipped.map((entry: unknown, index): SkippedKey => {
    const key = record(entry, `skipped[${index}]`)
    return {
      dh: bytes(key.dh, 'skipped.dh'),
      n: count(key.n, 'skipped.n'),
      messageKey: bytes(key.messageKey, 'skipped.messageKey', 32),
      seq: count(key.seq, 'skipped.seq'),
    }
  })
  skipped.sort((a, b) => a.seq - b.seq)
  const state: RatchetState = {
    rootKey: bytes(json.rootKey, 'rootKey', 32),
    dhs: {
      privateKey: bytes(dhs.privateKey, 'dhs.privateKey', 32),
      publicKey: bytes(dhs.publicKey, 'dhs.publicKey', 33),
    },
    dhr: json.dhr === null ? undefined : bytes(json.dhr, 'dhr', 33),
    send: chain(json.send, 'send'),
    recv: chain(json.recv, 'recv'),
    pn: count(json.pn, 'pn'),
    keysCount: count(json.keysCount, 'keysCount'),
    limits: {
      maxSkip: count(limits.maxSkip, 'limits.maxSkip'),
      maxKeep: count(limits.maxKeep, 'limits.maxKeep'),
      maxMessageKeys: count(limits.maxMessageKeys, 'limits.maxMessageKeys'),
    },
  }
  return { state, skipped }
}
