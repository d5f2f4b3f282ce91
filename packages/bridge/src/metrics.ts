/** The bridge's Prometheus metrics, per direction (`from`, `to`: whisper, waku1, waku2). */
import type { Counter, Histogram, Metrics } from '@parley/interfaces'

export interface BridgeMetrics {
  /**
   * `result`: `bridged`; `resealed` (carried, but as a new envelope with a new hash: its PoW was below
   * the v1 target's minimum); or a `DropReason`
   */
  messages: Counter
  /** from receipt on one side to the other side's post resolving (v1 posts include sealing PoW) */
  latency: Histogram
}

export function bridgeMetrics(metrics: Metrics): BridgeMetrics {
  return {
    messages: metrics.counter({
      name: 'parley_bridge_messages_total',
      help: 'Messages the bridge carried (result="bridged"; "resealed": a v1 envelope sealed anew, new hash, for a target demanding more PoW) or dropped (result=reason), per direction',
      labelNames: ['from', 'to', 'result'],
    }),
    latency: metrics.histogram({
      name: 'parley_bridge_latency_seconds',
      help: 'Latency the bridge adds: receipt on one side to the post on the other resolving',
      labelNames: ['from', 'to'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
  }
}
