/**
 * js-waku's 26/WAKU2-PAYLOAD codecs: `@waku/message-encryption` 0.0.27, loaded by path from
 * `packages/interop-js-waku-encryption`, where it resolves `@waku/core` 0.0.29 and the `@waku/*`
 * releases it was built against (the release matching `@waku/sdk` 0.0.27 is not in the registry).
 * Its encoders and decoders are plain objects, so a 0.0.27 sdk relay node takes them.
 */
import { fileURLToPath } from 'node:url'
import { DEFAULT_PUBSUB_TOPIC } from '@parley/protocol-waku2'
import { type AnyModule, theirs } from './js-waku-support.ts'

const holder = fileURLToPath(new URL('../../interop-js-waku-encryption/node_modules/', import.meta.url))
export const symmetric: AnyModule = await theirs(holder, '@waku/message-encryption', 'dist/symmetric.js')
export const ecies: AnyModule = await theirs(holder, '@waku/message-encryption', 'dist/ecies.js')

/** The static shard js-waku derives `/waku/2/rs/0/0` from, Parley's default pubsub topic. */
export const SHARD = { clusterId: 0, shard: 0 }

export type Kind = 'symmetric' | 'ecies'
export interface Case {
  kind: Kind
  signed: boolean
}
export const cases: readonly Case[] = (['symmetric', 'ecies'] as const).flatMap((kind) =>
  [false, true].map((signed) => ({ kind, signed })),
)

/** The fields of js-waku's version-1 `DecodedMessage` the tests read. */
export interface TheirDecodedMessage {
  payload: Uint8Array
  version: number
  signaturePublicKey?: Uint8Array
  verifySignature(publicKey: Uint8Array): boolean
}

export interface TheirEncoder {
  toWire(message: { payload: Uint8Array }): Promise<Uint8Array>
}

export interface TheirDecoder {
  fromWireToProtoObj(bytes: Uint8Array): Promise<unknown>
  fromProtoObj(pubsubTopic: string, proto: unknown): Promise<TheirDecodedMessage | undefined>
}

/**
 * js-waku's encoder for `kind`: to `symKey`, or to `publicKey` by ECIES; signed if `sigKey`. The
 * symmetric one also gets `pubsubTopic`: 0.0.27's symmetric `createEncoder` defaults that option to
 * `/waku/2/default-waku/proto`, so `pubsubTopicShardInfo` alone never takes effect (pinned in
 * `js-waku-payload-v1.test.ts`).
 */
export function theirEncoder(
  kind: Kind,
  keys: { contentTopic: string; symKey: Uint8Array; publicKey: Uint8Array; sigKey?: Uint8Array | undefined },
): TheirEncoder {
  const common = { contentTopic: keys.contentTopic, pubsubTopicShardInfo: SHARD, sigPrivKey: keys.sigKey }
  return kind === 'symmetric'
    ? symmetric.createEncoder({ ...common, pubsubTopic: DEFAULT_PUBSUB_TOPIC, symKey: keys.symKey })
    : ecies.createEncoder({ ...common, publicKey: keys.publicKey })
}

/** js-waku's decoder for `kind`: with `symKey`, or with `privateKey` for ECIES. */
export function theirDecoder(
  kind: Kind,
  contentTopic: string,
  keys: { symKey: Uint8Array; privateKey: Uint8Array },
): TheirDecoder {
  return kind === 'symmetric'
    ? symmetric.createDecoder(contentTopic, keys.symKey, SHARD)
    : ecies.createDecoder(contentTopic, keys.privateKey, SHARD)
}
