import { createNode, type ParleyNode } from '@parley/core'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { buildTree, serveTree } from '@parley/discovery-dns'
import { type RendezvousDiscovery, rendezvousDiscovery } from '@parley/discovery-rendezvous'
import { addressEntries, decodeEnr, enrAddresses, enrToText, enrWakuFields, signEnr } from '@parley/enr'
import { devp2pHost, libp2pHost, peerDiscovery } from '@parley/interfaces'
import { createLogger } from '@parley/logger'
import { type WakuPeerExchange, wakuPeerExchange } from '@parley/protocol-waku2-peer-exchange'
import { wakuRelay } from '@parley/protocol-waku2-relay'
import { libp2p } from '@parley/transport-libp2p'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.ts'
import { configSchema } from '../src/config/schema.ts'
import { registeringRelay, registrations, rendezvousServerNode } from '../src/demo/rendezvous-nodes.ts'
import { dialAddresses } from '../src/node/libp2p-dialer.ts'
import { whileStarted } from './run.ts'

const { secp256k1: secp } = await loadCrypto()
const LOOPBACK = ['--listen-address', '127.0.0.1', '--log-level=silent']
const LIBP2P_LINE = /^libp2p: (\/ip4\/127\.0\.0\.1\/tcp\/(\d+)\/p2p\/(16Uiu2HA\w+))$/m
const ENODE_LINE = /^enode: enode:\/\/([0-9a-f]{128})@/m

