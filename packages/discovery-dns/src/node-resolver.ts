import type * as DnsPromises from 'node:dns/promises'
import { AbortError, type AbortOptions, UnsupportedError } from '@parley/interfaces'

/** Looks up the TXT records of a name; each record is a list of character-strings. */
export type ResolveTxt = (name: string, options: AbortOptions) => Promise<string[][]>

export interface NodeResolverOptions {
  /** `'ip'` or `'ip:port'` (IPv6 as `'[::1]:53'`); the system's servers when absent */
  servers?: readonly string[]
  /** per-try timeout in milliseconds; default 2000 */
  timeoutMs?: number
  /** tries per server; default 2 */
  tries?: number
}

function dnsPromises(): typeof DnsPromises | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  return proc?.getBuiltinModule?.('node:dns/promises') as typeof DnsPromises | undefined
}

/**
 * `resolveTxt` over `node:dns/promises`. The module is fetched with `process.getBuiltinModule`, so
 * this package still imports in browsers; calling this there throws `UnsupportedError`. Each
 * lookup gets its own `Resolver`, so aborting one cancels only that lookup.
 */
export function nodeResolveTxt(options: NodeResolverOptions = {}): ResolveTxt {
  const dns = dnsPromises()
  if (dns === undefined)
    throw new UnsupportedError('dnsdisc: node:dns/promises is not available; pass resolveTxt')
  const servers = options.servers === undefined ? undefined : [...options.servers]
  return async (name, { signal } = {}) => {
    if (signal?.aborted) throw new AbortError()
    const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 })
    if (servers !== undefined) resolver.setServers(servers)
    const onAbort = (): void => resolver.cancel()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      return await resolver.resolveTxt(name)
    } catch (cause) {
      if (signal?.aborted) throw new AbortError(undefined, { cause })
      throw cause
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }
}
