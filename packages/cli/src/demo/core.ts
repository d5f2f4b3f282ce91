/** Core checks: composition, capability checking and clean-up after a failed start. */
import { connect, createServer, type Server } from 'node:net'
import { createNode } from '@parley/core'
import {
  type AbortOptions,
  capability,
  keyValueStore,
  messageArchive,
  type Plugin,
  type Startable,
} from '@parley/interfaces'
import { type PrometheusServer, prometheus } from '@parley/metrics-prometheus'
import { memoryStore } from '@parley/store-memory'
import { type DemoCheck, expectThat } from './check.ts'

/** Nodes that are meant to fail would log their (expected) errors; keep the demo output readable. */
const QUIET = { level: 'silent' } as const

export const coreChecks: readonly DemoCheck[] = [
  {
    name: 'core.compose',
    async run(context, signal) {
      const lifecycle: string[] = []
      const probe: Plugin<Startable> = {
        name: 'demo-probe',
        needs: [messageArchive],
        create: () => ({
          start: () => void lifecycle.push('probe:start'),
          stop: () => void lifecycle.push('probe:stop'),
        }),
      }
      const store = memoryStore()
      const node = createNode({
        name: 'demo-compose',
        store,
        services: { probe, metrics: prometheus({ port: 0 }) },
        logger: context.logger,
      })
      const started: string[] = []
      const stopped: string[] = []
      node.events.addEventListener('plugin:start', (event) => started.push(event.detail.plugin))
      node.events.addEventListener('plugin:stop', (event) => stopped.push(event.detail.plugin))

      await node.start({ signal })
      try {
        expectThat(
          node.has(messageArchive) && node.has(keyValueStore),
          'the memory store capabilities are missing',
        )
        expectThat(node.service<PrometheusServer>('metrics').isStarted(), 'the metrics server did not start')
        expectThat(lifecycle.join() === 'probe:start', `probe lifecycle after start: ${lifecycle.join()}`)
      } finally {
        await node.stop()
      }
      expectThat(
        lifecycle.join() === 'probe:start,probe:stop',
        `probe lifecycle after stop: ${lifecycle.join()}`,
      )
      expectThat(
        started.indexOf(store.name) !== -1 && started.indexOf(store.name) < started.indexOf(probe.name),
        `the store must start before the plugin needing it; start order: ${started.join(', ')}`,
      )
      expectThat(
        stopped.join() === [...started].reverse().join(),
        `stop order ${stopped.join(', ')} is not the reverse of start order ${started.join(', ')}`,
      )
      return `start order: ${started.join(' → ')}`
    },
  },
  {
    name: 'core.missing-capability',
    async run(_context, signal) {
      const absent = capability<unknown>('demo/absent-capability')
      const needy: Plugin = { name: 'demo-needy', needs: [absent], create: () => ({}) }
      let refusal: unknown
      try {
        const node = createNode({ name: 'demo-missing', services: { needy }, logger: QUIET })
        await node.start({ signal })
        await node.stop()
      } catch (error) {
        refusal = error
      }
      expectThat(refusal !== undefined, 'a node with an unmet need started')
      const { code, message } = refusal as { code?: string; message?: string }
      expectThat(code === 'ERR_MISSING_CAPABILITY', `refused with ${code}, expected ERR_MISSING_CAPABILITY`)
      expectThat(
        message?.includes('demo-needy') === true && message.includes('demo/absent-capability'),
        `the error does not name both plugin and capability: ${message}`,
      )
      return code
    },
  },
  {
    name: 'core.failed-start-cleans-up',
    async run(_context, signal) {
      const loopback = capability<LoopbackListener>('demo/loopback-listener')
      const listener = new LoopbackListener()
      let port = 0
      const opener: Plugin<LoopbackListener> = {
        name: 'demo-listener',
        provides: [loopback],
        create: () => listener,
      }
      const failing: Plugin<Startable> = {
        name: 'demo-failing',
        needs: [loopback],
        create: (components) => ({
          start() {
            port = components.get(loopback).port()
            throw new Error('deliberate start failure')
          },
          stop() {},
        }),
      }
      const serversBefore = openTcpServers()
      const node = createNode({ name: 'demo-cleanup', services: { opener, failing }, logger: QUIET })
      let failure: unknown
      try {
        await node.start({ signal })
      } catch (error) {
        failure = error
      }
      try {
        expectThat(failure !== undefined, 'the node started although a plugin threw')
        expectThat(port > 0, 'the listener was not started before the failing plugin')
        expectThat(!listener.isStarted(), 'the listener is still started')
        // libuv releases a closed handle on a later loop turn, so give it a moment.
        expectThat(
          await eventually(() => openTcpServers() <= serversBefore),
          'a TCP server handle remains open',
        )
        expectThat(!(await accepts(port)), `127.0.0.1:${port} still accepts connections`)
        return `${(failure as { code?: string }).code ?? 'error'}; port ${port} closed`
      } finally {
        // Whatever the node did, the demo itself must not leak the port.
        await listener.stop()
      }
    },
  },
]

/** A plugin that holds a loopback TCP server between start and stop. */
class LoopbackListener implements Startable {
  #server: Server | undefined

  isStarted(): boolean {
    return this.#server !== undefined
  }

  port(): number {
    const address = this.#server?.address()
    return typeof address === 'object' && address !== null ? address.port : 0
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (this.#server !== undefined) return
    const server = createServer((socket) => socket.destroy())
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ port: 0, host: '127.0.0.1', signal: options.signal }, resolve)
    })
    this.#server = server
  }

  async stop(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    if (server !== undefined) await new Promise((resolve) => server.close(resolve))
  }
}

function openTcpServers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length
}

/** Whether `condition` holds within `timeoutMs`; generous, since a busy machine is slow to get there. */
async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return true
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
