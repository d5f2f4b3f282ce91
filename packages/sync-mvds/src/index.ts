export { messageId, messageIdPreimage, toOneToOneGroupId } from './ids.ts'
export {
  type Acknowledgement,
  type DeliveredMessage,
  type ExpiredRecord,
  MvdsNode,
  type MvdsNodeOptions,
  type PayloadOutcome,
  type SyncMode,
  type TickOutcome,
} from './node.ts'
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
export { type PeerId, type RecordType, type SyncRecord, SyncState } from './state.ts'
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
  type MvdsMessage,
  type Payload,
} from './wire.ts'
