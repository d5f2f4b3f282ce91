/** Parley nodes on loopback: a service node (relay + lightpush), a relay peer, and a light client. */
import { type FakeComponents, fakeComponents } from '@parley/compliance-tests'
import { libp2pHost, waku2Relay } from '@parley/interfaces'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import {
  type WakuLightpushClient,
  type WakuLightpushInit,
  type WakuLightpushServer,
  wakuLightpush,
  wakuLightpushClient,
} from '../src/index.ts'

const LOOPBACK = ['/ip4/127.0.0.1/tcp/0']
const stops: Array<() => Promise<void>> = []

export async function stopAll(): Promise<void> {
  await Promise.all(stops.splice(0).map((stop) => stop()))
}

export interface RelayNode {
  host: Libp2pHostService
  relay: WakuRelay
  address: string
}

export interface ServiceNode extends RelayNode {
  lightpush: WakuLightpushServer
  components: FakeComponents
}

async function relayNode(): Promise<RelayNode> {
  const host = libp2p({ listen: LOOPBACK }).create(fakeComponents())
  const relay = wakuRelay({ gossipsub: { heartbeatInterval: 100 } }).create(
    fakeComponents({ services: [[libp2pHost, host]] }),
  )
  await host.start()
  await relay.start()
  stops.push(async () => {
    await relay.stop()
    await host.stop()
  })
  return { host, relay, address: host.multiaddrs()[0] ?? '' }
}

export const startRelayNode = relayNode

export async function startServiceNode(init: WakuLightpushInit = {}): Promise<ServiceNode> {
  const node = await relayNode()
  const components = fakeComponents({
    services: [
      [libp2pHost, node.host],
      [waku2Relay, node.relay],
    ],
  })
  const lightpush = wakuLightpush(init).create(components)
  await lightpush.start()
  stops.unshift(() => lightpush.stop())
  return { ...node, lightpush, components }
}

export async function startLightNode(): Promise<{
  host: Libp2pHostService
  client: WakuLightpushClient
  components: FakeComponents
}> {
  const host = libp2p({ listen: LOOPBACK }).create(fakeComponents())
  const components = fakeComponents({ services: [[libp2pHost, host]] })
  const client = wakuLightpushClient().create(components)
  await host.start()
  client.start()
  stops.push(async () => {
    client.stop()
    await host.stop()
  })
  return { host, client, components }
}

/** Connects `a` to `b` and waits until `a`'s relay sees `b` on the default pubsub topic. */
export async function relayPeers(a: RelayNode, b: RelayNode): Promise<void> {
  await a.host.dial(b.address)
  await a.relay.waitForPeers(undefined, { signal: AbortSignal.timeout(15_000) })
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
