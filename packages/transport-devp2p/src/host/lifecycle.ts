/**
 * The host's start/stop state machine. A `start` or `stop` called while the other is running waits
 * for it to finish, so concurrent calls never interleave their work.
 */
import { AbortError } from '@parley/interfaces'

export type HostState = 'stopped' | 'starting' | 'started' | 'stopping'

export class Lifecycle {
  #state: HostState = 'stopped'
  #transition: Promise<void> | undefined

  get state(): HostState {
    return this.#state
  }

  get started(): boolean {
    return this.#state === 'started'
  }

  /** Runs `work` unless already started; `started` is set once it resolves, then `then` runs. */
  async start(work: () => Promise<void>, then: () => void, signal?: AbortSignal): Promise<void> {
    await this.#settled()
    if (this.#state === 'started') return
    if (signal?.aborted) throw new AbortError('devp2p host start was aborted')
    this.#state = 'starting'
    await this.#run(async () => {
      try {
        await work()
      } catch (error) {
        this.#state = 'stopped'
        throw error
      }
      this.#state = 'started'
      then()
    })
  }

  /** Runs `work` if started; `stopped` is set once it has finished. */
  async stop(work: () => Promise<void>): Promise<void> {
    await this.#settled()
    if (this.#state !== 'started') return
    this.#state = 'stopping'
    await this.#run(() => work().finally(() => (this.#state = 'stopped')))
  }

  async #settled(): Promise<void> {
    while (this.#transition !== undefined) await this.#transition.catch(() => undefined)
  }

  #run(work: () => Promise<void>): Promise<void> {
    const transition = work().finally(() => {
      this.#transition = undefined
    })
    this.#transition = transition
    return transition
  }
}
