import type { Counter, Metrics } from '@parley/interfaces'

export interface TransportMetrics {
  rejected: Counter
  messages: Counter
  bundleRefreshes: Counter
}

export function transportMetrics(metrics: Metrics): TransportMetrics {
  return {
    rejected: metrics.counter({
      name: 'parley_secure_transport_rejected_total',
      help: 'ProtocolMessages the secure transport refused, by reason',
      labelNames: ['reason'],
    }),
    messages: metrics.counter({
      name: 'parley_secure_transport_messages_total',
      help: 'ProtocolMessages encrypted (out) and decrypted (in), by protection (x3dh, double-ratchet, dh, public)',
      labelNames: ['direction', 'kind'],
    }),
    bundleRefreshes: metrics.counter({
      name: 'parley_secure_transport_bundle_refreshes_total',
      help: 'Signed prekeys replaced because they were older than the refresh interval',
    }),
  }
}
