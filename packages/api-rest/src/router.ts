/** Routes by method and path pattern (`/relay/v1/messages/{pubsubTopic}`), nwaku's route table. */
import { BadRequestError } from './json.ts'

export interface RestRequest {
  /** decoded path parameters */
  params: Readonly<Record<string, string>>
  query: URLSearchParams
  /** the parsed JSON body (`undefined` when empty); throws `BadRequestError` */
  body(): Promise<unknown>
  /** aborts when the client goes away or the server stops */
  signal: AbortSignal
}

export interface RestResponse {
  status: number
  /** serialized with `toJson` as application/json */
  json?: unknown
  /** sent as text/plain */
  text?: string
}

export type RouteHandler = (request: RestRequest) => Promise<RestResponse> | RestResponse

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  pattern: string
  handler: RouteHandler
}

/** A group of routes and what it holds (subscriptions) until the server stops. */
export interface RouteGroup {
  routes: Route[]
  stop?(): Promise<void>
}

export const ok = (): RestResponse => ({ status: 200, text: 'OK' })
export const json = (value: unknown, status = 200): RestResponse => ({ status, json: value })
export const text = (status: number, reason: string): RestResponse => ({ status, text: reason })

/** nwaku's 404 for a service this node does not run. */
export const notMounted = (what: string): RestResponse => text(404, `${what} is not mounted on this node`)

export type Match =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' }

export class Router {
  readonly #routes: Array<Route & { segments: string[] }> = []

  add(routes: readonly Route[]): void {
    for (const route of routes) this.#routes.push({ ...route, segments: route.pattern.split('/') })
  }

  /** Matches the raw (still percent-encoded) `path`; throws `BadRequestError` for bad escapes. */
  match(method: string, path: string): Match {
    const segments = path.split('/')
    const allowed: string[] = []
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments)
      if (params === undefined) continue
      if (route.method === method) return { kind: 'route', route, params }
      allowed.push(route.method)
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' }
  }
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, expected] of pattern.entries()) {
    const actual = path[i] ?? ''
    if (expected.startsWith('{') && expected.endsWith('}')) {
      if (actual === '') return undefined
      params[expected.slice(1, -1)] = decode(actual)
    } else if (expected !== actual) return undefined
  }
  return params
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new BadRequestError(`malformed percent-encoding in ${segment.slice(0, 100)}`)
  }
}
