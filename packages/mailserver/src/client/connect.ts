import {
  AbortError,
  type AbortOptions,
  type Devp2pHost,
  TimeoutError,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import type { EnodeAddress } from './enode.ts'

/** Dials the mailserver unless connected, then waits for the protocol's `peer:ready` for it. */
export async function connectTo(
  host: Devp2pHost,
  protocol: V1PrivacyProtocol,
  server: EnodeAddress,
  timeoutMs: number,
  options?: AbortOptions,
): Promise<void> {
  if (protocol.readyPeers().includes(server.id)) return
  const { promise, resolve, reject } = Promise.withResolvers<void>()
  const onReady = (event: CustomEvent<{ peer: string }>): void => {
    if (event.detail.peer === server.id) resolve()
  }
  const onAbort = (): void => reject(new AbortError('connecting to the mailserver aborted'))
  const timer = setTimeout(
    () => reject(new TimeoutError(`${protocol.protocol} handshake with the mailserver timed out`)),
    timeoutMs,
  )
  // Listening starts before the dial, so a Status accepted meanwhile is not missed.
  protocol.addEventListener('peer:ready', onReady)
  options?.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    if (options?.signal?.aborted === true) throw new AbortError('connecting to the mailserver aborted')
    if (!host.peers().some((peer) => peer.id === server.id)) await host.dial(server.enode, options)
    // Connected already (by us or the server) and ready in the meantime: nothing to wait for.
    if (!protocol.readyPeers().includes(server.id)) await promise
  } finally {
    clearTimeout(timer)
    protocol.removeEventListener('peer:ready', onReady)
    options?.signal?.removeEventListener('abort', onAbort)
    promise.catch(() => {})
  }
}
