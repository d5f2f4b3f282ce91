/** The public shapes of the JSON-RPC service: its options, its server handle and its error. */
import { type AbortOptions, InvalidConfigError, ParleyError, type Startable } from '@parley/interfaces'

export interface JsonRpcInit {
  /** Interface for HTTP. Default `127.0.0.1`: key material goes through this API. */
  host?: string
  /** HTTP port; `0` picks a free one (read it back with `address()`). Default 8545, as geth. */
  port?: number
  /** URL path served, over HTTP and WebSocket. Default `/`. */
  path?: string
  /** Largest request body or WebSocket frame; larger bodies get HTTP 413. Default 5 MiB, as geth. */
  maxBodyBytes?: number
  /** Messages buffered per filter between polls; the oldest are dropped first. Default 1000. */
  maxBufferedMessages?: number
  /** WebSocket port (geth's default is 8546); `0` picks a free one. Unset: no WebSocket server. */
  wsPort?: number
  /** Interface for WebSocket. Default: `host`. Equal host and port share the HTTP server, as geth. */
  wsHost?: string
  /**
   * Browser origins allowed, geth's `--http.corsdomain` and `--ws.origins` together: `*`, or
   * origins such as `https://app.example` (scheme and port optional). Default: none over HTTP (no
   * CORS headers), only `localhost` over WebSocket. Requests without `Origin` are always served.
   */
  cors?: readonly string[]
}

export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_PORT = 8545
export const DEFAULT_PATH = '/'
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024

export interface BoundAddress {
  host: string
  port: number
}

/** The running API: a `Startable` HTTP (and WebSocket) server, plus in-process access to the methods. */
export interface JsonRpcServer extends Startable {
  start(options?: AbortOptions): Promise<void>
  stop(options?: AbortOptions): Promise<void>
  isStarted(): boolean
  /** The bound HTTP host and port while started. */
  address(): BoundAddress | undefined
  /** `http://host:port/path` while started. */
  url(): string | undefined
  /** The bound WebSocket host and port while started with `wsPort`. */
  wsAddress(): BoundAddress | undefined
  /** `ws://host:port/path` while started with `wsPort`. */
  wsUrl(): string | undefined
  /** Serves one request body as HTTP would; `undefined` when only notifications were sent. */
  handle(body: string, options?: AbortOptions): Promise<string | undefined>
  /** Names of the methods served. */
  methods(): string[]
}

/** The server could not listen (port taken, bad address). */
export class JsonRpcServerError extends ParleyError {
  static override readonly code = 'ERR_JSON_RPC_SERVER'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, JsonRpcServerError.code, options)
    this.name = 'JsonRpcServerError'
  }
}

function port(value: number | undefined, field: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 65535))
    throw new InvalidConfigError(`jsonRpc ${field} must be an integer from 0 to 65535`)
}

/** Throws `InvalidConfigError` for options that can never work, where they are written. */
export function checkInit(init: JsonRpcInit): void {
  port(init.port, 'port')
  port(init.wsPort, 'wsPort')
  for (const field of ['maxBodyBytes', 'maxBufferedMessages'] as const) {
    const value = init[field]
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      throw new InvalidConfigError(`jsonRpc ${field} must be a positive integer`)
  }
  if (init.path !== undefined && !init.path.startsWith('/'))
    throw new InvalidConfigError('jsonRpc path must start with /')
  if (init.cors !== undefined && !init.cors.every((origin) => typeof origin === 'string' && origin !== ''))
    throw new InvalidConfigError('jsonRpc cors must list origins (strings) or "*"')
}
