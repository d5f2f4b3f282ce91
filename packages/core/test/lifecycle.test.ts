import { createServer, type Server } from 'node:net'
import { createNode, PluginStopError } from '@parley/core'
import {
  AbortError,
  capability,
  type ParleyEvents,
  type Plugin,
  PluginStartError,
  type Startable,
} from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type Journal, probe, untilAborted } from './fixtures.ts'

const silent = { level: 'silent' } as const

/** Opens a real TCP server and a timer in start; closes both in stop. */
class Listener implements Startable {
  server: Server | undefined
  timer: ReturnType<typeof setInterval> | undefined
  port = 0

  async start(): Promise<void> {
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    this.server = server
    this.port = (server.address() as { port: number }).port
    this.timer = setInterval(() => {}, 1000)
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    const server = this.server
    this.server = undefined
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

async function countResources(): Promise<Record<string, number>> {
  // A closed handle leaves the list on the next turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve))
  const counts: Record<string, number> = {}
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1
  return counts
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer()
  return new Promise((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

function recordEvents(node: { events: EventTarget }, types: Array<keyof ParleyEvents & string>) {
  const seen: Array<{ type: string; detail: Record<string, unknown> }> = []
  for (const type of types) {
    node.events.addEventListener(type, (event) => seen.push({ type, detail: (event as CustomEvent).detail }))
  }
  return seen
}

describe('a failed start', () => {
  it('stops what started, emits plugin:error, and leaks no socket or timer', async () => {
    const listener = new Listener()
    const before = await countResources()
    const boom = new Error('cannot bind')
    const node = createNode({
      logger: silent,
      plugins: [
        { name: 'listener', create: () => listener },
        {
          name: 'broken',
          create: () => ({
            start: () => Promise.reject(boom),
            stop: () => {},
          }),
        },
      ],
    })
    const seen = recordEvents(node, ['plugin:start', 'plugin:stop', 'plugin:error'])
    const error = await node.start().catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(PluginStartError)
    expect(error).toMatchObject({ plugin: 'broken', cause: boom })
    expect(node.status).toBe('stopped')
    expect(seen.map((event) => `${event.type}:${event.detail.plugin}`)).toEqual([
      'plugin:start:listener',
      'plugin:error:broken',
      'plugin:stop:listener',
    ])
    expect(seen[1]?.detail.error).toBe(boom)
    expect(listener.port).toBeGreaterThan(0)
    expect(await portIsFree(listener.port)).toBe(true)
    const after = await countResources()
    expect(after.TCPServerWrap ?? 0).toBeLessThanOrEqual(before.TCPServerWrap ?? 0)
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0)
  })

  it('wraps an exception from create and starts nothing', async () => {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [
        probe('fine', journal),
        {
          name: 'bad-config',
          create: () => {
            throw new RangeError('port out of range')
          },
        },
      ],
    })
    const error = await node.start().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PluginStartError)
    expect((error as Error).message).toContain('port out of range')
    expect(journal).toEqual(['create:fine'])
  })

  it('can be retried once the cause is gone', async () => {
    let fail = true
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [
        probe('first', journal),
        probe('flaky', journal, {
          onStart: () => {
            if (fail) throw new Error('not yet')
          },
        }),
      ],
    })
    await expect(node.start()).rejects.toBeInstanceOf(PluginStartError)
    fail = false
    await node.start()
    expect(node.status).toBe('started')
    await node.stop()
    expect(journal.filter((entry) => entry.startsWith('start:'))).toEqual([
      'start:first',
      'start:flaky',
      'start:first',
      'start:flaky',
    ])
  })
})

describe('abort', () => {
  it('rejects at once with an already-aborted signal and touches nothing', async () => {
    const journal: Journal = []
    const node = createNode({ logger: silent, plugins: [probe('a', journal)] })
    const error = await node.start({ signal: AbortSignal.abort() }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AbortError)
    expect(journal).toEqual([])
    expect(node.status).toBe('stopped')
  })

  it('aborts during start: the plugin being started gives up, those before it are stopped', async () => {
    const journal: Journal = []
    const controller = new AbortController()
    const node = createNode({
      logger: silent,
      plugins: [
        probe('a', journal),
        probe('slow', journal, {
          onStart: (options) => {
            queueMicrotask(() => controller.abort())
            return untilAborted(options)
          },
        }),
        probe('never', journal),
      ],
    })
    const seen = recordEvents(node, ['plugin:error'])
    const error = await node.start({ signal: controller.signal }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AbortError)
    expect(node.status).toBe('stopped')
    expect(journal.filter((entry) => !entry.startsWith('create:'))).toEqual([
      'start:a',
      'start:slow',
      'stop:slow',
      'stop:a',
    ])
    expect(seen.map((event) => event.detail.plugin)).toEqual(['slow'])
  })

  it('stop during start aborts the start', async () => {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [probe('a', journal), probe('waits', journal, { onStart: untilAborted })],
    })
    const starting = node.start()
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(node.status).toBe('starting')
    await node.stop()
    await expect(starting).rejects.toBeInstanceOf(AbortError)
    expect(node.status).toBe('stopped')
    expect(journal.at(-1)).toBe('stop:a')
  })
})

