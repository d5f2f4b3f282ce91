/** The counters and gauges of one MVDS service (names follow `parley_<component>_<what>_total`). */
import type { Counter, Gauge, Metrics } from '@parley/interfaces'

export interface MvdsMetrics {
  /** labels: kind = persistent (first send of a MESSAGE record) | ephemeral */
  sent: Counter
  /** records (MESSAGE, OFFER, REQUEST) sent again on the retransmission schedule */
  retransmitted: Counter
  /** labels: outcome = delivered | duplicate | held */
  received: Counter
  /** labels: reason = malformed | too-large | empty | invalid-id | unknown-request | not-in-group */
  rejected: Counter
  /** labels: direction = in | out */
  payloads: Counter
  acknowledged: Counter
  expired: Counter
  sendFailures: Counter
  storeFailures: Counter
  pendingRecords: Gauge
  heldMessages: Gauge
}

export function mvdsMetrics(metrics: Metrics): MvdsMetrics {
  const counter = (name: string, help: string, labelNames?: string[]) =>
    metrics.counter({ name: `parley_mvds_${name}`, help, ...(labelNames ? { labelNames } : {}) })
  return {
    sent: counter('messages_sent_total', 'Messages sent for the first time', ['kind']),
    retransmitted: counter('retransmissions_total', 'Records sent again after their backoff'),
    received: counter('messages_received_total', 'Messages received, by outcome', ['outcome']),
    rejected: counter('rejected_total', 'Payloads or payload items refused, by reason', ['reason']),
    payloads: counter('payloads_total', 'MVDS payloads sent and received', ['direction']),
    acknowledged: counter('acks_received_total', 'Our messages acknowledged by a peer'),
    expired: counter('records_expired_total', 'Records given up after the maximum send count'),
    sendFailures: counter('send_failures_total', 'Payloads the transport failed to send'),
    storeFailures: counter('store_failures_total', 'State saves or loads that failed'),
    pendingRecords: metrics.gauge({ name: 'parley_mvds_pending_records', help: 'Unacknowledged records' }),
    heldMessages: metrics.gauge({
      name: 'parley_mvds_held_messages',
      help: 'Messages waiting for a parent (consistent ordering)',
    }),
  }
}
