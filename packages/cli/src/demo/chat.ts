/**
 * Chat checks: nodes composed as `parley chat` composes them (the node from flags plus the
 * secure transport, MVDS and the messenger), on loopback. Public chat and one-to-one over Waku v1,
 * a group of three over Whisper, and offline history from a Waku v2 store node.
 */
import type { Messenger, MessengerEvents } from '@parley/chat'
import type { ParleyNode } from '@parley/core'
import { libp2pHost, waku2Relay } from '@parley/interfaces'
import type { WakuRelay } from '@parley/protocol-waku2-relay'
import { chatServices } from '../chat/services.ts'
import { resolveConfig } from '../config/resolve.ts'
import { configSchema } from '../config/schema.ts'
import { composeNode } from '../node/compose.ts'
import { type DemoCheck, type DemoContext, expectThat } from './check.ts'
import { connect, sleep, waitFor } from './devp2p-nodes.ts'

type Protocol = 'whisper' | 'waku1' | 'waku2'

interface ChatPeer {
  node: ParleyNode
  messenger: Messenger
  received: MessengerEvents['message:received'][]
  delivered: MessengerEvents['message:delivered'][]
}

/** A loopback node as `parley start --protocol <protocol> <flags>` composes it, started. */
async function startNode(
  context: DemoContext,
  name: string,
  protocol: Protocol,
  options: { signal: AbortSignal; opened: ParleyNode[]; flags?: Record<string, string[]>; chat?: boolean },
): Promise<ParleyNode> {
  const flags = new Map(
    Object.entries({
      name: [`demo-chat-${name}`],
      protocol: [protocol],
      'listen-address': ['127.0.0.1'],
      'devp2p-port': ['0'],
      'tcp-port': ['0'],
      ...options.flags,
    }),
  )
  const { values } = resolveConfig(configSchema, { flags })
  const services = options.chat === false ? {} : chatServices(values)
  const { node } = await composeNode(values, context.logger, { signal: options.signal, services })
  options.opened.push(node)
  await node.start({ signal: options.signal })
  return node
}

/** A node as `parley chat --protocol <protocol> <flags>` composes it, started, its events kept. */
async function chatPeer(
  context: DemoContext,
  name: string,
  protocol: Protocol,
  signal: AbortSignal,
  opened: ParleyNode[],
  flags: Record<string, string[]> = {},
): Promise<ChatPeer> {
  const node = await startNode(context, name, protocol, { signal, opened, flags })
  const messenger = node.service<Messenger>('messenger')
  const peer: ChatPeer = { node, messenger, received: [], delivered: [] }
  messenger.addEventListener('message:received', ({ detail }) => peer.received.push(detail))
  messenger.addEventListener('message:delivered', ({ detail }) => peer.delivered.push(detail))
  return peer
}

/** Runs `body` with a list the check pushes its nodes into; stops every one of them afterwards. */
async function withPeers<T>(body: (opened: ParleyNode[]) => Promise<T>): Promise<T> {
  const opened: ParleyNode[] = []
  try {
    return await body(opened)
  } finally {
    await Promise.all(opened.map((node) => node.stop()))
  }
}

const textsOf = (peer: ChatPeer) => peer.received.map((message) => message.text)

/** `parley_secure_transport_messages_total` of `kind` in the node's registry, both directions. */
async function secureMessages(node: ParleyNode, kind: string): Promise<number> {
  const lines = (await node.metrics.expose()).split('\n')
  return lines
    .filter(
      (line) => line.startsWith('parley_secure_transport_messages_total{') && line.includes(`kind="${kind}"`),
    )
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)
}

const publicCheck: DemoCheck = {
  name: 'chat.public',
  run: (context, signal) =>
    withPeers(async (opened) => {
      const alice = await chatPeer(context, 'alice', 'waku1', signal, opened)
      const bob = await chatPeer(context, 'bob', 'waku1', signal, opened)
      await connect(alice.node, bob.node, 'waku1', signal)
      await Promise.all([alice, bob].map((peer) => peer.messenger.joinPublic('parley-demo', { signal })))
      const sent = await alice.messenger.sendText('parley-demo', 'hello, public', { signal })
      await waitFor(() => bob.received.length > 0, signal)
      const [message] = bob.received
      expectThat(message?.id === sent.id && message.text === 'hello, public', `bob got ${textsOf(bob)}`)
      expectThat(message.chatType === 'public' && message.chatId === 'parley-demo', 'not in the public chat')
      expectThat(message.from === alice.messenger.publicKey, 'the author is not alice')
      return 'alice → #parley-demo → bob over waku/1, signed by alice'
    }),
}

