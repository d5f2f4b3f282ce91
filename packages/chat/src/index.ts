export {
  type ChatMessage,
  decodeChatMessage,
  encodeChatMessage,
  type Image,
  nextClock,
  type Sticker,
} from './chat-message.ts'
export {
  type ContactCodeAdvertisement,
  decodeContactCodeAdvertisement,
  encodeContactCodeAdvertisement,
} from './contact-code.ts'
export { MessageDeduplicator, type MessageDeduplicatorOptions } from './dedup.ts'
export {
  CONTACT_CODE_CHECK_INTERVAL_MS,
  CONTACT_CODE_PUBLISH_INTERVAL_MS,
  type PublishTrigger,
} from './messenger/contact-code.ts'
export {
  decodeMembershipUpdate,
  encodeMembershipUpdate,
  foldMembership,
  type GroupState,
  type MembershipEvent,
  MembershipEventType,
  type MembershipUpdate,
  openMembershipEvent,
  type SignedMembershipEvent,
  signMembershipEvent,
} from './messenger/membership.ts'
export { Messenger } from './messenger/messenger.ts'
export { type MessengerInit, messenger } from './messenger/plugin.ts'
export { type Chat, type ChatType, MessengerState } from './messenger/state.ts'
export type {
  BundleEvents,
  MessengerComponents,
  MessengerEvents,
  MessengerMessage,
  MessengerOptions,
  RejectionReason,
  SentMessage,
} from './messenger/types.ts'
export { ApplicationMessageType, ContentType, MessageType } from './proto/enums.ts'
export {
  decodeSegment,
  encodeSegment,
  isParitySegment,
  type Segment,
  SegmentReassembler,
  type SegmentReassemblerOptions,
  segmentPayload,
} from './segment.ts'
export {
  bytesToTopic,
  contactCodeTopicName,
  contentTopic,
  contentTopicForName,
  DISCOVERY_PARTITIONS,
  DISCOVERY_TOPIC_NAME,
  partitionedTopicName,
  personalDiscoveryTopicName,
  publicChatTopic,
  SYM_KEY_LENGTH,
  SYM_KEY_PBKDF2_ITERATIONS,
  symmetricKeyFromPassword,
  TOPIC_LENGTH,
  topicFromName,
  topicToString,
} from './topics.ts'
export { messageId, SIGNATURE_LENGTH, type UnwrappedMessage, unwrapMessage, wrapMessage } from './wrap.ts'
