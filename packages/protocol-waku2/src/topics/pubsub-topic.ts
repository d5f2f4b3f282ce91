/**
 * Pubsub topics (relay-sharding, 23/WAKU2-TOPICS). Static shards are `/waku/2/rs/{cluster}/{shard}`
 * with decimal numbers and no padding; named topics `/waku/2/{name}` are deprecated but still parse.
 */
import { InvalidParametersError } from '@parley/interfaces'

export const MAX_CLUSTER_ID = 65_535
/** nwaku waku_enr/sharding.nim `MaxShardIndex`. */
export const MAX_SHARD_INDEX = 1023
/** nwaku's default pubsub topic: cluster 0, shard 0. */
export const DEFAULT_PUBSUB_TOPIC = '/waku/2/rs/0/0'
/** The pre-sharding default named topic (deprecated). */
export const LEGACY_DEFAULT_PUBSUB_TOPIC = '/waku/2/default-waku/proto'

export interface StaticShard {
  readonly clusterId: number
  readonly shard: number
}

export type PubsubTopic =
  | { readonly kind: 'static'; readonly clusterId: number; readonly shard: number }
  | { readonly kind: 'named'; readonly name: string }

const STATIC_PREFIX = '/waku/2/rs/'
const NAMED_PREFIX = '/waku/2/'
const DECIMAL = /^(0|[1-9][0-9]*)$/

/** `/waku/2/rs/{clusterId}/{shard}`; throws `InvalidParametersError` when out of range. */
export function formatStaticShardTopic(clusterId: number, shard: number): string {
  assertStaticShard(clusterId, shard)
  return `${STATIC_PREFIX}${clusterId}/${shard}`
}

/** Parses a static-shard topic; throws `InvalidParametersError` for anything else (named topics included). */
export function parseStaticShardTopic(topic: string): StaticShard {
  if (!topic.startsWith(STATIC_PREFIX))
    throw new InvalidParametersError(`Not a static shard pubsub topic: ${topic}`)
  const fields = topic.slice(STATIC_PREFIX.length).split('/')
  const [cluster, shard] = fields
  if (
    fields.length !== 2 ||
    cluster === undefined ||
    shard === undefined ||
    !DECIMAL.test(cluster) ||
    !DECIMAL.test(shard)
  )
    throw new InvalidParametersError(
      `Static shard pubsub topic must be /waku/2/rs/<cluster>/<shard>: ${topic}`,
    )
  const result = { clusterId: Number(cluster), shard: Number(shard) }
  assertStaticShard(result.clusterId, result.shard)
  return result
}

/** Static shard or named topic; throws `InvalidParametersError` for a topic outside `/waku/2/`. */
export function parsePubsubTopic(topic: string): PubsubTopic {
  if (topic.startsWith(STATIC_PREFIX)) return { kind: 'static', ...parseStaticShardTopic(topic) }
  const name = topic.slice(NAMED_PREFIX.length)
  if (!topic.startsWith(NAMED_PREFIX) || name.length === 0)
    throw new InvalidParametersError(`Pubsub topic must start with /waku/2/: ${topic}`)
  return { kind: 'named', name }
}

function assertStaticShard(clusterId: number, shard: number): void {
  if (!Number.isInteger(clusterId) || clusterId < 0 || clusterId > MAX_CLUSTER_ID)
    throw new InvalidParametersError(
      `Cluster id must be an integer in 0..${MAX_CLUSTER_ID}, got ${clusterId}`,
    )
  if (!Number.isInteger(shard) || shard < 0 || shard > MAX_SHARD_INDEX)
    throw new InvalidParametersError(`Shard must be an integer in 0..${MAX_SHARD_INDEX}, got ${shard}`)
}
