/**
 * Signed prekey bundles (status-go protocol/encryption/x3dh.go). A bundle maps installation ids to
 * signed prekeys and is signed by the identity key over `buildSignatureMaterial`.
 */
import { concatBytes, equalBytes, keccak256, utf8ToBytes } from '@parley/crypto'
import { DecodeError, InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import { ForgedBundleError } from './errors.ts'
import { publicKeyToAddress } from './keys.ts'
import { BundleMessage } from './proto.ts'

/** status-go's `SignedPreKey.protocol_version` for the current protocol. */
export const PROTOCOL_VERSION = 1

export interface SignedPreKey {
  /** compressed secp256k1 public key (33 bytes) */
  signedPreKey: Uint8Array
  version: number
  protocolVersion: number
}

export interface Bundle {
  /** compressed identity public key */
  identity: Uint8Array
  /** installation id → signed prekey */
  signedPreKeys: ReadonlyMap<string, SignedPreKey>
  /** 65-byte r || s || v over keccak256(signature material) */
  signature: Uint8Array
  /** nanoseconds since the epoch; 0 means "not signed over" (old bundles) */
  timestamp: bigint
}

export interface SignBundleParams {
  /** identity private key */
  identityKey: Uint8Array
  signedPreKeys: ReadonlyMap<string, SignedPreKey>
  /** nanoseconds; status-go re-signs with the current time whenever it attaches the bundle */
  timestamp: bigint
  /** the compressed public key of `identityKey`, when the caller has it (saves deriving it per bundle) */
  identity?: Uint8Array
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** Go's `sort.Strings` compares bytes, so installation ids are ordered by their UTF-8 encoding. */
function compareUtf8(a: string, b: string): number {
  const left = utf8ToBytes(a)
  const right = utf8ToBytes(b)
  const length = Math.min(left.length, right.length)
  for (let i = 0; i < length; i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0)
    if (difference !== 0) return difference
  }
  return left.length - right.length
}

/**
 * For each installation id in byte order: `id || signed_pre_key || decimal(version)`; then
 * `decimal(timestamp)` when the timestamp is not zero.
 */
export function bundleSignatureMaterial(
  signedPreKeys: ReadonlyMap<string, SignedPreKey>,
  timestamp: bigint,
): Uint8Array {
  const parts: Uint8Array[] = []
  for (const id of [...signedPreKeys.keys()].sort(compareUtf8)) {
    const key = signedPreKeys.get(id)
    if (key === undefined) continue
    parts.push(utf8ToBytes(id), key.signedPreKey, utf8ToBytes(String(key.version)))
  }
  if (timestamp !== 0n) parts.push(utf8ToBytes(timestamp.toString()))
  return concatBytes(...parts)
}

export function signBundle(secp: Secp256k1Provider, params: SignBundleParams): Bundle {
  if (params.timestamp < INT64_MIN || params.timestamp > INT64_MAX) {
    throw new InvalidParametersError('bundle timestamp does not fit in int64')
  }
  const hash = keccak256(bundleSignatureMaterial(params.signedPreKeys, params.timestamp))
  return {
    identity: params.identity ?? secp.getPublicKey(params.identityKey, true),
    signedPreKeys: new Map(params.signedPreKeys),
    signature: secp.sign(hash, params.identityKey),
    timestamp: params.timestamp,
  }
}

/**
 * Recovers the signer of a bundle and compares its address with the address of `identity`, as
 * status-go `ExtractIdentity` does. Throws `ForgedBundleError` (a `VerificationError`) on any mismatch or malformed key.
 */
export function verifyBundle(secp: Secp256k1Provider, bundle: Bundle): void {
  const hash = keccak256(bundleSignatureMaterial(bundle.signedPreKeys, bundle.timestamp))
  let signer: Uint8Array
  let claimed: Uint8Array
  try {
    // A key has one compressed and one uncompressed encoding: when the identity is the recovered
    // key in the same encoding, the addresses are equal without computing them.
    const recovered = secp.recover(hash, bundle.signature, bundle.identity.length !== 65)
    if (equalBytes(recovered, bundle.identity)) return
    signer = publicKeyToAddress(secp, recovered)
    claimed = publicKeyToAddress(secp, bundle.identity)
  } catch (cause) {
    throw new ForgedBundleError('bundle signature or identity is malformed', { cause })
  }
  if (!equalBytes(signer, claimed)) throw new ForgedBundleError('bundle is not signed by its identity')
}

/** The plain object protobufjs encodes for a `Bundle` (also nested in `ProtocolMessage.bundles`). */
export function bundleToProto(bundle: Bundle): Record<string, unknown> {
  // No prototype, so an installation id such as "__proto__" stays an ordinary key.
  const signedPreKeys: Record<string, object> = Object.create(null)
  for (const [id, key] of bundle.signedPreKeys) {
    signedPreKeys[id] = {
      signed_pre_key: key.signedPreKey,
      version: key.version,
      protocol_version: key.protocolVersion,
    }
  }
  // protobufjs writes a JS bigint int64 as 0; a decimal string is encoded exactly.
  return {
    identity: bundle.identity,
    signed_pre_keys: signedPreKeys,
    signature: bundle.signature,
    timestamp: bundle.timestamp.toString(),
  }
}

export function encodeBundle(bundle: Bundle): Uint8Array {
  return BundleMessage.encode(BundleMessage.fromObject(bundleToProto(bundle))).finish()
}

interface DecodedSignedPreKey {
  signed_pre_key?: Uint8Array
  version?: number
  protocol_version?: number
}

export interface DecodedBundle {
  identity?: Uint8Array
  signed_pre_keys?: Record<string, DecodedSignedPreKey>
  signature?: Uint8Array
  timestamp?: string
}

/** A `Bundle` from protobufjs `toObject` output (with `longs: String`). */
export function bundleFromProto(decoded: DecodedBundle): Bundle {
  const signedPreKeys = new Map<string, SignedPreKey>()
  for (const [id, key] of Object.entries(decoded.signed_pre_keys ?? {})) {
    signedPreKeys.set(id, {
      signedPreKey: Uint8Array.from(key.signed_pre_key ?? []),
      version: key.version ?? 0,
      protocolVersion: key.protocol_version ?? 0,
    })
  }
  return {
    identity: Uint8Array.from(decoded.identity ?? []),
    signedPreKeys,
    signature: Uint8Array.from(decoded.signature ?? []),
    timestamp: BigInt(decoded.timestamp ?? '0'),
  }
}

/** Decodes a `Bundle`; does not verify it. Throws `DecodeError` on malformed bytes. */
export function decodeBundle(bytes: Uint8Array): Bundle {
  let decoded: DecodedBundle
  try {
    decoded = BundleMessage.toObject(BundleMessage.decode(bytes), { longs: String }) as DecodedBundle
  } catch (cause) {
    throw new DecodeError('malformed Bundle protobuf', { cause })
  }
  return bundleFromProto(decoded)
}
