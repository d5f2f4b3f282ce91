import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { StaticPeerDiscovery } from '@parley/discovery-static'
import { type Devp2pHost, devp2pHost, keyValueStore, peerDiscovery } from '@parley/interfaces'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { DialError } from '@parley/transport-devp2p'
import { describe, expect, it } from 'vitest'
import { peerPool } from '../src/index.ts'
import { unusedAdmin } from './fakes.ts'

const id =
  '1dd9d65c4552b5eb43d5ad55a2ee3f56c6cbc1c64a5c8d659f51fcd51bace24351232b8d7821617d2b29b54b81cdefb9b3e9c37d7fd5f63270bcc9e1a6f6a439'
const enode = `enode://${id}@127.0.0.1:1`

/** A listening host whose every dial fails: enough for the pool to run its discovery loop. */
function refusingHost(): Devp2pHost & { dialled: string[] } {
  const dialled: string[] = []
  return {
    dialled,
    nodeId: 'cd'.repeat(64),
    enode: `enode://${'cd'.repeat(64)}@127.0.0.1:2`,
    registerCapability: () => {},
    dial: async (url) => {
      dialled.push(url)
      throw new DialError(`refused ${url}`)
    },
    peers: () => [],
    start: async () => {},
    stop: async () => {},
    ...unusedAdmin,
  }
}

pluginSuite('peerPool', () => peerPool())

lifecycleSuite('peerPool', {
  setup: async () => {
    const components = fakeComponents({
      services: [
        [devp2pHost, refusingHost()],
        [peerDiscovery, new StaticPeerDiscovery({ enodes: [enode] })],
        [keyValueStore, new MemoryKeyValueStore()],
      ],
    })
    return peerPool({ fastIntervalMs: 20 }).create(components)
  },
  teardown: async (pool) => pool.stop(),
})

describe('peerPool options', () => {
  it('rejects limits that cannot be met', () => {
    expect(() => peerPool({ topics: {} })).toThrow(/at least one topic/)
    expect(() => peerPool({ topics: { whisper: { min: 3, max: 2 } } })).toThrow(/min ≤ max/)
    expect(() => peerPool({ topics: { whisper: { min: 0.5, max: 2 } } })).toThrow(/integers/)
  })

  it('starts the discovery it needs, dials what it finds, and stops that discovery again', async () => {
    const host = refusingHost()
    const source = new StaticPeerDiscovery({ enodes: [enode] })
    const pool = peerPool({ fastIntervalMs: 20 }).create(
      fakeComponents({
        services: [
          [devp2pHost, host],
          [peerDiscovery, source],
        ],
      }),
    )
    await pool.start()
    await expect.poll(() => host.dialled, { timeout: 10_000 }).toContain(enode)
    expect(pool.mode).toBe('fast')
    expect(source.isStarted()).toBe(true)
    await pool.stop()
    expect(source.isStarted()).toBe(false)
    expect(pool.mode).toBe('stopped')
  })
})
