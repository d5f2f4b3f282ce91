/** `RestApiServer`: the HTTP side (binding, CORS, bodies, errors) around the route groups. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closeServer, listen, reply } from '@parley/http'
import { AbortError, type AbortOptions, type Logger, ParleyError, type Startable } from '@parley/interfaces'
import { BadRequestError, parseJson, toJson } from './json.ts'
import { type RestResponse, type RouteGroup, Router, text } from './router.ts'
import { filterRoutes } from './routes/filter.ts'
import { lightpushRoutes } from './routes/lightpush.ts'
import { nodeRoutes } from './routes/node.ts'
import { relayRoutes } from './routes/relay.ts'
import { storeRoutes } from './routes/store.ts'
import type { RestServices, RouteSettings } from './services.ts'

/** The REST server could not listen (port in use, address not available…). */
export class RestServerError extends ParleyError {
  static override readonly code = 'ERR_REST_SERVER'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, RestServerError.code, options)
    this.name = 'RestServerError'
  }
}

export interface RestServerSettings extends RouteSettings {
  port: number
  address: string
  /** allowed `Origin`s (`*` for any); empty: no CORS headers, any origin served */
  allowOrigins: readonly string[]
  maxBodyBytes: number
}

export interface RestApiComponents {
  services: RestServices
  log: Logger
}

const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS'

class PayloadTooLargeError extends ParleyError {}

export class RestApiServer implements Startable {
  readonly #components: RestApiComponents
  readonly #settings: RestServerSettings
  #server: Server | undefined
  #groups: RouteGroup[] = []
  #router = new Router()
  #stopping = new AbortController()
  /** start and stop run one after the other, so concurrent calls settle consistently */
  #lifecycle: Promise<unknown> = Promise.resolve()

  constructor(components: RestApiComponents, settings: RestServerSettings) {
    this.#components = components
    this.#settings = settings
  }

  isStarted(): boolean {
    return this.#server !== undefined
  }

  /** The bound host and port while started. */
  address(): { host: string; port: number } | undefined {
    const bound = this.#server?.address() as AddressInfo | null | undefined
    return bound == null ? undefined : { host: bound.address, port: bound.port }
  }

  /** `http://host:port` while started. */
  url(): string | undefined {
    const bound = this.address()
    if (bound === undefined) return undefined
    return `http://${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted === true) throw new AbortError('REST API start aborted')
    return this.#serially(() => this.#start(options))
  }

  async stop(): Promise<void> {
    return this.#serially(() => this.#stop())
  }

  #serially(transition: () => Promise<void>): Promise<void> {
    const run = this.#lifecycle.then(transition)
    this.#lifecycle = run.catch(() => undefined)
    return run
  }

  async #start(options: AbortOptions): Promise<void> {
    if (this.#server !== undefined) return
    if (options.signal?.aborted === true) throw new AbortError('REST API start aborted')
    const { services } = this.#components
    const settings = this.#settings
    this.#stopping = new AbortController()
    this.#groups = [
      nodeRoutes(services, settings),
      relayRoutes(services.relay, settings),
      storeRoutes(services.store, settings),
      filterRoutes(services.filterClient, settings),
      lightpushRoutes(services, settings),
    ]
    this.#router = new Router()
    for (const group of this.#groups) this.#router.add(group.routes)
    const server = createServer((request, response) => void this.#handle(request, response))
    this.#server = server
    try {
      await listen(server, {
        port: settings.port,
        host: settings.address,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onError: (cause) =>
          new RestServerError(
            `REST API cannot listen on ${settings.address}:${settings.port}: ${cause.message}`,
            {
              cause,
            },
          ),
        abortMessage: 'REST API start aborted',
      })
    } catch (error) {
      this.#server = undefined
      await this.#stopGroups()
      throw error
    }
    this.#components.log(`REST API at ${this.url()}`)
  }

  async #stop(): Promise<void> {
    const server = this.#server
    if (server === undefined) return
    this.#server = undefined
    this.#stopping.abort(new AbortError('REST API stopped'))
    await closeServer(server)
    await this.#stopGroups()
  }

  async #stopGroups(): Promise<void> {
    const groups = this.#groups
    this.#groups = []
    await Promise.allSettled(groups.map((group) => group.stop?.()))
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headOnly = request.method === 'HEAD'
    try {
      if (!this.#cors(request, response)) return send(response, text(403, 'Origin not allowed'), false)
      if (request.method === 'OPTIONS') {
        response.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS)
        response.setHeader('Access-Control-Allow-Headers', 'Content-Type')
        return send(response, { status: 204 }, true)
      }
      send(response, await this.#route(request, response), headOnly)
    } catch (error) {
      send(response, this.#failure(error), headOnly)
    }
  }

  async #route(request: IncomingMessage, response: ServerResponse): Promise<RestResponse> {
    const url = new URL(request.url ?? '/', 'http://rest.invalid')
    const path = (request.url ?? '/').split('?')[0] ?? '/'
    const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET')
    const match = this.#router.match(method, path)
    if (match.kind === 'not-found') return text(404, `no such endpoint: ${path.slice(0, 200)}`)
    if (match.kind === 'method-not-allowed') return text(405, `use ${match.allowed.join(', ')}`)
    const signal = AbortSignal.any([this.#stopping.signal, closedSignal(response)])
    let body: Promise<unknown> | undefined
    return match.route.handler({
      params: match.params,
      query: url.searchParams,
      signal,
      body: () => {
        body ??= readBody(request, this.#settings.maxBodyBytes)
        return body
      },
    })
  }

  #failure(error: unknown): RestResponse {
    if (error instanceof BadRequestError) return text(400, error.message)
    if (error instanceof PayloadTooLargeError) return text(413, error.message)
    const name = error instanceof Error ? error.name : ''
    if (name === 'InvalidParametersError') return text(400, (error as Error).message)
    if (name === 'NotStartedError') return text(503, `service not running: ${(error as Error).message}`)
    if (name === 'AbortError' || name === 'TimeoutError') return text(503, 'request timed out or cancelled')
    this.#components.log.error(
      'REST handler failed: %s',
      error instanceof Error ? error.stack : String(error),
    )
    return text(500, 'internal error')
  }

  /** Sets CORS headers for an allowed origin; false when an allow-list excludes the request's origin. */
  #cors(request: IncomingMessage, response: ServerResponse): boolean {
    const allowed = this.#settings.allowOrigins
    const origin = request.headers.origin
    if (allowed.length === 0 || origin === undefined) return true
    if (!allowed.includes('*') && !allowed.includes(origin)) return false
    response.setHeader('Access-Control-Allow-Origin', allowed.includes('*') ? '*' : origin)
    response.setHeader('Vary', 'Origin')
    return true
  }
}

function send(response: ServerResponse, result: RestResponse, headOnly: boolean): void {
  if (response.headersSent) return
  if (result.json !== undefined)
    reply(response, result.status, 'application/json', toJson(result.json), headOnly)
  else if (result.text !== undefined)
    reply(response, result.status, 'text/plain; charset=utf-8', result.text, headOnly)
  else {
    response.statusCode = result.status
    response.end()
  }
}

/** An AbortSignal that fires when the response closes: answered, or the client went away first. */
function closedSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController()
  response.once('close', () => controller.abort(new AbortError('client went away')))
  return controller.signal
}

/** The JSON body, at most `limit` bytes; `undefined` when empty. */
async function readBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > limit) throw new PayloadTooLargeError(`body exceeds ${limit} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new PayloadTooLargeError(`body exceeds ${limit} bytes`)
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') throw new BadRequestError('the request needs a JSON body')
  return parseJson(text)
}
