/** A relayed WakuMessage as `message:received` and subscriptions see it. */
import type { ReceivedMessage } from '@parley/interfaces'
import type { WakuMessage } from '@parley/protocol-waku2'

/** A received message, with the WakuMessage fields `ReceivedMessage` lacks. */
export interface WakuReceivedMessage extends ReceivedMessage {
  pubsubTopic: string
  /** WakuMessage version (1: a 26/WAKU2-PAYLOAD payload, Status' messages); absent means 0 */
  version?: number
  meta?: Uint8Array
}

const NS_PER_MS = 1_000_000n

/** `from` is the relaying peer, undefined for our own message. */
export function receivedMessage(
  pubsubTopic: string,
  message: WakuMessage,
  hash: string,
  from: string | undefined,
): WakuReceivedMessage {
  const timestamp = message.timestamp ?? 0n
  return {
    topic: message.contentTopic,
    payload: message.payload,
    pubsubTopic,
    hash,
    // nwaku's archive also falls back to the receive time for a message without a timestamp.
    timestamp: timestamp > 0n ? Number(timestamp / NS_PER_MS) : Date.now(),
    ...(message.ephemeral === undefined ? {} : { ephemeral: message.ephemeral }),
    ...(message.version === undefined ? {} : { version: message.version }),
    ...(message.meta === undefined ? {} : { meta: message.meta }),
    ...(from === undefined ? {} : { from }),
  }
}
