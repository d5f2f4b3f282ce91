import type { Counter, Gauge, Metrics } from '@parley/interfaces'
import type { KeepAliveMetrics } from './keepalive.ts'

export interface Libp2pHostMetrics {
  peers: Gauge
  connections: Counter
  disconnections: Counter
  /** bytes of negotiated protocol streams, by `protocol` and `direction` (`in`, `out`) */
  protocolBytes: Counter
  keepAlive: KeepAliveMetrics
}

export function hostMetrics(metrics: Metrics): Libp2pHostMetrics {
  return {
    peers: metrics.gauge({
      name: 'parley_libp2p_peers',
      help: 'libp2p peers with at least one open connection',
    }),
    connections: metrics.counter({
      name: 'parley_libp2p_peer_connects_total',
      help: 'libp2p peers connected',
    }),
    disconnections: metrics.counter({
      name: 'parley_libp2p_peer_disconnects_total',
      help: 'libp2p peers whose last connection closed',
    }),
    protocolBytes: metrics.counter({
      name: 'parley_libp2p_protocol_bytes_total',
      help: 'Bytes carried by libp2p protocol streams (after the muxer, before the protocol), by protocol and direction',
      labelNames: ['protocol', 'direction'],
    }),
    keepAlive: {
      pings: metrics.counter({ name: 'parley_libp2p_keepalive_pings_total', help: 'Keep-alive pings sent' }),
      failures: metrics.counter({
        name: 'parley_libp2p_keepalive_failures_total',
        help: "Keep-alive pings that failed (nwaku: waku_node_errors{type='keep_alive_failure'})",
      }),
      hangUps: metrics.counter({
        name: 'parley_libp2p_keepalive_hangups_total',
        help: 'Peers hung up after failing keep-alive pings in a row',
      }),
    },
  }
}
