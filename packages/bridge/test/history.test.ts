/**
 * Mailserver history for v2 clients: what a mailserver on the bridge node archived while the bridge
 * was not carrying it reaches a Waku v2 store query once `importHistory` has copied it over.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { encodeEnvelope, hexToTopic, sealEnvelope } from '@parley/envelope'
import {
  devp2pHost,
  libp2pHost,
  MissingCapabilityError,
  NotStartedError,
  waku2Relay,
  whisperProtocol,
} from '@parley/interfaces'
import { type Mailserver, mailserver, mailserverClient } from '@parley/mailserver'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { waku2Store, wakuStore } from '@parley/protocol-waku2-store'
import { whisper } from '@parley/protocol-whisper'
import { memoryStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Bridge, bridge, messageBridge } from '../src/index.ts'
import { type Chat, CONTENT_TOPIC, connect, post, publicChat, singleNode, TOPIC, waitFor } from './network.ts'

/** The chat texts a v2 store query of `hub` from `v2App` returns, oldest first. */
async function storedTexts(v2App: ParleyNode, hub: ParleyNode, chat: Chat): Promise<string[]> {
  const pubsubTopic = (v2App.get(waku2Relay) as WakuRelay).pubsubTopicFor(CONTENT_TOPIC)
  const query = { pubsubTopic, contentTopics: [CONTENT_TOPIC], includeData: true, forward: true }
  const texts: string[] = []
  const address = hub.get(libp2pHost).multiaddrs()[0]!
  for await (const page of v2App
    .get(waku2Store)
    .query(address, query, { signal: AbortSignal.timeout(15_000) }))
    for (const entry of page.messages) texts.push(chat.open(entry.message!.payload) ?? '<undecryptable>')
  return texts
}

describe('bridge history import', () => {
  let hub: ParleyNode
  let whisperApp: ParleyNode
  let v2App: ParleyNode
  let chat: Chat

  beforeAll(async () => {
    chat = await publicChat()
    hub = createNode({
      name: 'bridge-with-mailserver',
      transports: [devp2p({ port: 0 }), libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
      protocols: [whisper({ minPow: 0.002 }), mailserver(), wakuRelay(), wakuStore(), bridge()],
      store: memoryStore(),
    })
    whisperApp = singleNode('whisper')
    v2App = singleNode('waku2')
    await Promise.all([hub.start(), whisperApp.start(), v2App.start()])
    await connect('whisper', whisperApp, hub)
    await connect('waku2', v2App, hub)
  }, 60_000)

  afterAll(async () => {
    await Promise.all([whisperApp?.stop(), v2App?.stop(), hub?.stop()])
  })

  const v2History = () => storedTexts(v2App, hub, chat)

  it('copies what the mailserver archived into the v2 store, once', async () => {
    const service = hub.get(messageBridge) as Bridge
    // Carried v2 → Whisper while the bridge runs: the mailserver archives the re-sealed envelope.
    await post('waku2', v2App, chat.seal('from v2'))
    await waitFor(() => service.stats()['waku2->whisper']?.bridged === 1, 'the v2 message on Whisper')
    await service.stop()
    await expect(service.importHistory()).rejects.toThrow(NotStartedError)
    // Archived by the mailserver, not carried: the bridge is stopped. With the mailserver as its
    // archiver, the hub's Whisper accepts an envelope only once it is archived.
    const archived = new Set<string>()
    hub.get(whisperProtocol).addEventListener('envelope:accepted', ({ detail }) => archived.add(detail.hash))
    const hash = await post('whisper', whisperApp, chat.seal('before the bridge'))
    await waitFor(() => archived.has(hash), 'the mailserver archived it')
    await new Promise((resolve) => setTimeout(resolve, 300)) // time for anything wrongly carried to arrive
    expect(await v2History()).toEqual(['from v2'])

    await service.start()
    // Both archived envelopes are read; the re-sealed copy of the v2 message is recognised.
    expect(await service.importHistory({ signal: AbortSignal.timeout(15_000) })).toEqual({
      read: 2,
      imported: 1,
      skipped: 0,
    })
    expect((await v2History()).sort()).toEqual(['before the bridge', 'from v2'])
    // A second run finds everything stored already; v2 rows in the archive are never read.
    expect(await service.importHistory({ topics: ['0x00000000'] })).toEqual({
      read: 0,
      imported: 0,
      skipped: 0,
    })
    expect(await service.importHistory()).toEqual({ read: 2, imported: 0, skipped: 0 })
  })

  it('needs a store and an archive on the node', async () => {
    const plain = createNode({
      name: 'plain-bridge',
      transports: [devp2p({ port: 0 }), libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
      protocols: [whisper({ minPow: 0.002 }), wakuRelay(), bridge()],
    })
    await plain.start()
    try {
      await expect((plain.get(messageBridge) as Bridge).importHistory()).rejects.toThrow(
        MissingCapabilityError,
      )
    } finally {
      await plain.stop()
    }
  })
})

describe('bridge history fetch from a remote mailserver', () => {
  let server: ParleyNode
  let hub: ParleyNode
  let v2App: ParleyNode
  let chat: Chat

  beforeAll(async () => {
    chat = await publicChat()
    server = createNode({
      name: 'remote-mailserver',
      transports: [devp2p({ port: 0 })],
      protocols: [whisper({ minPow: 0.002 })],
      store: memoryStore(),
      services: { mailserver: mailserver() },
    })
    await server.start()
    // Sealed ten minutes ago, expired since: it exists only in the mailserver's archive.
    const now = Math.floor(Date.now() / 1000)
    const old = await sealEnvelope(
      { topic: hexToTopic(TOPIC), data: chat.seal('ten minutes ago'), ttl: 60, pow: 0 },
      { now: now - 600 },
    )
    await server.service<Mailserver>('mailserver').archive([encodeEnvelope(old)])
    hub = createNode({
      name: 'bridge-with-client',
      transports: [devp2p({ port: 0 }), libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
      protocols: [whisper({ minPow: 0.002 }), wakuRelay(), wakuStore(), bridge()],
      store: memoryStore(),
      services: { history: mailserverClient({ mailservers: [server.get(devp2pHost).enode!] }) },
    })
    v2App = singleNode('waku2')
    await Promise.all([hub.start(), v2App.start()])
    await connect('waku2', v2App, hub)
  }, 60_000)

  afterAll(async () => {
    await Promise.all([v2App?.stop(), hub?.stop(), server?.stop()])
  })

  it("puts what the mailserver sends into the v2 store, timestamped as the envelope's send time", async () => {
    const service = hub.get(messageBridge) as Bridge
    const from = Math.floor(Date.now() / 1000) - 3600
    const result = await service.fetchHistory(
      { topics: [TOPIC], from },
      { signal: AbortSignal.timeout(8000) },
    )
    expect(result).toMatchObject({ envelopes: 1, imported: 1, skipped: 0, pages: 1 })
    expect(await storedTexts(v2App, hub, chat)).toEqual(['ten minutes ago'])
    const again = await service.fetchHistory({ topics: [TOPIC], from }, { signal: AbortSignal.timeout(8000) })
    expect(again).toMatchObject({ imported: 0 })
  })
})
