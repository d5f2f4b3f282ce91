/**
 * Whisper over libp2p (murmur's idea) on loopback: a libp2p-only Whisper client and a devp2p
 * Whisper-only node exchange envelopes through a bridge node, each once and never echoed; the
 * client's history request is answered by a devp2p mailserver with what it archived while the client
 * was offline; and bad frames are dropped with a metric while the bridge keeps serving.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto } from '@parley/crypto'
import {
  decodeEnvelope,
  encodeEnvelope,
  envelopePow,
  hexToTopic,
  sealEnvelope,
  topicToBloom,
} from '@parley/envelope'
import { devp2pHost, libp2pHost, type ReceivedMessage, whisperProtocol } from '@parley/interfaces'
import { mailserver, mailserverSymKey, makeRequestEnvelope } from '@parley/mailserver'
import { whisper } from '@parley/protocol-whisper'
import { memoryStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Bridge,
  bridge,
  encodeFrame,
  encodeLength,
  FrameCode,
  MURMUR_PROTOCOL,
  messageBridge,
  whisperLibp2pClient,
  whisperOverLibp2p,
  whisperOverLibp2pServer,
} from '../src/index.ts'
import { type Chat, connect, listen, post, publicChat, singleNode, TOPIC, waitFor } from './network.ts'

const LISTEN = ['/ip4/127.0.0.1/tcp/0']
const POW = 0.002

describe('whisper over libp2p through a bridge', () => {
  let chat: Chat
  let mail: ParleyNode
  let old: ParleyNode
  let hub: ParleyNode
  let client: ParleyNode
  let oldInbox: string[]

  beforeAll(async () => {
    chat = await publicChat()
    mail = createNode({
      name: 'mailserver',
      transports: [devp2p({ port: 0 })],
      protocols: [whisper({ minPow: POW }), mailserver()],
      store: memoryStore(),
    })
    old = singleNode('whisper', 'old')
    await Promise.all([mail.start(), old.start()])
    hub = createNode({
      name: 'murmur-bridge',
      transports: [devp2p({ port: 0 }), libp2p({ listen: LISTEN })],
      protocols: [
        whisper({ minPow: POW }),
        whisperOverLibp2pServer({ mailservers: [mail.get(devp2pHost).enode!] }),
        bridge({ rateLimit: false }),
      ],
    })
    client = createNode({
      name: 'browser',
      transports: [libp2p({ listen: LISTEN })],
      protocols: [whisperOverLibp2p()],
    })
    await Promise.all([hub.start(), client.start()])
    await connect('whisper', old, hub)
    await connect('whisper', mail, hub)
    const mailId = mail.get(devp2pHost).nodeId
    await waitFor(
      () => hub.get(whisperProtocol).readyPeers().includes(mailId),
      'the mailserver ready at the bridge',
    )
    oldInbox = await listen('whisper', old, chat)
  }, 60_000)

  afterAll(async () => {
    await Promise.all([client?.stop(), old?.stop(), mail?.stop()])
    await hub?.stop()
  })

  it('answers the client history request from the devp2p mailserver', async () => {
    // Sent while the libp2p client is not connected: only the mailserver keeps it.
    const archived = new Promise<void>((resolve) => {
      void mail.get(whisperProtocol).subscribe({ topics: [TOPIC] }, () => resolve())
    })
    await post('whisper', old, chat.seal('while you were away'))
    await archived

    const murmur = client.get(whisperLibp2pClient)
    await murmur.connect(hub.get(libp2pHost).multiaddrs()[0]!, { signal: AbortSignal.timeout(15_000) })
    const now = Math.floor(Date.now() / 1000)
    const topic = hexToTopic(TOPIC)
    const { secp256k1 } = await loadCrypto()
    const { envelope: request } = await makeRequestEnvelope(
      {
        request: {
          lower: now - 60,
          upper: now + 60,
          bloom: topicToBloom(topic),
          topics: [topic],
          limit: 100,
          cursor: new Uint8Array(0),
          batch: false,
        },
        symKey: await mailserverSymKey(),
        signingKey: crypto.getRandomValues(new Uint8Array(32)),
        pow: POW,
      },
      { secp256k1 },
    )
    const history: string[] = []
    const p2pDelivered: ReceivedMessage[] = []
    await murmur.subscribe({ topics: [TOPIC], allowP2P: true }, (message) => p2pDelivered.push(message))
    const answer = await murmur.requestHistory(request, {
      onEnvelope: (envelope) => history.push(chat.open(envelope.data) ?? '<undecryptable>'),
      signal: AbortSignal.timeout(8000),
    })
    expect(history).toEqual(['while you were away'])
    expect(answer.envelopes).toBe(1)
    expect(answer.complete.length).toBeGreaterThanOrEqual(64)
    expect(p2pDelivered.map((message) => message.p2p)).toEqual([true])
  })

  it('carries envelopes both ways, each once, with no echo', async () => {
    const murmur = client.get(whisperLibp2pClient)
    const clientInbox: string[] = []
    await murmur.subscribe({ topics: [TOPIC] }, (message) => {
      clientInbox.push(chat.open(message.payload) ?? '<undecryptable>')
    })
    await murmur.post({ topic: TOPIC, payload: chat.seal('from libp2p'), ttl: 30, pow: POW })
    await post('whisper', old, chat.seal('from devp2p'))
    await waitFor(
      () => oldInbox.includes('from libp2p') && clientInbox.includes('from devp2p'),
      'both messages across',
    )
    await new Promise((resolve) => setTimeout(resolve, 600)) // time for an echo or a second copy
    expect(clientInbox).toEqual(['from devp2p'])
    expect(oldInbox.filter((text) => text === 'from libp2p')).toHaveLength(1)
    const stats = (hub.get(messageBridge) as Bridge).stats()
    expect(stats['murmur->whisper']).toEqual({ bridged: 1, dropped: {} })
    // the history message (no client then) and this one
    expect(stats['whisper->murmur']).toEqual({ bridged: 2, dropped: {} })
  })

  it('drops malformed and oversize frames with a metric and keeps serving', async () => {
    const stream = (await client
      .get(libp2pHost)
      .dialProtocol(hub.get(libp2pHost).multiaddrs()[0]!, MURMUR_PROTOCOL)) as {
      sink(source: AsyncIterable<Uint8Array>): Promise<void>
    }
    // Nonce 0 usually misses the target; try nonces until one really does (PoW is luck).
    const unsealed = await sealEnvelope({
      topic: hexToTopic(TOPIC),
      data: chat.seal('weak'),
      ttl: 30,
      pow: 0,
    })
    let weak = unsealed
    for (let nonce = 1n; envelopePow(weak) >= POW; nonce++) weak = { ...unsealed, nonce }
    const frames = [
      Uint8Array.of(FrameCode.messages, 0x81), // an RLP string where the envelope list belongs
      Uint8Array.of(9), // no such code
      encodeFrame({ code: FrameCode.messages, envelopes: [decodeEnvelope(encodeEnvelope(weak))] }),
    ]
    await stream
      .sink(
        (async function* () {
          for (const frame of frames) yield Uint8Array.from([...encodeLength(frame.length), ...frame])
          yield encodeLength(64 * 1024 * 1024) // a frame longer than any Whisper packet
          yield new Uint8Array(100)
        })(),
      )
      .catch(() => undefined)
    const metric = (result: string) => `parley_whisper_libp2p_frames_total{side="server",result="${result}"}`
    let exposed = ''
    for (let attempt = 0; attempt < 300 && !exposed.includes(metric('oversize')); attempt++) {
      exposed = await hub.metrics.expose()
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(exposed).toContain(`${metric('malformed')} 2`)
    expect(exposed).toContain(`${metric('low-pow')} 1`)
    expect(exposed).toContain(`${metric('oversize')} 1`)
    expect(oldInbox).not.toContain('weak')

    // The bridge still carries the well-behaved client.
    await client.get(whisperLibp2pClient).post({ topic: TOPIC, payload: chat.seal('still here'), pow: POW })
    await waitFor(() => oldInbox.includes('still here'), 'a message after the bad frames')
  })
})