const oneToOneCheck: DemoCheck = {
  name: 'chat.one-to-one',
  run: (context, signal) =>
    withPeers(async (opened) => {
      const alice = await chatPeer(context, 'alice', 'waku1', signal, opened)
      const bob = await chatPeer(context, 'bob', 'waku1', signal, opened)
      await connect(alice.node, bob.node, 'waku1', signal)
      await alice.messenger.startOneToOne(bob.messenger.publicKey, { signal })
      const first = await alice.messenger.sendText(bob.messenger.publicKey, 'hello, bob', { signal })
      await waitFor(() => bob.received.some((m) => m.id === first.id), signal)
      await bob.messenger.startOneToOne(alice.messenger.publicKey, { signal })
      const reply = await bob.messenger.sendText(alice.messenger.publicKey, 'hello, alice', { signal })
      await waitFor(() => alice.received.some((m) => m.id === reply.id), signal)
      const second = await alice.messenger.sendText(bob.messenger.publicKey, 'again', { signal })
      await waitFor(() => bob.received.some((m) => m.id === second.id), signal)
      const receipt = (peer: ChatPeer, id: string) => peer.delivered.some((d) => d.messageId === id)
      await waitFor(
        () => receipt(alice, first.id) && receipt(alice, second.id) && receipt(bob, reply.id),
        signal,
      )
      expectThat(bob.received.at(-1)?.chatId === alice.messenger.publicKey, 'bob filed it under another chat')
      // Forward secrecy: after the first contact, the pair talks X3DH and then the Double Ratchet.
      const ratchet =
        (await secureMessages(alice.node, 'x3dh')) + (await secureMessages(alice.node, 'double-ratchet'))
      expectThat(ratchet > 0, 'no X3DH or Double Ratchet message: no PFS session')
      return `3 messages both ways, 3 delivered receipts, ${ratchet} X3DH/ratchet messages at alice`
    }),
}

const groupCheck: DemoCheck = {
  name: 'chat.group',
  run: (context, signal) =>
    withPeers(async (opened) => {
      const [alice, bob, carol] = [
        await chatPeer(context, 'alice', 'whisper', signal, opened),
        await chatPeer(context, 'bob', 'whisper', signal, opened),
        await chatPeer(context, 'carol', 'whisper', signal, opened),
      ]
      await connect(bob.node, alice.node, 'whisper', signal)
      await connect(carol.node, alice.node, 'whisper', signal)
      const members = [bob, carol].map((peer) => peer.messenger.publicKey)
      const group = await alice.messenger.createGroup('trio', members, { signal })
      const knows = (peer: ChatPeer) => peer.messenger.chat(group.id)?.members.length === 3
      await waitFor(() => knows(bob) && knows(carol), signal)
      const sent = await alice.messenger.sendText(group.id, 'hello, group', { signal })
      const reply = await carol.messenger.sendText(group.id, 'hi all', { signal })
      const got = (peer: ChatPeer, id: string) =>
        peer.received.some((m) => m.id === id && m.chatId === group.id)
      await waitFor(
        () => got(bob, sent.id) && got(carol, sent.id) && got(alice, reply.id) && got(bob, reply.id),
        signal,
      )
      return 'alice created trio (3 members, learnt by bob and carol); alice and carol each reached the other two'
    }),
}

const offlineHistoryCheck: DemoCheck = {
  name: 'chat.offline-history',
  run: (context, signal) =>
    withPeers(async (opened) => {
      const store = await startNode(context, 'store', 'waku2', {
        signal,
        opened,
        flags: { store: ['true'] },
        chat: false,
      })
      const [storeAddress] = store.get(libp2pHost).multiaddrs()
      expectThat(storeAddress !== undefined, 'the store node has no address')
      const alice = await chatPeer(context, 'alice', 'waku2', signal, opened, {
        staticnode: [storeAddress],
      })
      const relayOf = (peer: ChatPeer) => peer.node.get(waku2Relay) as WakuRelay
      await relayOf(alice).waitForPeers('/waku/2/rs/0/0', { signal })
      await alice.messenger.joinPublic('parley-demo-history', { signal })
      const sent = await alice.messenger.sendText('parley-demo-history', 'you missed this', { signal })
      // Bob was not running when it was sent; he starts with the store node as his history source.
      const bob = await chatPeer(context, 'bob', 'waku2', signal, opened, {
        'store-node': [storeAddress],
      })
      await relayOf(bob).waitForPeers('/waku/2/rs/0/0', { signal })
      await bob.messenger.joinPublic('parley-demo-history', { signal })
      const got = () => bob.received.some((m) => m.id === sent.id)
      // The store archives what it relays a moment after alice's post: ask again until it has it.
      let fetched = 0
      for (let attempt = 0; !got() && attempt < 20; attempt++) {
        fetched = await bob.messenger.fetchHistory({}, { signal })
        if (fetched === 0) await sleep(200)
      }
      await waitFor(got, signal)
      expectThat(bob.received.length === 1, `bob got ${textsOf(bob)}`)
      return `bob, not running when alice sent it, read it from the --store-node (${fetched} in the answer)`
    }),
}

export const chatChecks: readonly DemoCheck[] = [publicCheck, oneToOneCheck, groupCheck, offlineHistoryCheck]
