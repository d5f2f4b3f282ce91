/** Value checks shared by configuration options: each returns why a value is wrong, or `undefined`. */
import { isIP } from 'node:net'
import { parseEnode } from '@parley/transport-devp2p'

export const PRIVATE_KEY_HEX = /^(0x)?[0-9a-fA-F]{64}$/

/** The first item `valid` rejects, with why; `undefined` when every item passes. */
export function firstBad(
  items: readonly string[],
  valid: (item: string) => string | undefined,
): string | undefined {
  for (const item of items) {
    const reason = valid(item)
    if (reason !== undefined) return `${JSON.stringify(item)}: ${reason}`
  }
  return undefined
}

/** node:dns `setServers` syntax: `ip`, `ipv4:port` or `[ipv6]:port`. */
export function nameServerProblem(server: string): string | undefined {
  if (isIP(server) !== 0) return undefined
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(server)
  const host = match?.[1] ?? match?.[2]
  const port = Number(match?.[3])
  return host !== undefined && isIP(host) !== 0 && port >= 1 && port <= 65535
    ? undefined
    : 'expected ip, ipv4:port or [ipv6]:port'
}

export function enodeProblem(url: string): string | undefined {
  try {
    parseEnode(url)
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

export function ipProblem(value: string): string | undefined {
  return isIP(value) === 0 ? 'expected an IPv4 or IPv6 address' : undefined
}

/** A list whose items must come from `allowed`, each at most once. */
export function choicesProblem(items: readonly string[], allowed: readonly string[]): string | undefined {
  const seen = new Set<string>()
  return firstBad(items, (item) => {
    if (!allowed.includes(item)) return `expected one of ${allowed.join(', ')}`
    if (seen.has(item)) return 'given twice'
    seen.add(item)
    return undefined
  })
}

/**
 * CORS origins as geth's `--http.corsdomain` takes them: `*`, or an origin whose scheme and port may
 * be left out (`localhost`, `http://localhost:3000`, `https://example.org`).
 */
export function originProblem(origin: string): string | undefined {
  if (origin === '*') return undefined
  return /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?\/?$/i.test(origin)
    ? undefined
    : 'expected *, or [scheme://]host[:port] such as https://example.org'
}

/** A libp2p peer address as Waku configurations take it: a multiaddr ending in `/p2p/<peer id>`. */
export function multiaddrProblem(address: string): string | undefined {
  return /^\/(ip4|ip6|dns|dns4|dns6|dnsaddr)\/[^/\s]+(\/[^/\s]+)*\/p2p\/[1-9A-HJ-NP-Za-km-z]{20,}$/.test(
    address,
  )
    ? undefined
    : 'expected a multiaddr ending in /p2p/<peer id>'
}

/** `staticnode` entries: enode URLs for devp2p, multiaddrs for libp2p. */
export function peerAddressProblem(address: string): string | undefined {
  return address.startsWith('enode://') ? enodeProblem(address) : multiaddrProblem(address)
}

/** A signed node record in text form; the signature is checked when the record is used. */
export function enrTextProblem(text: string): string | undefined {
  return /^enr:[A-Za-z0-9_-]+$/.test(text) ? undefined : 'expected an enr:<base64url> record'
}
