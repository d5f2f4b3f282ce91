/**
 * RLPx v5: the EIP-8 handshake (src/handshake), frames and Snappy (src/frame, src/snappy.ts), the
 * p2p base protocol and capability negotiation (src/p2p, src/capabilities.ts), and one connection
 * over a caller-supplied TCP socket (src/tcp; only `node:net` types are imported).
 */
export {
  absoluteMessageCode,
  type LocalCapability,
  matchCapabilities,
  resolveMessageCode,
  type SharedCapability,
} from './capabilities.ts'
export { FrameCoder, type FrameCoderOptions, type FrameSecrets, MAX_FRAME_SIZE } from './frame/codec.ts'
export { FrameMac } from './frame/mac.ts'
export { decodeMessage, encodeMessage, type MessageOptions, type RlpxMessage } from './frame/message.ts'
export { type AckMessage, LEGACY_ACK_LENGTH, openAck, sealAck, sealLegacyAck } from './handshake/ack.ts'
export {
  type AuthMessage,
  LEGACY_AUTH_LENGTH,
  type OpenOptions,
  openAuth,
  sealAuth,
} from './handshake/auth.ts'
export {
  defaultPadding,
  eip8PacketLength,
  HANDSHAKE_VERSION,
  MAX_HANDSHAKE_SIZE,
  type SealOptions,
  sealEip8,
} from './handshake/eip8.ts'
export { type HandshakeOptions, Initiator, Recipient } from './handshake/handshake.ts'
export { HandshakePacketReader, type HandshakePacketReaderOptions } from './handshake/packet-reader.ts'
export { deriveSecrets, type MacState, type Secrets, type SecretsInput } from './handshake/secrets.ts'
export {
  type Devp2pCapabilityWithInfo,
  type Devp2pHostComponents,
  type Devp2pHostOptions,
  Devp2pHostPeer,
  Devp2pHostService,
  type Devp2pInit,
  DialError,
  devp2p,
  type EnodeAddress,
  formatEnode,
  ListenError,
  type PeerDirection,
  parseEnode,
  type RedialDelay,
  RedialTimers,
  redialDelayMs,
} from './host/index.ts'
export {
  BASE_PROTOCOL_LENGTH,
  type CapabilityName,
  DISCONNECT_REASONS,
  decodeDisconnect,
  decodeHello,
  disconnectReasonText,
  encodeDisconnect,
  encodeHello,
  encodePing,
  encodePong,
  type Hello,
  P2P_MESSAGE,
  P2P_VERSION,
} from './p2p/messages.ts'
export { P2pSession, type P2pSessionOptions, type SessionEvent, type SessionOutput } from './p2p/session.ts'
export {
  MAX_SNAPPY_DECODED_LENGTH,
  type SnappyDecodeOptions,
  snappyCompress,
  snappyDecodedLength,
  snappyDecompress,
} from './snappy.ts'
export { RlpxConnection, type RlpxConnectionOptions } from './tcp/connection.ts'