describe('idempotence and concurrency', () => {
  it('shares one start between concurrent callers and one stop likewise', async () => {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [probe('a', journal, { onStart: () => new Promise((resolve) => setTimeout(resolve, 5)) })],
    })
    const first = node.start()
    expect(node.start()).toBe(first)
    expect(node.status).toBe('starting')
    await Promise.all([first, node.start()])
    await node.start()
    expect(node.status).toBe('started')
    await Promise.all([node.stop(), node.stop()])
    await node.stop()
    expect(journal).toEqual(['create:a', 'start:a', 'stop:a'])
    expect(node.status).toBe('stopped')
  })

  it('start during stop waits for the stop and then starts', async () => {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [probe('a', journal, { onStop: () => new Promise((resolve) => setTimeout(resolve, 5)) })],
    })
    await node.start()
    const stopping = node.stop()
    expect(node.status).toBe('stopping')
    await node.start()
    await stopping
    expect(node.status).toBe('started')
    expect(journal).toEqual(['create:a', 'start:a', 'stop:a', 'start:a'])
    await node.stop()
  })

  it('queues transitions so the last call wins', async () => {
    const journal: Journal = []
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 2))
    const node = createNode({
      logger: silent,
      plugins: [probe('a', journal, { onStart: slow, onStop: slow })],
    })
    const outcomes = [node.start(), node.stop(), node.start(), node.stop()].map((call) =>
      call.then(
        () => 'ok',
        (error: Error) => error.name,
      ),
    )
    expect(await Promise.all(outcomes)).toEqual(['AbortError', 'ok', 'AbortError', 'ok'])
    expect(node.status).toBe('stopped')

    await node.start()
    const again = [node.stop(), node.start()]
    await Promise.all(again)
    expect(node.status).toBe('started')
    await node.stop()
    expect(node.status).toBe('stopped')
  })

  it('stops every plugin even when one throws, then reports PluginStopError', async () => {
    const journal: Journal = []
    const node = createNode({
      logger: silent,
      plugins: [
        probe('a', journal),
        probe('b', journal, {
          onStop: () => {
            throw new Error('stuck')
          },
        }),
        probe('c', journal),
      ],
    })
    await node.start()
    const error = await node.stop().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PluginStopError)
    expect((error as PluginStopError).plugins).toEqual(['b'])
    expect(journal.slice(-3)).toEqual(['stop:c', 'stop:b', 'stop:a'])
    expect(node.status).toBe('stopped')
  })
})

describe('events and metrics', () => {
  it('emits node and plugin events with durations', async () => {
    const node = createNode({ logger: silent, plugins: [probe('a', []), probe('b', [])] })
    const seen = recordEvents(node, ['node:start', 'node:stop', 'plugin:start', 'plugin:stop'])
    await node.start()
    await node.stop()
    expect(
      seen.map((event) => `${event.type}${event.detail.plugin ? `:${event.detail.plugin}` : ''}`),
    ).toEqual([
      'plugin:start:a',
      'plugin:start:b',
      'node:start',
      'plugin:stop:b',
      'plugin:stop:a',
      'node:stop',
    ])
    for (const event of seen) expect(event.detail.ms).toBeGreaterThanOrEqual(0)
  })

  it('a throwing listener does not break start', async () => {
    const node = createNode({ logger: silent, plugins: [probe('a', [])] })
    node.events.addEventListener('plugin:start', () => {
      throw new Error('listener bug')
    })
    await node.start()
    expect(node.status).toBe('started')
    await node.stop()
  })

  it('exposes a per-plugin start time and plugin metrics in one registry', async () => {
    const counted: Plugin = {
      name: 'counted',
      provides: [capability('test/counted')],
      create: ({ metrics }) => {
        metrics.counter({ name: 'parley_counted_total', help: 'Counted things' }).inc(undefined, 2)
        return {}
      },
    }
    const node = createNode({ logger: silent, plugins: [probe('a', []), counted] })
    await node.start()
    const exposition = await node.metrics.expose()
    expect(exposition).toMatch(/^parley_plugin_start_seconds\{plugin="a"\} \d/m)
    expect(exposition).toMatch(/^parley_plugin_start_seconds\{plugin="counted"\} \d/m)
    expect(exposition).toContain('parley_counted_total 2')
    expect(node.metrics.contentType).toContain('text/plain')
    await node.stop()
  })
})

describe('logging', () => {
  it('gives plugins the redacting logger, namespaced parley:<plugin>', async () => {
    const lines: string[] = []
    const privateKey = new Uint8Array(32).fill(0x5a)
    const node = createNode({
      logger: { level: 'info', json: true, write: (line) => lines.push(line) },
      plugins: [
        {
          name: 'keys',
          create: ({ logger }) => {
            logger.forComponent('keys').info('identity %o', { privateKey, nodeId: 'abc' })
            return {}
          },
        },
      ],
    })
    await node.start()
    await node.stop()
    const entry = lines.map((line) => JSON.parse(line)).find((parsed) => parsed.ns === 'parley:keys')
    expect(entry?.msg).toBe('identity {"privateKey":"[redacted]","nodeId":"abc"}')
    expect(lines.join('\n')).not.toContain('5a'.repeat(32))
    expect(lines.some((line) => JSON.parse(line).ns === 'parley:node')).toBe(true)
  })

  it('wraps a foreign component logger with redaction', () => {
    const received: unknown[][] = []
    const foreign = Object.assign((...args: unknown[]) => received.push(args), {
      trace: (...args: unknown[]) => received.push(args),
      debug: (...args: unknown[]) => received.push(args),
      info: (...args: unknown[]) => received.push(args),
      warn: (...args: unknown[]) => received.push(args),
      error: (...args: unknown[]) => received.push(args),
      enabled: true,
      namespace: 'foreign',
      child: () => foreign,
    })
    const node = createNode({ logger: { forComponent: () => foreign } })
    node.logger.forComponent('x').info('secret %s', 'ab'.repeat(32))
    expect(received).toEqual([['secret [redacted]']])
  })
})
