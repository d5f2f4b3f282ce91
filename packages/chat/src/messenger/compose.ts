/**
 * A text message in its signed wire form: a ChatMessage, or for a group a MembershipUpdate carrying
 * it with all the group's events (as status-go sends group messages), and its Status message id.
 */
import { bytesToHex } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { encodeChatMessage } from '../chat-message.ts'
import { ApplicationMessageType, ContentType, MessageType } from '../proto/enums.ts'
import { messageId, wrapMessage } from '../wrap.ts'
import { encodeMembershipUpdate } from './membership.ts'
import type { ChatType, StoredChat } from './state.ts'

/** Who signs: our identity key and its uncompressed public key. */
export interface Author {
  readonly identityKey: Uint8Array
  readonly publicKeyBytes: Uint8Array
  readonly secp256k1: Secp256k1Provider
}

export interface ComposedText {
  /** the signed ApplicationMetadataMessage */
  wrapped: Uint8Array
  /** 0x-hex Status message id */
  id: string
}

function messageTypeOf(type: ChatType): number {
  return type === 'public'
    ? MessageType.PUBLIC_GROUP
    : type === 'group'
      ? MessageType.PRIVATE_GROUP
      : MessageType.ONE_TO_ONE
}

export function composeText(
  chat: StoredChat,
  text: string,
  stamp: { clock: bigint; timestamp: number },
  author: Author,
): ComposedText {
  const chatId = chat.id
  const message = {
    clock: stamp.clock,
    timestamp: BigInt(stamp.timestamp),
    text,
    responseTo: '',
    ensName: '',
    chatId,
    messageType: messageTypeOf(chat.type),
    contentType: ContentType.TEXT_PLAIN,
  }
  const wrap = (payload: Uint8Array, type: number) =>
    wrapMessage(payload, type, author.identityKey, author.secp256k1)
  const wrapped =
    chat.type === 'group'
      ? wrap(
          encodeMembershipUpdate({ chatId, events: chat.events, message }),
          ApplicationMessageType.MEMBERSHIP_UPDATE_MESSAGE,
        )
      : wrap(encodeChatMessage(message), ApplicationMessageType.CHAT_MESSAGE)
  const id = `0x${bytesToHex(messageId(author.publicKeyBytes, wrapped))}`
  return { wrapped, id }
}
