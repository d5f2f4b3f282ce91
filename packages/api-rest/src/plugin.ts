/** `restApi(init)`: the Waku REST API plugin, serving what the node has of the waku2 capabilities. */
import {
  type Components,
  InvalidConfigError,
  libp2pHost,
  type Plugin,
  waku2Filter,
  waku2FilterClient,
  waku2Lightpush,
  waku2LightpushClient,
  waku2Relay,
  waku2Store,
} from '@parley/interfaces'
import { RestApiServer, type RestServerSettings } from './server.ts'

export interface RestApiInit {
  /** TCP port; `0` picks a free one (read it back with `url()`). Default 8645, nwaku's `--rest-port`. */
  port?: number
  /** Interface to bind. Default `127.0.0.1` (nwaku's `--rest-address`). */
  address?: string
  /** CORS allow-list of origins (`*` for any), nwaku's `--rest-allow-origin`. Default none: no CORS headers. */
  allowOrigins?: readonly string[]
  /** This node's ENR for `/debug/v1/info` (a string, or read at each request). Default none: no `enrUri`. */
  enr?: string | (() => string | undefined)
  /** What `/debug/v1/version` answers. Default `parley-v0.1.0`. */
  version?: string
  /** Messages kept per subscribed topic until a GET takes them; the oldest go first. Default 30 (nwaku). */
  cacheCapacity?: number
  /** Topics the relay and filter caches each hold at most. Default 100. */
  maxCachedTopics?: number
  /** Largest request body, bytes (413 above). Default 1 MiB. */
  maxBodyBytes?: number
  /** Bound on each network exchange a request makes, ms. Default 5000 (nwaku's `futTimeout`). */
  requestTimeoutMs?: number
  /** Store peer for `/store/v3/messages` without `peerAddr` when this node does not serve (`--storenode`). */
  storePeer?: string
  /** Filter service peer the `/filter/v2` endpoints subscribe at (`--filternode`). */
  filterPeer?: string
  /** Lightpush service peer when this node runs no lightpush service (`--lightpushnode`). */
  lightpushPeer?: string
}

export const DEFAULT_REST_PORT = 8645
export const DEFAULT_REST_ADDRESS = '127.0.0.1'

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidConfigError(`REST API ${name} must be a positive integer`)
  return value
}

function servicePeer(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !/^\/.+\/p2p\/[^/]+$/.test(value))
    throw new InvalidConfigError(`REST API ${name} must be a multiaddr ending in /p2p/<peer id>`)
  return value
}

/** Checks `init` and fills in defaults; throws `InvalidConfigError`. */
export function restApiSettings(init: RestApiInit = {}): RestServerSettings {
  const port = init.port ?? DEFAULT_REST_PORT
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InvalidConfigError('REST API port must be an integer in 0..65535')
  const address = init.address ?? DEFAULT_REST_ADDRESS
  if (address === '') throw new InvalidConfigError('REST API address must not be empty')
  const allowOrigins = [...(init.allowOrigins ?? [])]
  if (allowOrigins.some((origin) => typeof origin !== 'string' || origin === ''))
    throw new InvalidConfigError('REST API allowOrigins must be non-empty strings')
  const enr = init.enr
  return {
    port,
    address,
    allowOrigins,
    enr: typeof enr === 'function' ? enr : () => enr,
    version: init.version ?? 'parley-v0.1.0',
    cacheCapacity: positiveInteger(init.cacheCapacity ?? 30, 'cacheCapacity'),
    maxCachedTopics: positiveInteger(init.maxCachedTopics ?? 100, 'maxCachedTopics'),
    maxBodyBytes: positiveInteger(init.maxBodyBytes ?? 1024 * 1024, 'maxBodyBytes'),
    requestTimeoutMs: positiveInteger(init.requestTimeoutMs ?? 5000, 'requestTimeoutMs'),
    storePeer: servicePeer(init.storePeer, 'storePeer'),
    filterPeer: servicePeer(init.filterPeer, 'filterPeer'),
    lightpushPeer: servicePeer(init.lightpushPeer, 'lightpushPeer'),
  }
}

/**
 * The Waku REST API: `createNode({ …, services: { rest: restApi({ port: 8645 }) } })`. It wants
 * the libp2p host and every waku2 capability and serves the endpoints of those the node has
 * (404 with a reason for the others). Bad options throw `InvalidConfigError` here.
 */
export function restApi(init: RestApiInit = {}): Plugin<RestApiServer> {
  const settings = restApiSettings(init)
  return {
    name: 'api-rest',
    wants: [
      libp2pHost,
      waku2Relay,
      waku2Store,
      waku2Filter,
      waku2FilterClient,
      waku2Lightpush,
      waku2LightpushClient,
    ],
    create(components: Components): RestApiServer {
      const optional = <T>(token: import('@parley/interfaces').Capability<T>): T | undefined =>
        components.has(token) ? components.get(token) : undefined
      return new RestApiServer(
        {
          services: {
            host: optional(libp2pHost),
            relay: optional(waku2Relay),
            store: optional(waku2Store),
            filter: optional(waku2Filter),
            filterClient: optional(waku2FilterClient),
            lightpush: optional(waku2Lightpush),
            lightpushClient: optional(waku2LightpushClient),
          },
          log: components.logger.forComponent('api-rest'),
        },
        settings,
      )
    },
  }
}
