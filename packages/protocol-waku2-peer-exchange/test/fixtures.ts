/** libp2p nodes on loopback with the peer exchange and metadata plugins, records, and waits. */
import { type FakeComponents, fakeComponents } from '@parley/compliance-tests'
import { addressEntries, encodeRs, encodeWaku2, encodeWakuMultiaddrs, enrToText, signEnr } from '@parley/enr'
import { libp2pHost, type Secp256k1Provider } from '@parley/interfaces'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import {
  type WakuMetadataInit,
  type WakuMetadataService,
  type WakuPeerExchange,
  type WakuPeerExchangeInit,
  wakuMetadata,
  wakuPeerExchange,
} from '../src/index.ts'

// @parley/crypto is not a dependency of this package (see README); vitest resolves it by alias.
const cryptoModule = '@parley/crypto'
const crypto = (await import(/* @vite-ignore */ cryptoModule)) as {
  loadCrypto(): Promise<{ secp256k1: Secp256k1Provider }>
  generatePrivateKey(): Uint8Array
}
export const secp = (await crypto.loadCrypto()).secp256k1
export const generatePrivateKey = crypto.generatePrivateKey

export interface TestNode {
  host: Libp2pHostService
  px: WakuPeerExchange
  metadata: WakuMetadataService | undefined
  components: FakeComponents
  /** the host's multiaddr on TCP, with /p2p */
  address: string
}

const running: TestNode[] = []

/** Stops every node started since the last call (for `afterEach`). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    running.splice(0).map(async (node) => {
      await node.px.stop()
      await node.metadata?.stop()
      await node.host.stop()
    }),
  )
}

export async function startNode(
  init: Partial<WakuPeerExchangeInit> = {},
  metadata?: WakuMetadataInit,
): Promise<TestNode> {
  const base = fakeComponents()
  const host = libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }).create(base)
  // One event bus, as in a node: the host's peer:connect reaches the metadata service.
  const components = { ...fakeComponents({ services: [[libp2pHost, host]] }), events: base.events }
  const px = wakuPeerExchange({ secp, ...init }).create(components)
  const meta = metadata === undefined ? undefined : wakuMetadata(metadata).create(components)
  await host.start()
  await px.start()
  await meta?.start()
  const address = host.multiaddrs().find((a) => a.includes('/tcp/'))
  if (address === undefined) throw new Error('no tcp address')
  const node = { host, px, metadata: meta, components, address }
  running.push(node)
  return node
}

export interface RecordInit {
  ip?: string
  tcp?: number
  cluster?: number
  multiaddrs?: string[]
}

/** A signed Waku record (relay) with a fresh key. */
export function wakuRecord(init: RecordInit = {}): string {
  const entries: Array<[string, Uint8Array]> = [
    ...addressEntries({ ip: init.ip ?? '10.1.2.3', tcp: init.tcp ?? 60000, udp: 9000 }),
    ['waku2', encodeWaku2(['relay'])],
  ]
  if (init.cluster !== undefined) entries.push(['rs', encodeRs({ cluster: init.cluster, shards: [0] })])
  if (init.multiaddrs !== undefined) entries.push(['multiaddrs', encodeWakuMultiaddrs(init.multiaddrs)])
  entries.sort(([a], [b]) => (a < b ? -1 : 1))
  return enrToText(signEnr({ seq: 1, entries }, generatePrivateKey(), secp))
}

/** Feeds records to a node as its discv5 would: `peer:discovery` events on the node's bus. */
export function discover(node: TestNode, records: readonly string[], source = 'discv5'): void {
  for (const enr of records)
    node.components.events.safeDispatchEvent('peer:discovery', {
      id: enr.slice(4, 20),
      overlay: 'libp2p',
      source,
      enr,
    })
}

/** Resolves once `condition` holds, polling every 20 ms; rejects after `ms` (generous: CI is a loaded 2-core machine). */
export async function waitFor(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
