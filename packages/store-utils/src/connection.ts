import { type AbortOptions, NotStartedError } from '@parley/interfaces'
import { throwIfAborted } from './options.ts'

export interface StoreConnectionInit<T> {
  /** what the store is, for errors: `The SQLite store` */
  name: string
  /** opens the resource (a database file, a pool); a failed open must release what it acquired */
  open: () => T | Promise<T>
  close: (resource: T) => void | Promise<void>
}

/**
 * The one resource a store opens in `start` and closes in `stop`, with the rules every store
 * needs: concurrent starts share one open (a second open of a LevelDB directory would hit its
 * lock), `stop` waits for an open under way, and reads and writes before `start` or after `stop`
 * fail with `NotStartedError`.
 */
export class StoreConnection<T> {
  readonly #init: StoreConnectionInit<T>
  #resource: T | undefined
  #opening: Promise<void> | undefined

  constructor(init: StoreConnectionInit<T>) {
    this.#init = init
  }

  async start(options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    if (this.#resource !== undefined) return
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined
    })
    return this.#opening
  }

  async #open(): Promise<void> {
    this.#resource = await this.#init.open()
  }

  async stop(): Promise<void> {
    await this.#opening?.catch(() => {})
    const resource = this.#resource
    this.#resource = undefined
    if (resource !== undefined) await this.#init.close(resource)
  }

  isStarted(): boolean {
    return this.#resource !== undefined
  }

  /** The open resource; throws `NotStartedError` when the store is not started. */
  current(): T {
    if (this.#resource === undefined) throw new NotStartedError(`${this.#init.name} is not started`)
    return this.#resource
  }
}
