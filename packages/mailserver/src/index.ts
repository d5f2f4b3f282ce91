/**
 * Mailserver (historic messages) for Whisper v6 and Waku v1: the codecs of the archive key and
 * cursor, the request payload in every layout, the request envelope, Request Complete (125),
 * the non-envelope MessagesRequest and P2P Message (127).
 */

export {
  decodeRequestComplete,
  type EncodeCompleteOptions,
  encodeRequestCompleted,
  encodeRequestFailed,
  MAX_COMPLETE_LENGTH,
  MIN_COMPLETE_LENGTH,
  type RequestComplete,
  type RequestCompleted,
  type RequestCompleteForm,
  type RequestFailed,
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
