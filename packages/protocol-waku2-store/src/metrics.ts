import type { Counter, Metrics } from '@parley/interfaces'

export interface StoreMetrics {
  /** queries answered, by `protocol` (`v3`, `v2beta4`) and `status` (200, 400, 429, 503) */
  queries: Counter
  /** messages added to the archive (duplicates and ephemeral ones are not counted) */
  archived: Counter
  /** messages the retention policy deleted */
  pruned: Counter
}

export function storeMetrics(metrics: Metrics): StoreMetrics {
  return {
    queries: metrics.counter({
      name: 'parley_waku2_store_queries_total',
      help: '13/WAKU2-STORE queries answered, by protocol (v3, v2beta4) and status code (200, 400, 429, 503)',
      labelNames: ['protocol', 'status'],
    }),
    archived: metrics.counter({
      name: 'parley_waku2_store_messages_archived_total',
      help: 'WakuMessages the store added to the message archive',
    }),
    pruned: metrics.counter({
      name: 'parley_waku2_store_messages_pruned_total',
      help: 'Archived WakuMessages the retention policy deleted',
    }),
  }
}
