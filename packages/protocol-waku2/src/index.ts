/**
 * Waku v2 (libp2p) building blocks: the 14/WAKU2-MESSAGE codec and hashes, content and pubsub
 * topics, static and automatic sharding, the Waku v1 bridge topic mapping, and the helpers the
 * request/response services share (per-peer rate limit, length-prefixed exchanges, host view).
 * The network protocols themselves live in the protocol-waku2-* packages; see README.md.
 */
export * from './message/index.ts'
export * from './service/index.ts'
export * from './topics/index.ts'
