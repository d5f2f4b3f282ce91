/**
 * `/relay/v1/*`: subscriptions by pubsub topic or (auto) content topic, a per-topic message cache
 * the GETs drain, and publishing through the node's relay.
 */
import type { Subscription, WakuMessageFields, WakuRelayService } from '@parley/interfaces'
import {
  decodeWakuMessage,
  encodeWakuMessage,
  isValidContentTopic,
  nowNanoseconds,
  parsePubsubTopic,
} from '@parley/protocol-waku2'
import { MessageCache } from '../cache.ts'
import { BadRequestError, isRecord, messageFromJson, messageToJson, stringArray } from '../json.ts'
import {
  json,
  notMounted,
  ok,
  type RestRequest,
  type RestResponse,
  type RouteGroup,
  text,
} from '../router.ts'
import type { RouteSettings } from '../services.ts'
import { describe } from './node.ts'

export function checkPubsubTopic(topic: string): string {
  try {
    parsePubsubTopic(topic)
  } catch {
    throw new BadRequestError(`invalid pubsub topic: ${topic.slice(0, 100)}`)
  }
  return topic
}

export function checkContentTopic(topic: string): string {
  if (!isValidContentTopic(topic)) throw new BadRequestError(`invalid content topic: ${topic.slice(0, 100)}`)
  return topic
}

