/**
 * ApplicationMetadataMessage: the signed envelope around every Status application message
 * (status-go protocol/v1/message.go `WrapMessageV1`, `MessageID`).
 *
 * signature = Sign(keccak256(payload)) with the author's identity key, 65 bytes `r || s || v`,
 * v ∈ {0, 1}. The 62/STATUS-PAYLOADS spec says SHA3-256 and fields 4001/4002; deployed status-go
 * uses keccak256 and fields 1–3, and so do we.
 */
import { concatBytes, keccak256 } from '@parley/crypto'
import { InvalidParametersError, type Secp256k1Provider, VerificationError } from '@parley/interfaces'
import { bytesField, decodePlain, numberField, plainBytes } from './proto/decode.ts'
import { ApplicationMetadataMessageType } from './proto/schema.ts'

export const SIGNATURE_LENGTH = 65

export interface UnwrappedMessage {
  /** `ApplicationMetadataMessage.Type`, see `ApplicationMessageType` */
  type: number
  /** the application message bytes, e.g. an encoded ChatMessage */
  payload: Uint8Array
  signature: Uint8Array
  /** the author's 65-byte uncompressed public key, recovered from the signature */
  signer: Uint8Array
  /** keccak256(signer || envelope bytes), see `messageId` */
  id: Uint8Array
}

/** Signs `payload` with `signingKey` and wraps it; returns the ApplicationMetadataMessage bytes. */
export function wrapMessage(
  payload: Uint8Array,
  type: number,
  signingKey: Uint8Array,
  secp: Secp256k1Provider,
): Uint8Array {
  const signature = secp.sign(keccak256(payload), signingKey)
  const message = ApplicationMetadataMessageType.fromObject({ signature, payload, type })
  return plainBytes(ApplicationMetadataMessageType.encode(message).finish())
}

/**
 * Decodes an ApplicationMetadataMessage and recovers its author. Throws DecodeError for bytes that
 * are not a protobuf, VerificationError for a missing, malformed or unrecoverable signature.
 */
export function unwrapMessage(bytes: Uint8Array, secp: Secp256k1Provider): UnwrappedMessage {
  const decoded = decodePlain(ApplicationMetadataMessageType, bytes, 'ApplicationMetadataMessage')
  const signature = bytesField(decoded.signature)
  const payload = bytesField(decoded.payload)
  const type = numberField(decoded.type)
  if (signature.length !== SIGNATURE_LENGTH) {
    throw new VerificationError(
      `ApplicationMetadataMessage signature has ${signature.length} bytes, expected 65`,
    )
  }
  const v = signature[64] ?? 255
  if (v > 1)
    throw new VerificationError(`ApplicationMetadataMessage signature recovery id ${v} is not 0 or 1`)
  let signer: Uint8Array
  try {
    signer = secp.recover(keccak256(payload), signature, false)
  } catch (error) {
    throw new VerificationError('ApplicationMetadataMessage signature does not recover a key', {
      cause: error,
    })
  }
  return { type, payload, signature, signer, id: messageId(signer, bytes) }
}

/**
 * The Status message id: keccak256(uncompressed author key (65 bytes) || ApplicationMetadataMessage
 * bytes). Hash the bytes as received: re-encoding could differ.
 */
export function messageId(authorPublicKey: Uint8Array, envelope: Uint8Array): Uint8Array {
  if (authorPublicKey.length !== 65 || authorPublicKey[0] !== 0x04) {
    throw new InvalidParametersError('message id needs the 65-byte uncompressed author public key')
  }
  return keccak256(concatBytes(authorPublicKey, envelope))
}
