/** What an envelope protocol takes from the node, and how a plugin wires it. */
import {
  type Components,
  type Counter,
  type Devp2pHost,
  devp2pHost,
  type Gauge,
  type Logger,
  type ParleyEvents,
  type TypedEventTarget,
} from '@parley/interfaces'

export interface EnvelopeProtocolComponents {
  devp2pHost: Devp2pHost
  logger: Logger
  metrics: { envelopes: Counter; pool: Gauge }
  events: TypedEventTarget<ParleyEvents>
}

/**
 * The node's devp2p host, events, a `name` logger, and the metrics `parley_<name>_envelopes_total`
 * (by result) and `parley_<name>_pool_envelopes`.
 */
export function envelopeProtocolComponents(components: Components, name: string): EnvelopeProtocolComponents {
  return {
    devp2pHost: components.get(devp2pHost),
    logger: components.logger.forComponent(name),
    events: components.events,
    metrics: {
      envelopes: components.metrics.counter({
        name: `parley_${name}_envelopes_total`,
        help: 'Envelopes received from peers, by result: accepted, duplicate, or why they were dropped',
        labelNames: ['result'],
      }),
      pool: components.metrics.gauge({
        name: `parley_${name}_pool_envelopes`,
        help: 'Envelopes held until they expire',
      }),
    },
  }
}
