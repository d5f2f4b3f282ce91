/**
 * Which mailserver to ask, as status-go's mailserver cycle chooses: measure the round-trip time of
 * every one not grey-listed, keep the fastest quarter (`ceil((n − 1) / 4)`, all of them when that
 * is 0), pick one of those at random, and stay with it until it fails `maxFailures` times in a row.
 * Then it is grey-listed for a back-off that doubles with each grey-listing, and another is chosen.
 */
import { AbortError, type AbortOptions } from '@parley/interfaces'
import { type EnodeAddress, parseEnode } from './enode.ts'
import { MailserverUnavailableError } from './errors.ts'
import type { Ping } from './ping.ts'

export interface SelectorSettings {
  ping: Ping
  pingTimeoutMs: number
  maxFailures: number
  backoffMs: number
  maxBackoffMs: number
  /** [0, 1), default Math.random */
  random: () => number
  nowMs: () => number
}

export interface MailserverStatus {
  enode: string
  id: string
  /** last measured round-trip time, ms */
  rttMs: number | undefined
  /** failures since the last success */
  failures: number
  /** unix ms until which it is not asked; 0 when not grey-listed */
  greylistedUntil: number
  active: boolean
}

interface State extends EnodeAddress {
  rttMs: number | undefined
  failures: number
  greylistedUntil: number
  greylistings: number
}

export class MailserverSelector {
  readonly #settings: SelectorSettings
  readonly #states: State[]
  #active: State | undefined

  constructor(enodes: readonly string[], settings: SelectorSettings) {
    this.#settings = settings
    this.#states = enodes.map((enode) => ({
      ...parseEnode(enode),
      rttMs: undefined,
      failures: 0,
      greylistedUntil: 0,
      greylistings: 0,
    }))
  }

  get addresses(): EnodeAddress[] {
    return this.#states.map(({ enode, id, host, port }) => ({ enode, id, host, port }))
  }

  status(): MailserverStatus[] {
    return this.#states.map((state) => ({
      enode: state.enode,
      id: state.id,
      rttMs: state.rttMs,
      failures: state.failures,
      greylistedUntil: state.greylistedUntil > this.#settings.nowMs() ? state.greylistedUntil : 0,
      active: state === this.#active,
    }))
  }

  /** The active mailserver, choosing one first when there is none; `MailserverUnavailableError` when none answers. */
  async select(options?: AbortOptions): Promise<EnodeAddress> {
    if (this.#active !== undefined && this.#active.greylistedUntil <= this.#settings.nowMs())
      return this.#active
    this.#active = undefined
    const now = this.#settings.nowMs()
    const candidates = this.#states.filter((state) => state.greylistedUntil <= now)
    if (candidates.length === 0) {
      throw new MailserverUnavailableError(`all ${this.#states.length} mailservers are grey-listed`)
    }
    await Promise.all(candidates.map((state) => this.#measure(state)))
    if (options?.signal?.aborted === true) throw new AbortError('mailserver selection aborted')
    const reachable = candidates
      .filter((state) => state.rttMs !== undefined)
      .sort((a, b) => (a.rttMs ?? 0) - (b.rttMs ?? 0))
    if (reachable.length === 0) {
      throw new MailserverUnavailableError(`none of ${candidates.length} mailservers answered a ping`)
    }
    const pool = Math.ceil((reachable.length - 1) / 4) || reachable.length
    this.#active = reachable[Math.floor(this.#settings.random() * pool)] ?? reachable[0]!
    return this.#active
  }

  succeeded(address: EnodeAddress): void {
    const state = this.#find(address)
    if (state === undefined) return
    state.failures = 0
    state.greylistings = 0
  }

  /** Counts a failure; true when the mailserver was grey-listed (and is no longer active). */
  failed(address: EnodeAddress): boolean {
    const state = this.#find(address)
    if (state === undefined) return false
    state.failures++
    if (state.failures < this.#settings.maxFailures) return false
    this.#greylist(state)
    return true
  }

  async #measure(state: State): Promise<void> {
    try {
      state.rttMs = await this.#settings.ping(state, this.#settings.pingTimeoutMs)
    } catch {
      state.rttMs = undefined
      state.failures++
      if (state.failures >= this.#settings.maxFailures) this.#greylist(state)
    }
  }

  #greylist(state: State): void {
    const { backoffMs, maxBackoffMs, nowMs } = this.#settings
    state.greylistedUntil = nowMs() + Math.min(backoffMs * 2 ** state.greylistings, maxBackoffMs)
    state.greylistings++
    state.failures = 0
    if (this.#active === state) this.#active = undefined
  }

  #find(address: EnodeAddress): State | undefined {
    return this.#states.find((state) => state.id === address.id)
  }
}
