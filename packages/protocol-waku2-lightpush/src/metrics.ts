import type { Counter, Metrics } from '@parley/interfaces'

export interface LightpushServerMetrics {
  /** responses sent, by `protocol` (v2, v3, or local for `push()`) and `status_code` (nwaku's v3 code, for v2 too) */
  responses: Counter
  /** failures before a request could be handled, by `type`: decode_rpc_failure, oversize_request, rate_limited, busy, read_failure, write_failure */
  errors: Counter
  /** messages relayed for light clients, by `pubsub_topic` */
  relayed: Counter
}

export function lightpushServerMetrics(metrics: Metrics): LightpushServerMetrics {
  return {
    responses: metrics.counter({
      name: 'parley_waku2_lightpush_responses_total',
      help: 'Lightpush responses sent, by protocol (v2, v3, local) and status code',
      labelNames: ['protocol', 'status_code'],
    }),
    errors: metrics.counter({
      name: 'parley_waku2_lightpush_errors_total',
      help: 'Lightpush requests refused or lost before handling, by type',
      labelNames: ['type'],
    }),
    relayed: metrics.counter({
      name: 'parley_waku2_lightpush_messages_relayed_total',
      help: 'Messages light clients pushed that the relay published, by pubsub topic',
      labelNames: ['pubsub_topic'],
    }),
  }
}

export interface LightpushClientMetrics {
  /** requests sent, by `protocol` and `status_code` (0: no answer; v2: 200 or 500) */
  requests: Counter
}

export function lightpushClientMetrics(metrics: Metrics): LightpushClientMetrics {
  return {
    requests: metrics.counter({
      name: 'parley_waku2_lightpush_client_requests_total',
      help: 'Lightpush requests this node sent, by protocol and status code (0: no answer)',
      labelNames: ['protocol', 'status_code'],
    }),
  }
}
