/**
 * ChatMessage (status-go protocol/protobuf/chat_message.proto): the text/sticker/image message of
 * every chat kind. uint64 fields are bigints here and decimal strings towards protobufjs, which
 * would encode a bigint as 0.
 */
import { InvalidParametersError } from '@parley/interfaces'
import { bytesField, decodePlain, numberField, plainBytes, stringField, uint64Field } from './proto/decode.ts'
import { ChatMessageType } from './proto/schema.ts'

const UINT64_MAX = (1n << 64n) - 1n

export interface Sticker {
  hash: string
  pack: number
}

export interface Image {
  payload: Uint8Array
  /** `ImageType`: 1 PNG, 2 JPEG, 3 WEBP, 4 GIF */
  type: number
  albumId?: string
  width?: number
  height?: number
}

export interface ChatMessage {
  /** Lamport clock, see `nextClock` */
  clock: bigint
  /** sender wall clock, unix milliseconds */
  timestamp: bigint
  text: string
  /** id (0x-hex) of the message this one replies to, or '' */
  responseTo: string
  ensName: string
  /** public chat name, group id, or the recipient's 0x-hex public key for one-to-one */
  chatId: string
  /** `MessageType` */
  messageType: number
  /** `ContentType` */
  contentType: number
  sticker?: Sticker
  image?: Image
  /** serialized community description (content type COMMUNITY) */
  community?: Uint8Array
  /** community permission grant */
  grant?: Uint8Array
  displayName?: string
}

function uint64String(value: bigint, name: string): string {
  if (value < 0n || value > UINT64_MAX)
    throw new InvalidParametersError(`ChatMessage ${name} is not a uint64`)
  return value.toString()
}

export function encodeChatMessage(message: ChatMessage): Uint8Array {
  const fields: Record<string, unknown> = {
    clock: uint64String(message.clock, 'clock'),
    timestamp: uint64String(message.timestamp, 'timestamp'),
    text: message.text,
    response_to: message.responseTo,
    ens_name: message.ensName,
    chat_id: message.chatId,
    message_type: message.messageType,
    content_type: message.contentType,
  }
  const payloads = [message.sticker, message.image, message.community].filter((part) => part !== undefined)
  if (payloads.length > 1)
    throw new InvalidParametersError('ChatMessage carries at most one of sticker, image, community')
  if (message.sticker !== undefined) fields.sticker = { ...message.sticker }
  if (message.image !== undefined) {
    const { payload, type, albumId, width, height } = message.image
    fields.image = { payload, type, album_id: albumId ?? '', width: width ?? 0, height: height ?? 0 }
  }
  if (message.community !== undefined) fields.community = message.community
  if (message.grant !== undefined) fields.grant = message.grant
  if (message.displayName !== undefined) fields.display_name = message.displayName
  return plainBytes(ChatMessageType.encode(ChatMessageType.fromObject(fields)).finish())
}

/** Decodes a ChatMessage; throws DecodeError on malformed bytes. Unknown fields are ignored. */
export function decodeChatMessage(bytes: Uint8Array): ChatMessage {
  const decoded = decodePlain(ChatMessageType, bytes, 'ChatMessage')
  const message: ChatMessage = {
    clock: uint64Field(decoded.clock),
    timestamp: uint64Field(decoded.timestamp),
    text: stringField(decoded.text),
    responseTo: stringField(decoded.response_to),
    ensName: stringField(decoded.ens_name),
    chatId: stringField(decoded.chat_id),
    messageType: numberField(decoded.message_type),
    contentType: numberField(decoded.content_type),
  }
  const sticker = decoded.sticker as Record<string, unknown> | undefined
  if (sticker !== undefined)
    message.sticker = { hash: stringField(sticker.hash), pack: numberField(sticker.pack) }
  const image = decoded.image as Record<string, unknown> | undefined
  if (image !== undefined) {
    message.image = {
      payload: bytesField(image.payload),
      type: numberField(image.type),
      albumId: stringField(image.album_id),
      width: numberField(image.width),
      height: numberField(image.height),
    }
  }
  if (decoded.community !== undefined) message.community = bytesField(decoded.community)
  const grant = bytesField(decoded.grant)
  if (grant.length > 0) message.grant = grant
  const displayName = stringField(decoded.display_name)
  if (displayName !== '') message.displayName = displayName
  return message
}

/**
 * The clock for the next message in a chat, as status-go `Chat.NextClockAndTimestamp`: the current
 * time in milliseconds if it is ahead of the last clock seen in the chat, else last + 1. So clocks
 * track wall time but never go backwards, even when a peer's clock runs ahead.
 */
export function nextClock(lastClock: bigint, nowMs: bigint | number): bigint {
  const now = BigInt(nowMs)
  return lastClock === 0n || lastClock < now ? now : lastClock + 1n
}
