/**
 * `/filter/v2/*`: this node as a filter light client of `filterPeer` (nwaku's `--filternode`),
 * with a per-content-topic cache of pushed messages that `GET /filter/v2/messages/{contentTopic}`
 * drains.
 */
import type {
  WakuFilterClientService,
  WakuFilterClientSubscription,
  WakuMessageFields,
} from '@parley/interfaces'
import { MessageCache } from '../cache.ts'
import { BadRequestError, isRecord, messageToJson, stringArray } from '../json.ts'
import { json, notMounted, type RestRequest, type RestResponse, type RouteGroup, text } from '../router.ts'
import type { RouteSettings } from '../services.ts'
import { describe } from './node.ts'
import { checkContentTopic, checkPubsubTopic } from './relay.ts'

interface FilterBody {
  requestId: string
  pubsubTopic: string | undefined
  contentFilters: string[]
}

function filterBody(body: unknown, needsFilters: boolean): FilterBody {
  if (!isRecord(body)) throw new BadRequestError('the body must be a JSON object')
  const { requestId, pubsubTopic, contentFilters } = body
  if (typeof requestId !== 'string' || requestId.length > 256)
    throw new BadRequestError('requestId must be a string')
  if (pubsubTopic !== undefined && pubsubTopic !== null && typeof pubsubTopic !== 'string')
    throw new BadRequestError('pubsubTopic must be a string')
  const filters = needsFilters
    ? stringArray(contentFilters, 'contentFilters', 100).map(checkContentTopic)
    : []
  if (needsFilters && filters.length === 0) throw new BadRequestError('contentFilters must not be empty')
  return {
    requestId,
    pubsubTopic: typeof pubsubTopic === 'string' ? checkPubsubTopic(pubsubTopic) : undefined,
    contentFilters: filters,
  }
}

/** nwaku's answer: the request id and a status, with the filter status as the HTTP status. */
function answer(requestId: string, error?: unknown): RestResponse {
  if (error === undefined) return json({ requestId, statusCode: 200, statusDesc: 'OK' })
  const code = (error as { statusCode?: unknown }).statusCode
  const status = typeof code === 'number' && code >= 400 && code < 600 ? code : timedOut(error) ? 503 : 504
  return json({ requestId, statusCode: status, statusDesc: describe(error) }, status)
}

const timedOut = (error: unknown) =>
  error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')

