/** Loopback node fixtures the peer-pool tests share. */
import type { ParleyNode } from '@parley/core'
import { devp2pHost, type KeyValueStore, keyValueStore, type Plugin } from '@parley/interfaces'
import { afterEach } from 'vitest'

/** The nodes a test file runs, each stopped after every test. Call once, at the file's top level. */
export function stoppedAfterEach(): ParleyNode[] {
  const running: ParleyNode[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map((node) => node.stop()))
  })
  return running
}

/**
 * Adds `node` to `running` and gives its devp2p host (when it has one) a toy capability: devp2p
 * drops peers with nothing in common, and a real node would have Whisper there.
 */
export function tracked(running: ParleyNode[], node: ParleyNode): ParleyNode {
  if (node.has(devp2pHost)) {
    node.get(devp2pHost).registerCapability({
      name: 'tst',
      version: 1,
      length: 1,
      onPeerConnect: () => {},
      onMessage: () => {},
      onPeerDisconnect: () => {},
    })
  }
  running.push(node)
  return node
}

/** Provides `store` as the node's key-value store (where the pool keeps its peer cache). */
export function storePlugin(store: KeyValueStore): Plugin<KeyValueStore> {
  return { name: 'kv', provides: [keyValueStore], create: () => store }
}
