import type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  MetricLabels,
  MetricOptions,
  Metrics,
} from '@parley/interfaces'
import { InvalidParametersError } from '@parley/interfaces'
import * as prom from 'prom-client'

export interface PrometheusMetricsOptions {
  /** prepended to every metric name (default none) */
  prefix?: string
  /** also collect prom-client's process metrics (CPU, memory, event loop, GC); default false */
  defaultMetrics?: boolean
}

/** `Metrics` backed by one prom-client registry, which it exposes for servers and tests. */
export interface PrometheusMetrics extends Metrics {
  readonly registry: prom.Registry
}

type Kind = 'counter' | 'gauge' | 'histogram'

interface Registered {
  readonly kind: Kind
  readonly labelNames: readonly string[]
  readonly metric: Counter | Gauge | Histogram
}

/**
 * A `Metrics` implementation over a fresh prom-client `Registry` (never the global one, so nodes in
 * one process do not collide). Asking twice for the same name returns the same metric, so a plugin
 * created in two places, or re-created, does not crash on "already registered".
 */
export function prometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  const registry = new prom.Registry()
  const prefix = options.prefix ?? ''
  if (options.defaultMetrics === true) prom.collectDefaultMetrics({ register: registry, prefix })
  const registered = new Map<string, Registered>()

  function define<M extends Counter | Gauge | Histogram>(
    kind: Kind,
    metricOptions: MetricOptions | HistogramOptions,
    build: (config: { name: string; help: string; labelNames: string[]; registers: prom.Registry[] }) => M,
  ): M {
    const name = `${prefix}${metricOptions.name}`
    const labelNames = [...(metricOptions.labelNames ?? [])]
    const existing = registered.get(name)
    if (existing !== undefined) {
      if (existing.kind !== kind || existing.labelNames.join() !== labelNames.join()) {
        throw new InvalidParametersError(
          `Metric "${name}" is already registered as a ${existing.kind} with labels [${existing.labelNames.join(', ')}]`,
        )
      }
      return existing.metric as M
    }
    if (!prom.validateMetricName(name))
      throw new InvalidParametersError(`"${name}" is not a valid metric name`)
    let metric: M
    try {
      metric = build({ name, help: metricOptions.help, labelNames, registers: [registry] })
    } catch (error) {
      throw new InvalidParametersError(`Cannot register metric "${name}"`, { cause: error })
    }
    registered.set(name, { kind, labelNames, metric })
    return metric
  }

  return {
    registry,
    contentType: registry.contentType,
    expose: () => registry.metrics(),
    counter: (metricOptions) =>
      define('counter', metricOptions, (config) => {
        const counter = new prom.Counter(config)
        return {
          inc: (labels?: MetricLabels, value = 1) =>
            labels ? counter.inc(labels, value) : counter.inc(value),
        }
      }),
    gauge: (metricOptions) =>
      define('gauge', metricOptions, (config) => {
        const gauge = new prom.Gauge(config)
        return {
          set: (value: number, labels?: MetricLabels) =>
            labels ? gauge.set(labels, value) : gauge.set(value),
          inc: (labels?: MetricLabels, value = 1) => (labels ? gauge.inc(labels, value) : gauge.inc(value)),
          dec: (labels?: MetricLabels, value = 1) => (labels ? gauge.dec(labels, value) : gauge.dec(value)),
        }
      }),
    histogram: (metricOptions) =>
      define('histogram', metricOptions, (config) => {
        const buckets = metricOptions.buckets === undefined ? {} : { buckets: [...metricOptions.buckets] }
        const histogram = new prom.Histogram({ ...config, ...buckets })
        return {
          observe: (value: number, labels?: MetricLabels) =>
            labels ? histogram.observe(labels, value) : histogram.observe(value),
          startTimer: (labels?: MetricLabels) => {
            const end = histogram.startTimer(labels)
            return () => end()
          },
        }
      }),
  }
}
