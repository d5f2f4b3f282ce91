/**
 * The JSON-RPC service: the method table of every namespace the node has (`shh` on Whisper, `waku`
 * on Waku v1, `admin` on the devp2p host), served over HTTP and, when `wsPort` is set, WebSocket.
 * Both bind 127.0.0.1 unless told otherwise: key material goes through this API.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadCrypto } from '@parley/crypto'
import { closeServer, listen, reply } from '@parley/http'
import {
  AbortError,
  type AbortOptions,
  type Devp2pHost,
  type HistoryClient,
  type Logger,
  MissingCapabilityError,
  NotStartedError,
  type Secp256k1Provider,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import { adminMethods } from './admin-api.ts'
import {
  type BoundAddress,
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PATH,
  DEFAULT_PORT,
  type JsonRpcInit,
  type JsonRpcServer,
  JsonRpcServerError,
} from './api.ts'
import { MessageFilters } from './filters.ts'
import { historyStatusMethod, requestMessagesMethod } from './history-api.ts'
import { serveHttp } from './http-endpoint.ts'
import { handleBody, type RpcMethod } from './jsonrpc.ts'
import { ShhKeyStore } from './keys.ts'
import { type NamespaceSpec, privacyMethods, SHH, WAKU } from './namespace.ts'
import type { RpcSession } from './session.ts'
import { WsEndpoint } from './ws-endpoint.ts'

/** The services the API serves; each namespace appears only when its service is there. */
export interface JsonRpcComponents {
  whisper?: V1PrivacyProtocol
  waku1?: V1PrivacyProtocol
  devp2p?: Devp2pHost
  /** the mailserver client: `shhext_`/`wakuext_requestMessages` and `parley_historyStatus` */
  history?: HistoryClient
  log: Logger
}

interface Namespace {
  keys: ShhKeyStore
  filters: MessageFilters
}

export class JsonRpcService implements JsonRpcServer {
  readonly #log: Logger
  readonly #init: JsonRpcInit
  readonly #path: string
  readonly #namespaces: Namespace[] = []
  readonly #methods = new Map<string, RpcMethod>()
  #secp256k1: Secp256k1Provider | undefined
  #http: Server | undefined
  #ws: { server?: Server; endpoint: WsEndpoint } | undefined
  #starting: Promise<void> | undefined

