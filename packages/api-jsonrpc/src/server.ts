/**
 * The HTTP endpoint: POST bodies of JSON-RPC 2.0 to `path`, answered by the shh_* methods.
 * Bodies over `maxBodyBytes` get 413 before they are read in full; stop closes every socket.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadCrypto } from '@parley/crypto'
import { closeServer, listen, reply } from '@parley/http'
import {
  AbortError,
  type AbortOptions,
  type Logger,
  NotStartedError,
  ParleyError,
  type Secp256k1Provider,
  type Startable,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import { MessageFilters } from './filters.ts'
import { handleBody, type RpcMethod } from './jsonrpc.ts'
import { ShhKeyStore } from './keys.ts'
import { shhMethods } from './shh.ts'

export interface JsonRpcInit {
  /** Interface to bind. Default `127.0.0.1`: key material goes through this API. */
  host?: string
  /** TCP port; `0` picks a free one (read it back with `address()`). Default 8545, as geth. */
  port?: number
  /** URL path served. Default `/`. */
  path?: string
  /** Largest request body; larger ones get HTTP 413. Default 5 MiB, as geth. */
  maxBodyBytes?: number
  /** Messages buffered per filter between polls; the oldest are dropped first. Default 1000. */
  maxBufferedMessages?: number
}

export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_PORT = 8545
export const DEFAULT_PATH = '/'
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024

export interface BoundAddress {
  host: string
  port: number
}

/** The running API: a `Startable` HTTP server, plus in-process access to the same methods. */
export interface JsonRpcServer extends Startable {
  start(options?: AbortOptions): Promise<void>
  stop(options?: AbortOptions): Promise<void>
  isStarted(): boolean
  /** The bound host and port while started. */
  address(): BoundAddress | undefined
  /** `http://host:port/path` while started. */
  url(): string | undefined
  /** Serves one request body as HTTP would; `undefined` when only notifications were sent. */
  handle(body: string, options?: AbortOptions): Promise<string | undefined>
  /** Names of the methods served. */
  methods(): string[]
}

/** The server could not listen (port in use, address not available…). */
export class JsonRpcServerError extends ParleyError {
  static override readonly code = 'ERR_JSON_RPC_SERVER'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, JsonRpcServerError.code, options)
    this.name = 'JsonRpcServerError'
  }
}

export interface JsonRpcComponents {
  whisper: V1PrivacyProtocol
  log: Logger
}

export class JsonRpcHttpServer implements JsonRpcServer {
  readonly #log: Logger
  readonly #host: string
  readonly #port: number
  readonly #path: string
  readonly #maxBodyBytes: number
  readonly #keys: ShhKeyStore
  readonly #filters: MessageFilters
  readonly #methods: Map<string, RpcMethod>
  #secp256k1: Secp256k1Provider | undefined
  #server: Server | undefined
  #starting: Promise<void> | undefined

  constructor(components: JsonRpcComponents, init: JsonRpcInit = {}) {
    this.#log = components.log
    this.#host = init.host ?? DEFAULT_HOST
    this.#port = init.port ?? DEFAULT_PORT
    this.#path = init.path ?? DEFAULT_PATH
    this.#maxBodyBytes = init.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
    const secp256k1 = () => {
      if (this.#secp256k1 === undefined) throw new NotStartedError('the JSON-RPC server is not started')
      return this.#secp256k1
    }
    this.#keys = new ShhKeyStore((key) => secp256k1().isValidPrivateKey(key))
    this.#filters = new MessageFilters({
      whisper: components.whisper,
      secp256k1,
      log: components.log,
      maxBuffered: init.maxBufferedMessages,
    })
    this.#methods = shhMethods({
      whisper: components.whisper,
      keys: this.#keys,
      filters: this.#filters,
      secp256k1,
    })
  }

  isStarted(): boolean {
    return this.#server !== undefined
  }

  methods(): string[] {
    return [...this.#methods.keys()]
  }

  address(): BoundAddress | undefined {
    const bound = this.#server?.address() as AddressInfo | null | undefined
    return bound == null ? undefined : { host: bound.address, port: bound.port }
  }

  url(): string | undefined {
    const bound = this.address()
    if (bound === undefined) return undefined
    const host = bound.host.includes(':') ? `[${bound.host}]` : bound.host
    return `http://${host}:${bound.port}${this.#path}`
  }

  start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted) return Promise.reject(new AbortError('JSON-RPC server start was aborted'))
    if (this.#server !== undefined) return Promise.resolve()
    // Concurrent calls share one listen (a second server on port 0 would take a second port).
    this.#starting ??= this.#listen(options).finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  async #listen(options: AbortOptions): Promise<void> {
    this.#secp256k1 ??= (await loadCrypto({ signal: options.signal })).secp256k1
    const server = createServer((request, response) => this.#serve(request, response))
    await listen(server, {
      port: this.#port,
      host: this.#host,
      signal: options.signal,
      onError: (cause) =>
        new JsonRpcServerError(`JSON-RPC cannot listen on ${this.#host}:${this.#port}: ${cause.message}`, {
          cause,
        }),
      abortMessage: 'JSON-RPC server start was aborted',
    })
    this.#server = server
    this.#log.info('serving JSON-RPC at %s', this.url())
  }

  async stop(options?: AbortOptions): Promise<void> {
    await this.#starting?.catch(() => {})
    const server = this.#server
    if (server === undefined) return
    this.#server = undefined
    await closeServer(server)
    await this.#filters.clear(options)
    // Keys are secrets held for this run only.
    this.#keys.clear()
  }

  handle(body: string, options: AbortOptions = {}): Promise<string | undefined> {
    return handleBody(body, this.#methods, {
      signal: options.signal,
      onUnexpectedError: (method, error) => this.#log.error('%s failed: %s', method, error),
    })
  }

  #serve(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0]
    if (path !== this.#path) {
      reply(response, 404, 'text/plain', 'not found\n')
      return
    }
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST')
      reply(response, 405, 'text/plain', 'method not allowed\n')
      return
    }
    const declared = Number(request.headers['content-length'] ?? 0)
    if (declared > this.#maxBodyBytes) {
      this.#tooLarge(request, response, declared)
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > this.#maxBodyBytes) this.#tooLarge(request, response, size)
      else chunks.push(chunk)
    })
    request.on('end', () => {
      if (response.headersSent || response.writableEnded) return
      const body = Buffer.concat(chunks).toString('utf8')
      this.handle(body).then(
        (text) => reply(response, 200, 'application/json', text ?? ''),
        (error: unknown) => {
          this.#log.error('JSON-RPC request failed: %s', error)
          reply(response, 500, 'text/plain', 'internal error\n')
        },
      )
    })
    request.on('error', () => response.destroy())
  }

  #tooLarge(request: IncomingMessage, response: ServerResponse, size: number): void {
    if (response.headersSent) return
    // Connection: close, so the rest of the body is not read off the socket.
    response.setHeader('Connection', 'close')
    reply(response, 413, 'text/plain', `content length too large (${size}>${this.#maxBodyBytes})\n`)
    request.pause()
  }
}
