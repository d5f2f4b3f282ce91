import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { createLogger } from '@parley/logger'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.ts'
import { configReplacements, configSchema } from '../src/config/schema.ts'
import { poolTopics } from '../src/node/discovery.ts'
import { libp2pInit, libp2pListen, libp2pPlugins, pubsubTopics, serviceNodes } from '../src/node/waku2.ts'
import { runCli } from './run.ts'

const flags = (entries: Record<string, string[]>) => new Map(Object.entries(entries))
const load = (inputs: Parameters<typeof loadConfig>[1]) =>
  loadConfig(configSchema, { ...inputs, replaced: configReplacements })
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => '',
    (error: Error) => error.message,
  )
const PEER = '16Uiu2HAmPLe7Mzm8TsYUubgCAW1aJoeFScxrLj8ppHFivPo97bUZ'
const ADDRESS = `/ip4/10.0.0.1/tcp/60000/p2p/${PEER}`
const ENR =
  'enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8'

describe('Waku v2 options', () => {
  it("default to nwaku's: relay on, services off, cluster 0 shard 0, TCP 60000, WS 8000, REST 8645", async () => {
    const { values } = await load({})
    expect(values).toMatchObject({
      relay: true,
      store: false,
      filter: false,
      lightpush: false,
      'peer-exchange': false,
      'cluster-id': 0,
      shard: ['0'],
      'tcp-port': 60000,
      'websocket-support': false,
      'websocket-port': 8000,
      rest: false,
      'rest-address': '127.0.0.1',
      'rest-port': 8645,
    })
    expect(values['lightpush-node']).toBeUndefined()
    expect(pubsubTopics(values)).toEqual(['/waku/2/rs/0/0'])
  })

  it('read flags and variables alike; --shard repeats', async () => {
    const { values } = await load({
      flags: flags({
        shard: ['2', '5'],
        'cluster-id': ['16'],
        'websocket-support': ['true'],
        lightpush: ['true'],
        'rest-port': ['0'],
      }),
      env: { PARLEY_TCP_PORT: '0', PARLEY_STORE: 'true', PARLEY_FILTER_NODE: ADDRESS },
    })
    expect(values).toMatchObject({
      'cluster-id': 16,
      'tcp-port': 0,
      store: true,
      lightpush: true,
      'rest-port': 0,
    })
    expect(pubsubTopics(values)).toEqual(['/waku/2/rs/16/2', '/waku/2/rs/16/5'])
    expect(libp2pListen({ ...values, 'listen-address': '127.0.0.1' })).toEqual([
      '/ip4/127.0.0.1/tcp/0',
      '/ip4/127.0.0.1/tcp/8000/ws',
    ])
    expect(serviceNodes(values)).toEqual([ADDRESS])
  })

  it('take multiaddr static peers beside enode URLs', async () => {
    const enode = `enode://${'79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'}@10.0.0.1:30303`
    const { values } = await load({ flags: flags({ staticnode: [enode, ADDRESS] }) })
    expect(values.staticnode).toEqual([enode, ADDRESS])
  })

  it("turn into the libp2p host's init: secure WebSocket, keep-alive in seconds, static peers", async () => {
    const { values } = await load({ flags: flags({ protocol: ['waku2'], 'listen-address': ['127.0.0.1'] }) })
    expect(values).toMatchObject({
      'websocket-secure-support': false,
      'keep-alive': true,
      'keep-alive-interval': 120,
    })
    expect(values['websocket-secure-cert-path']).toBeUndefined()
    expect(libp2pInit(values)).toEqual({
      listen: ['/ip4/127.0.0.1/tcp/60000'],
      keepAliveInterval: 120_000,
      staticPeers: [],
    })

    const enode = `enode://${'79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'}@10.0.0.1:30303`
    const other = ADDRESS.replace('10.0.0.1', '10.0.0.2')
    const { values: given } = await load({
      flags: flags({
        protocol: ['waku2', 'waku1'],
        'listen-address': ['127.0.0.1'],
        'websocket-support': ['true'],
        'websocket-secure-support': ['true'],
        'websocket-secure-cert-path': ['/etc/node/cert.pem'],
        'websocket-port': ['8443'],
        'keep-alive-interval': ['30'],
        staticnode: [enode, ADDRESS],
        'store-node': [ADDRESS],
        'filter-node': [other],
      }),
      env: { PARLEY_WEBSOCKET_SECURE_KEY_PATH: '/etc/node/key.pem' },
    })
    expect(libp2pInit(given)).toEqual({
      // secure support turns the WebSocket listener into a TLS one (nwaku's one listener)
      listen: ['/ip4/127.0.0.1/tcp/60000', '/ip4/127.0.0.1/tcp/8443/wss'],
      secureWebSocket: { certPath: '/etc/node/cert.pem', keyPath: '/etc/node/key.pem' },
      keepAliveInterval: 30_000,
      // enode peers are devp2p's; service nodes are kept connected too, each once
      staticPeers: [ADDRESS, other],
    })
    expect(libp2pInit({ ...given, 'keep-alive': false }).keepAliveInterval).toBe(0)
    // without waku2 (a rendezvous server) the host has no static peers
    expect(libp2pInit({ ...given, protocol: ['waku1'] }).staticPeers).toEqual([])
  })

  it('refuse bad values, naming the option', async () => {
    const cases: Array<[Record<string, string[]>, string]> = [
      [{ 'keep-alive-interval': ['0'] }, 'keep-alive-interval'],
      [{ 'websocket-secure-support': ['maybe'] }, 'websocket-secure-support'],
      [{ shard: ['1024'] }, 'expected a shard index 0..1023'],
      [{ 'cluster-id': ['65536'] }, 'cluster-id'],
      [{ 'store-node': ['/ip4/10.0.0.1/tcp/60000'] }, 'expected a multiaddr ending in /p2p/<peer id>'],
      [{ staticnode: ['10.0.0.1:30303'] }, 'expected a multiaddr ending in /p2p/<peer id>'],
      [{ 'rest-address': ['localhost'] }, 'expected an IPv4 or IPv6 address'],
    ]
    for (const [given, reason] of cases)
      expect(await failure(load({ flags: flags(given) }))).toContain(reason)
  })
})

