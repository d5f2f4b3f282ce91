import type { GossipsubOpts } from '@chainsafe/libp2p-gossipsub'
import { InvalidConfigError } from '@parley/interfaces'
import {
  type AutoshardingConfig,
  DEFAULT_PUBSUB_TOPIC,
  formatStaticShardTopic,
  MAX_WAKU_MESSAGE_SIZE,
  parsePubsubTopic,
} from '@parley/protocol-waku2'
import { MAX_TIMESTAMP_DRIFT_MS } from './constants.ts'

export interface WakuRelayInit {
  /**
   * Pubsub topics relayed from start to stop, whether or not anything subscribes locally (nwaku's
   * `--pubsub-topic`/`--shard`). Default: the autosharding cluster's shards when `autosharding` is
   * set, else `/waku/2/rs/0/0`.
   */
  pubsubTopics?: readonly string[]
  /**
   * Derive a message's pubsub topic from its content topic (23/WAKU2-TOPICS autosharding) when the
   * message or filter names none; `THE_WAKU_NETWORK` is cluster 1 with 8 shards. Without it the
   * first of `pubsubTopics` is used.
   */
  autosharding?: AutoshardingConfig
  /** Largest serialized WakuMessage sent or accepted. Default 150 KiB (nwaku). */
  maxMessageSize?: number
  /** Largest distance of a message timestamp from the local clock, ms. Default 20 000 (nwaku). */
  maxTimestampDrift?: number
  /** gossipsub options that replace nwaku's (for tests: a shorter `heartbeatInterval`). */
  gossipsub?: Partial<GossipsubOpts>
}

export interface RelaySettings {
  readonly pubsubTopics: readonly string[]
  readonly autosharding: AutoshardingConfig | undefined
  readonly maxMessageSize: number
  readonly maxTimestampDrift: number
}

/** Checks `init` and fills in defaults; throws `InvalidConfigError`. */
export function relaySettings(init: WakuRelayInit): RelaySettings {
  const maxMessageSize = init.maxMessageSize ?? MAX_WAKU_MESSAGE_SIZE
  if (!Number.isInteger(maxMessageSize) || maxMessageSize < 1)
    throw new InvalidConfigError('waku2 relay maxMessageSize must be a positive integer')
  const maxTimestampDrift = init.maxTimestampDrift ?? MAX_TIMESTAMP_DRIFT_MS
  if (!Number.isFinite(maxTimestampDrift) || maxTimestampDrift < 0)
    throw new InvalidConfigError('waku2 relay maxTimestampDrift must be a non-negative number of ms')
  const autosharding = init.autosharding
  if (
    autosharding !== undefined &&
    !(Number.isInteger(autosharding.shardCount) && autosharding.shardCount >= 1)
  )
    throw new InvalidConfigError('waku2 relay autosharding.shardCount must be a positive integer')
  let pubsubTopics: string[]
  try {
    pubsubTopics = [...new Set(init.pubsubTopics ?? defaultTopics(autosharding))]
    for (const topic of pubsubTopics) parsePubsubTopic(topic)
  } catch (cause) {
    throw new InvalidConfigError('waku2 relay pubsub topics or autosharding cluster are malformed', { cause })
  }
  if (pubsubTopics.length === 0 && autosharding === undefined)
    throw new InvalidConfigError('waku2 relay needs a pubsub topic or autosharding')
  return { pubsubTopics, autosharding, maxMessageSize, maxTimestampDrift }
}

function defaultTopics(autosharding: AutoshardingConfig | undefined): string[] {
  if (autosharding === undefined) return [DEFAULT_PUBSUB_TOPIC]
  return Array.from({ length: autosharding.shardCount }, (_, shard) =>
    formatStaticShardTopic(autosharding.clusterId, shard),
  )
}
