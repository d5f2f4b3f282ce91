/**
 * The issue's performance targets, checked against a result. Ratio targets sit on the cases
 * (`target: { minRatio }`); the absolute ones are also named here so that the docs and the tests
 * can refer to them.
 */
import type { BenchResult, Target } from './types.ts'

export interface TargetCheck {
  met: boolean
  /** "≥ 0.65", "≤ 0.1 ms" */
  goal: string
  /** how far off a missed target is, e.g. "0.52 is 20% below 0.65"; empty when met */
  shortfall: string
}

/**
 * Issue "devp2p overlay, Whisper v6 and Waku v1": at least 5 000 verified symmetric 1 KiB envelopes
 * received per second per core with the native secp256k1 provider (case `receive-pipeline-1k`).
 */
export const RECEIVE_PIPELINE_TARGET: Target = { minMedian: 5000 }

/**
 * Issue "storage": archive ingest of at least 20 000 envelopes/s on SQLite, batched, into an archive
 * of 1 M envelopes (cases `archive-ingest/node-sqlite` and `archive-ingest/better-sqlite3`).
 */
export const ARCHIVE_INGEST_TARGET: Target = { minMedian: 20_000 }

/**
 * Issue "storage": a 100-envelope history page over a 24 h range at p99 ≤ 50 ms, at 1 M archived
 * envelopes (cases `archive-query-24h/*`, whose per-round figure is the p99, so the bound applies
 * to the median over rounds of the p99).
 */
export const ARCHIVE_QUERY_P99_TARGET: Target = { maxMedian: 50 }

/**
 * Issue "secure transport": the DH-ratchet step at least 0.30 of native/ref_ratchet.c's in the same
 * run (case `ratchet-dh-step`).
 */
export const RATCHET_STEP_TARGET: Target = { minRatio: 0.3 }

/**
 * Issue "secure transport": a full 1:1 message, all layers, no network, at least 2 000 sends/s and
 * 2 000 receives/s per core with the native secp256k1 provider (cases `chat-1to1-send-1k`,
 * `chat-1to1-receive-1k`).
 */
export const CHAT_SEND_TARGET: Target = { minMedian: 2000 }
export const CHAT_RECEIVE_TARGET: Target = { minMedian: 2000 }

/**
 * Issue "Waku v2": at least 2 000 relayed messages/s through one node (case
 * `waku2-relay-10-nodes-1k`, messages × nodes per CPU-second of the whole 10-node process).
 */
export const WAKU2_RELAY_TARGET: Target = { minMedian: 2000 }

/**
 * Issue "Waku v2": store query p99 ≤ 50 ms at 1 M messages (case `waku2-store-query`, whose
 * per-round figure is the p99).
 */
export const WAKU2_STORE_P99_TARGET: Target = { maxMedian: 50 }

function percentOff(actual: number, goal: number): string {
  return `${(Math.abs(actual / goal - 1) * 100).toFixed(0)}%`
}

/** undefined when the case has no target or nothing to compare (no reference for a ratio target). */
export function checkTarget(
  result: Pick<BenchResult, 'median' | 'ratio' | 'unit'>,
  target: Target | undefined,
): TargetCheck | undefined {
  if (target === undefined) return undefined
  if ('minRatio' in target) {
    const goal = `≥ ${target.minRatio}`
    if (result.ratio === null) return undefined
    const met = result.ratio >= target.minRatio
    const shortfall = met
      ? ''
      : `${result.ratio.toFixed(2)} is ${percentOff(result.ratio, target.minRatio)} below ${target.minRatio}`
    return { met, goal, shortfall }
  }
  if ('minMedian' in target) {
    const goal = `≥ ${target.minMedian} ${result.unit}`
    const met = result.median >= target.minMedian
    const shortfall = met
      ? ''
      : `${Math.round(result.median)} ${result.unit} is ${percentOff(result.median, target.minMedian)} below ${target.minMedian}`
    return { met, goal, shortfall }
  }
  const goal = `≤ ${target.maxMedian} ${result.unit}`
  const met = result.median <= target.maxMedian
  const shortfall = met
    ? ''
    : `${result.median.toPrecision(3)} ${result.unit} is ${percentOff(result.median, target.maxMedian)} over ${target.maxMedian}`
  return { met, goal, shortfall }
}

export function describeTarget(target: Target | undefined, unit: BenchResult['unit']): string {
  if (target === undefined) return ''
  if ('minRatio' in target) return `ratio ≥ ${target.minRatio}`
  if ('minMedian' in target) return `≥ ${target.minMedian} ${unit}`
  return `p50 ≤ ${target.maxMedian} ${unit}`
}
