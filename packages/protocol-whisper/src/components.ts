/** What an envelope protocol takes from the node, and how a plugin wires it. */
import {
  type Components,
  type Counter,
  type Devp2pHost,
  devp2pHost,
  type Gauge,
  type Histogram,
  type Logger,
  type ParleyEvents,
  type TypedEventTarget,
} from '@parley/interfaces'
import type { EnvelopeExpiredEvent } from './events.ts'

export interface EnvelopeProtocolMetrics {
  /** received envelopes by `result`; injected ones (`inject`) as `injected`, `injected-<reason>` */
  envelopes: Counter
  pool: Gauge
  /** envelopes handed to peers in Messages packets (each envelope once per peer) */
  relayed: Counter
  /** capability payload bytes by `direction` (`in`, `out`) */
  bytes: Counter
  /** packets over a rate limit, by `limit` (`ip`, `peer`) */
  rateLimitHits: Counter
  /** seconds `post` spent sealing (proof of work) */
  powSeal: Histogram
}

export interface EnvelopeProtocolComponents {
  devp2pHost: Devp2pHost
  logger: Logger
  metrics: EnvelopeProtocolMetrics
  events: TypedEventTarget<ParleyEvents>
}

/** Keeps the merged `ParleyEvents` (see `events.ts`) in every program that builds these components. */
export type { EnvelopeExpiredEvent }

/**
 * The node's devp2p host, events, a `name` logger, and the `parley_<name>_*` metrics: envelopes by
 * result, pool size, envelopes relayed, payload bytes in and out, rate-limit hits and PoW seal time.
 */
export function envelopeProtocolComponents(components: Components, name: string): EnvelopeProtocolComponents {
  const { metrics } = components
  return {
    devp2pHost: components.get(devp2pHost),
    logger: components.logger.forComponent(name),
    events: components.events,
    metrics: {
      envelopes: metrics.counter({
        name: `parley_${name}_envelopes_total`,
        help: 'Envelopes received from peers (or injected: result injected*), by result: accepted, duplicate, or why they were dropped',
        labelNames: ['result'],
      }),
      pool: metrics.gauge({
        name: `parley_${name}_pool_envelopes`,
        help: 'Envelopes held until they expire',
      }),
      relayed: metrics.counter({
        name: `parley_${name}_envelopes_relayed_total`,
        help: 'Envelopes handed to peers in Messages packets, once per peer',
      }),
      bytes: metrics.counter({
        name: `parley_${name}_bytes_total`,
        help: 'Capability payload bytes exchanged with peers (the host counts wire bytes)',
        labelNames: ['direction'],
      }),
      rateLimitHits: metrics.counter({
        name: `parley_${name}_rate_limit_hits_total`,
        help: 'Packets over a per-IP or per-peer rate limit, dropped',
        labelNames: ['limit'],
      }),
      powSeal: metrics.histogram({
        name: `parley_${name}_pow_seal_seconds`,
        help: 'Time post spent on proof of work',
        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10],
      }),
    },
  }
}
