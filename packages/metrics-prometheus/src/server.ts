import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closeServer, listen, reply } from '@parley/http'
import {
  AbortError,
  type AbortOptions,
  type Logger,
  type Metrics,
  ParleyError,
  type Startable,
} from '@parley/interfaces'

/** Where the metrics endpoint listens. */
export interface PrometheusInit {
  /** TCP port; `0` picks a free one (read it back with `address()`). Default 8008, as nwaku. */
  port?: number
  /** Interface to bind. Default `127.0.0.1`: metrics are not for the whole network unless asked. */
  address?: string
  /** URL path serving the exposition. Default `/metrics`. */
  path?: string
}

export interface BoundAddress {
  host: string
  port: number
}

/** The running endpoint: a `Startable` that serves the node's metrics over HTTP. */
export interface PrometheusServer extends Startable {
  start(options?: AbortOptions): Promise<void>
  stop(options?: AbortOptions): Promise<void>
  /** The bound host and port while started, `undefined` otherwise. */
  address(): BoundAddress | undefined
  /** `http://host:port/path` while started, `undefined` otherwise. */
  url(): string | undefined
  isStarted(): boolean
}

/** The metrics HTTP server could not listen (port in use, address not available…). */
export class MetricsServerError extends ParleyError {
  static override readonly code = 'ERR_METRICS_SERVER'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, MetricsServerError.code, options)
    this.name = 'MetricsServerError'
  }
}

export const DEFAULT_PORT = 8008
export const DEFAULT_ADDRESS = '127.0.0.1'
export const DEFAULT_PATH = '/metrics'

export interface PrometheusServerComponents {
  metrics: Metrics
  log: Logger
}

export class PrometheusHttpServer implements PrometheusServer {
  readonly #components: PrometheusServerComponents
  readonly #port: number
  readonly #host: string
  readonly #path: string
  #server: Server | undefined
  #starting: Promise<void> | undefined
  #stopping: Promise<void> | undefined

  constructor(components: PrometheusServerComponents, init: PrometheusInit = {}) {
    this.#components = components
    this.#port = init.port ?? DEFAULT_PORT
    this.#host = init.address ?? DEFAULT_ADDRESS
    this.#path = init.path ?? DEFAULT_PATH
  }

  isStarted(): boolean {
    return this.#server !== undefined
  }

  address(): BoundAddress | undefined {
    const bound = this.#server?.address() as AddressInfo | null | undefined
    if (bound == null) return undefined
    return { host: bound.address, port: bound.port }
  }

  url(): string | undefined {
    const bound = this.address()
    if (bound === undefined) return undefined
    const host = bound.host.includes(':') ? `[${bound.host}]` : bound.host
    return `http://${host}:${bound.port}${this.#path}`
  }

  start(options: AbortOptions = {}): Promise<void> {
    // Concurrent calls share one listen (a second server on port 0 would take a second port).
    if (this.#starting !== undefined) return this.#starting
    if (this.#server !== undefined) return Promise.resolve()
    if (options.signal?.aborted) return Promise.reject(new AbortError('metrics server start was aborted'))
    const starting = (async () => {
      await this.#stopping
      const server = createServer((request, response) => this.#handle(request, response))
      await listen(server, {
        port: this.#port,
        host: this.#host,
        signal: options.signal,
        onError: (cause) =>
          new MetricsServerError(
            `metrics server cannot listen on ${this.#host}:${this.#port}: ${cause.message}`,
            { cause },
          ),
        abortMessage: 'metrics server start was aborted',
      })
      this.#server = server
      this.#components.log.info('serving metrics at %s', this.url())
    })()
    this.#starting = starting.finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  stop(): Promise<void> {
    if (this.#stopping !== undefined) return this.#stopping
    const stopping = (async () => {
      await this.#starting?.catch(() => {})
      const server = this.#server
      if (server === undefined) return
      this.#server = undefined
      await closeServer(server)
    })()
    this.#stopping = stopping.finally(() => {
      this.#stopping = undefined
    })
    return this.#stopping
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0]
    if (path !== this.#path) {
      reply(response, 404, 'text/plain; charset=utf-8', 'Not Found\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD')
      reply(response, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n')
      return
    }
    this.#components.metrics.expose().then(
      (body) => reply(response, 200, this.#components.metrics.contentType, body, request.method === 'HEAD'),
      (error: unknown) => {
        this.#components.log.error('could not render metrics: %s', error)
        reply(response, 500, 'text/plain; charset=utf-8', 'Internal Server Error\n')
      },
    )
  }
}