export function filterRoutes(
  client: WakuFilterClientService | undefined,
  settings: RouteSettings,
): RouteGroup {
  const patterns = [
    ['POST', '/filter/v2/subscriptions'],
    ['PUT', '/filter/v2/subscriptions'],
    ['DELETE', '/filter/v2/subscriptions'],
    ['DELETE', '/filter/v2/subscriptions/all'],
    ['GET', '/filter/v2/subscriptions/{requestId}'],
    ['GET', '/filter/v2/messages/{contentTopic}'],
  ] as const
  const peer = settings.filterPeer
  if (client === undefined || peer === undefined) {
    const reason = client === undefined ? 'filter client' : 'filter client without a filter service peer'
    return {
      routes: patterns.map(([method, pattern]) => ({ method, pattern, handler: () => notMounted(reason) })),
    }
  }
  const cache = new MessageCache<WakuMessageFields>(settings.cacheCapacity, settings.maxCachedTopics)
  /** by `pubsubTopic contentTopic` */
  const held = new Map<string, WakuFilterClientSubscription>()
  const bounded = (signal: AbortSignal) =>
    AbortSignal.any([signal, AbortSignal.timeout(settings.requestTimeoutMs)])

  return {
    routes: [
      ...(['POST', 'PUT'] as const).map((method) => ({
        method,
        pattern: '/filter/v2/subscriptions',
        handler: async (request: RestRequest) => {
          const body = filterBody(await request.body(), true)
          if (body.pubsubTopic === undefined) throw new BadRequestError('pubsubTopic is required')
          const pubsubTopic = body.pubsubTopic
          const fresh = body.contentFilters.filter((topic) => !held.has(`${pubsubTopic} ${topic}`))
          if (fresh.some((topic) => !cache.subscribe(topic)))
            throw new BadRequestError(`at most ${settings.maxCachedTopics} content topics`)
          try {
            if (fresh.length > 0) {
              const subscription = await client.filterSubscribe(
                peer,
                pubsubTopic,
                fresh,
                (message) => cache.add(message.message.contentTopic, message.message),
                { signal: bounded(request.signal) },
              )
              for (const topic of fresh) held.set(`${pubsubTopic} ${topic}`, subscription)
            } else await client.ping(peer, { signal: bounded(request.signal) })
          } catch (error) {
            for (const topic of fresh) if (!isHeld(held, topic)) cache.unsubscribe(topic)
            return answer(body.requestId, error)
          }
          return answer(body.requestId)
        },
      })),
      {
        method: 'DELETE',
        pattern: '/filter/v2/subscriptions',
        handler: async (request) => {
          const body = filterBody(await request.body(), true)
          if (body.pubsubTopic === undefined) throw new BadRequestError('pubsubTopic is required')
          const subscriptions = new Set<WakuFilterClientSubscription>()
          for (const topic of body.contentFilters) {
            const key = `${body.pubsubTopic} ${topic}`
            const subscription = held.get(key)
            if (subscription !== undefined) subscriptions.add(subscription)
            held.delete(key)
            if (!isHeld(held, topic)) cache.unsubscribe(topic)
          }
          if (subscriptions.size === 0)
            return answer(
              body.requestId,
              Object.assign(new Error('NOT_FOUND: not subscribed'), { statusCode: 404 }),
            )
          try {
            // A subscription's topics not asked for stay: resubscribe them after.
            for (const subscription of subscriptions)
              await subscription.unsubscribe({ signal: bounded(request.signal) })
            await resubscribeRemaining(client, peer, held, subscriptions, cache, bounded(request.signal))
          } catch (error) {
            return answer(body.requestId, error)
          }
          return answer(body.requestId)
        },
      },
      {
        method: 'DELETE',
        pattern: '/filter/v2/subscriptions/all',
        handler: async (request) => {
          const body = filterBody(await request.body(), false)
          held.clear()
          for (const topic of cache.topics()) cache.unsubscribe(topic)
          try {
            await client.unsubscribeAll(peer, { signal: bounded(request.signal) })
          } catch (error) {
            return answer(body.requestId, error)
          }
          return answer(body.requestId)
        },
      },
      {
        method: 'GET',
        pattern: '/filter/v2/subscriptions/{requestId}',
        handler: async ({ params, signal }) => {
          const requestId = params.requestId ?? ''
          try {
            await client.ping(peer, { signal: bounded(signal) })
          } catch (error) {
            return answer(requestId, error)
          }
          return answer(requestId)
        },
      },
      {
        method: 'GET',
        pattern: '/filter/v2/messages/{contentTopic}',
        handler: ({ params }) => {
          const topic = checkContentTopic(params.contentTopic ?? '')
          const messages = cache.take(topic)
          if (messages === undefined) return text(400, `Not subscribed to topic: ${topic}`)
          return json(messages.map(messageToJson))
        },
      },
    ],
    async stop() {
      const subscriptions = new Set(held.values())
      held.clear()
      await Promise.allSettled([...subscriptions].map((subscription) => subscription.unsubscribe()))
    },
  }
}

function isHeld(held: Map<string, WakuFilterClientSubscription>, contentTopic: string): boolean {
  return [...held.keys()].some((key) => key.endsWith(` ${contentTopic}`))
}

/** After unsubscribing whole subscriptions, subscribes again to their topics still wanted. */
async function resubscribeRemaining(
  client: WakuFilterClientService,
  peer: string,
  held: Map<string, WakuFilterClientSubscription>,
  dropped: Set<WakuFilterClientSubscription>,
  cache: MessageCache<WakuMessageFields>,
  signal: AbortSignal,
): Promise<void> {
  const remaining = new Map<string, string[]>()
  for (const [key, subscription] of held)
    if (dropped.has(subscription)) {
      const [pubsubTopic = '', contentTopic = ''] = key.split(' ')
      remaining.set(pubsubTopic, [...(remaining.get(pubsubTopic) ?? []), contentTopic])
    }
  for (const [pubsubTopic, topics] of remaining) {
    const subscription = await client.filterSubscribe(
      peer,
      pubsubTopic,
      topics,
      (message) => cache.add(message.message.contentTopic, message.message),
      { signal },
    )
    for (const topic of topics) held.set(`${pubsubTopic} ${topic}`, subscription)
  }
}
