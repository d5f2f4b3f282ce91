/** discv5 nodes on loopback UDP built from the plugin with fake components, and a poll helper. */

import { ENR } from '@chainsafe/enr'
import { type FakeComponents, fakeComponents } from '@parley/compliance-tests'
import { type Discv5Discovery, type Discv5Init, discv5, discv5Peer } from '../src/index.ts'

export interface TestNode {
  discovery: Discv5Discovery
  components: FakeComponents
}

const running: Discv5Discovery[] = []

/** Stops every node started since the last call (for `afterEach`). */
export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((discovery) => discovery.stop()))
}

/**
 * A started node on 127.0.0.1 with a free port and 100 ms lookups. Requests get 2 s: every node
 * answers, so the timeout only matters when a loaded machine is slow, and then a short one failed
 * the lookups a test waits on.
 */
export async function startNode(init: Discv5Init = {}): Promise<TestNode> {
  const node = createNode(init)
  await node.discovery.start()
  return node
}

/** As `startNode`, not started yet (to listen from the start). */
export function createNode(init: Discv5Init = {}): TestNode {
  const components = fakeComponents()
  const discovery = discv5({
    host: '127.0.0.1',
    port: 0,
    lookupIntervalMs: 100,
    requestTimeoutMs: 2000,
    ...init,
  }).create(components)
  running.push(discovery)
  return { discovery, components }
}

/** Resolves once `condition` holds, polling every 20 ms; rejects after `ms` (generous: CI is a loaded 2-core machine). */
export async function waitFor(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** The id a node's record reports as a `DiscoveredPeer`. */
export function idOf(node: TestNode): string {
  return discv5Peer(ENR.decodeTxt(node.discovery.enr)).peer.id
}

/** True when `node` has found `other`. */
export function knows(node: TestNode, other: TestNode): boolean {
  const id = idOf(other)
  return node.discovery.peers.some((peer) => peer.id === id)
}
