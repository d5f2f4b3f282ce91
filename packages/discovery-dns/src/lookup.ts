import { keccak256, utf8ToBytes } from '@parley/crypto'
import { AbortError, type Secp256k1Provider } from '@parley/interfaces'
import { base32Decode } from './base32.ts'
import {
  type LinkEntry,
  parseEntry,
  parseRoot,
  ROOT_PREFIX,
  type RootEntry,
  type TreeEntry,
} from './entries.ts'
import { DnsLookupError, EntryDecodeError, TreeVerificationError } from './errors.ts'
import type { ResolveTxt } from './node-resolver.ts'
import { verifyRoot } from './tree.ts'

/** Counts DNS lookups; `take` throws `DnsLookupError` (reason `budget`) once they are used up. */
export class RequestBudget {
  #remaining: number

  constructor(max: number) {
    this.#remaining = max
  }

  get remaining(): number {
    return this.#remaining
  }

  take(name: string): void {
    if (this.#remaining <= 0) throw new DnsLookupError('budget', name, 'request budget used up')
    this.#remaining--
  }
}

/**
 * Fetches and checks TXT records: roots against the tree key, entries against their hash. Entries
 * are content-addressed, so verified ones are cached by hash (oldest dropped past `cacheSize`).
 */
export class EntryResolver {
  readonly #resolveTxt: ResolveTxt
  readonly #secp: Secp256k1Provider
  readonly #cacheSize: number
  readonly #cache = new Map<string, TreeEntry>()

  constructor(resolveTxt: ResolveTxt, secp: Secp256k1Provider, cacheSize: number) {
    this.#resolveTxt = resolveTxt
    this.#secp = secp
    this.#cacheSize = cacheSize
  }

  /** Resolves `domain` and returns the first root record signed by the tree's key. */
  async root(link: LinkEntry, budget: RequestBudget, signal?: AbortSignal): Promise<RootEntry> {
    const texts = await this.#lookup(link.domain, budget, signal)
    let failure: unknown
    for (const text of texts) {
      if (!text.startsWith(ROOT_PREFIX)) continue
      try {
        return verifyRoot(parseRoot(text), link.publicKey, this.#secp, link.domain)
      } catch (error) {
        failure ??= error
      }
    }
    if (failure !== undefined) throw failure
    throw new DnsLookupError('no-root', link.domain, 'no enrtree-root record')
  }

  /** Resolves `<hash>.<domain>`; the record's keccak256 must start with the decoded hash. */
  async entry(domain: string, hash: string, budget: RequestBudget, signal?: AbortSignal): Promise<TreeEntry> {
    const cached = this.#cache.get(hash)
    if (cached !== undefined) return cached
    const name = `${hash}.${domain}`
    const wanted = base32Decode(hash)
    for (const text of await this.#lookup(name, budget, signal)) {
      let entry: TreeEntry | undefined
      let failure: unknown
      try {
        entry = parseEntry(text, this.#secp)
      } catch (error) {
        if (error instanceof EntryDecodeError && error.reason === 'unknown-entry') continue
        failure = error
      }
      // Like go-ethereum, a wrong hash outranks a parse error: the record is not the one named.
      if (!startsWith(keccak256(utf8ToBytes(text)), wanted))
        throw new TreeVerificationError('hash-mismatch', name, 'record content does not match its hash')
      if (entry === undefined) {
        const cause = failure as EntryDecodeError
        throw new EntryDecodeError(cause.entry, cause.reason, cause.message, { cause, dnsName: name })
      }
      this.#remember(hash, entry)
      return entry
    }
    throw new DnsLookupError('no-entry', name, 'no tree entry in the TXT records')
  }

  #remember(hash: string, entry: TreeEntry): void {
    if (this.#cacheSize <= 0) return
    this.#cache.set(hash, entry)
    if (this.#cache.size > this.#cacheSize) {
      const oldest = this.#cache.keys().next().value
      if (oldest !== undefined) this.#cache.delete(oldest)
    }
  }

  /** TXT records of `name`, each record's character-strings joined without a separator. */
  async #lookup(name: string, budget: RequestBudget, signal?: AbortSignal): Promise<string[]> {
    if (signal?.aborted) throw new AbortError()
    budget.take(name)
    let records: string[][]
    try {
      records = await this.#resolveTxt(name, signal === undefined ? {} : { signal })
    } catch (cause) {
      if (cause instanceof AbortError || signal?.aborted)
        throw cause instanceof AbortError ? cause : new AbortError()
      throw new DnsLookupError(
        'resolver',
        name,
        `lookup failed: ${cause instanceof Error ? cause.message : cause}`,
        {
          cause,
        },
      )
    }
    return records.map((strings) => strings.join(''))
  }
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false
  return prefix.every((byte, index) => bytes[index] === byte)
}
