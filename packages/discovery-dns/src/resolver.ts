import type { Enr } from '@parley/enr'
import { AbortError, type AbortOptions, type Secp256k1Provider } from '@parley/interfaces'
import { formatEnrtreeUrl, type LinkEntry, parseEnrtreeUrl, type RootEntry } from './entries.ts'
import { DnsLookupError, TreeVerificationError } from './errors.ts'
import { EntryResolver, RequestBudget } from './lookup.ts'
import { nodeResolveTxt, type ResolveTxt } from './node-resolver.ts'

export interface DnsTreeClientInit {
  secp: Secp256k1Provider
  /** TXT lookup; default `nodeResolveTxt({ servers })` over node:dns/promises */
  resolveTxt?: ResolveTxt
  /** DNS servers for the default resolver, `'ip'` or `'ip:port'` */
  servers?: readonly string[]
  /** DNS lookups one `nextEnr`, `links` or `refresh` call may make; default 50 */
  maxRequests?: number
  /** verified entries kept, by hash; default 1000 */
  cacheSize?: number
  /** follow links to other trees; default true */
  followLinks?: boolean
  /** trees known at most, added and linked; default 64 */
  maxTrees?: number
  /** uniform in [0, 1); default Math.random */
  random?: () => number
}

export interface RootUpdate {
  readonly url: string
  readonly seq: number
  /** the root named different subtrees than before */
  readonly changed: boolean
}

export interface SyncedTree {
  readonly root: RootEntry
  readonly enrs: Enr[]
  /** enrtree:// URLs of the linked trees */
  readonly links: string[]
}

interface TreeState {
  readonly url: string
  readonly link: LinkEntry
  root: RootEntry | undefined
  /** hashes of the current ENR pass not yet visited */
  missing: string[]
  /** link URLs once the link subtree is synced for the current root */
  links: string[] | undefined
}

/**
 * An EIP-1459 client. `nextEnr` walks one tree at a time, lazily and at random, like go-ethereum's
 * iterator: it resolves a root once (signature checked, seq never lower than seen), then descends
 * one random unvisited branch child per lookup until it reaches a record. A pass that has visited
 * every leaf starts again from the root, mostly from the cache.
 */
export class DnsTreeClient {
  readonly #secp: Secp256k1Provider
  readonly #entries: EntryResolver
  readonly #maxRequests: number
  readonly #followLinks: boolean
  readonly #maxTrees: number
  readonly #random: () => number
  readonly #added = new Set<string>()
  readonly #trees = new Map<string, TreeState>()
  readonly #seqs = new Map<string, number>()

  constructor(init: DnsTreeClientInit) {
    this.#secp = init.secp
    const resolveTxt =
      init.resolveTxt ?? nodeResolveTxt(init.servers === undefined ? {} : { servers: init.servers })
    this.#entries = new EntryResolver(resolveTxt, init.secp, init.cacheSize ?? 1000)
    this.#maxRequests = init.maxRequests ?? 50
    this.#followLinks = init.followLinks ?? true
    this.#maxTrees = init.maxTrees ?? 64
    this.#random = init.random ?? Math.random
  }

  /** Adds a tree by its enrtree:// URL (throws `EntryDecodeError` for a bad URL). */
  addTree(url: string): void {
    const state = this.#state(url)
    this.#added.add(state.url)
  }

