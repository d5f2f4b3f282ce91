/**
 * Metrics without a dependency on prom-client: the node owns one Prometheus registry and hands
 * plugins this interface. Names follow Prometheus conventions (`parley_whisper_envelopes_total`).
 */
export type MetricLabels = Record<string, string | number>

export interface MetricOptions<Label extends string = string> {
  name: string
  help: string
  labelNames?: readonly Label[]
}

/**
 * The counter every discovery source (DNS, discv5, rendezvous, …) adds its traffic to. A registry
 * hands back the same counter only for the same name, help and labels, so they are written once.
 */
export const DISCOVERY_BYTES_METRIC: MetricOptions<'source' | 'direction'> = {
  name: 'parley_discovery_bytes_total',
  help: 'Bytes a discovery source sent and received, by source and direction',
  labelNames: ['source', 'direction'],
}

export interface HistogramOptions<Label extends string = string> extends MetricOptions<Label> {
  buckets?: readonly number[]
}

export interface Counter {
  inc(labels?: MetricLabels, value?: number): void
}

export interface Gauge {
  set(value: number, labels?: MetricLabels): void
  inc(labels?: MetricLabels, value?: number): void
  dec(labels?: MetricLabels, value?: number): void
}

export interface Histogram {
  observe(value: number, labels?: MetricLabels): void
  /** Starts a timer; calling the returned function records the elapsed seconds. */
  startTimer(labels?: MetricLabels): () => number
}

export interface Metrics {
  counter(options: MetricOptions): Counter
  gauge(options: MetricOptions): Gauge
  histogram(options: HistogramOptions): Histogram
  /** The Prometheus text exposition of every registered metric. */
  expose(): Promise<string>
  readonly contentType: string
}
