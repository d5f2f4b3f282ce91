export {
  type ContentTopic,
  type ContentTopicParts,
  formatContentTopic,
  isValidContentTopic,
  parseContentTopic,
} from './content-topic.ts'
export {
  DEFAULT_PUBSUB_TOPIC,
  formatStaticShardTopic,
  LEGACY_DEFAULT_PUBSUB_TOPIC,
  MAX_CLUSTER_ID,
  MAX_SHARD_INDEX,
  type PubsubTopic,
  parsePubsubTopic,
  parseStaticShardTopic,
  type StaticShard,
} from './pubsub-topic.ts'
export {
  type AutoshardingConfig,
  contentTopicToPubsubTopic,
  contentTopicToShard,
  contentTopicToStaticShard,
  THE_WAKU_NETWORK,
} from './sharding.ts'
export {
  contentTopicToWakuV1Topic,
  isWakuV1ContentTopic,
  WAKU_V1_TOPIC_LENGTH,
  wakuV1TopicToContentTopic,
} from './waku-v1.ts'
