export { RendezvousDiscovery } from './client.ts'
export {
  DEFAULT_RENDEZVOUS_TOPICS,
  type RendezvousDiscoveryInit,
  rendezvousDiscovery,
} from './client-plugin.ts'
export { type Clock, systemClock } from './clock.ts'
export {
  decodeBody,
  encodeBody,
  encodeMessage,
  hasBody,
  messageTypeOf,
  RendezvousDecodeError,
} from './codec.ts'
export { RendezvousRequestError } from './errors.ts'
export {
  type DiscoverMessage,
  type DiscoverResponseMessage,
  MessageType,
  type MessageTypeNumber,
  RENDEZVOUS_PROTOCOL,
  type RegisterMessage,
  type RegisterResponseMessage,
  type RemoteIpMessage,
  type RemoteIpResponseMessage,
  type RendezvousMessage,
  type RendezvousRequest,
  type RendezvousResponse,
  Status,
  topicBytes,
} from './messages.ts'
export { DEFAULT_MAX_ITEM_BYTES, RendezvousReader, type RendezvousReaderOptions } from './reader.ts'
export {
  isValidTopic,
  MAX_DISCOVER_LIMIT,
  MAX_TOPIC_BYTES,
  MAX_TTL_NS,
  NETWORK_DELAY_MS,
  type RegisterResult,
  RendezvousRegistry,
  type RendezvousRegistryInit,
} from './registry.ts'
export {
  type RendezvousRefusalReason,
  RendezvousServer,
  type RendezvousServerInit,
  rendezvousServer,
} from './server.ts'
export { handleRequest, invalidContentResponse, type RequestContext } from './server-logic.ts'
export type { RendezvousStream } from './stream.ts'
