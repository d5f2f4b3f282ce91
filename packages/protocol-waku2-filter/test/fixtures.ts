/** Parley nodes on loopback: a service node (relay + filter) and a light client node (filter client). */
import { type FakeComponents, fakeComponents } from '@parley/compliance-tests'
import { libp2pHost, waku2Relay } from '@parley/interfaces'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import {
  type WakuFilterClient,
  type WakuFilterClientInit,
  type WakuFilterInit,
  type WakuFilterServer,
  wakuFilter,
  wakuFilterClient,
} from '../src/index.ts'

const LOOPBACK = ['/ip4/127.0.0.1/tcp/0']

export interface ServiceNode {
  host: Libp2pHostService
  relay: WakuRelay
  filter: WakuFilterServer
  components: FakeComponents
  address: string
}

export interface LightNode {
  host: Libp2pHostService
  client: WakuFilterClient
  components: FakeComponents
}

const stops: Array<() => Promise<void>> = []

export async function stopAll(): Promise<void> {
  await Promise.all(stops.splice(0).map((stop) => stop()))
}

export async function startServiceNode(
  init: WakuFilterInit = {},
  pubsubTopics?: string[],
): Promise<ServiceNode> {
  const host = libp2p({ listen: LOOPBACK }).create(fakeComponents())
  const relayComponents = fakeComponents({ services: [[libp2pHost, host]] })
  const relay = wakuRelay({
    gossipsub: { heartbeatInterval: 100 },
    ...(pubsubTopics === undefined ? {} : { pubsubTopics }),
  }).create(relayComponents)
  const components = fakeComponents({
    services: [
      [libp2pHost, host],
      [waku2Relay, relay],
    ],
  })
  const filter = wakuFilter(init).create(components)
  await host.start()
  await relay.start()
  await filter.start()
  stops.push(async () => {
    await filter.stop()
    await relay.stop()
    await host.stop()
  })
  return { host, relay, filter, components, address: host.multiaddrs()[0] ?? '' }
}

export async function startLightNode(init: WakuFilterClientInit = {}): Promise<LightNode> {
  const host = libp2p({ listen: LOOPBACK }).create(fakeComponents())
  const components = fakeComponents({ services: [[libp2pHost, host]] })
  const client = wakuFilterClient(init).create(components)
  await host.start()
  await client.start()
  stops.push(async () => {
    await client.stop()
    await host.stop()
  })
  return { host, client, components }
}

/** Resolves once `condition` holds, polling every 20 ms; rejects after `ms` (generous: CI is a loaded 2-core machine). */
export async function waitFor(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
