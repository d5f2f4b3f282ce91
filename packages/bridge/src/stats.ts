/** In-process counts per direction, for `Bridge.stats()` (the metrics carry the same numbers). */
import type { DropReason } from './checks.ts'

export interface DirectionStats {
  bridged: number
  dropped: Partial<Record<DropReason, number>>
}

/** Keyed by direction, `<from>-><to>` (`whisper->waku2`). */
export type BridgeStats = Record<string, DirectionStats>

export class StatsBook {
  readonly #directions = new Map<string, DirectionStats>()

  bridged(direction: string): void {
    this.#of(direction).bridged += 1
  }

  dropped(direction: string, reason: DropReason): void {
    const { dropped } = this.#of(direction)
    dropped[reason] = (dropped[reason] ?? 0) + 1
  }

  snapshot(): BridgeStats {
    const copy: BridgeStats = {}
    for (const [direction, { bridged, dropped }] of this.#directions)
      copy[direction] = { bridged, dropped: { ...dropped } }
    return copy
  }

  #of(direction: string): DirectionStats {
    let stats = this.#directions.get(direction)
    if (stats === undefined) {
      stats = { bridged: 0, dropped: {} }
      this.#directions.set(direction, stats)
    }
    return stats
  }
}
