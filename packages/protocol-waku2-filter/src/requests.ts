/**
 * The service's answer to one decoded FilterSubscribeRequest, as nwaku gives it
 * (waku_filter_v2/protocol.nim `handleSubscribeRequest`), plus topic validation nwaku leaves out.
 */
import { isValidContentTopic, parsePubsubTopic } from '@parley/protocol-waku2'
import { FILTER_STATUS_NAMES, FilterStatus, FilterSubscribeType } from './constants.ts'
import type { FilterSubscribeRequest } from './rpc.ts'
import type { FilterSubscriptions } from './subscriptions.ts'

export interface FilterRequestOutcome {
  statusCode: number
  statusDesc?: string
}

const OK: FilterRequestOutcome = { statusCode: FilterStatus.SUCCESS }

/** nwaku's description format: the status name, a colon, the cause. */
export function failure(statusCode: number, cause: string): FilterRequestOutcome {
  return { statusCode, statusDesc: `${FILTER_STATUS_NAMES[statusCode] ?? 'UNKNOWN'}: ${cause}` }
}

/** Applies `request` from `peer` to `subscriptions` and says how to answer. */
export function handleFilterRequest(
  subscriptions: FilterSubscriptions,
  peer: string,
  request: FilterSubscribeRequest,
  maxContentTopics: number,
): FilterRequestOutcome {
  switch (request.filterSubscribeType) {
    case FilterSubscribeType.SUBSCRIBER_PING:
      if (!subscriptions.isSubscribed(peer))
        return failure(FilterStatus.NOT_FOUND, 'peer has no subscriptions')
      subscriptions.refresh(peer)
      return OK
    case FilterSubscribeType.SUBSCRIBE:
    case FilterSubscribeType.UNSUBSCRIBE: {
      const invalid = criteriaProblem(request, maxContentTopics)
      if (invalid !== undefined) return failure(FilterStatus.BAD_REQUEST, invalid)
      const pubsubTopic = request.pubsubTopic as string
      if (request.filterSubscribeType === FilterSubscribeType.UNSUBSCRIBE)
        return subscriptions.remove(peer, pubsubTopic, request.contentTopics)
          ? OK
          : failure(FilterStatus.NOT_FOUND, 'peer was not subscribed to criterion')
      const added = subscriptions.add(peer, pubsubTopic, request.contentTopics)
      if (added.ok) return OK
      return failure(
        FilterStatus.SERVICE_UNAVAILABLE,
        added.reason === 'too-many-peers'
          ? 'node has reached maximum number of subscriptions'
          : 'peer has reached maximum number of filter criteria',
      )
    }
    case FilterSubscribeType.UNSUBSCRIBE_ALL:
      if (!subscriptions.isSubscribed(peer))
        return failure(FilterStatus.NOT_FOUND, 'peer has no subscriptions')
      subscriptions.removePeer(peer)
      return OK
    default:
      return failure(FilterStatus.BAD_REQUEST, `unknown filter subscribe type ${request.filterSubscribeType}`)
  }
}

function criteriaProblem(request: FilterSubscribeRequest, maxContentTopics: number): string | undefined {
  const { pubsubTopic, contentTopics } = request
  if (pubsubTopic === undefined || contentTopics.length === 0)
    return 'pubsubTopic and contentTopics must be specified'
  if (contentTopics.length > maxContentTopics) return `exceeds maximum content topics: ${maxContentTopics}`
  try {
    parsePubsubTopic(pubsubTopic)
  } catch {
    return `invalid pubsub topic: ${pubsubTopic.slice(0, 100)}`
  }
  const bad = contentTopics.find((topic) => !isValidContentTopic(topic))
  return bad === undefined ? undefined : `invalid content topic: ${bad.slice(0, 100)}`
}
