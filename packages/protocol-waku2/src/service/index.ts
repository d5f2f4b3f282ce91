export {
  expectWireType,
  readBoolField,
  readBytesField,
  readSint64Field,
  readStringField,
  readUint32Field,
  readVarintField,
  writeSint64Field,
  writeStringField,
  writeUint64Field,
} from './fields.ts'
export { openStream, peerIdOf, type ServiceHost } from './host.ts'
export { PeerRateLimiter, type RateLimit } from './rate-limit.ts'
export {
  abortStream,
  isOversize,
  requestResponse,
  ServedRequest,
  type ServiceStream,
} from './stream.ts'
