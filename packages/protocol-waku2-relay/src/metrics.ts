import type { Counter, Metrics } from '@parley/interfaces'

export interface RelayMetrics {
  /** our own messages handed to gossipsub, by `pubsub_topic` */
  published: Counter
  /** messages from peers that passed validation, by `pubsub_topic` */
  received: Counter
  /** messages from peers the validator rejected, by `reason` (see `RelayRejectReason`) */
  rejected: Counter
  /**
   * WakuMessage plus pubsub topic bytes, by `pubsub_topic` and `direction`: `in` counts accepted
   * messages once, `out` counts a published message once per peer it went to (nwaku's
   * `waku_relay_network_bytes` net in/out).
   */
  bytes: Counter
}

export function relayMetrics(metrics: Metrics): RelayMetrics {
  return {
    published: metrics.counter({
      name: 'parley_waku2_relay_messages_published_total',
      help: 'WakuMessages this node published on 11/WAKU2-RELAY, by pubsub topic',
      labelNames: ['pubsub_topic'],
    }),
    received: metrics.counter({
      name: 'parley_waku2_relay_messages_received_total',
      help: 'WakuMessages received from relay peers that passed validation, by pubsub topic',
      labelNames: ['pubsub_topic'],
    }),
    rejected: metrics.counter({
      name: 'parley_waku2_relay_messages_rejected_total',
      help: 'Relay messages the validator rejected, by reason: oversize, undecodable, timestamp-old, timestamp-future',
      labelNames: ['reason'],
    }),
    bytes: metrics.counter({
      name: 'parley_waku2_relay_network_bytes_total',
      help: 'Relay message bytes (WakuMessage and pubsub topic) by pubsub topic and direction (in, out)',
      labelNames: ['pubsub_topic', 'direction'],
    }),
  }
}
