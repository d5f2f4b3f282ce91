/**
 * Three generations of the same public-chat app, one per migration step of
 * docs/WAKU-V2-MIGRATION.md, and the bridge node that joins them. What differs between the apps is
 * only the transport: the chat's topic, key and v1-encrypted payload are the same everywhere.
 */
import { bridge } from '@parley/bridge'
import { publicChatTopic, symmetricKeyFromPassword } from '@parley/chat'
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto } from '@parley/crypto'
import { open, seal, topicToHex } from '@parley/envelope'
import {
  type AbortOptions,
  devp2pHost,
  libp2pHost,
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

export type Generation = 'whisper' | 'waku1' | 'waku2'
export const GENERATIONS: readonly Generation[] = ['whisper', 'waku1', 'waku2']

const LISTEN = ['/ip4/127.0.0.1/tcp/0']
const POW = 0.002 // what Status nodes ask for on Whisper and Waku v1
const quiet = { level: 'warn' as const }

/** A public chat: topic and symmetric key both derive from its name (status-go). */
export interface PublicChat {
  /** 4 bytes, `0x…`: the Whisper / Waku v1 topic */
  topic: string
  /** `/waku/1/0x…/rfc26`: the same topic on Waku v2 */
  contentTopic: string
  seal(text: string): Uint8Array
  open(payload: Uint8Array): string | undefined
}

export async function publicChat(name: string, options?: AbortOptions): Promise<PublicChat> {
  const [symKey, { secp256k1 }] = await Promise.all([
    symmetricKeyFromPassword(name, options),
    loadCrypto(options),
  ])
  return {
    topic: topicToHex(publicChatTopic(name)),
    contentTopic: wakuV1TopicToContentTopic(publicChatTopic(name)),
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

/** The bridge node: every generation's protocol, the bridge, and a Waku v2 store for history. */
export function bridgeNode(): ParleyNode {
  return createNode({
    name: 'bridge',
    logger: quiet,
    transports: [devp2p({ port: 0 }), libp2p({ listen: LISTEN })],
    protocols: [whisper({ minPow: POW }), waku1({ minPow: POW }), wakuRelay(), wakuStore(), bridge()],
    store: memoryStore(),
  })
}

/** An app of one generation. */
export function appNode(generation: Generation): ParleyNode {
  const protocols = {
    whisper: () => [whisper({ minPow: POW })],
    waku1: () => [waku1({ minPow: POW })],
    waku2: () => [wakuRelay(), wakuStore({ serve: false })],
  }[generation]()
  const transport = generation === 'waku2' ? libp2p({ listen: LISTEN }) : devp2p({ port: 0 })
  return createNode({ name: `${generation}-app`, logger: quiet, transports: [transport], protocols })
}

export async function connect(
  generation: Generation,
  app: ParleyNode,
  hub: ParleyNode,
  options: AbortOptions,
): Promise<void> {
  if (generation === 'waku2') {
    await app.get(libp2pHost).dial(hub.get(libp2pHost).multiaddrs()[0]!, options)
    await (hub.get(waku2Relay) as WakuRelay).waitForPeers('/waku/2/rs/0/0', options)
    await (app.get(waku2Relay) as WakuRelay).waitForPeers('/waku/2/rs/0/0', options)
    return
  }
  const protocol = app.get(generation === 'whisper' ? whisperProtocol : waku1Protocol)
  const hubId = hub.get(devp2pHost).nodeId
  const ready = new Promise<void>((resolve) => {
    protocol.addEventListener('peer:ready', ({ detail }) => detail.peer === hubId && resolve())
  })
  await app.get(devp2pHost).dial(hub.get(devp2pHost).enode!, options)
  await ready
}

/** Step by step, the one call that changes: how an app posts the same sealed payload. */
export function post(
  generation: Generation,
  app: ParleyNode,
  chat: PublicChat,
  payload: Uint8Array,
): Promise<string> {
  if (generation === 'waku2')
    return (app.get(waku2Relay) as WakuRelay).post({ topic: chat.contentTopic, payload, version: 1 })
  const protocol = app.get(generation === 'whisper' ? whisperProtocol : waku1Protocol)
  return protocol.post({ topic: chat.topic, payload, ttl: 30 })
}

export async function inbox(generation: Generation, app: ParleyNode, chat: PublicChat): Promise<string[]> {
  const texts: string[] = []
  const handler = (message: ReceivedMessage): void => {
    texts.push(chat.open(message.payload) ?? '<not for this chat>')
  }
  if (generation === 'waku2') await app.get(waku2Relay).subscribe({ topics: [chat.contentTopic] }, handler)
  else
    await app
      .get(generation === 'whisper' ? whisperProtocol : waku1Protocol)
      .subscribe({ topics: [chat.topic] }, handler)
  return texts
}
