import { createNode, type ParleyNode } from '@parley/core'
import { libp2pHost, waku2Relay } from '@parley/interfaces'
import { waku2LightpushClient, wakuLightpush, wakuLightpushClient } from '@parley/protocol-waku2-lightpush'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { waku2Store, wakuStore } from '@parley/protocol-waku2-store'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { describe, expect, it } from 'vitest'
import { whileStarted } from './run.ts'

const LIBP2P_LINE = /^libp2p: (\/ip4\/127\.0\.0\.1\/tcp\/(\d+)\/p2p\/(16Uiu2HA\w+))$/m
const LOCAL = [
  '--protocol',
  'waku2',
  '--listen-address',
  '127.0.0.1',
  '--tcp-port',
  '0',
  '--log-level=silent',
]
const TOPIC = '/parley-test/1/waku2/proto'

async function withPeer<T>(
  protocols: Parameters<typeof createNode>[0],
  run: (node: ParleyNode) => Promise<T>,
) {
  const node = createNode({
    name: 'peer',
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
    logger: { level: 'silent' },
    ...protocols,
  })
  await node.start()
  try {
    return await run(node)
  } finally {
    await node.stop()
  }
}

/** Polls `condition` for up to `ms`: generous, since a busy machine takes seconds over a connection. */
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('parley start --protocol waku2', () => {
  it('prints its libp2p addresses with /p2p/<id>, relays, archives and serves store queries', async () => {
    const argv = [...LOCAL, '--store', '--lightpush', '--websocket-support', '--websocket-port', '0']
    const result = await whileStarted(
      argv,
      (stdout) => /^pubsub-topics: /m.test(stdout),
      async (stdout) => {
        const [, address = ''] = LIBP2P_LINE.exec(stdout) ?? []
        expect(stdout).toMatch(/^libp2p: \/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\/16Uiu2HA\w+$/m)
        expect(stdout).toMatch(/^pubsub-topics: \/waku\/2\/rs\/0\/0$/m)
        await withPeer(
          { protocols: [wakuRelay(), wakuStore({ serve: false }), wakuLightpushClient()] },
          async (peer) => {
            await peer.get(libp2pHost).dial(address)
            const relay = peer.get(waku2Relay) as WakuRelay
            await relay.waitForPeers('/waku/2/rs/0/0', { signal: AbortSignal.timeout(10_000) })
            await relay.post({ topic: TOPIC, payload: new TextEncoder().encode('relayed') })
            const pushed = await peer
              .get(waku2LightpushClient)
              .lightpush(address, { contentTopic: TOPIC, payload: new TextEncoder().encode('pushed') })
            expect(pushed.relayPeerCount).toBeGreaterThanOrEqual(1)
            // Both reached the started node's archive: ask its store.
            let texts: string[] = []
            const deadline = Date.now() + 10_000
            while (texts.length < 2 && Date.now() < deadline) {
              texts = []
              const query = { pubsubTopic: '/waku/2/rs/0/0', contentTopics: [TOPIC], forward: true }
              for await (const page of peer
                .get(waku2Store)
                .query(address, query, { signal: AbortSignal.timeout(10_000) }))
                for (const entry of page.messages)
                  texts.push(new TextDecoder().decode(entry.message?.payload))
              if (texts.length < 2) await new Promise((resolve) => setTimeout(resolve, 50))
            }
            expect(texts.sort()).toEqual(['pushed', 'relayed'])
          },
        )
      },
    )
    expect(result.code).toBe(0)
  })

  it('dials and keeps a multiaddr --staticnode peer', async () => {
    await withPeer({ protocols: [wakuRelay()] }, async (peer) => {
      const [address = ''] = peer.get(libp2pHost).multiaddrs()
      const result = await whileStarted(
        [...LOCAL, '--staticnode', address],
        (stdout) => LIBP2P_LINE.test(stdout),
        async (stdout) => {
          const [, , , id = ''] = LIBP2P_LINE.exec(stdout) ?? []
          const host = peer.get(libp2pHost) as Libp2pHostService
          await until(() => host.connectedPeers().includes(id))
          // transport-libp2p redials a static peer 1 s after its connection closes
          const links = host.node.getConnections().filter((link) => link.remotePeer.toString() === id)
          await Promise.all(links.map((link) => link.close()))
          await until(() => !host.connectedPeers().includes(id))
          await until(() => host.connectedPeers().includes(id))
        },
      )
      expect(result.code).toBe(0)
    })
  })

  it('as a light client (--relay=false) relays nothing and pushes through its --lightpush-node over REST', async () => {
    await withPeer({ protocols: [wakuRelay(), wakuLightpush()] }, async (service) => {
      await withPeer({ protocols: [wakuRelay()] }, async (listener) => {
        // The service node needs a relay peer to publish to: the listener.
        const [address = ''] = service.get(libp2pHost).multiaddrs()
        await listener.get(libp2pHost).dial(address)
        await (service.get(waku2Relay) as WakuRelay).waitForPeers('/waku/2/rs/0/0', {
          signal: AbortSignal.timeout(10_000),
        })
        const heard = new Promise<string>((resolve) => {
          void listener
            .get(waku2Relay)
            .subscribe({ topics: [TOPIC] }, (message) => resolve(new TextDecoder().decode(message.payload)))
        })
        const argv = [...LOCAL, '--relay=false', '--lightpush-node', address, '--filter-node', address]
        const result = await whileStarted(
          [...argv, '--store-node', address, '--rest', '--rest-port', '0'],
          (stdout) => /^rest: /m.test(stdout),
          async (stdout) => {
            const [, , , id = ''] = LIBP2P_LINE.exec(stdout) ?? []
            await until(() => service.get(libp2pHost).connectedPeers().includes(id))
            const url = /^rest: (http:\/\/127\.0\.0\.1:\d+)\/?$/m.exec(stdout)?.[1]
            const response = await fetch(`${url}/lightpush/v3/message`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                pubsubTopic: '/waku/2/rs/0/0',
                message: { payload: btoa('via the service node'), contentTopic: TOPIC },
              }),
            })
            expect(response.status, await response.text()).toBe(200)
            expect(await heard).toBe('via the service node')
          },
        )
        expect(result.code).toBe(0)
        expect(result.stdout).not.toMatch(/^pubsub-topics:/m)
      })
    })
  })

  it('--rest: answers /debug/v1/info with its addresses and publishes what /relay/v1 is given', async () => {
    await withPeer({ protocols: [wakuRelay()] }, async (peer) => {
      const received = new Promise<string>((resolve) => {
        void peer
          .get(waku2Relay)
          .subscribe({ topics: [TOPIC] }, (message) => resolve(new TextDecoder().decode(message.payload)))
      })
      const [peerAddress = ''] = peer.get(libp2pHost).multiaddrs()
      const argv = [...LOCAL, '--relay', '--rest', '--rest-port', '0', '--staticnode', peerAddress]
      const result = await whileStarted(
        argv,
        (stdout) => /^rest: /m.test(stdout),
        async (stdout) => {
          const url = /^rest: (http:\/\/127\.0\.0\.1:\d+)\/?$/m.exec(stdout)?.[1]
          expect(url).toBeDefined()
          const info = (await (await fetch(`${url}/debug/v1/info`)).json()) as { listenAddresses: string[] }
          expect(info.listenAddresses).toContain(LIBP2P_LINE.exec(stdout)?.[1])
          await (peer.get(waku2Relay) as WakuRelay).waitForPeers('/waku/2/rs/0/0', {
            signal: AbortSignal.timeout(10_000),
          })
          const topic = encodeURIComponent('/waku/2/rs/0/0')
          const message = { payload: btoa('over REST'), contentTopic: TOPIC }
          let status = 0
          // The started node learns of the peer's subscription over gossipsub, shortly after connecting.
          const deadline = Date.now() + 10_000
          while (status !== 200 && Date.now() < deadline) {
            const response = await fetch(`${url}/relay/v1/messages/${topic}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(message),
            })
            status = response.status
            await response.text()
            if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50))
          }
          expect(status).toBe(200)
          expect(await received).toBe('over REST')
        },
      )
      expect(result.code).toBe(0)
    })
  })
})
