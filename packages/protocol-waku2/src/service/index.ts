export { openStream, peerIdOf, type ServiceHost } from './host.ts'
export { PeerRateLimiter, type RateLimit } from './rate-limit.ts'
export {
  abortStream,
  isOversize,
  requestResponse,
  ServedRequest,
  type ServiceStream,
} from './stream.ts'
