/**
 * 11/WAKU2-RELAY: gossipsub on `/vac/waku/relay/2.0.0` with nwaku's parameters, StrictNoSign,
 * SHA-256 message ids and a validator (size, WakuMessage decoding, timestamp window), exposed as a
 * `PrivacyProtocol` with content-topic subscriptions and static or automatic sharding.
 */
export {
  MAX_TIMESTAMP_DRIFT_MS,
  RELAY_CODEC,
  RELAY_GOSSIPSUB_OPTIONS,
  RELAY_TOPIC_SCORE_PARAMS,
} from './constants.ts'
export { RelayRejectedError } from './errors.ts'
export { RELAY_SERVICE, relayGossipsub, type TopicValidatorResult } from './gossipsub.ts'
export { type RelayMetrics, relayMetrics } from './metrics.ts'
export { type RelaySettings, relaySettings, type WakuRelayInit } from './options.ts'
export { wakuRelay } from './plugin.ts'
export {
  type RelayHost,
  type WakuReceivedMessage,
  WakuRelay,
  type WakuRelayComponents,
  type WakuRelayMessage,
} from './relay.ts'
export {
  RELAY_REJECT_REASONS,
  type RelayRejectReason,
  type RelayValidation,
  type RelayValidatorOptions,
  validateRelayMessage,
} from './validator.ts'
