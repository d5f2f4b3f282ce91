import { createServer, type Server } from 'node:net'
import { lifecycleSuite } from '@parley/compliance-tests'
import { createNode, type ParleyNode } from '@parley/core'
import { AbortError, type AbortOptions, capability, type Startable } from '@parley/interfaces'
import { probe } from './fixtures.ts'

const socket = capability<Server>('test/socket')

/** A plugin holding a real listening socket and a timer between start and stop. */
function listenerPlugin() {
  return {
    name: 'listener',
    provides: [socket],
    create: () => {
      let server: Server | undefined
      let timer: ReturnType<typeof setInterval> | undefined
      return {
        async start(options: AbortOptions = {}) {
          if (options.signal?.aborted) throw new AbortError()
          const opened = createServer()
          await new Promise<void>((resolve) => opened.listen(0, '127.0.0.1', resolve))
          server = opened
          timer = setInterval(() => {}, 1000)
        },
        async stop() {
          clearInterval(timer)
          const closing = server
          server = undefined
          if (closing !== undefined) await new Promise((resolve) => closing.close(resolve))
        },
      }
    },
  }
}

/** The node seen as a Startable, with `isStarted` read from its status. */
function asStartable(node: ParleyNode): Startable & { node: ParleyNode } {
  return {
    node,
    start: (options) => node.start(options),
    stop: (options) => node.stop(options),
    isStarted: () => node.status === 'started',
  }
}

lifecycleSuite('createNode', {
  setup: async () =>
    asStartable(
      createNode({
        logger: { level: 'silent' },
        plugins: [
          probe('user', [], { needs: [socket] }),
          listenerPlugin(),
          probe('config', [], { startable: false }),
        ],
      }),
    ),
  teardown: async (service) => service.stop(),
})
