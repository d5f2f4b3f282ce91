/**
 * Waku v2 (libp2p) building blocks: the 14/WAKU2-MESSAGE codec and hashes, content and pubsub
 * topics, static and automatic sharding, and the Waku v1 bridge topic mapping. The network
 * protocols (relay, store, filter, lightpush, ...) are not here yet; see README.md.
 */
export * from './message/index.ts'
export * from './topics/index.ts'