export function relayRoutes(relay: WakuRelayService | undefined, settings: RouteSettings): RouteGroup {
  if (relay === undefined) {
    const absent = () => notMounted('relay')
    const patterns = [
      '/relay/v1/subscriptions',
      '/relay/v1/messages/{pubsubTopic}',
      '/relay/v1/auto/subscriptions',
      '/relay/v1/auto/messages/{contentTopic}',
      '/relay/v1/auto/messages',
    ]
    return {
      routes: patterns.flatMap((pattern) =>
        (['GET', 'POST', 'DELETE'] as const).map((method) => ({ method, pattern, handler: absent })),
      ),
    }
  }
  const byPubsub = new MessageCache<WakuMessageFields>(settings.cacheCapacity, settings.maxCachedTopics)
  const byContent = new MessageCache<WakuMessageFields>(settings.cacheCapacity, settings.maxCachedTopics)
  const held = new Map<string, Subscription>()
  const onRelayed = ({ detail }: CustomEvent<{ pubsubTopic: string; bytes: Uint8Array }>) => {
    if (!byPubsub.isSubscribed(detail.pubsubTopic) && byContent.topics().length === 0) return
    let message: WakuMessageFields
    try {
      message = decodeWakuMessage(detail.bytes, { maxSize: detail.bytes.length })
    } catch {
      return // the relay validated it; nothing to cache otherwise
    }
    byPubsub.add(detail.pubsubTopic, message)
    byContent.add(message.contentTopic, message)
  }
  relay.addEventListener('message:relayed', onRelayed)

  const subscribe = async (
    cache: MessageCache<WakuMessageFields>,
    key: string,
    topic: string,
    auto: boolean,
  ) => {
    if (cache.isSubscribed(topic)) return
    if (!cache.subscribe(topic))
      throw new BadRequestError(`at most ${settings.maxCachedTopics} subscriptions`)
    try {
      const filter = auto ? { topics: [topic] } : { topics: [], pubsubTopic: topic }
      held.set(key, await relay.subscribe(filter, () => {}))
    } catch (error) {
      cache.unsubscribe(topic)
      throw new BadRequestError(`cannot subscribe to ${topic.slice(0, 100)}: ${describe(error)}`)
    }
  }
  const unsubscribe = async (cache: MessageCache<WakuMessageFields>, key: string, topic: string) => {
    cache.unsubscribe(topic)
    const subscription = held.get(key)
    held.delete(key)
    await subscription?.unsubscribe()
  }
  const drain = (cache: MessageCache<WakuMessageFields>, topic: string): RestResponse => {
    const messages = cache.take(topic)
    if (messages === undefined) return text(404, `Not subscribed to topic: ${topic}`)
    return json(messages.map(messageToJson))
  }
  const publish = async (
    request: RestRequest,
    pubsubTopic: string | undefined,
    pathContentTopic?: string,
  ) => {
    const body = await request.body()
    const fields =
      isRecord(body) && pathContentTopic !== undefined && body.contentTopic === undefined
        ? { ...body, contentTopic: pathContentTopic }
        : body
    const message = messageFromJson(fields, nowNanoseconds())
    const topic = pubsubTopic ?? relayTopicFor(relay, checkContentTopic(message.contentTopic))
    if (!relay.pubsubTopics().includes(topic))
      return text(400, `Failed to publish: Node not subscribed to topic: ${topic}`)
    let result: Awaited<ReturnType<WakuRelayService['publishMessage']>>
    try {
      result = await relay.publishMessage(topic, encodeWakuMessage(message), { signal: request.signal })
    } catch (error) {
      if (error instanceof Error && error.name === 'RelayRejectedError')
        return text(400, `Failed to publish: ${error.message}`)
      throw error
    }
    if (result.duplicate) return text(400, 'Failed to publish: duplicate message')
    if (result.recipients.length === 0) return text(503, 'Failed to publish: no peers to relay to')
    return ok()
  }

  return {
    routes: [
      {
        method: 'POST',
        pattern: '/relay/v1/subscriptions',
        handler: async (request) => {
          const topics = stringArray(await request.body(), 'the body').map(checkPubsubTopic)
          for (const topic of topics) await subscribe(byPubsub, `pubsub ${topic}`, topic, false)
          return ok()
        },
      },
      {
        method: 'DELETE',
        pattern: '/relay/v1/subscriptions',
        handler: async (request) => {
          const topics = stringArray(await request.body(), 'the body').map(checkPubsubTopic)
          for (const topic of topics) await unsubscribe(byPubsub, `pubsub ${topic}`, topic)
          return ok()
        },
      },
      {
        method: 'GET',
        pattern: '/relay/v1/messages/{pubsubTopic}',
        handler: ({ params }) => drain(byPubsub, checkPubsubTopic(params.pubsubTopic ?? '')),
      },
      {
        method: 'POST',
        pattern: '/relay/v1/messages/{pubsubTopic}',
        handler: (request) => publish(request, checkPubsubTopic(request.params.pubsubTopic ?? '')),
      },
      {
        method: 'POST',
        pattern: '/relay/v1/auto/subscriptions',
        handler: async (request) => {
          const topics = stringArray(await request.body(), 'the body').map(checkContentTopic)
          for (const topic of topics) await subscribe(byContent, `content ${topic}`, topic, true)
          return ok()
        },
      },
      {
        method: 'DELETE',
        pattern: '/relay/v1/auto/subscriptions',
        handler: async (request) => {
          const topics = stringArray(await request.body(), 'the body').map(checkContentTopic)
          for (const topic of topics) await unsubscribe(byContent, `content ${topic}`, topic)
          return ok()
        },
      },
      {
        method: 'GET',
        pattern: '/relay/v1/auto/messages/{contentTopic}',
        handler: ({ params }) => drain(byContent, checkContentTopic(params.contentTopic ?? '')),
      },
      {
        method: 'POST',
        pattern: '/relay/v1/auto/messages/{contentTopic}',
        handler: (request) =>
          publish(request, undefined, checkContentTopic(request.params.contentTopic ?? '')),
      },
      {
        method: 'POST',
        pattern: '/relay/v1/auto/messages',
        handler: (request) => publish(request, undefined),
      },
    ],
    async stop() {
      relay.removeEventListener('message:relayed', onRelayed)
      await Promise.allSettled([...held.values()].map((subscription) => subscription.unsubscribe()))
      held.clear()
    },
  }
}

function relayTopicFor(relay: WakuRelayService, contentTopic: string): string {
  try {
    return relay.pubsubTopicFor(contentTopic)
  } catch (error) {
    throw new BadRequestError(`no pubsub topic for ${contentTopic.slice(0, 100)}: ${describe(error)}`)
  }
}
