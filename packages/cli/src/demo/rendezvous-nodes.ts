/**
 * Nodes for the rendezvous and peer pool checks, on loopback: a rendezvous server (libp2p), and
 * Whisper relays (devp2p and libp2p) that register their records under `whisper`.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { rendezvousDiscovery, rendezvousServer } from '@parley/discovery-rendezvous'
import { AbortError, libp2pHost } from '@parley/interfaces'
import { whisper } from '@parley/protocol-whisper'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import { identityPlugin } from '../node/identity.ts'
import type { DemoContext } from './check.ts'
import { STATUS_POW } from './devp2p-nodes.ts'

export const LIBP2P_LOOPBACK = ['/ip4/127.0.0.1/tcp/0']

export function rendezvousServerNode(context: DemoContext, name: string): ParleyNode {
  return createNode({
    name,
    transports: [libp2p({ listen: LIBP2P_LOOPBACK })],
    services: { rendezvous: rendezvousServer() },
    logger: context.logger,
  })
}

/** A Whisper relay that registers its devp2p record, signed with its own key, at `servers`. */
export async function registeringRelay(
  context: DemoContext,
  name: string,
  servers: readonly string[],
  signal: AbortSignal,
): Promise<ParleyNode> {
  const { secp256k1 } = await loadCrypto({ signal })
  return createNode({
    name,
    plugins: [identityPlugin(secp256k1, generatePrivateKey())],
    transports: [devp2p({ host: '127.0.0.1', port: 0 }), libp2p({ listen: LIBP2P_LOOPBACK })],
    protocols: [whisper({ minPow: STATUS_POW })],
    discovery: [rendezvousDiscovery({ servers, register: ['whisper'], topics: [] })],
    logger: context.logger,
  })
}

export function serverAddresses(server: ParleyNode): string[] {
  return server.get(libp2pHost).multiaddrs()
}

/** Resolves once `server` has accepted `count` registrations (counted from now). */
export function registrations(server: ParleyNode, count: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0
    const onRegistered = () => {
      seen += 1
      if (seen < count) return
      server.events.removeEventListener('rendezvous:registered', onRegistered)
      resolve()
    }
    server.events.addEventListener('rendezvous:registered', onRegistered)
    signal.addEventListener('abort', () => reject(new AbortError()), { once: true })
  })
}
