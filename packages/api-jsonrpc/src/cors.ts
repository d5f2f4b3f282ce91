/**
 * Browser origins, as geth's `--http.corsdomain` and `--ws.origins` treat them. An allow-list entry
 * is `*`, or an origin whose scheme and port may be left out (`localhost` matches any scheme and
 * port on localhost, `http://localhost` any port). Comparison ignores case.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

interface OriginRule {
  scheme?: string
  host: string
  port?: string
}

function parseRule(entry: string): OriginRule | undefined {
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\[[^\]]*\]|[^:/]*)(?::(\d+))?\/?$/i.exec(entry.trim())
  if (match === null || match[2] === undefined || match[2] === '') return undefined
  return { scheme: match[1]?.toLowerCase(), host: match[2].toLowerCase(), port: match[3] }
}

/** Whether `origin` (an `Origin` header) is on `allowList`. */
export function originAllowed(origin: string, allowList: readonly string[]): boolean {
  if (allowList.includes('*')) return true
  const seen = parseRule(origin)
  if (seen === undefined || seen.scheme === undefined) return false
  const port = seen.port ?? (seen.scheme === 'https' ? '443' : '80')
  return allowList.some((entry) => {
    const rule = parseRule(entry)
    if (rule === undefined || rule.host !== seen.host) return false
    if (rule.scheme !== undefined && rule.scheme !== seen.scheme) return false
    return rule.port === undefined || rule.port === port
  })
}

/**
 * geth's rule for WebSocket upgrades: no `Origin` header (not a browser) passes; with an empty
 * list only `localhost` is allowed.
 */
export function webSocketOriginAllowed(origin: string | undefined, allowList: readonly string[]): boolean {
  if (origin === undefined) return true
  return originAllowed(origin, allowList.length === 0 ? ['localhost'] : allowList)
}

/**
 * Adds CORS headers for an allowed `Origin` and answers a preflight. Returns true when the request
 * was a preflight and has been answered.
 */
export function applyCors(
  request: IncomingMessage,
  response: ServerResponse,
  allowList: readonly string[],
): boolean {
  const origin = request.headers.origin
  const preflight =
    request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
  if (allowList.length === 0) return false
  const allowed = origin !== undefined && originAllowed(origin, allowList)
  if (allowed) {
    response.setHeader('Access-Control-Allow-Origin', allowList.includes('*') ? '*' : origin)
    response.setHeader('Vary', 'Origin')
  }
  if (!preflight) return false
  if (allowed) {
    response.setHeader('Access-Control-Allow-Methods', 'POST, GET')
    const headers = request.headers['access-control-request-headers']
    if (headers !== undefined) response.setHeader('Access-Control-Allow-Headers', headers)
    response.setHeader('Access-Control-Max-Age', '600')
  }
  response.statusCode = 204
  response.end()
  return true
}
