/**
 * The stored form of a `SessionRecord`, rewritten on every message: binary (format 2), the ratchet
 * state last and unframed. Records from before it are UTF-8 JSON objects and are told apart by their
 * first byte (`{`); session-store.ts still reads them.
 */
import { utf8ToBytes } from '@parley/crypto'
import { DecodeError } from '@parley/interfaces'
import { ByteReader, ByteWriter } from './binary.ts'
import type { SessionRecord } from './session-store.ts'

const SESSION_FORMAT = 2
const EXPIRED = 1
const UNCONFIRMED = 2

export function isBinarySessionRecord(bytes: Uint8Array): boolean {
  return bytes[0] === SESSION_FORMAT
}

export function encodeSessionRecord(record: SessionRecord): Uint8Array {
  const flags = (record.expired ? EXPIRED : 0) | (record.ephemeralKey === undefined ? 0 : UNCONFIRMED)
  const out = new ByteWriter()
    .u8(SESSION_FORMAT)
    .u8(flags)
    .bytes(record.identity)
    .bytes(utf8ToBytes(record.installationId))
    .bytes(record.bundleId)
    .bytes(record.sharedKey)
  if (record.ephemeralKey !== undefined) out.bytes(record.ephemeralKey)
  return out.raw(record.state).finish()
}

const fatal = new TextDecoder('utf-8', { fatal: true })

export function decodeSessionRecord(bytes: Uint8Array): SessionRecord {
  const input = new ByteReader(bytes, 'secure-transport store: session record')
  if (input.u8() !== SESSION_FORMAT)
    throw new DecodeError('secure-transport store: unknown session record format')
  const flags = input.u8()
  if ((flags & ~(EXPIRED | UNCONFIRMED)) !== 0)
    throw new DecodeError('secure-transport store: unknown session flags')
  const identity = input.bytes('identity')
  let installationId: string
  try {
    installationId = fatal.decode(input.bytes('installationId'))
  } catch (cause) {
    throw new DecodeError('secure-transport store: installation id is not UTF-8', { cause })
  }
  const bundleId = input.bytes('bundleId')
  const sharedKey = input.bytes('sharedKey')
  const ephemeralKey = (flags & UNCONFIRMED) === 0 ? undefined : input.bytes('ephemeralKey')
  return {
    identity,
    installationId,
    bundleId,
    sharedKey,
    ...(ephemeralKey === undefined ? {} : { ephemeralKey }),
    expired: (flags & EXPIRED) !== 0,
    state: input.rest(),
  }
}
