/**
 * Serves the node's Prometheus metrics over HTTP, like nwaku's `--metrics-server` and geth's
 * `--metrics.addr`: `createNode({ services: { metrics: prometheus({ port: 8008 }) } })`.
 */
import type { Components, Plugin } from '@parley/interfaces'
import { PrometheusHttpServer, type PrometheusInit, type PrometheusServer } from './server.ts'

export {
  type BoundAddress,
  DEFAULT_ADDRESS,
  DEFAULT_PATH,
  DEFAULT_PORT,
  MetricsServerError,
  type PrometheusInit,
  type PrometheusServer,
} from './server.ts'

/** A plugin whose service serves `components.metrics.expose()` at `http://address:port/path`. */
export function prometheus(init: PrometheusInit = {}): Plugin<PrometheusServer> {
  return {
    name: 'metrics-prometheus',
    create(components: Pick<Components, 'metrics' | 'logger'>): PrometheusServer {
      return new PrometheusHttpServer(
        { metrics: components.metrics, log: components.logger.forComponent('metrics-prometheus') },
        init,
      )
    },
  }
}
