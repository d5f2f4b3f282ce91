export {
  decodeIncoming,
  type ItemRejection,
  type MvdsComponents,
  type MvdsEvents,
  type MvdsInit,
  type MvdsTransport,
  type PayloadRejectReason,
  type ReceiveResult,
} from './api.ts'
export { type Clock, systemClock } from './clock.ts'
export { MvdsDataSync } from './data-sync.ts'
export { messageId, messageIdPreimage, toOneToOneGroupId } from './ids.ts'
export type { GroupHead, GroupMember, HeldChange, NodeChanges, NodeSnapshot } from './journal.ts'
export type { MvdsMetrics } from './metrics.ts'
export { MvdsNode } from './node.ts'
export type {
  Acknowledgement,
  DeliveredMessage,
  MvdsNodeOptions,
  Ordering,
  PayloadOutcome,
  Rejection,
  RejectReason,
  SyncMode,
} from './node-types.ts'
export { type HeldMessage, HeldMessages } from './ordering.ts'
export { MvdsPersistence } from './persistence.ts'
export { mvds } from './plugin.ts'
export {
  backoffEpochs,
  epochAt,
  isExhausted,
  nextSendEpoch,
  peerOnlineSendEpoch,
  type ScheduleConfig,
  STATUS_GO_SCHEDULE,
  scheduleConfig,
} from './schedule.ts'
export { type PeerId, type RecordChange, type RecordType, type SyncRecord, SyncState } from './state.ts'
export type { ExpiredRecord, TickOutcome, TickStats } from './tick.ts'
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_PAYLOAD_ITEMS,
  type DecodeLimits,
  decodeMessage,
  decodePayload,
  emptyPayload,
  encodeMessage,
  encodePayload,
  type GroupOffer,
  isEmptyPayload,
  type MessageMetadata,
  type MvdsMessage,
  type Payload,
  splitPayload,
} from './wire.ts'
