import type { Counter, Gauge, Metrics } from '@parley/interfaces'

export interface PoolMetrics {
  peers: Gauge
  dials: Counter
  discoveryRunning: Gauge
  timeToFirstPeer: Gauge
}

export function poolMetrics(metrics: Metrics): PoolMetrics {
  return {
    peers: metrics.gauge({
      name: 'parley_peer_pool_peers',
      help: 'Connected peers per topic, as the peer pool counts them',
      labelNames: ['topic'],
    }),
    dials: metrics.counter({
      name: 'parley_peer_pool_dials_total',
      help: 'Dials made by the peer pool, by origin (cache or discovery) and result',
      labelNames: ['origin', 'result'],
    }),
    discoveryRunning: metrics.gauge({
      name: 'parley_peer_pool_discovery_running',
      help: '1 while the peer pool lets discovery run, 0 while it is suspended',
    }),
    timeToFirstPeer: metrics.gauge({
      name: 'parley_peer_pool_time_to_first_peer_seconds',
      help: 'Seconds from the peer pool start to its first connected peer',
    }),
  }
}
