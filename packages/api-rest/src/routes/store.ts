/** `/store/v3/messages`: a store v3 query of this node's archive or of a store peer, one page. */
import type { WakuStorePage, WakuStoreQuery, WakuStoreService } from '@parley/interfaces'
import { BadRequestError, hex, messageToJson, parseHash } from '../json.ts'
import { json, notMounted, type RouteGroup, text } from '../router.ts'
import type { RouteSettings } from '../services.ts'
import { describe } from './node.ts'

const MAX_HASHES = 100

export function storeRoutes(store: WakuStoreService | undefined, settings: RouteSettings): RouteGroup {
  return {
    routes: [
      {
        method: 'GET',
        pattern: '/store/v3/messages',
        handler: async ({ query: params, signal }) => {
          if (store === undefined) return notMounted('store')
          const query = storeQueryOf(params)
          const peerAddr = params.get('peerAddr') || undefined
          if (peerAddr !== undefined && !/\/p2p\/[^/]+$/.test(peerAddr))
            throw new BadRequestError('peerAddr must be a multiaddr ending in /p2p/<peer id>')
          const bounded = AbortSignal.any([signal, AbortSignal.timeout(settings.requestTimeoutMs)])
          // As nwaku: without peerAddr a node that serves answers from its own archive.
          let peer = peerAddr
          let page: WakuStorePage | undefined
          try {
            if (peer === undefined) {
              try {
                page = await store.queryLocal(query, { signal: bounded })
              } catch (error) {
                const notServing = error instanceof Error && error.name === 'NotStartedError'
                if (!notServing || settings.storePeer === undefined) throw error
                peer = settings.storePeer
              }
            }
            if (peer !== undefined)
              for await (const first of store.query(peer, query, { signal: bounded })) {
                page = first
                break
              }
          } catch (error) {
            return failure(error, peer !== undefined)
          }
          return json(responseJson(page ?? { messages: [] }))
        },
      },
    ],
  }
}

/** nwaku's query parameters; every one optional. Throws `BadRequestError`. */
export function storeQueryOf(params: URLSearchParams): WakuStoreQuery {
  const pubsubTopic = params.get('pubsubTopic') || undefined
  const contentTopics = (params.get('contentTopics') ?? '').split(',').filter((topic) => topic !== '')
  const hashes = (params.get('hashes') ?? '').split(',').filter((hash) => hash !== '')
  if (hashes.length > MAX_HASHES) throw new BadRequestError(`at most ${MAX_HASHES} hashes`)
  const cursor = params.get('cursor') || undefined
  const pageSize = params.get('pageSize') || undefined
  if (pageSize !== undefined && !/^\d{1,6}$/.test(pageSize))
    throw new BadRequestError('pageSize must be a non-negative integer')
  const startTime = time(params.get('startTime'), 'startTime')
  const endTime = time(params.get('endTime'), 'endTime')
  const includeData = flag(params.get('includeData'), 'includeData', false)
  const ascending = flag(params.get('ascending'), 'ascending', true)
  return {
    ...(pubsubTopic === undefined ? {} : { pubsubTopic }),
    contentTopics,
    messageHashes: hashes.map((hash) => parseHash(hash, 'a hash')),
    ...(cursor === undefined ? {} : { cursor: parseHash(cursor, 'cursor') }),
    ...(startTime === undefined ? {} : { timeStart: startTime }),
    ...(endTime === undefined ? {} : { timeEnd: endTime }),
    ...(pageSize === undefined || Number(pageSize) === 0 ? {} : { pageSize: Number(pageSize) }),
    includeData,
    forward: ascending,
  }
}

/** A positive ns integer; empty or 0 means no bound (nwaku). */
function time(value: string | null, what: string): bigint | undefined {
  if (value === null || value === '') return undefined
  if (!/^-?\d{1,19}$/.test(value)) throw new BadRequestError(`${what} must be Unix nanoseconds`)
  const parsed = BigInt(value)
  return parsed > 0n ? parsed : undefined
}

function flag(value: string | null, what: string, fallback: boolean): boolean {
  if (value === null || value === '') return fallback
  if (value === 'true') return true
  if (value === 'false') return false
  throw new BadRequestError(`${what} must be true or false`)
}

function responseJson(page: WakuStorePage): Record<string, unknown> {
  return {
    requestId: '',
    statusCode: 200,
    statusDesc: 'OK',
    messages: page.messages.map((entry) => ({
      messageHash: hex(entry.messageHash),
      ...(entry.message === undefined ? {} : { message: messageToJson(entry.message) }),
      ...(entry.pubsubTopic === undefined ? {} : { pubsubTopic: entry.pubsubTopic }),
    })),
    ...(page.cursor === undefined ? {} : { paginationCursor: hex(page.cursor) }),
  }
}

/** As nwaku: a refused query is a 200 carrying the store status, except 429; a bad one is a 400. */
function failure(error: unknown, remote: boolean) {
  if (error instanceof BadRequestError) throw error
  const statusCode = (error as { statusCode?: unknown }).statusCode
  if (error instanceof Error && error.name === 'InvalidParametersError')
    return json({ requestId: '', statusCode: 400, statusDesc: `BAD_REQUEST: ${error.message}`, messages: [] })
  if (statusCode === 429) return text(429, 'Request rate limit reached')
  if (typeof statusCode === 'number')
    return json({ requestId: '', statusCode, statusDesc: describe(error), messages: [] })
  if (error instanceof Error && error.name === 'NotStartedError')
    return text(412, `No suitable service peer: ${error.message}`)
  // A peer we cannot reach or that fails is the gateway's problem, not ours.
  return text(remote ? 502 : 500, `Store query failed: ${describe(error)}`)
}
