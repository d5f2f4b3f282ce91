/**
 * Consistent ordering: a message whose parents (4/MVDS-META) have not all reached the application
 * waits here, indexed by the parents it still misses, and is released once they have.
 */
import { bytesToHex } from '@parley/crypto'
import type { HeldChange } from './journal.ts'
import type { PeerId } from './state.ts'
import type { MvdsMessage } from './wire.ts'

export interface HeldMessage {
  messageId: Uint8Array
  from: PeerId
  message: MvdsMessage
}

export class HeldMessages {
  readonly #held = new Map<string, HeldMessage>()
  /** parent id (hex) → held children (hex) still waiting for it */
  readonly #waiting = new Map<string, Set<string>>()
  readonly #changed = new Map<string, HeldChange>()

  get size(): number {
    return this.#held.size
  }

  has(id: Uint8Array): boolean {
    return this.#held.has(bytesToHex(id))
  }

  /** Holds `message` until every id in `missing` has been released to the application. */
  hold(entry: HeldMessage, missing: readonly Uint8Array[]): void {
    const hex = bytesToHex(entry.messageId)
    this.#held.set(hex, entry)
    this.#changed.set(hex, { messageId: entry.messageId, from: entry.from })
    for (const parent of missing) {
      const parentHex = bytesToHex(parent)
      let children = this.#waiting.get(parentHex)
      if (children === undefined) {
        children = new Set()
        this.#waiting.set(parentHex, children)
      }
      children.add(hex)
    }
  }

  /**
   * Called once `parent` has reached the application (so `isSettled(parent)` holds): removes and
   * returns the children that no longer miss any parent, in the order they were held.
   */
  release(parent: Uint8Array, isSettled: (id: Uint8Array) => boolean): HeldMessage[] {
    const parentHex = bytesToHex(parent)
    const children = this.#waiting.get(parentHex)
    if (children === undefined) return []
    this.#waiting.delete(parentHex)
    const released: HeldMessage[] = []
    for (const childHex of children) {
      const child = this.#held.get(childHex)
      if (child === undefined || !(child.message.metadata?.parents ?? []).every(isSettled)) continue
      this.#held.delete(childHex)
      this.#changed.set(childHex, { messageId: child.messageId, from: undefined })
      released.push(child)
    }
    return released
  }

  /** The held messages, oldest first (for inspection). */
  entries(): HeldMessage[] {
    return [...this.#held.values()]
  }

  takeChanges(): HeldChange[] {
    const changes = [...this.#changed.values()]
    this.#changed.clear()
    return changes
  }
}

/** A bounded set of ids, oldest evicted first (duplicate detection for ephemeral messages). */
export class RecentIds {
  readonly #ids = new Set<string>()
  readonly #limit: number

  constructor(limit: number) {
    this.#limit = limit
  }

  /** Adds `hex`; false when it was already there. */
  add(hex: string): boolean {
    if (this.#ids.has(hex)) return false
    this.#ids.add(hex)
    if (this.#ids.size > this.#limit) {
      const oldest = this.#ids.values().next().value
      if (oldest !== undefined) this.#ids.delete(oldest)
    }
    return true
  }
}
