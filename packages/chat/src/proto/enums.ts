/**
 * Enum values of the deployed status-go protobufs (not a TypeScript `enum`: the repo builds with
 * `erasableSyntaxOnly`). Only the values a node is likely to branch on are listed; any other number
 * still decodes and is passed through as a plain number.
 */

/** `ApplicationMetadataMessage.Type` (application_metadata_message.proto), selected values. */
export const ApplicationMessageType = {
  UNKNOWN: 0,
  CHAT_MESSAGE: 1,
  CONTACT_UPDATE: 2,
  MEMBERSHIP_UPDATE_MESSAGE: 3,
  SYNC_PAIR_INSTALLATION: 4,
  CONTACT_CODE_ADVERTISEMENT: 15,
  PUSH_NOTIFICATION_REGISTRATION: 16,
  EMOJI_REACTION: 22,
  GROUP_CHAT_INVITATION: 23,
  CHAT_IDENTITY: 24,
  COMMUNITY_DESCRIPTION: 25,
  PIN_MESSAGE: 28,
  EDIT_MESSAGE: 29,
  STATUS_UPDATE: 30,
  DELETE_MESSAGE: 31,
  ACCEPT_CONTACT_REQUEST: 46,
  RETRACT_CONTACT_REQUEST: 47,
} as const

/** `MessageType` (enums.proto): which kind of chat a message belongs to. */
export const MessageType = {
  UNKNOWN_MESSAGE_TYPE: 0,
  ONE_TO_ONE: 1,
  PUBLIC_GROUP: 2,
  PRIVATE_GROUP: 3,
  /** local only */
  SYSTEM_MESSAGE_PRIVATE_GROUP: 4,
  COMMUNITY_CHAT: 5,
  /** local only */
  SYSTEM_MESSAGE_GAP: 6,
} as const

/** `ChatMessage.ContentType` (chat_message.proto), selected values. */
export const ContentType = {
  UNKNOWN_CONTENT_TYPE: 0,
  TEXT_PLAIN: 1,
  STICKER: 2,
  STATUS: 3,
  EMOJI: 4,
  TRANSACTION_COMMAND: 5,
  IMAGE: 7,
  AUDIO: 8,
  COMMUNITY: 9,
  CONTACT_REQUEST: 11,
  DISCORD_MESSAGE: 12,
  IDENTITY_VERIFICATION: 13,
  BRIDGE_MESSAGE: 18,
} as const
