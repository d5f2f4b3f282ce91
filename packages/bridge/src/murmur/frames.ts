/**
 * The frames of Whisper over libp2p (`/parley/shh/6/1.0.0`). murmur, status-im's JS bridge, wrote the
 * RLP of a Whisper packet to a libp2p stream as it went on devp2p; here likewise, each frame is one
 * devp2p Whisper packet: its message code (one byte) then its payload, byte for byte what `shh/6`
 * sends for that code. On the stream every frame has an unsigned-varint length prefix, as libp2p
 * protocols do.
 */
import {
  decodeEnvelopes,
  decodeP2PRequest,
  decodeP2PRequestComplete,
  type Envelope,
  encodeEnvelope,
  encodeP2PMessages,
  encodeP2PRequest,
  encodeP2PRequestComplete,
} from '@parley/envelope'
import { DecodeError, LimitExceededError } from '@parley/interfaces'
import { type DuplexStream, readFrames } from './framed-stream.ts'

export const MURMUR_PROTOCOL = '/parley/shh/6/1.0.0'

/** devp2p `shh/6` codes: 1 messages, 126 p2p request, 127 p2p message, 125 request complete. */
export const FrameCode = { messages: 1, p2pRequest: 126, p2pMessage: 127, requestComplete: 125 } as const

export type Frame =
  | { code: typeof FrameCode.messages; envelopes: Envelope[] }
  | { code: typeof FrameCode.p2pRequest; request: Envelope }
  | { code: typeof FrameCode.p2pMessage; envelopes: Envelope[] }
  /** status-go's layout, `requestId ‖ lastEnvelopeHash ‖ cursor`, without the RLP string around it */
  | { code: typeof FrameCode.requestComplete; payload: Uint8Array }

export function encodeFrame(frame: Frame): Uint8Array {
  const body = frameBody(frame)
  const bytes = new Uint8Array(1 + body.length)
  bytes[0] = frame.code
  bytes.set(body, 1)
  return bytes
}

function frameBody(frame: Frame): Uint8Array {
  switch (frame.code) {
    case FrameCode.messages:
    case FrameCode.p2pMessage:
      return encodeP2PMessages(frame.envelopes)
    case FrameCode.p2pRequest:
      return encodeP2PRequest(frame.request)
    case FrameCode.requestComplete:
      return encodeP2PRequestComplete(frame.payload)
  }
}

/** One frame (without its length prefix). Throws `DecodeError` for anything else. */
export function decodeFrame(bytes: Uint8Array, maxEnvelopes = 1000): Frame {
  const code = bytes[0]
  const body = bytes.subarray(1)
  switch (code) {
    case FrameCode.messages:
    case FrameCode.p2pMessage:
      return { code, envelopes: decodeEnvelopes(body, { maxEnvelopes }) }
    case FrameCode.p2pRequest:
      return { code, request: decodeP2PRequest(body) }
    case FrameCode.requestComplete:
      return { code, payload: decodeP2PRequestComplete(body) }
    default:
      throw new DecodeError(`whisper over libp2p: unknown frame code ${code ?? '(empty frame)'}`)
  }
}

/** The RLP of each envelope, as `envelope:accepted` and `sendP2PMessages` carry them. */
export function envelopeBytes(envelopes: readonly Envelope[]): Uint8Array[] {
  return envelopes.map(encodeEnvelope)
}

/**
 * Reads `stream`'s frames until it ends, handing each to `onFrame`. An undecodable frame is counted
 * (`malformed`) and skipped; an oversize one or a broken stream is counted (`oversize`,
 * `stream-error`) and aborts the stream, since nothing after it can be trusted to line up.
 */
export async function receiveFrames(
  stream: DuplexStream,
  maxFrameSize: number,
  onFrame: (frame: Frame) => void,
  count: (result: 'malformed' | 'oversize' | 'stream-error') => void,
): Promise<void> {
  try {
    for await (const bytes of readFrames(stream.source, maxFrameSize)) {
      let frame: Frame
      try {
        frame = decodeFrame(bytes)
      } catch {
        count('malformed')
        continue
      }
      onFrame(frame)
    }
  } catch (error) {
    count(error instanceof LimitExceededError ? 'oversize' : 'stream-error')
    stream.abort(error instanceof Error ? error : new Error(String(error)))
  }
}
