/**
 * status-go's `ProtocolMessage`, the envelope of everything the secure transport sends: the
 * sender's installation id, its bundles, per-installation encrypted messages (Double Ratchet with an
 * optional X3DH header, DH fallback, or hash ratchet) or a plaintext public message.
 */
import { DecodeError } from '@parley/interfaces'
import { type Bundle, bundleFromProto, bundleToProto, type DecodedBundle } from './bundle.ts'
import { ProtocolMessageType } from './proto.ts'

/** Double Ratchet header: ratchet key, message number, previous chain length, bundle (session) id. */
export interface DRHeader {
  key: Uint8Array
  n: number
  pn: number
  /** the responder's signed prekey the session was started from */
  id: Uint8Array
}

/** Sent with the DR header until the peer replies: the initiator's ephemeral key and the prekey used. */
export interface X3DHHeader {
  key: Uint8Array
  id: Uint8Array
}

/** DH fallback (no bundle known): the sender's ephemeral key. */
export interface DHHeader {
  key: Uint8Array
}

/** Hash ratchet (groups and communities): which group key, and how many times it was hashed. */
export interface HRHeader {
  deprecatedKeyId: number
  seqNo: number
  groupId: Uint8Array
  keyId: Uint8Array
  /** status-go `RekeyGroup`, undecoded */
  keys?: Uint8Array
}

export interface EncryptedMessage {
  x3dh?: X3DHHeader
  dr?: DRHeader
  dh?: DHHeader
  hr?: HRHeader
  payload: Uint8Array
}

export interface ProtocolMessage {
  installationId: string
  bundles: Bundle[]
  /** keyed by recipient installation id (`"none"` for the DH fallback) */
  encryptedMessage: Map<string, EncryptedMessage>
  /** present on public (unencrypted) messages */
  publicMessage?: Uint8Array
}

/** status-go's map key for a DH-fallback message, which any installation of the recipient reads. */
export const NO_INSTALLATION_ID = 'none'
/** More than any honest sender puts in one message (status-go: 3 installations plus "none"). */
export const MAX_ENCRYPTED_ENTRIES = 64
export const MAX_BUNDLES = 16

interface DecodedEncrypted {
  X3DH_header?: { key?: Uint8Array; id?: Uint8Array }
  DR_header?: { key?: Uint8Array; n?: number; pn?: number; id?: Uint8Array }
  DH_header?: { key?: Uint8Array }
  HR_header?: {
    deprecated_key_id?: number
    seq_no?: number
    group_id?: Uint8Array
    key_id?: Uint8Array
    keys?: Uint8Array
  }
  payload?: Uint8Array
}

interface DecodedProtocolMessage {
  installation_id?: string
  bundles?: DecodedBundle[]
  encrypted_message?: Record<string, DecodedEncrypted>
  public_message?: Uint8Array
}

const bytes = (value: Uint8Array | undefined): Uint8Array => Uint8Array.from(value ?? [])

function encryptedToProto(message: EncryptedMessage): DecodedEncrypted {
  const out: DecodedEncrypted = { payload: message.payload }
  if (message.x3dh) out.X3DH_header = { key: message.x3dh.key, id: message.x3dh.id }
  if (message.dr) out.DR_header = { ...message.dr }
  if (message.dh) out.DH_header = { key: message.dh.key }
  if (message.hr) {
    out.HR_header = {
      deprecated_key_id: message.hr.deprecatedKeyId,
      seq_no: message.hr.seqNo,
      group_id: message.hr.groupId,
      key_id: message.hr.keyId,
      ...(message.hr.keys === undefined ? {} : { keys: message.hr.keys }),
    }
  }
  return out
}

function encryptedFromProto(decoded: DecodedEncrypted): EncryptedMessage {
  const out: EncryptedMessage = { payload: bytes(decoded.payload) }
  const { X3DH_header: x3dh, DR_header: dr, DH_header: dh, HR_header: hr } = decoded
  if (x3dh) out.x3dh = { key: bytes(x3dh.key), id: bytes(x3dh.id) }
  if (dr) out.dr = { key: bytes(dr.key), n: dr.n ?? 0, pn: dr.pn ?? 0, id: bytes(dr.id) }
  if (dh) out.dh = { key: bytes(dh.key) }
  if (hr) {
    out.hr = {
      deprecatedKeyId: hr.deprecated_key_id ?? 0,
      seqNo: hr.seq_no ?? 0,
      groupId: bytes(hr.group_id),
      keyId: bytes(hr.key_id),
      ...(hr.keys === undefined ? {} : { keys: bytes(hr.keys) }),
    }
  }
  return out
}

export function encodeProtocolMessage(message: ProtocolMessage): Uint8Array {
  // No prototype, so an installation id such as "__proto__" stays an ordinary key.
  const encrypted: Record<string, DecodedEncrypted> = Object.create(null)
  for (const [id, entry] of message.encryptedMessage) encrypted[id] = encryptedToProto(entry)
  const object: Record<string, unknown> = {
    installation_id: message.installationId,
    bundles: message.bundles.map(bundleToProto),
    encrypted_message: encrypted,
  }
  if (message.publicMessage !== undefined) object.public_message = message.publicMessage
  return ProtocolMessageType.encode(ProtocolMessageType.fromObject(object)).finish()
}

/** Decodes without verifying anything. `DecodeError` on malformed bytes or too many entries. */
export function decodeProtocolMessage(data: Uint8Array): ProtocolMessage {
  let decoded: DecodedProtocolMessage
  try {
    decoded = ProtocolMessageType.toObject(ProtocolMessageType.decode(data), {
      longs: String,
    }) as DecodedProtocolMessage
  } catch (cause) {
    throw new DecodeError('malformed ProtocolMessage protobuf', { cause })
  }
  const bundles = decoded.bundles ?? []
  const entries = Object.entries(decoded.encrypted_message ?? {})
  if (bundles.length > MAX_BUNDLES) throw new DecodeError('ProtocolMessage carries too many bundles')
  if (entries.length > MAX_ENCRYPTED_ENTRIES)
    throw new DecodeError('ProtocolMessage carries too many encrypted messages')
  const message: ProtocolMessage = {
    installationId: decoded.installation_id ?? '',
    bundles: bundles.map(bundleFromProto),
    encryptedMessage: new Map(entries.map(([id, entry]) => [id, encryptedFromProto(entry)])),
  }
  if (decoded.public_message !== undefined) message.publicMessage = bytes(decoded.public_message)
  return message
}
