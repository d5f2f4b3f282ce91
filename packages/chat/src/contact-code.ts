/**
 * ContactCodeAdvertisement (status-go protocol/protobuf/push_notifications.proto): what a user posts
 * on `0x<key>-contact-code`. The ProtocolMessage around it carries the bundle that matters to us;
 * the advertisement itself holds the user's push-notification servers and chat identity, which this
 * package keeps as opaque encoded bytes. An empty advertisement is valid (and what we send).
 */
import { DecodeError } from '@parley/interfaces'
import protobuf from 'protobufjs'
import { bytesField, decodePlain, plainBytes } from './proto/decode.ts'
import { ContactCodeAdvertisementType } from './proto/schema.ts'

export interface ContactCodeAdvertisement {
  /** encoded `PushNotificationQueryInfo` messages */
  pushNotificationInfo: Uint8Array[]
  /** encoded `ChatIdentity`, or undefined */
  chatIdentity?: Uint8Array
}

const LENGTH_DELIMITED = 2

export function encodeContactCodeAdvertisement(advertisement: ContactCodeAdvertisement): Uint8Array {
  const fields: Record<string, unknown> = { push_notification_info: advertisement.pushNotificationInfo }
  if (advertisement.chatIdentity !== undefined) fields.chat_identity = advertisement.chatIdentity
  const message = ContactCodeAdvertisementType.fromObject(fields)
  return plainBytes(ContactCodeAdvertisementType.encode(message).finish())
}

/** Throws DecodeError for bytes that are not a ContactCodeAdvertisement. */
export function decodeContactCodeAdvertisement(bytes: Uint8Array): ContactCodeAdvertisement {
  checkWireTypes(bytes)
  const decoded = decodePlain(ContactCodeAdvertisementType, bytes, 'ContactCodeAdvertisement')
  const infos = Array.isArray(decoded.push_notification_info) ? decoded.push_notification_info : []
  const advertisement: ContactCodeAdvertisement = {
    pushNotificationInfo: infos.map((info: unknown) => bytesField(info)),
  }
  if (decoded.chat_identity !== undefined) advertisement.chatIdentity = bytesField(decoded.chat_identity)
  return advertisement
}

/**
 * protobufjs reads a known field whatever its wire type says; Go's decoder (status-go's) refuses a
 * varint where a message belongs. Both known fields are length-delimited.
 */
function checkWireTypes(bytes: Uint8Array): void {
  const reader = protobuf.Reader.create(bytes)
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32()
      const field = tag >>> 3
      const wireType = tag & 7
      if (field === 0) throw new DecodeError('ContactCodeAdvertisement: field number 0')
      if ((field === 1 || field === 2) && wireType !== LENGTH_DELIMITED) {
        throw new DecodeError(`ContactCodeAdvertisement: field ${field} has wire type ${wireType}`)
      }
      reader.skipType(wireType)
    }
  } catch (error) {
    if (error instanceof DecodeError) throw error
    throw new DecodeError('ContactCodeAdvertisement: malformed protobuf', { cause: error })
  }
}
