/** The client's Prometheus metrics, `parley_mailserver_client_*`. */
import type { Counter, Histogram, Metrics } from '@parley/interfaces'

export interface ClientMetrics {
  /** pages requested, by result: `completed`, `refused`, `timeout`, `failed` */
  requests: Counter
  /** seconds from sending a request to: `first-envelope`, `complete`, `delivered` (every envelope handed on) */
  latency: Histogram
  /** envelopes received, by result: `new`, `duplicate` */
  envelopes: Counter
  /** switches to another mailserver after one was grey-listed */
  failovers: Counter
}

export function clientMetrics(metrics: Metrics): ClientMetrics {
  return {
    requests: metrics.counter({
      name: 'parley_mailserver_client_requests_total',
      help: 'History pages requested from mailservers, by result',
      labelNames: ['result'],
    }),
    latency: metrics.histogram({
      name: 'parley_mailserver_client_latency_seconds',
      help: 'From sending a history request to its first envelope, its request-complete, and every envelope delivered',
      labelNames: ['stage'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    envelopes: metrics.counter({
      name: 'parley_mailserver_client_envelopes_total',
      help: 'Envelopes received from mailservers, new or already seen',
      labelNames: ['result'],
    }),
    failovers: metrics.counter({
      name: 'parley_mailserver_client_failovers_total',
      help: 'Times the client grey-listed its mailserver and chose another',
    }),
  }
}
