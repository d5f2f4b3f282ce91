/**
 * Nodes on loopback for the bridge tests: a bridge node running Whisper v6 and Waku v1 on devp2p and
 * the Waku v2 relay and store on libp2p, and single-protocol nodes around it. Messages are public
 * chat messages: topic and symmetric key derived from the chat name, as Status does.
 */
import { publicChatTopic, symmetricKeyFromPassword } from '@parley/chat'
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto } from '@parley/crypto'
import { open, seal, topicToHex } from '@parley/envelope'
import {
  devp2pHost,
  libp2pHost,
  type Plugin,
  type ReceivedMessage,
  waku1Protocol,
  waku2Relay,
  whisperProtocol,
} from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { wakuV1TopicToContentTopic } from '@parley/protocol-waku2'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { wakuStore } from '@parley/protocol-waku2-store'
import { whisper } from '@parley/protocol-whisper'
import { memoryStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import { type BridgeInit, bridge } from '../src/index.ts'

export const CHAT = 'parley-bridge-test'
export const TOPIC = topicToHex(publicChatTopic(CHAT))
export const CONTENT_TOPIC = wakuV1TopicToContentTopic(publicChatTopic(CHAT))
const LISTEN = ['/ip4/127.0.0.1/tcp/0']
const POW = 0.002
const fastRelay = () => wakuRelay({ gossipsub: { heartbeatInterval: 100 } })

export type Kind = 'whisper' | 'waku1' | 'waku2'

export interface Chat {
  /** the v1-encrypted payload of a public chat message */
  seal(text: string): Uint8Array
  /** the text, or undefined when the payload is not for this chat */
  open(payload: Uint8Array): string | undefined
}

export async function publicChat(name = CHAT): Promise<Chat> {
  const [symKey, { secp256k1 }] = await Promise.all([symmetricKeyFromPassword(name), loadCrypto()])
  return {
    seal: (text) => seal({ payload: new TextEncoder().encode(text), symKey }, { secp256k1 }),
    open: (payload) => {
      try {
        return new TextDecoder().decode(open(payload, { symKey, secp256k1 }).payload)
      } catch {
        return undefined
      }
    },
  }
}

/** The bridge node; `pow` sets its Whisper and Waku v1 minimum PoW (default 0.002 both). */
export function bridgeNode(
  init: BridgeInit = {},
  name = 'bridge',
  pow: { whisper?: number; waku1?: number } = {},
): ParleyNode {
  return createNode({
    name,
    transports: [devp2p({ port: 0 }), libp2p({ listen: LISTEN })],
    protocols: [
      whisper({ minPow: pow.whisper ?? POW }),
      waku1({ minPow: pow.waku1 ?? POW }),
      fastRelay(),
      wakuStore(),
      bridge(init),
    ],
    store: memoryStore(),
  })
}

export function singleNode(kind: Kind, name: string = kind): ParleyNode {
  const protocols: Record<Kind, () => Plugin[]> = {
    whisper: () => [whisper({ minPow: POW })],
    waku1: () => [waku1({ minPow: POW })],
    waku2: () => [fastRelay(), wakuStore({ serve: false })],
  }
  const transport = kind === 'waku2' ? libp2p({ listen: LISTEN }) : devp2p({ port: 0 })
  return createNode({ name, transports: [transport], protocols: protocols[kind]() })
}

/** Connects `node` to the bridge and waits until messages can flow both ways. */
export async function connect(kind: Kind, node: ParleyNode, bridgeNode: ParleyNode): Promise<void> {
  // generous: a dial and the gossipsub subscription exchange run slowly on a loaded machine
  const signal = AbortSignal.timeout(15_000)
  if (kind === 'waku2') {
    await node.get(libp2pHost).dial(bridgeNode.get(libp2pHost).multiaddrs()[0]!, { signal })
    const pubsubTopic = (node.get(waku2Relay) as WakuRelay).pubsubTopicFor(CONTENT_TOPIC)
    await (node.get(waku2Relay) as WakuRelay).waitForPeers(pubsubTopic, { signal })
    await (bridgeNode.get(waku2Relay) as WakuRelay).waitForPeers(pubsubTopic, { signal })
    return
  }
  const capability = kind === 'whisper' ? whisperProtocol : waku1Protocol
  const remote = bridgeNode.get(devp2pHost).nodeId
  const ready = new Promise<void>((resolve) => {
    node.get(capability).addEventListener('peer:ready', ({ detail }) => detail.peer === remote && resolve())
  })
  await node.get(devp2pHost).dial(bridgeNode.get(devp2pHost).enode!, { signal })
  await ready
}

/** Posts a chat message the way each kind of node does. */
export function post(kind: Kind, node: ParleyNode, payload: Uint8Array): Promise<string> {
  if (kind === 'waku2')
    return (node.get(waku2Relay) as WakuRelay).post({ topic: CONTENT_TOPIC, payload, version: 1 })
  const capability = kind === 'whisper' ? whisperProtocol : waku1Protocol
  return node.get(capability).post({ topic: TOPIC, payload, ttl: 30 })
}

/** Collects every chat message a node's subscription delivers. */
export async function listen(kind: Kind, node: ParleyNode, chat: Chat): Promise<string[]> {
  const texts: string[] = []
  const handler = (message: ReceivedMessage): void => {
    texts.push(chat.open(message.payload) ?? '<undecryptable>')
  }
  if (kind === 'waku2') await node.get(waku2Relay).subscribe({ topics: [CONTENT_TOPIC] }, handler)
  else
    await node
      .get(kind === 'whisper' ? whisperProtocol : waku1Protocol)
      .subscribe({ topics: [TOPIC] }, handler)
  return texts
}

/** Polls until `condition` holds; the default bound is generous because a loaded machine delays every timer. */
export async function waitFor(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
