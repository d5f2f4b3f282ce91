/** Relay nodes on loopback built from the two plugins with fake components, and small waits. */
import { type FakeComponents, fakeComponents, type TestSetup } from '@parley/compliance-tests'
import { libp2pHost, type ReceivedMessage, type Startable, waku2Relay } from '@parley/interfaces'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { type WakuRelay, type WakuRelayInit, wakuRelay } from '../src/index.ts'

export const LOOPBACK = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws']

export interface RelayNode {
  host: Libp2pHostService
  relay: WakuRelay
  components: FakeComponents
  /** the host's own components (libp2p metrics and peer events) */
  hostComponents: FakeComponents
  stop(): Promise<void>
}

const running: RelayNode[] = []

/** Stops every node started since the last call (for `afterEach`). */
export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((node) => node.stop()))
}

/** A started host and relay; a 100 ms heartbeat so meshes form quickly (nwaku: 1 s). */
export async function startRelayNode(init: WakuRelayInit = {}): Promise<RelayNode> {
  const hostComponents = fakeComponents()
  const host = libp2p({ listen: LOOPBACK }).create(hostComponents)
  const components = fakeComponents({ services: [[libp2pHost, host]] })
  const relay = wakuRelay({ ...init, gossipsub: { heartbeatInterval: 100, ...init.gossipsub } }).create(
    components,
  )
  await host.start()
  await relay.start()
  const node: RelayNode = {
    host,
    relay,
    components,
    hostComponents,
    stop: async () => {
      await relay.stop()
      await host.stop()
    },
  }
  running.push(node)
  return node
}

export function address(node: RelayNode, transport: 'tcp' | 'ws'): string {
  const found = node.host.multiaddrs().find((a) => a.includes('/ws') === (transport === 'ws'))
  if (found === undefined) throw new Error(`no ${transport} address in ${node.host.multiaddrs()}`)
  return found
}

/** Resolves once `condition` holds, polling every 20 ms; rejects after `ms` (generous: CI is a loaded 2-core machine). */
export async function waitFor(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Resolves once `b` is in `a`'s mesh for `topic` (so `a` forwards to `b`). */
export async function meshed(a: RelayNode, b: RelayNode, topic: string): Promise<void> {
  await waitFor(() => a.relay.router.getMeshPeers(topic).includes(b.host.peerId), `${topic} mesh`)
}

/** The next message a node's relay emits as `message:received`. */
export function nextMessage(node: Pick<RelayNode, 'relay'>): Promise<ReceivedMessage> {
  return new Promise((resolve) =>
    node.relay.addEventListener('message:received', (event) => resolve(event.detail), { once: true }),
  )
}

/**
 * A compliance set-up for a Waku v2 service (filter, lightpush, ...) on a live loopback host and
 * relay: `create` gets components holding both; teardown stops the service, the relay and the host.
 */
export function serviceOnRelay<T extends Startable>(create: (components: FakeComponents) => T): TestSetup<T> {
  const underneath = new Map<T, () => Promise<void>>()
  return {
    setup: async () => {
      const host = libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }).create(fakeComponents())
      const relay = wakuRelay().create(fakeComponents({ services: [[libp2pHost, host]] }))
      await host.start()
      await relay.start()
      const service = create(
        fakeComponents({
          services: [
            [libp2pHost, host],
            [waku2Relay, relay],
          ],
        }),
      )
      underneath.set(service, async () => {
        await relay.stop()
        await host.stop()
      })
      return service
    },
    teardown: async (service) => {
      await service.stop()
      await underneath.get(service)?.()
      underneath.delete(service)
    },
  }
}
