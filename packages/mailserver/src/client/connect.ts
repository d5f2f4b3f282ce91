import {
  AbortError,
  type AbortOptions,
  type Devp2pHost,
  TimeoutError,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import type { EnodeAddress } from './enode.ts'

const POLL_MS = 20

/** Dials the mailserver unless connected, then waits until the protocol has its Status. */
export async function connectTo(
  host: Devp2pHost,
  protocol: V1PrivacyProtocol,
  server: EnodeAddress,
  timeoutMs: number,
  options?: AbortOptions,
): Promise<void> {
  if (protocol.readyPeers().includes(server.id)) return
  if (!host.peers().some((peer) => peer.id === server.id)) await host.dial(server.enode, options)
  const deadline = Date.now() + timeoutMs
  while (!protocol.readyPeers().includes(server.id)) {
    if (options?.signal?.aborted === true) throw new AbortError('connecting to the mailserver aborted')
    if (Date.now() > deadline)
      throw new TimeoutError(`${protocol.protocol} handshake with the mailserver timed out`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}
