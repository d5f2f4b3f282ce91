/** The host's Prometheus metrics, kept in one place so the names stay consistent. */
import type { Socket } from 'node:net'
import type { Metrics } from '@parley/interfaces'
import { disconnectReasonText } from '../p2p/messages.ts'

export interface HostMetrics {
  peers(count: number): void
  /** Counts a socket's inbound bytes as they arrive. */
  trackSocket(socket: Socket): void
  /** Adds what `socket` has written since the last call. */
  countWritten(socket: Socket): void
  disconnected(reason: number, remote: boolean): void
  handshakeFailed(direction: 'inbound' | 'outbound', error: Error): void
  handlerFailed(): void
}

export function hostMetrics(metrics: Metrics): HostMetrics {
  const peers = metrics.gauge({ name: 'parley_devp2p_peers', help: 'Connected devp2p peers' })
  const bytes = metrics.counter({
    name: 'parley_devp2p_bytes_total',
    help: 'RLPx bytes on the wire, handshakes included',
    labelNames: ['direction'],
  })
  const disconnects = metrics.counter({
    name: 'parley_devp2p_disconnects_total',
    help: 'Ended devp2p sessions by reason and by which side ended them',
    labelNames: ['reason', 'side'],
  })
  const handshakeFailures = metrics.counter({
    name: 'parley_devp2p_handshake_failures_total',
    help: 'RLPx handshakes or dials that did not produce a peer',
    labelNames: ['direction', 'error'],
  })
  const handlerFailures = metrics.counter({
    name: 'parley_devp2p_handler_failures_total',
    help: 'Capability handlers that threw; the peer is disconnected with subprotocolError',
  })
  const written = new WeakMap<Socket, number>()
  return {
    peers: (count) => peers.set(count),
    trackSocket(socket) {
      written.set(socket, 0)
      socket.on('data', (chunk: Uint8Array) => {
        bytes.inc({ direction: 'in' }, chunk.length)
        this.countWritten(socket)
      })
      socket.once('close', () => this.countWritten(socket))
    },
    countWritten(socket) {
      const total = socket.bytesWritten
      const delta = total - (written.get(socket) ?? 0)
      if (delta <= 0) return
      written.set(socket, total)
      bytes.inc({ direction: 'out' }, delta)
    },
    disconnected: (reason, remote) =>
      disconnects.inc({ reason: disconnectReasonText(reason), side: remote ? 'remote' : 'local' }),
    handshakeFailed: (direction, error) => handshakeFailures.inc({ direction, error: error.name }),
    handlerFailed: () => handlerFailures.inc(),
  }
}
