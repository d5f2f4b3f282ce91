export { BLOOM_BYTES, topicBloom, topicInBloom } from './bloom.ts'
export { CombinedStore, type KeyValueCalls, type MessageArchiveCalls } from './combined-store.ts'
export { StoreConnection, type StoreConnectionInit } from './connection.ts'
export {
  compareBytes,
  type KeyRange,
  type KeyValueOperation,
  keysetEntries,
  prefixEnd,
  recordingBatch,
} from './keys.ts'
export { positiveInteger, throwIfAborted } from './options.ts'
export {
  assertInt64,
  compareMessages,
  INT64_MAX,
  INT64_MIN,
  type MessageFilter,
  narrowBloom,
  pageOf,
  pageSize,
  type SeekBounds,
  seekBounds,
  topicMatcher,
  uniqueTopics,
  validateQuery,
} from './query.ts'
export { type FullStorageGuardInit, fullStorageGuard, type WriteGuard, writeErrorsCounter } from './writes.ts'
