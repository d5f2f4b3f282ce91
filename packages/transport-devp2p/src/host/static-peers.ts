/**
 * Static peers (configured, or added with geth's `admin_addPeer`): dialled when the host starts or
 * when added, and redialled with back-off (`redial.ts`) whenever they are not connected.
 */
import type { AbortOptions } from '@parley/interfaces'
import { parseEnode } from './enode.ts'
import { type RedialDelay, RedialTimers } from './redial.ts'

export interface StaticPeerHooks {
  /** Whether a dial makes sense now: the host runs and `nodeId` is neither connected nor dialling. */
  wanted(nodeId: string): boolean
  dial(enode: string, options?: AbortOptions): Promise<unknown>
  failed(enode: string, error: Error): void
}

export class StaticPeers {
  /** node id → enode URL */
  readonly #urls = new Map<string, string>()
  readonly #redials: RedialTimers
  readonly #hooks: StaticPeerHooks

  constructor(urls: readonly string[], delay: RedialDelay | undefined, hooks: StaticPeerHooks) {
    for (const url of urls) this.#urls.set(parseEnode(url).nodeId, url)
    this.#redials = new RedialTimers(delay)
    this.#hooks = hooks
  }

  has(nodeId: string): boolean {
    return this.#urls.has(nodeId)
  }

  /** Adds (or replaces the address of) a static peer and dials it; returns its node id. */
  add(enode: string): string {
    const { nodeId } = parseEnode(enode)
    this.#urls.set(nodeId, enode)
    this.#redials.reset(nodeId)
    this.#dial(nodeId)
    return nodeId
  }

  /** Forgets a static peer and its pending redial; false when it was not static. */
  remove(nodeId: string): boolean {
    this.#redials.cancel(nodeId)
    return this.#urls.delete(nodeId)
  }

  /** Dials every static peer (the host has just started). */
  dialAll(): void {
    for (const nodeId of this.#urls.keys()) this.#dial(nodeId)
  }

  /** A connection to `nodeId` was admitted: its back-off starts over. */
  connected(nodeId: string): void {
    this.#redials.reset(nodeId)
  }

  /** A connection to `nodeId` ended: a static peer is redialled after its back-off. */
  dropped(nodeId: string): void {
    if (this.#urls.has(nodeId)) this.#redials.schedule(nodeId, () => this.#dial(nodeId))
  }

  /** The host stops: no more redials until `dialAll`. */
  stop(): void {
    this.#redials.clear()
  }

  #dial(nodeId: string): void {
    const url = this.#urls.get(nodeId)
    if (url === undefined || !this.#hooks.wanted(nodeId)) return
    this.#hooks.dial(url).catch((error: Error) => {
      this.#hooks.failed(url, error)
      if (this.#hooks.wanted(nodeId)) this.dropped(nodeId)
    })
  }
}