describe('discovery options', () => {
  it('default to none, discv5 on UDP 9000 with the protocol id chosen by protocol', async () => {
    const { values } = await load({})
    expect(values).toMatchObject({
      'rendezvous-node': [],
      'rendezvous-server': false,
      'discv5-discovery': false,
      'discv5-udp-port': 9000,
      'discv5-bootstrap-node': [],
      'peer-pool-topic': [],
    })
    expect(values['discv5-protocol-id']).toBeUndefined()
  })

  it('read rendezvous servers, discv5 bootstrap records and pool limits', async () => {
    const { values } = await load({
      flags: flags({
        protocol: ['waku1'],
        'rendezvous-node': [ADDRESS, ADDRESS.replace('10.0.0.1', '10.0.0.2')],
        'discv5-bootstrap-node': [ENR],
        'discv5-protocol-id': ['discv5'],
        'peer-pool-topic': ['waku=1:5,whispermail=1:1'],
      }),
    })
    expect(values['rendezvous-node']).toHaveLength(2)
    expect(values['discv5-bootstrap-node']).toEqual([ENR])
    expect(poolTopics(values)).toEqual({
      waku: { min: 1, max: 5 },
      whispermail: { min: 1, max: 1 },
    })
    expect(poolTopics({ ...values, 'peer-pool-topic': [] })).toEqual({ waku: { min: 2, max: 3 } })
  })

  it('refuse bad values', async () => {
    const cases: Array<[Record<string, string[]>, string]> = [
      [{ 'discv5-protocol-id': ['d5wak'] }, 'expected one of discv5, d5waku'],
      [{ 'discv5-bootstrap-node': ['enode://x'] }, 'expected an enr:<base64url> record'],
      [{ 'peer-pool-topic': ['whisper=3:2'] }, 'expected topic=min:max'],
      [{ 'peer-pool-topic': ['whisper=0:0'] }, 'expected topic=min:max'],
      [{ 'rendezvous-node': ['/ip4/1.2.3.4/tcp/1'] }, 'expected a multiaddr ending in /p2p/<peer id>'],
    ]
    for (const [given, reason] of cases)
      expect(await failure(load({ flags: flags(given) }))).toContain(reason)
  })
})