  /** URLs of the trees the client walks: added ones and, once resolved, linked ones. */
  get trees(): string[] {
    return [...this.#trees.keys()]
  }

  /**
   * One node record from a random tree, or `undefined` when no tree has a record or the request
   * budget ran out. Verification failures throw when no other tree gave a record.
   */
  async nextEnr(options: AbortOptions = {}): Promise<Enr | undefined> {
    const budget = new RequestBudget(this.#maxRequests)
    let failure: unknown
    try {
      if (this.#followLinks) await this.#syncLinks(budget, options.signal)
    } catch (error) {
      if (isBudget(error)) return undefined
      if (isAbort(error)) throw error
      failure = error
    }
    for (const state of this.#shuffled([...this.#trees.values()])) {
      try {
        const enr = await this.#walk(state, budget, options.signal)
        if (enr !== undefined) return enr
      } catch (error) {
        if (isBudget(error)) return undefined
        if (isAbort(error)) throw error
        failure ??= error
      }
    }
    if (failure !== undefined) throw failure
    return undefined
  }

  /** Every tree URL reachable through links from the added trees (syncs link subtrees). */
  async links(options: AbortOptions = {}): Promise<string[]> {
    await this.#syncLinks(new RequestBudget(this.#maxRequests), options.signal)
    return [...this.#trees.keys()].filter((url) => !this.#added.has(url))
  }

  /** Re-resolves every root. A changed root restarts that tree's walk and link sync. */
  async refresh(options: AbortOptions = {}): Promise<RootUpdate[]> {
    const budget = new RequestBudget(this.#maxRequests)
    const updates: RootUpdate[] = []
    for (const state of [...this.#trees.values()]) {
      const before = state.root
      const root = await this.#updateRoot(state, budget, options.signal)
      const changed =
        before !== undefined && (before.enrRoot !== root.enrRoot || before.linkRoot !== root.linkRoot)
      updates.push({ url: state.url, seq: root.seq, changed })
    }
    return updates
  }

  /** Resolves the whole tree at `url`: every record and link (no budget unless `maxRequests`). */
  async syncTree(url: string, options: AbortOptions & { maxRequests?: number } = {}): Promise<SyncedTree> {
    const state = this.#state(url)
    const budget = new RequestBudget(options.maxRequests ?? Number.POSITIVE_INFINITY)
    const root = await this.#updateRoot(state, budget, options.signal)
    const enrs: Enr[] = []
    const links: string[] = []
    for (const [start, kind] of [
      [root.enrRoot, 'enr'],
      [root.linkRoot, 'link'],
    ] as const) {
      const queue = [start]
      for (let hash = queue.shift(); hash !== undefined; hash = queue.shift()) {
        const entry = await this.#entry(state, hash, kind, budget, options.signal)
        if (entry.type === 'branch') queue.push(...entry.children)
        else if (entry.type === 'enr') enrs.push(entry.enr)
        else links.push(formatEnrtreeUrl(entry))
      }
    }
    return { root, enrs, links }
  }

  #state(url: string): TreeState {
    const link = parseEnrtreeUrl(url, this.#secp)
    const key = formatEnrtreeUrl(link)
    let state = this.#trees.get(key)
    if (state === undefined) {
      state = { url: key, link, root: undefined, missing: [], links: undefined }
      this.#trees.set(key, state)
    }
    return state
  }

  async #updateRoot(state: TreeState, budget: RequestBudget, signal?: AbortSignal): Promise<RootEntry> {
    const root = await this.#entries.root(state.link, budget, signal)
    const seen = this.#seqs.get(state.url)
    if (seen !== undefined && root.seq < seen)
      throw new TreeVerificationError(
        'stale-seq',
        state.link.domain,
        `root seq ${root.seq} is below ${seen}, seen before`,
      )
    this.#seqs.set(state.url, root.seq)
    const before = state.root
    state.root = root
    if (before === undefined || before.enrRoot !== root.enrRoot) state.missing = []
    if (before === undefined || before.linkRoot !== root.linkRoot) state.links = undefined
    return root
  }

  async #walk(state: TreeState, budget: RequestBudget, signal?: AbortSignal): Promise<Enr | undefined> {
    const root = state.root ?? (await this.#updateRoot(state, budget, signal))
    if (state.missing.length === 0) state.missing = [root.enrRoot]
    while (state.missing.length > 0) {
      const index = Math.floor(this.#random() * state.missing.length)
      const hash = state.missing[index] as string
      // A failed lookup leaves the hash in place, to be retried.
      const entry = await this.#entry(state, hash, 'enr', budget, signal)
      state.missing.splice(index, 1)
      if (entry.type === 'branch') state.missing.push(...entry.children)
      else if (entry.type === 'enr') return entry.enr
    }
    return undefined
  }

  async #entry(
    state: TreeState,
    hash: string,
    kind: 'enr' | 'link',
    budget: RequestBudget,
    signal?: AbortSignal,
  ) {
    const entry = await this.#entries.entry(state.link.domain, hash, budget, signal)
    const name = `${hash}.${state.link.domain}`
    if (kind === 'enr' && entry.type === 'link')
      throw new TreeVerificationError('link-in-enr-tree', name, 'a link below the e= root')
    if (kind === 'link' && entry.type === 'enr')
      throw new TreeVerificationError('enr-in-link-tree', name, 'a node record below the l= root')
    return entry
  }

  /**
   * Syncs the link subtree of every tree not synced for its current root, adding linked trees and
   * dropping ones no longer linked. Each tree is tried once per call; the first failure is thrown
   * after the others were tried.
   */
  async #syncLinks(budget: RequestBudget, signal?: AbortSignal): Promise<void> {
    const tried = new Set<TreeState>()
    let failure: unknown
    for (let pending = this.#unsynced(tried); pending !== undefined; pending = this.#unsynced(tried)) {
      tried.add(pending)
      try {
        const root = pending.root ?? (await this.#updateRoot(pending, budget, signal))
        const links: string[] = []
        const queue = [root.linkRoot]
        for (let hash = queue.shift(); hash !== undefined; hash = queue.shift()) {
          const entry = await this.#entry(pending, hash, 'link', budget, signal)
          if (entry.type === 'branch') queue.push(...entry.children)
          else if (entry.type === 'link') links.push(formatEnrtreeUrl(entry))
        }
        pending.links = links
        for (const url of links) if (this.#trees.size < this.#maxTrees) this.#state(url)
      } catch (error) {
        if (isBudget(error) || isAbort(error)) throw error
        failure ??= error
      }
    }
    this.#dropUnlinked()
    if (failure !== undefined) throw failure
  }

  #unsynced(tried: Set<TreeState>): TreeState | undefined {
    for (const state of this.#trees.values()) if (state.links === undefined && !tried.has(state)) return state
    return undefined
  }

  /** Forgets linked trees that no added tree reaches any more. */
  #dropUnlinked(): void {
    const reached = new Set(this.#added)
    const queue = [...this.#added]
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      for (const next of this.#trees.get(url)?.links ?? []) {
        if (!reached.has(next)) {
          reached.add(next)
          queue.push(next)
        }
      }
    }
    for (const url of [...this.#trees.keys()]) if (!reached.has(url)) this.#trees.delete(url)
  }

  #shuffled<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1))
      ;[items[i], items[j]] = [items[j] as T, items[i] as T]
    }
    return items
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof AbortError
}

function isBudget(error: unknown): boolean {
  return error instanceof DnsLookupError && error.reason === 'budget'
}
