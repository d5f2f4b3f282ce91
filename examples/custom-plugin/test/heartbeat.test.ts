import { lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { createNode } from '@parley/core'
import { keyValueStore, MissingCapabilityError, type ParleyEvents } from '@parley/interfaces'
import { MemoryKeyValueStore, memoryStore } from '@parley/store-memory'
import { describe, expect, it } from 'vitest'
import { Heartbeat, type HeartbeatComponents, heartbeat } from '../src/index.ts'

function fakeComponents(store = new MemoryKeyValueStore()): HeartbeatComponents {
  const noop = () => {}
  const logger = Object.assign(noop, {
    trace: noop,
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    enabled: false,
    namespace: 'test',
    child: () => logger,
  })
  const events = new EventTarget() as unknown as HeartbeatComponents['events']
  Object.assign(events, {
    safeDispatchEvent: (type: keyof ParleyEvents & string, detail: unknown) =>
      EventTarget.prototype.dispatchEvent.call(events, new CustomEvent(type, { detail })),
    listenerCount: () => 0,
  })
  return { logger, events, store, beats: { inc: noop } }
}

pluginSuite('heartbeat', () => heartbeat())

lifecycleSuite('heartbeat', {
  setup: async () => new Heartbeat(fakeComponents(), { intervalMs: 10 }),
  teardown: async (service) => service.stop(),
})

describe('heartbeat in a node', () => {
  it('is refused without a key-value store, naming plugin and capability', async () => {
    const node = createNode({ logger: { level: 'silent' }, services: { heartbeat: heartbeat() } })
    const error = await node.start().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MissingCapabilityError)
    expect((error as MissingCapabilityError).plugin).toBe('heartbeat')
    expect((error as MissingCapabilityError).capability).toBe('key-value-store')
  })

  it('persists its count across a restart of the plugin', async () => {
    const node = createNode({
      logger: { level: 'silent' },
      store: memoryStore(),
      services: { heartbeat: heartbeat({ intervalMs: 60_000 }) },
    })
    const seen: number[] = []
    node.events.addEventListener('heartbeat:tick', (event) => seen.push(event.detail.beats))
    await node.start()
    const service = node.service<Heartbeat>('heartbeat')
    await service.beat()
    await service.beat()
    await service.stop()
    await service.start()
    expect(service.beats).toBe(2)
    expect(await service.beat()).toBe(3)
    expect(seen).toEqual([1, 2, 3])
    expect(await node.get(keyValueStore).has(new TextEncoder().encode('heartbeat/beats'))).toBe(true)
    expect(await node.metrics.expose()).toContain('parley_heartbeat_beats_total 3')
    await node.stop()
  })

  it('rejects a nonsensical interval when created', () => {
    const node = createNode({
      logger: { level: 'silent' },
      store: memoryStore(),
      services: { heartbeat: heartbeat({ intervalMs: 0 }) },
    })
    return expect(node.start()).rejects.toThrow(/intervalMs/)
  })
})
