/**
 * The decoded records the secure transport reads on every message (sessions, installations, our
 * prekeys), kept in memory in front of the `KeyValueStore` so a message does not re-read and
 * re-parse them. Writes go through: a record reaches the cache only once the batch carrying it has
 * committed, so a failed or abandoned write leaves the cache as the store is.
 */
import type { AbortOptions, KeyValueBatch } from '@parley/interfaces'

/** A `KeyValueBatch` that updates the store's cache after, and only after, it commits. */
export class SessionBatch implements KeyValueBatch {
  readonly #inner: KeyValueBatch
  readonly #onCommit: Array<() => void> = []
  #committed = false

  constructor(inner: KeyValueBatch) {
    this.#inner = inner
  }

  put(key: Uint8Array, value: Uint8Array): this {
    this.#inner.put(key, value)
    return this
  }

  delete(key: Uint8Array): this {
    this.#inner.delete(key)
    return this
  }

  /** Runs `apply` once the batch has committed (in the order registered). */
  afterCommit(apply: () => void): void {
    this.#onCommit.push(apply)
  }

  async commit(options?: AbortOptions): Promise<void> {
    if (this.#committed) return
    await this.#inner.commit(options)
    this.#committed = true
    for (const apply of this.#onCommit.splice(0)) apply()
  }
}

/**
 * Lists of records under one store prefix, each list loaded whole from the store once and then
 * kept up to date by committed writes. A list not loaded yet is not touched by writes (the next
 * read loads it from the store, which already has them).
 */
export class ListCache<T> {
  readonly #lists = new Map<string, Map<string, T>>()
  /** bumped by every write, so a load that raced one is not kept */
  #generation = 0

  async list(prefix: string, load: () => Promise<Array<[string, T]>>): Promise<T[]> {
    const cached = this.#lists.get(prefix)
    if (cached !== undefined) return [...cached.values()]
    const generation = this.#generation
    const loaded = new Map(await load())
    if (generation === this.#generation) this.#lists.set(prefix, loaded)
    return [...loaded.values()]
  }

  /** Records `value` once `batch` commits. */
  set(batch: SessionBatch, prefix: string, item: string, value: T): void {
    batch.afterCommit(() => {
      this.#generation++
      const list = this.#lists.get(prefix)
      if (list === undefined) return
      const added = !list.has(item)
      list.set(item, value)
      // Keep the store's order (item keys are hex or ASCII, so string order is byte order).
      if (added) this.#lists.set(prefix, new Map([...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
    })
  }

  clear(): void {
    this.#generation++
    this.#lists.clear()
  }
}
