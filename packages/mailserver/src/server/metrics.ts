/** The server's Prometheus metrics, `parley_mailserver_*`. */
import type { Counter, Histogram, Metrics } from '@parley/interfaces'

export interface MailserverMetrics {
  /** by protocol and result: `served` or a refusal reason */
  requests: Counter
  /** seconds from receiving a request to sending its request-complete */
  latency: Histogram
  envelopesServed: Counter
  bytesServed: Counter
  /** by result: `archived`, `duplicate`, `malformed`, `error` */
  archived: Counter
  archivedBytes: Counter
  pruned: Counter
}

export function mailserverMetrics(metrics: Metrics): MailserverMetrics {
  return {
    requests: metrics.counter({
      name: 'parley_mailserver_requests_total',
      help: 'History requests (p2p request, code 126) by protocol and result: served or why refused',
      labelNames: ['protocol', 'result'],
    }),
    latency: metrics.histogram({
      name: 'parley_mailserver_request_duration_seconds',
      help: 'From a history request to its request-complete (125)',
      labelNames: ['protocol'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    envelopesServed: metrics.counter({
      name: 'parley_mailserver_envelopes_served_total',
      help: 'Envelopes sent to peers as p2p messages (127)',
      labelNames: ['protocol'],
    }),
    bytesServed: metrics.counter({
      name: 'parley_mailserver_bytes_served_total',
      help: 'Bytes of envelope RLP sent to peers as p2p messages (127)',
      labelNames: ['protocol'],
    }),
    archived: metrics.counter({
      name: 'parley_mailserver_archived_envelopes_total',
      help: 'Envelopes offered to the archive, by result',
      labelNames: ['result'],
    }),
    archivedBytes: metrics.counter({
      name: 'parley_mailserver_archived_bytes_total',
      help: 'Bytes of envelope RLP added to the archive',
    }),
    pruned: metrics.counter({
      name: 'parley_mailserver_pruned_envelopes_total',
      help: 'Envelopes the retention cleaner deleted',
    }),
  }
}
