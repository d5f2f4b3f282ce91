/**
 * Waku v2 checks over loopback libp2p: relay between full nodes, a light node that pushes and
 * subscribes through service nodes, and history from a store node.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { libp2pHost, type Plugin, waku2Relay } from '@parley/interfaces'
import { waku2FilterClient, wakuFilter, wakuFilterClient } from '@parley/protocol-waku2-filter'
import { waku2LightpushClient, wakuLightpush, wakuLightpushClient } from '@parley/protocol-waku2-lightpush'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { waku2Store, wakuStore } from '@parley/protocol-waku2-store'
import { memoryStore } from '@parley/store-memory'
import { libp2p } from '@parley/transport-libp2p'
import { type DemoCheck, type DemoContext, expectThat } from './check.ts'
import { waitFor, withNodes } from './devp2p-nodes.ts'

const PUBSUB_TOPIC = '/waku/2/rs/0/0'
const CONTENT_TOPIC = '/parley-demo/1/waku2/proto'
const encode = (text: string) => new TextEncoder().encode(text)
const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)

function wakuNode(context: DemoContext, name: string, protocols: Plugin[], store?: Plugin): ParleyNode {
  return createNode({
    name,
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
    protocols,
    ...(store === undefined ? {} : { store }),
    logger: context.logger,
  })
}

/** The node's first listen address, ending in /p2p/<peer id>. */
function addressOf(node: ParleyNode): string {
  const [address] = node.get(libp2pHost).multiaddrs()
  expectThat(address !== undefined, `${node.name} is not listening`)
  return address
}

/** Connects `a` to `b` and waits until each knows the other relays the default pubsub topic. */
async function meshed(a: ParleyNode, b: ParleyNode, signal: AbortSignal): Promise<void> {
  await a.get(libp2pHost).dial(addressOf(b), { signal })
  await Promise.all(
    [a, b].map((node) => (node.get(waku2Relay) as WakuRelay).waitForPeers(PUBSUB_TOPIC, { signal })),
  )
}

const relayCheck: DemoCheck = {
  name: 'waku2.relay',
  async run(context, signal) {
    // A line of three relays: a message from A reaches C only through B's gossipsub.
    const [a, b, c] = ['a', 'b', 'c'].map((name) =>
      wakuNode(context, `demo-waku2-relay-${name}`, [wakuRelay()]),
    )
    if (a === undefined || b === undefined || c === undefined) throw new Error('three nodes were made')
    return withNodes([a, b, c], signal, async () => {
      await meshed(a, b, signal)
      await meshed(c, b, signal)
      // B forwards to its gossipsub mesh, which a heartbeat (1 s) grafts: wait until it holds A and C.
      const meshOf = (node: ParleyNode) =>
        (node.get(waku2Relay) as WakuRelay).router.getMeshPeers(PUBSUB_TOPIC)
      await waitFor(() => meshOf(b).length === 2 && meshOf(c).length === 1, signal)
      const received: string[] = []
      await c.get(waku2Relay).subscribe({ topics: [CONTENT_TOPIC] }, (message) => {
        received.push(decode(message.payload))
      })
      const hash = await a.get(waku2Relay).post({ topic: CONTENT_TOPIC, payload: encode('over two hops') })
      await waitFor(() => received.length > 0, signal)
      expectThat(received[0] === 'over two hops', `C received ${JSON.stringify(received[0])}`)
      expectThat(
        !c.get(libp2pHost).connectedPeers().includes(a.get(libp2pHost).peerId),
        'A and C are connected',
      )
      return `A → B → C on ${PUBSUB_TOPIC}, message ${hash.slice(0, 10)}…`
    })
  },
}

const lightpushFilterCheck: DemoCheck = {
  name: 'waku2.lightpush-filter',
  async run(context, signal) {
    // Two service nodes relay to each other; light node L1 pushes via S1, light node L2 hears via S2.
    const s1 = wakuNode(context, 'demo-waku2-service-1', [wakuRelay(), wakuLightpush(), wakuFilter()])
    const s2 = wakuNode(context, 'demo-waku2-service-2', [wakuRelay(), wakuLightpush(), wakuFilter()])
    const pusher = wakuNode(context, 'demo-waku2-light-push', [wakuLightpushClient()])
    const listener = wakuNode(context, 'demo-waku2-light-filter', [wakuFilterClient()])
    return withNodes([s1, s2, pusher, listener], signal, async () => {
      await meshed(s1, s2, signal)
      const heard: string[] = []
      const subscription = await listener
        .get(waku2FilterClient)
        .filterSubscribe(addressOf(s2), PUBSUB_TOPIC, [CONTENT_TOPIC], (message) => {
          heard.push(decode(message.payload))
        })
      try {
        const result = await pusher
          .get(waku2LightpushClient)
          .lightpush(
            addressOf(s1),
            { contentTopic: CONTENT_TOPIC, payload: encode('from a light node'), pubsubTopic: PUBSUB_TOPIC },
            { signal },
          )
        expectThat((result.relayPeerCount ?? 0) >= 1, `S1 published to ${result.relayPeerCount} relay peers`)
        await waitFor(() => heard.length > 0, signal)
        expectThat(heard[0] === 'from a light node', `L2 heard ${JSON.stringify(heard[0])}`)
        expectThat(
          !pusher.get(libp2pHost).connectedPeers().includes(listener.get(libp2pHost).peerId),
          'L1 and L2 met',
        )
        return `L1 → lightpush (${result.protocol}) → S1 → relay → S2 → filter push → L2`
      } finally {
        await subscription.unsubscribe()
      }
    })
  },
}

const storeCheck: DemoCheck = {
  name: 'waku2.store',
  async run(context, signal) {
    // A relay publishes to a store node; a client with no relay pages through the history.
    const archive = wakuNode(context, 'demo-waku2-store', [wakuRelay(), wakuStore()], memoryStore())
    const publisher = wakuNode(context, 'demo-waku2-publisher', [wakuRelay()])
    const client = wakuNode(context, 'demo-waku2-store-client', [wakuStore({ serve: false })])
    return withNodes([archive, publisher, client], signal, async () => {
      await meshed(publisher, archive, signal)
      const texts = ['one', 'two', 'three', 'four', 'five']
      // Timestamps a millisecond apart fix the order: posts within one millisecond would tie, and
      // ties sort by hash.
      const start = BigInt(Date.now()) * 1_000_000n
      for (const [index, text] of texts.entries()) {
        const timestamp = start + BigInt(index) * 1_000_000n
        await (publisher.get(waku2Relay) as WakuRelay).post({
          topic: CONTENT_TOPIC,
          payload: encode(text),
          timestamp,
        })
      }
      const query = { pubsubTopic: PUBSUB_TOPIC, contentTopics: [CONTENT_TOPIC], pageSize: 2, forward: true }
      let pages: string[][] = []
      await waitFor(async () => {
        pages = []
        for await (const page of client.get(waku2Store).query(addressOf(archive), query, { signal }))
          pages.push(page.messages.map((entry) => decode(entry.message?.payload)))
        return pages.flat().length === texts.length
      }, signal)
      expectThat(pages.flat().join() === texts.join(), `history read ${pages.flat().join()}`)
      expectThat(pages.length === 3, `${pages.length} pages of 2`)
      return `${texts.length} relayed messages archived, read back in ${pages.length} pages of 2 (store v3)`
    })
  },
}

export const waku2Checks: readonly DemoCheck[] = [relayCheck, lightpushFilterCheck, storeCheck]
