/**
 * 19/WAKU2-LIGHTPUSH: the service (`wakuLightpush`: 3.0.0 and 2.0.0-beta1, validating and
 * publishing through the relay, nwaku's status codes) and the client (`wakuLightpushClient`).
 */

export type { RateLimit } from '@parley/protocol-waku2'
export {
  type LightpushMessage,
  type LightpushOptions,
  type LightpushResult,
  WakuLightpushClient,
} from './client.ts'
export {
  LIGHTPUSH_V2_CODEC,
  LIGHTPUSH_V3_CODEC,
  LightpushStatus,
  MAX_LIGHTPUSH_RPC_SIZE,
  NO_PEERS_MESSAGE,
  NOT_PUBLISHED_ANY_PEER,
  TOO_MANY_REQUESTS_MESSAGE,
} from './constants.ts'
export { LightpushError } from './errors.ts'
export type { LightpushClientMetrics, LightpushServerMetrics } from './metrics.ts'
export type { WakuLightpushInit } from './options.ts'
export { waku2Lightpush, waku2LightpushClient, wakuLightpush, wakuLightpushClient } from './plugin.ts'
export { type LightpushRelay, type PublishSettings, type PushOutcome, publishPushed } from './publish.ts'
export {
  decodeLightpushRequest,
  decodeLightpushResponse,
  decodePushRpc,
  encodeLightpushRequest,
  encodeLightpushResponse,
  encodePushRpc,
  type LightpushRequest,
  type LightpushResponse,
  type PushRpc,
} from './rpc.ts'
export { WakuLightpushServer } from './server.ts'
