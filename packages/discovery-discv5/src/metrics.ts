import type { Counter, Gauge, Metrics } from '@parley/interfaces'
import { discoveryBytesCounter } from './traffic.ts'

export interface Discv5Metrics {
  /** matching records reported as new or newer */
  peersFound: Counter
  /** random lookups, by `result`: ok, failed */
  lookups: Counter
  /** 1 while the UDP service runs, 0 once the time box closed it */
  discovering: Gauge
  /** `parley_discovery_bytes_total{source="discv5", direction}`, shared with the other sources */
  bytes: Counter
}

export function discv5Metrics(metrics: Metrics): Discv5Metrics {
  return {
    peersFound: metrics.counter({
      name: 'parley_discv5_peers_found_total',
      help: 'Matching node records discv5 reported as new or newer',
    }),
    lookups: metrics.counter({
      name: 'parley_discv5_lookups_total',
      help: 'discv5 random lookups, by result',
      labelNames: ['result'],
    }),
    discovering: metrics.gauge({
      name: 'parley_discv5_discovering',
      help: '1 while discv5 runs, 0 after its time box stopped it',
    }),
    bytes: discoveryBytesCounter(metrics),
  }
}