/** Polls `condition` (after `refresh`, if given) every 20 ms for at most `ms`; generous for a busy machine. */
async function until(condition: () => boolean, ms = 10_000, refresh?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    await refresh?.()
    if (condition()) return
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function started<T>(nodes: ParleyNode[], body: () => Promise<T>): Promise<T> {
  for (const node of nodes) await node.start()
  try {
    return await body()
  } finally {
    await Promise.all(nodes.map((node) => node.stop()))
  }
}

describe('parley start with discovery', () => {
  it('--rendezvous-node: finds a registered Whisper relay and the peer pool connects it', async () => {
    const context = {
      config: (await loadConfig(configSchema, {})).values,
      logger: createLogger({ level: 'silent' }),
    }
    const server = rendezvousServerNode(context, 'test-rendezvous')
    await server.start()
    try {
      const servers = server.get(libp2pHost).multiaddrs()
      const relay = await registeringRelay(context, 'test-relay', servers, AbortSignal.timeout(10_000))
      const registered = registrations(server, 1, AbortSignal.timeout(10_000))
      await started([relay], async () => {
        await registered
        const argv = ['--protocol', 'whisper', '--devp2p-port', '0', '--tcp-port', '0', ...LOOPBACK]
        await whileStarted(
          [...argv, '--rendezvous-node', servers[0] ?? '', '--peer-pool-topic', 'whisper=1:1'],
          (stdout) => ENODE_LINE.test(stdout),
          async (stdout) => {
            const [, id] = ENODE_LINE.exec(stdout) ?? []
            await until(() =>
              relay
                .get(devp2pHost)
                .peers()
                .some((peer) => peer.id === id),
            )
          },
        )
      })
    } finally {
      await server.stop()
    }
  })

  it('--rendezvous-server: serves registrations on the printed libp2p address', async () => {
    const context = {
      config: (await loadConfig(configSchema, {})).values,
      logger: createLogger({ level: 'silent' }),
    }
    await whileStarted(
      ['--rendezvous-server', '--tcp-port', '0', ...LOOPBACK],
      (stdout) => LIBP2P_LINE.test(stdout),
      async (stdout) => {
        const [, address = ''] = LIBP2P_LINE.exec(stdout) ?? []
        const relay = await registeringRelay(context, 'test-relay', [address], AbortSignal.timeout(10_000))
        // The relay registers with the started server; another client then finds it there.
        const mobile = createNode({
          name: 'mobile',
          transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
          discovery: [rendezvousDiscovery({ servers: [address], topics: ['whisper'] })],
          logger: { level: 'silent' },
        })
        await started([relay, mobile], async () => {
          await relay
            .service<RendezvousDiscovery>('discovery-rendezvous')
            .register('whisper', { signal: AbortSignal.timeout(10_000) })
          const found = await mobile.get(peerDiscovery).findPeers(10, { signal: AbortSignal.timeout(10_000) })
          expect(found.map((peer) => peer.enode)).toContain(relay.get(devp2pHost).enode)
        })
      },
    )
  })

  it('--dns-discovery-url with --protocol waku2: dials the libp2p address of a Waku record', async () => {
    const privateKey = generatePrivateKey()
    const peer = createNode({
      name: 'waku-peer',
      transports: [libp2p({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'] })],
      protocols: [wakuRelay()],
      logger: { level: 'silent' },
    })
    await started([peer], async () => {
      const port = Number(/\/tcp\/(\d+)\//.exec(peer.get(libp2pHost).multiaddrs()[0] ?? '')?.[1])
      const record = signEnr(
        { seq: 1, entries: [...addressEntries({ ip: '127.0.0.1', tcp: port }), ['waku2', Uint8Array.of(1)]] },
        privateKey,
        secp,
      )
      const tree = buildTree(
        { enrs: [enrToText(record)], links: [], seq: 1, domain: 'waku.test' },
        generatePrivateKey(),
        secp,
      )
      const dns = await serveTree(tree.records, { address: '127.0.0.1', port: 0 })
      try {
        const argv = ['--protocol', 'waku2', '--tcp-port', '0', ...LOOPBACK]
        await whileStarted(
          [...argv, '--dns-discovery-url', tree.url, '--dns-discovery-name-server', `127.0.0.1:${dns.port}`],
          (stdout) => LIBP2P_LINE.test(stdout),
          async (stdout) => {
            const [, , , id = ''] = LIBP2P_LINE.exec(stdout) ?? []
            await until(() => peer.get(libp2pHost).connectedPeers().includes(id))
          },
        )
      } finally {
        await dns.close()
      }
    })
  })

  it('--peer-exchange: serves the Waku records that DNS discovery found', async () => {
    const records = [1, 2].map((n) =>
      enrToText(
        signEnr(
          {
            seq: 1,
            entries: [...addressEntries({ ip: `10.9.9.${n}`, tcp: 60000 }), ['waku2', Uint8Array.of(1)]],
          },
          generatePrivateKey(),
          secp,
        ),
      ),
    )
    const tree = buildTree(
      { enrs: records, links: [], seq: 1, domain: 'px.test' },
      generatePrivateKey(),
      secp,
    )
    const dns = await serveTree(tree.records, { address: '127.0.0.1', port: 0 })
    const client = createNode({
      name: 'px-client',
      transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
      protocols: [wakuPeerExchange({ secp, serve: false })],
      logger: { level: 'silent' },
    })
    try {
      await started([client], async () => {
        const argv = ['--protocol', 'waku2', '--tcp-port', '0', '--peer-exchange', ...LOOPBACK]
        await whileStarted(
          [...argv, '--dns-discovery-url', tree.url, '--dns-discovery-name-server', `127.0.0.1:${dns.port}`],
          (stdout) => LIBP2P_LINE.test(stdout),
          async (stdout) => {
            const [, address = ''] = LIBP2P_LINE.exec(stdout) ?? []
            const exchange = client.service<WakuPeerExchange>('protocol-waku2-peer-exchange')
            let served: string[] = []
            await until(
              () => served.length === records.length,
              10_000,
              async () => {
                // Until DNS discovery has filled the server's cache, it answers with fewer records.
                const peers = await exchange
                  .request(address, 5, { signal: AbortSignal.timeout(5000) })
                  .catch(() => [])
                served = peers.flatMap((peer) => (peer.enr === undefined ? [] : [peer.enr]))
              },
            )
            expect(served.sort()).toEqual([...records].sort())
          },
        )
      })
    } finally {
      await dns.close()
    }
  })

  it('--discv5-discovery: prints a d5waku record with the relay bit, the shard and the libp2p port', async () => {
    const argv = ['--protocol', 'waku2', '--tcp-port', '0', '--discv5-discovery', '--discv5-udp-port', '0']
    await whileStarted(
      [...argv, '--cluster-id', '16', '--shard', '32', ...LOOPBACK],
      (stdout) => /^discv5: enr:/m.test(stdout),
      async (stdout) => {
        const text = /^discv5: (enr:\S+)$/m.exec(stdout)?.[1] ?? ''
        const record = decodeEnr(text, secp)
        const port = Number(LIBP2P_LINE.exec(stdout)?.[2])
        expect(enrAddresses(record)).toMatchObject({ ip: '127.0.0.1', tcp: port })
        const waku = enrWakuFields(record)
        expect([...(waku.capabilities ?? [])]).toEqual(['relay'])
        expect(waku.shards).toEqual({ cluster: 16, shards: [32] })
      },
    )
  })
})

describe('dialAddresses', () => {
  const id = '16Uiu2HAmPLe7Mzm8TsYUubgCAW1aJoeFScxrLj8ppHFivPo97bUZ'
  it("tries the record's ip:tcp, then its multiaddrs, each ending in /p2p/<id>", () => {
    expect(
      dialAddresses({
        id,
        source: 'dns',
        overlay: 'libp2p',
        enode: `enode://${'ab'.repeat(64)}@10.0.0.1:60000?discport=9000`,
        multiaddrs: ['/dns4/node.example/tcp/8000/wss', `/ip4/10.0.0.1/tcp/60000/p2p/${id}`],
      }),
    ).toEqual([`/ip4/10.0.0.1/tcp/60000/p2p/${id}`, `/dns4/node.example/tcp/8000/wss/p2p/${id}`])
  })

  it('has nothing to dial for a record without addresses', () => {
    expect(
      dialAddresses({
        id,
        source: 'discv5',
        overlay: 'libp2p',
        enode: `enode://${'ab'.repeat(64)}@0.0.0.0:0`,
      }),
    ).toEqual([])
  })
})
