/**
 * Bridge checks over loopback: a bridge node composed from `--preset bridge` (Whisper v6, Waku v1
 * and Waku v2 relay with store, one process) and single-protocol nodes on either side. Each check
 * sends a Status public-chat message (topic and key from the chat name) and expects it exactly
 * once on the other network, still decryptable.
 */
import { type Bridge, messageBridge } from '@parley/bridge'
import { publicChatTopic, symmetricKeyFromPassword } from '@parley/chat'
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto, utf8ToBytes } from '@parley/crypto'
import { open, seal, topicToHex } from '@parley/envelope'
import { devp2pHost, libp2pHost, type ReceivedMessage, waku2Relay } from '@parley/interfaces'
import { wakuV1TopicToContentTopic } from '@parley/protocol-waku2'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { libp2p } from '@parley/transport-libp2p'
import { configPresets } from '../config/presets.ts'
import { resolveConfig } from '../config/resolve.ts'
import { configSchema } from '../config/schema.ts'
import { composeNode } from '../node/compose.ts'
import { type DemoCheck, type DemoContext, expectThat } from './check.ts'
import { connect, sleep, TTL, V1_CAPABILITIES, v1Node, waitFor, withNodes } from './devp2p-nodes.ts'

type Side = 'whisper' | 'waku1' | 'waku2'

const CHAT = 'parley-demo-bridge'
const TOPIC = topicToHex(publicChatTopic(CHAT))
const CONTENT_TOPIC = wakuV1TopicToContentTopic(publicChatTopic(CHAT))
/** Long enough for an echo or a second copy to arrive on loopback. */
const SETTLE_MS = 300

/** The bridge node exactly as `parley start --preset bridge` composes it, on loopback ports. */
async function bridgeNode(context: DemoContext, signal: AbortSignal): Promise<ParleyNode> {
  const flags = new Map<string, string[]>([
    ['preset', ['bridge']],
    ['name', ['demo-bridge']],
    ['listen-address', ['127.0.0.1']],
    ['devp2p-port', ['0']],
    ['tcp-port', ['0']],
  ])
  const { values } = resolveConfig(configSchema, { flags, presets: configPresets })
  expectThat(values.bridge && values.store, '--preset bridge did not turn on bridge and store')
  return (await composeNode(values, context.logger, { signal })).node
}

function sideNode(context: DemoContext, side: Side): ParleyNode {
  if (side !== 'waku2') return v1Node(context, `demo-bridge-${side}`, side)
  return createNode({
    name: 'demo-bridge-waku2',
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
    protocols: [wakuRelay()],
    logger: context.logger,
  })
}

async function link(side: Side, node: ParleyNode, hub: ParleyNode, signal: AbortSignal): Promise<void> {
  if (side !== 'waku2') return connect(node, hub, side, signal)
  const [address] = hub.get(libp2pHost).multiaddrs()
  expectThat(address !== undefined, 'the bridge node has no libp2p address')
  await node.get(libp2pHost).dial(address, { signal })
  const relay = (of: ParleyNode) => of.get(waku2Relay) as WakuRelay
  const pubsubTopic = relay(node).pubsubTopicFor(CONTENT_TOPIC)
  await Promise.all([node, hub].map((of) => relay(of).waitForPeers(pubsubTopic, { signal })))
}

function post(side: Side, node: ParleyNode, payload: Uint8Array, signal: AbortSignal): Promise<string> {
  if (side === 'waku2')
    return node.get(waku2Relay).post({ topic: CONTENT_TOPIC, payload, version: 1 }, { signal })
  return node.get(V1_CAPABILITIES[side]).post({ topic: TOPIC, payload, ttl: TTL }, { signal })
}

async function listen(side: Side, node: ParleyNode, into: ReceivedMessage[], signal: AbortSignal) {
  const handler = (message: ReceivedMessage) => void into.push(message)
  if (side === 'waku2') await node.get(waku2Relay).subscribe({ topics: [CONTENT_TOPIC] }, handler, { signal })
  else await node.get(V1_CAPABILITIES[side]).subscribe({ topics: [TOPIC] }, handler, { signal })
}

function bridgeCheck(name: string, from: Side, to: Side): DemoCheck {
  return {
    name,
    async run(context, signal) {
      const [symKey, { secp256k1 }] = await Promise.all([
        symmetricKeyFromPassword(CHAT, { signal }),
        loadCrypto({ signal }),
      ])
      const hub = await bridgeNode(context, signal)
      const sender = sideNode(context, from)
      const receiver = sideNode(context, to)
      return withNodes([hub, sender, receiver], signal, async () => {
        const received: ReceivedMessage[] = []
        await listen(to, receiver, received, signal)
        await link(from, sender, hub, signal)
        await link(to, receiver, hub, signal)

        const text = `hello from ${from} to ${to}`
        const payload = seal({ payload: utf8ToBytes(text), symKey }, { secp256k1 })
        await post(from, sender, payload, signal)
        await waitFor(() => received.length > 0, signal)
        await sleep(SETTLE_MS)
        const count = () => received.length
        expectThat(count() === 1, `${to} got the message ${count()} times`)
        const [message] = received
        expectThat(message !== undefined, 'nothing received')
        const plain = new TextDecoder().decode(open(message.payload, { secp256k1, symKey }).payload)
        expectThat(plain === text, `${to} decrypted ${JSON.stringify(plain)}`)
        const stats = (hub.get(messageBridge) as Bridge).stats()[`${from}->${to}`]
        expectThat(stats?.bridged === 1, `the bridge counted ${stats?.bridged} for ${from}->${to}`)
        const hubId = hub.get(devp2pHost).nodeId.slice(0, 8)
        return `${from} → bridge ${hubId} (${(hub.get(messageBridge) as Bridge).sides().join(',')}) → ${to}, once, decrypted`
      })
    },
  }
}

export const bridgeChecks: readonly DemoCheck[] = [
  bridgeCheck('bridge.v1-to-v2', 'waku1', 'waku2'),
  bridgeCheck('bridge.v2-to-v1', 'waku2', 'waku1'),
  bridgeCheck('bridge.whisper-to-waku1', 'whisper', 'waku1'),
]
