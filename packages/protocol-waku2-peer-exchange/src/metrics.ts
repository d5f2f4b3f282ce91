import type { Counter, Metrics } from '@parley/interfaces'

export interface PeerExchangeMetrics {
  /** responses sent, by `status_code` */
  responses: Counter
  /** records sent to requesters (nwaku's waku_px_peers_sent) */
  peersSent: Counter
  /** records received from services, verified (nwaku's waku_px_peers_received_total) */
  peersReceived: Counter
  /** failures, by `type`: decode_rpc_failure, read_failure, write_failure, bad_record, request_failure */
  errors: Counter
}

export function peerExchangeMetrics(metrics: Metrics): PeerExchangeMetrics {
  return {
    responses: metrics.counter({
      name: 'parley_waku2_peer_exchange_responses_total',
      help: 'Peer exchange responses sent, by status code',
      labelNames: ['status_code'],
    }),
    peersSent: metrics.counter({
      name: 'parley_waku2_peer_exchange_peers_sent_total',
      help: 'Records sent to peer exchange requesters',
    }),
    peersReceived: metrics.counter({
      name: 'parley_waku2_peer_exchange_peers_received_total',
      help: 'Verified records received from peer exchange services',
    }),
    errors: metrics.counter({
      name: 'parley_waku2_peer_exchange_errors_total',
      help: 'Peer exchange failures, by type',
      labelNames: ['type'],
    }),
  }
}