describe('start refuses settings that cannot work, exit 2, before opening anything', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--store'], /--store needs --protocol waku2/],
    [['--filter', '--lightpush'], /--filter, --lightpush need --protocol waku2/],
    [
      ['--protocol', 'waku2', '--relay=false', '--filter'],
      /--filter serves through the relay: it needs --relay/,
    ],
    [['--staticnode', ADDRESS], /multiaddr --staticnode peers speak libp2p: they need --protocol waku2/],
    [
      ['--protocol', 'waku2', '--rendezvous-node', ADDRESS],
      /--rendezvous-node .* needs --protocol whisper or waku1/,
    ],
    [['--discv5-discovery'], /--discv5-discovery .* needs --protocol/],
    [
      ['--protocol', 'waku2', '--websocket-secure-support', '--websocket-secure-key-path', 'key.pem'],
      /--websocket-secure-support needs --websocket-secure-cert-path \(a PEM file\)/,
    ],
    [['--protocol', 'waku2', '--websocket-secure-support'], /needs --websocket-secure-cert-path/],
    [
      ['--protocol', 'waku2', '--websocket-secure-cert-path', 'cert.pem', '--websocket-secure-key-path', 'k'],
      /--websocket-secure-cert-path, --websocket-secure-key-path need --websocket-secure-support/,
    ],
    [
      ['--protocol', 'waku2', '--websocket-secure-support', '--websocket-secure-cert-path', '.'],
      /--websocket-secure-support needs --websocket-secure-key-path \(a PEM file\)/,
    ],
    [
      [
        '--protocol',
        'waku2',
        '--websocket-secure-support',
        '--websocket-secure-cert-path=.',
        '--websocket-secure-key-path=.',
      ],
      /--websocket-secure-cert-path \.: not a file/,
    ],
  ]
  for (const [argv, reason] of cases) {
    it(argv.join(' '), async () => {
      const { code, stdout, stderr } = await runCli(['start', '--log-level=silent', ...argv])
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' })
      expect(stderr).toMatch(reason)
    })
  }
})

describe('libp2pPlugins', () => {
  const names = async (given: Record<string, string[]>) => {
    const { values } = await load({ flags: flags({ protocol: ['waku2'], ...given }) })
    const { secp256k1 } = await loadCrypto()
    const plugins = libp2pPlugins(values, generatePrivateKey(), secp256k1, createLogger({ level: 'silent' }))
    return [...plugins.transports, ...plugins.protocols].map((plugin) => plugin.name)
  }

  it('runs the services a full node asks for', async () => {
    expect(
      await names({ store: ['true'], filter: ['true'], lightpush: ['true'], 'peer-exchange': ['true'] }),
    ).toEqual([
      'transport-libp2p',
      'protocol-waku2-metadata',
      'protocol-waku2-relay',
      'protocol-waku2-store',
      'protocol-waku2-filter',
      'protocol-waku2-lightpush',
      'protocol-waku2-peer-exchange',
    ])
  })

  it('runs only the clients of a light node', async () => {
    expect(
      await names({
        relay: ['false'],
        'lightpush-node': [ADDRESS],
        'filter-node': [ADDRESS],
        'store-node': [ADDRESS],
      }),
    ).toEqual([
      'transport-libp2p',
      'protocol-waku2-metadata',
      'protocol-waku2-store',
      'protocol-waku2-filter-client',
      'protocol-waku2-lightpush-client',
    ])
  })
})

describe('Waku v2 options in a TOML file', () => {
  it("take nwaku's integer shards", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-cli-waku2-'))
    try {
      const path = join(dir, 'parley.toml')
      await writeFile(path, 'protocol = ["waku2"]\ncluster-id = 1\nshard = [0, 3]\nrest = true\n')
      const { values } = await load({ configFile: path })
      expect(pubsubTopics(values)).toEqual(['/waku/2/rs/1/0', '/waku/2/rs/1/3'])
      expect(values.rest).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
