/** The Whisper-over-libp2p plugins: descriptors, lifecycles, and the bridge joining the server. */
import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { libp2pHost, whisperProtocol } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  bridge,
  MURMUR_PROTOCOL,
  type MurmurServer,
  nodeIdOf,
  type WhisperOverLibp2p,
  whisperLibp2pServer,
  whisperOverLibp2p,
  whisperOverLibp2pServer,
} from '../src/index.ts'
import { FakeV1 } from './fakes.ts'

/** A libp2p host that records the protocols handled; no peer is ever reachable. */
function fakeHost() {
  const handled = new Set<string>()
  return {
    handled,
    handle: async (protocol: string) => void handled.add(protocol),
    unhandle: async (protocol: string) => void handled.delete(protocol),
    dialProtocol: async () => {
      throw new Error('unreachable')
    },
  }
}

const whisper = () => new FakeV1().asProtocol()
const serverServices = () => [[libp2pHost, fakeHost()] as const, [whisperProtocol, whisper()] as const]

pluginSuite('whisper-over-libp2p', () => whisperOverLibp2p(), { services: [[libp2pHost, fakeHost()]] })
pluginSuite('whisper-over-libp2p-server', () => whisperOverLibp2pServer(), { services: serverServices() })

lifecycleSuite<WhisperOverLibp2p>('whisper-over-libp2p', {
  setup: async () => whisperOverLibp2p().create(fakeComponents({ services: [[libp2pHost, fakeHost()]] })),
  teardown: async (service) => service.stop(),
})

lifecycleSuite<MurmurServer>('whisper-over-libp2p-server', {
  setup: async () => whisperOverLibp2pServer().create(fakeComponents({ services: serverServices() })),
  teardown: async (service) => service.stop(),
})

describe('whisper over libp2p plugins', () => {
  it('serve the protocol while started, and trust the configured mailservers', async () => {
    const host = fakeHost()
    const v1 = new FakeV1()
    const trusted: string[] = []
    const protocol = { ...v1.asProtocol(), markTrustedPeer: (id: string) => void trusted.push(id) }
    const enode = `enode://${'AB'.repeat(64)}@127.0.0.1:30303`
    const server = whisperOverLibp2pServer({ mailservers: [enode] }).create(
      fakeComponents({
        services: [
          [libp2pHost, host],
          [whisperProtocol, protocol],
        ],
      }),
    )
    await server.start()
    expect([...host.handled]).toEqual([MURMUR_PROTOCOL])
    expect(trusted).toEqual(['ab'.repeat(64)])
    await server.stop()
    expect(host.handled.size).toBe(0)
    expect(nodeIdOf('CD'.repeat(64))).toBe('cd'.repeat(64))
  })

  it('become the bridge side murmur', () => {
    const components = fakeComponents({ services: serverServices() })
    const server = whisperOverLibp2pServer().create(components)
    const withServer = fakeComponents({
      services: [...serverServices(), [whisperLibp2pServer, server]],
    })
    expect(bridge().create(withServer).sides()).toEqual(['whisper', 'murmur'])
  })

  it('refuse to post with no bridge connected, and to connect before start', async () => {
    const client = whisperOverLibp2p().create(fakeComponents({ services: [[libp2pHost, fakeHost()]] }))
    await expect(client.connect('/ip4/127.0.0.1/tcp/1/p2p/x')).rejects.toThrow(/not started/)
    await client.start()
    await expect(client.post({ topic: '0x01020304', payload: Uint8Array.of(1) })).rejects.toThrow(/no bridge/)
    await client.stop()
  })
})
