/**
 * Where archived messages come from: the relay's `message:relayed` event, which carries the exact
 * wire bytes of every validated message (re-encoding a decoded message could change its bytes and
 * so its hash, e.g. an RLN proof or field order from another implementation).
 */
import type { WakuRelayService } from '@parley/interfaces'
import { decodeWakuMessage, type WakuMessage } from '@parley/protocol-waku2'

export interface RelayedMessage {
  pubsubTopic: string
  message: WakuMessage
  /** the serialized WakuMessage */
  data: Uint8Array
}

export type RelayFeed = Pick<WakuRelayService, 'addEventListener' | 'removeEventListener'>

/** Calls `onMessage` for every message the relay accepts; returns the function that stops it. */
export function followRelay(
  relay: RelayFeed,
  onMessage: (relayed: RelayedMessage) => void,
  onUndecodable: (error: unknown) => void,
): () => void {
  const listener = ({ detail }: CustomEvent<{ pubsubTopic: string; bytes: Uint8Array }>): void => {
    try {
      // Already accepted by the relay's validator, which has its own size limit.
      const message = decodeWakuMessage(detail.bytes, { maxSize: detail.bytes.length })
      onMessage({ pubsubTopic: detail.pubsubTopic, message, data: detail.bytes })
    } catch (error) {
      onUndecodable(error)
    }
  }
  relay.addEventListener('message:relayed', listener)
  return () => relay.removeEventListener('message:relayed', listener)
}
