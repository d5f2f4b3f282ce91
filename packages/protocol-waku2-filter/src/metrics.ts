import type { Counter, Gauge, Metrics } from '@parley/interfaces'

export interface FilterServerMetrics {
  /** decoded requests, by `type` (ping, subscribe, unsubscribe, unsubscribe_all, unknown) */
  requests: Counter
  /** responses sent, by `status_code` */
  responses: Counter
  /**
   * failures, by `type`: decode_rpc_failure, oversize_request, rate_limited, read_failure,
   * write_failure, push_failure, push_timeout, push_dropped (a subscriber too slow to keep up)
   */
  errors: Counter
  /** messages pushed to subscribers */
  pushes: Counter
  /** peers with a live subscription */
  subscribers: Gauge
}

export function filterServerMetrics(metrics: Metrics): FilterServerMetrics {
  return {
    requests: metrics.counter({
      name: 'parley_waku2_filter_requests_total',
      help: 'Filter subscribe requests received, by type',
      labelNames: ['type'],
    }),
    responses: metrics.counter({
      name: 'parley_waku2_filter_responses_total',
      help: 'Filter subscribe responses sent, by status code',
      labelNames: ['status_code'],
    }),
    errors: metrics.counter({
      name: 'parley_waku2_filter_errors_total',
      help: 'Filter service failures, by type',
      labelNames: ['type'],
    }),
    pushes: metrics.counter({
      name: 'parley_waku2_filter_pushes_total',
      help: 'Messages pushed to filter subscribers',
    }),
    subscribers: metrics.gauge({
      name: 'parley_waku2_filter_subscribers',
      help: 'Peers with a live filter subscription',
    }),
  }
}

export interface FilterClientMetrics {
  /** requests sent, by `type` and `status_code` (0: no response) */
  requests: Counter
  /** pushes received, by `result`: delivered, unsolicited, undecodable */
  pushes: Counter
}

export function filterClientMetrics(metrics: Metrics): FilterClientMetrics {
  return {
    requests: metrics.counter({
      name: 'parley_waku2_filter_client_requests_total',
      help: 'Filter requests this node sent, by type and status code (0: no response)',
      labelNames: ['type', 'status_code'],
    }),
    pushes: metrics.counter({
      name: 'parley_waku2_filter_client_pushes_total',
      help: 'Filter pushes received, by result: delivered, unsolicited, undecodable',
      labelNames: ['result'],
    }),
  }
}
