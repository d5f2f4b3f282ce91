/** An archive filled through the store's own mapping, and the messages it holds. */

import { computeMessageHash, encodeWakuMessage, type WakuMessage } from '@parley/protocol-waku2'
import { MemoryMessageArchive } from '@parley/store-memory'
import { toArchived } from '../src/index.ts'

export const PUBSUB = '/waku/2/rs/0/0'
export const OTHER_PUBSUB = '/waku/2/rs/16/32'
export const CHAT = '/parley/1/chat/proto'
export const OTHER = '/parley/1/other/proto'
/** 2024-01-01T00:00:00Z in ns; message i is stamped BASE + i ms. */
export const BASE = 1_704_067_200_000_000_000n
export const MS = 1_000_000n

export interface Sample {
  pubsubTopic: string
  message: WakuMessage
  hash: Uint8Array
}

export const utf8 = (text: string) => new TextEncoder().encode(text)
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

/** `count` messages on CHAT/PUBSUB (payload `m<i>`, timestamp BASE + i ms), then a few elsewhere. */
export function samples(count: number): Sample[] {
  const made: Sample[] = []
  const add = (pubsubTopic: string, contentTopic: string, payload: string, timestamp: bigint) => {
    const message: WakuMessage = { payload: utf8(payload), contentTopic, timestamp }
    made.push({ pubsubTopic, message, hash: computeMessageHash(pubsubTopic, message) })
  }
  for (let i = 0; i < count; i++) add(PUBSUB, CHAT, `m${i}`, BASE + BigInt(i) * MS)
  add(PUBSUB, OTHER, 'other-topic', BASE + 1n * MS)
  add(OTHER_PUBSUB, CHAT, 'other-pubsub', BASE + 2n * MS)
  return made
}

export async function filledArchive(items: readonly Sample[]): Promise<MemoryMessageArchive> {
  const archive = new MemoryMessageArchive()
  await archive.start()
  await archive.insert(
    items.map(({ pubsubTopic, message }) => toArchived(pubsubTopic, encodeWakuMessage(message), message, 0n)),
  )
  return archive
}
