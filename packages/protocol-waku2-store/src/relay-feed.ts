/**
 * Where archived messages come from: the relay on the `waku2Relay` capability. A `PrivacyProtocol`'s
 * `message:received` carries the timestamp in milliseconds and no RLN proof, so re-encoding from it
 * would change the bytes and the hash of an nwaku message (nanosecond timestamps). When the relay
 * exposes its js-libp2p gossipsub `router` (protocol-waku2-relay's `WakuRelay` does), the feed takes
 * the validated wire bytes from the router's `gossipsub:message` instead; otherwise it rebuilds the
 * WakuMessage from `message:received`.
 */
import type { PrivacyProtocol, ReceivedMessage } from '@parley/interfaces'
import { decodeWakuMessage, encodeWakuMessage, type WakuMessage } from '@parley/protocol-waku2'

export interface RelayedMessage {
  pubsubTopic: string
  message: WakuMessage
  /** the serialized WakuMessage */
  data: Uint8Array
}

interface GossipsubEvent {
  detail: { msg: { topic: string; data: Uint8Array } }
}
interface Router {
  addEventListener(type: 'gossipsub:message', listener: (event: GossipsubEvent) => void): void
  removeEventListener(type: 'gossipsub:message', listener: (event: GossipsubEvent) => void): void
}

const NS_PER_MS = 1_000_000n

/** Calls `onMessage` for every message the relay accepts; returns the function that stops it. */
export function followRelay(
  relay: PrivacyProtocol,
  onMessage: (relayed: RelayedMessage) => void,
  onUndecodable: (error: unknown) => void,
): () => void {
  const router = routerOf(relay)
  if (router !== undefined) {
    const listener = ({ detail: { msg } }: GossipsubEvent): void => {
      try {
        // Already accepted by the relay's validator, which has its own size limit.
        const message = decodeWakuMessage(msg.data, { maxSize: msg.data.length })
        onMessage({ pubsubTopic: msg.topic, message, data: msg.data })
      } catch (error) {
        onUndecodable(error)
      }
    }
    router.addEventListener('gossipsub:message', listener)
    return () => router.removeEventListener('gossipsub:message', listener)
  }
  const listener = ({ detail }: CustomEvent<ReceivedMessage>): void => {
    const relayed = fromReceived(detail)
    if (relayed !== undefined) onMessage(relayed)
  }
  relay.addEventListener('message:received', listener)
  return () => relay.removeEventListener('message:received', listener)
}

function routerOf(relay: PrivacyProtocol): Router | undefined {
  try {
    const router = (relay as { router?: Partial<Router> }).router
    return typeof router?.addEventListener === 'function' ? (router as Router) : undefined
  } catch {
    return undefined // a relay whose router getter throws before start
  }
}

/** The lossy path: millisecond timestamp, no RLN proof. */
function fromReceived(received: ReceivedMessage): RelayedMessage | undefined {
  const { pubsubTopic } = received
  if (pubsubTopic === undefined) return undefined
  const message: WakuMessage = {
    payload: received.payload,
    contentTopic: received.topic,
    timestamp: BigInt(received.timestamp) * NS_PER_MS,
    ...(received.version === undefined ? {} : { version: received.version }),
    ...(received.meta === undefined ? {} : { meta: received.meta }),
    ...(received.ephemeral === undefined ? {} : { ephemeral: received.ephemeral }),
  }
  return { pubsubTopic, message, data: encodeWakuMessage(message) }
}
