import { createNode } from '@parley/core'
import {
  capability,
  DependencyCycleError,
  DuplicatePluginError,
  InvalidConfigError,
  MissingCapabilityError,
  NotFoundError,
  type Plugin,
} from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type Journal, type Probe, probe } from './fixtures.ts'

const overlay = capability<Probe>('test/overlay')
const protocol = capability<Probe>('test/protocol')
const storage = capability<Probe>('test/storage')
const silent = { level: 'silent' } as const

describe('composition checks at start', () => {
  it('refuses an unmet need, naming plugin and capability, and starts nothing', async () => {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [
        probe('store', journal, { provides: [storage] }),
        probe('whisper', journal, { needs: [overlay] }),
      ],
    })
    const error = await node.start().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MissingCapabilityError)
    expect(error).toMatchObject({
      plugin: 'whisper',
      capability: 'test/overlay',
      code: 'ERR_MISSING_CAPABILITY',
    })
    expect((error as Error).message).toContain('"whisper"')
    expect((error as Error).message).toContain('"test/overlay"')
    expect(journal).toEqual([])
    expect(node.status).toBe('stopped')
  })

  it('does not count a plugin as providing its own need', async () => {
    const node = createNode({
      logger: silent,
      plugins: [probe('loop', [], { provides: [overlay], needs: [overlay] })],
    })
    await expect(node.start()).rejects.toBeInstanceOf(MissingCapabilityError)
  })

  it('refuses duplicate plugin names', async () => {
    const node = createNode({ logger: silent, plugins: [probe('a', []), probe('a', [])] })
    await expect(node.start()).rejects.toBeInstanceOf(DuplicatePluginError)
  })

  it('refuses dependency cycles, naming the plugins on the cycle', async () => {
    const node = createNode({
      logger: silent,
      plugins: [
        probe('free', []),
        probe('a', [], { provides: [overlay], needs: [protocol] }),
        probe('b', [], { provides: [protocol], wants: [overlay] }),
      ],
    })
    const error = await node.start().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DependencyCycleError)
    expect((error as DependencyCycleError).plugins).toEqual(['a', 'b', 'a'])
  })

  it('rejects malformed descriptors synchronously', () => {
    expect(() => createNode({ plugins: [{ name: '' } as Plugin] })).toThrow(InvalidConfigError)
    expect(() =>
      createNode({ plugins: [{ name: 'x', create: () => ({}), needs: ['x'] } as unknown as Plugin] }),
    ).toThrow(InvalidConfigError)
  })
})

describe('start order', () => {
  it('starts providers before dependents across registration order, and stops in reverse', async () => {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      // Registered dependents-first on purpose; groups flatten as plugins, transports, …, store, services.
      services: { chat: probe('chat', journal, { needs: [protocol], wants: [storage] }) },
      protocols: [probe('whisper', journal, { provides: [protocol], needs: [overlay] })],
      transports: [probe('devp2p', journal, { provides: [overlay] })],
      plugins: [probe('unrelated', journal)],
      store: probe('store', journal, { provides: [storage] }),
    })
    expect(node.plugins).toEqual(['unrelated', 'devp2p', 'whisper', 'store', 'chat'])
    await node.start()
    const starts = journal.filter((entry) => entry.startsWith('start:'))
    expect(starts).toEqual(['start:unrelated', 'start:devp2p', 'start:whisper', 'start:store', 'start:chat'])
    expect(node.plugins).toEqual(['unrelated', 'devp2p', 'whisper', 'store', 'chat'])
    journal.length = 0
    await node.stop()
    expect(journal).toEqual(['stop:chat', 'stop:store', 'stop:whisper', 'stop:devp2p', 'stop:unrelated'])
  })

  it('moves a plugin after the providers it needs even when registered first', async () => {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [
        probe('needs-storage', journal, { needs: [storage] }),
        probe('first', journal),
        probe('storage', journal, { provides: [storage] }),
      ],
    })
    await node.start()
    expect(node.plugins).toEqual(['first', 'storage', 'needs-storage'])
    await node.stop()
  })

  it('creates every service once, non-startable ones included, and only starts startables', async () => {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [probe('config', journal, { startable: false }), probe('svc', journal)],
    })
    await node.start()
    await node.stop()
    await node.start()
    await node.stop()
    expect(journal.filter((entry) => entry.startsWith('create:'))).toEqual(['create:config', 'create:svc'])
    expect(journal.filter((entry) => entry.endsWith(':config'))).toEqual(['create:config'])
    expect(journal.filter((entry) => entry === 'start:svc')).toHaveLength(2)
  })
})

describe('lookup', () => {
  function composed() {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [
        probe('tcp', journal, { provides: [overlay] }),
        probe('ws', journal, { provides: [overlay] }),
      ],
      services: { messenger: probe('chat', journal, { needs: [overlay], provides: [protocol] }) },
    })
    return { node, journal }
  }

  it('get returns the first provider, getAll every provider in registration order, has tells', () => {
    const { node } = composed()
    expect(node.get(overlay).name).toBe('tcp')
    expect(node.getAll(overlay).map((service) => service.name)).toEqual(['tcp', 'ws'])
    expect(node.has(protocol)).toBe(true)
    expect(node.has(storage)).toBe(false)
    expect(node.getAll(storage)).toEqual([])
    expect(() => node.get(storage)).toThrow(MissingCapabilityError)
  })

  it('service finds plugins by name or services key, and the same instance every time', () => {
    const { node } = composed()
    expect(node.service<Probe>('chat')).toBe(node.service<Probe>('messenger'))
    expect(node.service('chat')).toBe(node.get(protocol))
    expect(() => node.service('nope')).toThrow(NotFoundError)
  })

  it('hands plugins components that see other providers but never themselves', () => {
    const aggregate = capability<Probe>('test/aggregate')
    const node = createNode({
      logger: silent,
      plugins: [
        probe('one', [], { provides: [aggregate] }),
        probe('all', [], { provides: [aggregate], wants: [aggregate] }),
        probe('two', [], { provides: [aggregate] }),
      ],
    })
    const all = node.service<Probe>('all')
    expect(all.components.getAll(aggregate).map((service) => service.name)).toEqual(['one', 'two'])
    expect(all.components.get(aggregate).name).toBe('one')
    expect(all.components.nodeName).toBe('parley')
    expect(() => all.components.get(storage)).toThrow(MissingCapabilityError)
  })

  it('keeps nodes apart: each has its own container, services and registry', async () => {
    const make = () =>
      createNode({ logger: silent, plugins: [probe('tcp', [], { provides: [overlay] })], name: 'n' })
    const [first, second] = [make(), make()]
    expect(first.get(overlay)).not.toBe(second.get(overlay))
    expect(first.metrics.registry).not.toBe(second.metrics.registry)
    first.metrics.counter({ name: 'parley_only_first_total', help: 'x' }).inc()
    expect(await second.metrics.expose()).not.toContain('parley_only_first_total')
  })
})