  constructor(components: JsonRpcComponents, init: JsonRpcInit = {}) {
    this.#log = components.log
    this.#init = init
    this.#path = init.path ?? DEFAULT_PATH
    const served: Array<[NamespaceSpec, V1PrivacyProtocol | undefined]> = [
      [SHH, components.whisper],
      [WAKU, components.waku1],
    ]
    for (const [spec, protocol] of served)
      if (protocol !== undefined) this.#addNamespace(spec, protocol, components.history)
    if (components.history !== undefined)
      this.#methods.set('parley_historyStatus', historyStatusMethod(components.history))
    if (components.devp2p !== undefined)
      for (const [name, method] of adminMethods(components.devp2p)) this.#methods.set(name, method)
    const modules = Object.fromEntries(
      [...new Set([...this.#methods.keys()].map((name) => name.split('_')[0]))].map((ns) => [ns, '1.0']),
    )
    this.#methods.set('rpc_modules', () => modules)
  }

  isStarted(): boolean {
    return this.#http !== undefined
  }

  methods(): string[] {
    return [...this.#methods.keys()]
  }

  address(): BoundAddress | undefined {
    return boundAddress(this.#http)
  }

  url(): string | undefined {
    return urlOf('http', this.address(), this.#path)
  }

  wsAddress(): BoundAddress | undefined {
    return this.#ws === undefined ? undefined : boundAddress(this.#ws.server ?? this.#http)
  }

  wsUrl(): string | undefined {
    return urlOf('ws', this.wsAddress(), this.#path)
  }

  start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted) return Promise.reject(new AbortError('JSON-RPC server start was aborted'))
    if (this.#namespaces.length === 0)
      return Promise.reject(new MissingCapabilityError('api-jsonrpc', 'whisper or waku1'))
    if (this.#http !== undefined) return Promise.resolve()
    // Concurrent calls share one listen (a second server on port 0 would take a second port).
    this.#starting ??= this.#listen(options).finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  async stop(options?: AbortOptions): Promise<void> {
    await this.#starting?.catch(() => {})
    const http = this.#http
    if (http === undefined) return
    const ws = this.#ws
    this.#http = undefined
    this.#ws = undefined
    await ws?.endpoint.close()
    await Promise.all([closeServer(http), ws?.server && closeServer(ws.server)])
    for (const { filters, keys } of this.#namespaces) {
      await filters.clear(options)
      // Keys are secrets held for this run only.
      keys.clear()
    }
  }

  handle(body: string, options: AbortOptions & { session?: RpcSession } = {}): Promise<string | undefined> {
    return handleBody(body, this.#methods, {
      signal: options.signal,
      session: options.session,
      onUnexpectedError: (method, error) => this.#log.error('%s failed: %s', method, error),
    })
  }

  #addNamespace(spec: NamespaceSpec, protocol: V1PrivacyProtocol, history: HistoryClient | undefined): void {
    const secp256k1 = () => {
      if (this.#secp256k1 === undefined) throw new NotStartedError('the JSON-RPC server is not started')
      return this.#secp256k1
    }
    const keys = new ShhKeyStore((key) => secp256k1().isValidPrivateKey(key))
    const filters = new MessageFilters({
      protocol,
      secp256k1,
      log: this.#log,
      maxBuffered: this.#init.maxBufferedMessages,
    })
    this.#namespaces.push({ keys, filters })
    for (const [name, method] of privacyMethods({ spec, protocol, keys, filters, secp256k1 }))
      this.#methods.set(name, method)
    // status-go's extension namespace; the history arrives at this namespace's allowP2P filters.
    if (history !== undefined)
      this.#methods.set(`${spec.name}ext_requestMessages`, requestMessagesMethod(history, keys))
  }

  async #listen(options: AbortOptions): Promise<void> {
    this.#secp256k1 ??= (await loadCrypto({ signal: options.signal })).secp256k1
    const host = this.#init.host ?? DEFAULT_HOST
    const port = this.#init.port ?? DEFAULT_PORT
    const maxBodyBytes = this.#init.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
    const cors = this.#init.cors ?? []
    const http = createServer((request, response) =>
      serveHttp(request, response, {
        path: this.#path,
        maxBodyBytes,
        cors,
        log: this.#log,
        handle: (body) => this.handle(body),
      }),
    )
    const ws = this.#wsEndpoint(maxBodyBytes, cors)
    await this.#bind(http, host, port, options)
    if (ws !== undefined) {
      const wsHost = this.#init.wsHost ?? host
      const wsPort = this.#init.wsPort ?? 0
      const shared = wsPort === port && wsPort !== 0 && wsHost === host
      const server = shared
        ? undefined
        : createServer((_, response) => reply(response, 426, 'text/plain', 'WebSocket only\n'))
      ws.attach(server ?? http)
      if (server !== undefined) {
        try {
          await this.#bind(server, wsHost, wsPort, options)
        } catch (error) {
          await closeServer(http)
          throw error
        }
      }
      this.#ws = { server, endpoint: ws }
    }
    this.#http = http
    this.#log.info('serving JSON-RPC at %s', this.url())
    if (this.#ws !== undefined) this.#log.info('serving JSON-RPC over WebSocket at %s', this.wsUrl())
  }

  #wsEndpoint(maxBodyBytes: number, cors: readonly string[]): WsEndpoint | undefined {
    if (this.#init.wsPort === undefined) return undefined
    return new WsEndpoint({
      path: this.#path,
      maxMessageBytes: maxBodyBytes,
      origins: cors,
      log: this.#log,
      handle: (body, session) => this.handle(body, { session }),
    })
  }

  #bind(server: Server, host: string, port: number, options: AbortOptions): Promise<void> {
    return listen(server, {
      port,
      host,
      signal: options.signal,
      onError: (cause) =>
        new JsonRpcServerError(`JSON-RPC cannot listen on ${host}:${port}: ${cause.message}`, { cause }),
      abortMessage: 'JSON-RPC server start was aborted',
    })
  }
}

function boundAddress(server: Server | undefined): BoundAddress | undefined {
  const bound = server?.address() as AddressInfo | null | undefined
  return bound == null ? undefined : { host: bound.address, port: bound.port }
}

function urlOf(scheme: string, bound: BoundAddress | undefined, path: string): string | undefined {
  if (bound === undefined) return undefined
  const host = bound.host.includes(':') ? `[${bound.host}]` : bound.host
  return `${scheme}://${host}:${bound.port}${path}`
}
