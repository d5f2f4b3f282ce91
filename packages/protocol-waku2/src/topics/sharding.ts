/**
 * Automatic sharding (relay-sharding "Automatic sharding"): a content topic maps to a shard of its
 * cluster by hashing only its application and version, so all topics of one app version share a shard.
 *
 *   shard = uint64_be(SHA-256(utf8(application) || utf8(version))[24..32]) mod shardCount
 *
 * The spec text says "the hash modulo the number of shards"; nwaku (sharding.nim getGenZeroShard),
 * go-waku (shard.go) and js-waku (sharding/topics.ts) all take the last 8 bytes as a big-endian
 * uint64 first. The two readings agree only when shardCount is a power of two; we match the
 * implementations.
 */
import { sha256 } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'
import { parseContentTopic } from './content-topic.ts'
import { formatStaticShardTopic, MAX_SHARD_INDEX, type StaticShard } from './pubsub-topic.ts'

export interface AutoshardingConfig {
  readonly clusterId: number
  /** Number of shards the cluster spreads content topics over (The Waku Network: 8). */
  readonly shardCount: number
}

/** The Waku Network (64/WAKU2-NETWORK): cluster 1, autosharding over shards 0..7. */
export const THE_WAKU_NETWORK: AutoshardingConfig = { clusterId: 1, shardCount: 8 }

const utf8Encoder = new TextEncoder()

/** The shard index for a content topic; throws `InvalidParametersError` for a bad topic or count. */
export function contentTopicToShard(contentTopic: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > MAX_SHARD_INDEX + 1)
    throw new InvalidParametersError(
      `Shard count must be an integer in 1..${MAX_SHARD_INDEX + 1}, got ${shardCount}`,
    )
  const { application, version } = parseContentTopic(contentTopic)
  const hash = sha256(utf8Encoder.encode(application + version))
  const last8 = new DataView(hash.buffer, hash.byteOffset, hash.byteLength).getBigUint64(24, false)
  return Number(last8 % BigInt(shardCount))
}

/** Cluster and shard for a content topic under autosharding. */
export function contentTopicToStaticShard(contentTopic: string, config: AutoshardingConfig): StaticShard {
  const shard = contentTopicToShard(contentTopic, config.shardCount)
  formatStaticShardTopic(config.clusterId, shard) // validates the cluster id
  return { clusterId: config.clusterId, shard }
}

/** `/waku/2/rs/{clusterId}/{shard}` for a content topic under autosharding. */
export function contentTopicToPubsubTopic(contentTopic: string, config: AutoshardingConfig): string {
  const { clusterId, shard } = contentTopicToStaticShard(contentTopic, config)
  return formatStaticShardTopic(clusterId, shard)
}
