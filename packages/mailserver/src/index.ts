/**
 * Mailserver (historic messages) for Whisper v6 and Waku v1: the codecs of the archive key and
 * cursor, the request payload in every layout, the request envelope, Request Complete (125),
 * the non-envelope MessagesRequest and P2P Message (127).
 */

export type { HistoryQuery, HistoryResult } from '@parley/interfaces'
export { MailserverClient, type MailserverClientComponents } from './client/client.ts'
export { type EnodeAddress, parseEnode } from './client/enode.ts'
// The server and the client.
export { MailserverRefusedError, MailserverUnavailableError } from './client/errors.ts'
export type { EnvelopeHandler, PageReply } from './client/exchange.ts'
export type { TopicHistory } from './client/history.ts'
export { type ClientMetrics, clientMetrics } from './client/metrics.ts'
export {
  type MailserverClientInit,
  type MailserverClientSettings,
  mailserverClientSettings,
} from './client/options.ts'
export { type Ping, tcpPing } from './client/ping.ts'
export { mailserverClient } from './client/plugin.ts'
export type { MailserverStatus } from './client/selector.ts'
export {
  decodeRequestComplete,
  decodeRequestCompletePayload,
  type EncodeCompleteOptions,
  encodeRequestCompleted,
  encodeRequestFailed,
  MAX_COMPLETE_LENGTH,
  MIN_COMPLETE_LENGTH,
  type RequestComplete,
  type RequestCompleted,
  type RequestCompleteForm,
  type RequestFailed,
  requestCompletedPayload,
  requestFailedPayload,
} from './complete.ts'
export {
  CURSOR_LENGTH,
  type Cursor,
  cursorFromDbKey,
  DB_KEY_LENGTH,
  type DbKey,
  dbKeyLowerBound,
  decodeCursor,
  decodeDbKey,
  encodeCursor,
  encodeDbKey,
} from './db-key.ts'
export { MailDecodeError, type MailDecodeReason } from './errors.ts'
export type {
  HistorySyncedDetail,
  MailserverRefusedDetail,
  MailserverServedDetail,
} from './events.ts'
export {
  decodeMessagesRequest,
  decodeP2PRequest,
  encodeMessagesRequest,
  type MessagesRequest,
  type MessagesRequestForm,
  type P2PRequest,
} from './messages-request.ts'
export { type DecodeP2PMessageOptions, decodeP2PMessage, encodeP2PMessage } from './p2p-message.ts'
export {
  DEFAULT_REQUEST_LIMIT,
  type DecodedMailRequest,
  type DecodeRequestOptions,
  decodeRequestPayload,
  type EncodeRequestOptions,
  encodeRequestPayload,
  MAX_BINARY_RANGE,
  MAX_REQUEST_LIMIT,
  type MailRequest,
  type RequestLayout,
  UPPER_DEFAULT_LEAD,
} from './request.ts'
export {
  DEFAULT_MAILSERVER_PASSWORD,
  mailserverSymKey,
  makeRequestEnvelope,
  type OpenedRequest,
  type OpenRequestOptions,
  openRequestEnvelope,
  REQUEST_TOPIC,
  REQUEST_TTL,
  type RequestEnvelope,
  type RequestEnvelopeInput,
  type RequestEnvelopeOptions,
} from './request-envelope.ts'
export {
  type ArchiveSource,
  type EnvelopeAcceptedDetail,
  listenForAccepted,
} from './server/archive-source.ts'
export { archivedFromRlp } from './server/archived.ts'
export { type MailserverFailureReason, MailserverRequestError } from './server/errors.ts'
export { Mailserver, type MailserverComponents, type ServeResult } from './server/mailserver.ts'
export { type MailserverMetrics, mailserverMetrics } from './server/metrics.ts'
export {
  type MailserverInit,
  type MailserverSettings,
  mailserverSettings,
  type RetentionPolicy,
} from './server/options.ts'
export { collectPage, type HistoryPage, type PageRequest } from './server/page.ts'
export { mailserver } from './server/plugin.ts'
export { PeerRateLimiter, type RateLimit } from './server/rate-limiter.ts'
export { type ReadRequest, type RequestKeys, readRequest } from './server/read-request.ts'
export { prune } from './server/retention.ts'
