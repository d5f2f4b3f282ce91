import type { ArchivedMessage, MessageArchive, MessageQuery } from '@parley/interfaces'
import { expect } from 'vitest'
import {
  BASE,
  compareMessages,
  hashOf,
  keyOf,
  message,
  pageAll,
  topicBloom,
  unionBloom,
} from './archive-fixtures.ts'
import { seededRandom, shuffled, toHex } from './bytes.ts'

const SECOND = 1_000_000_000n
/** v1 topics (which blooms can match) and other topics (which they never match). */
const TOPICS = [
  'cafe0001',
  '01020304',
  'abcdef12',
  '00011000',
  'ffffffff',
  '12345678',
  'topic-a',
  '/app/1/x/proto',
]

/**
 * 300 messages over 20 seconds: half on whole seconds (the mailserver's resolution), half with
 * nanoseconds; eight topics, two pubsub topics or none; many ties on timestamp.
 */
export function modelDataset(): ArchivedMessage[] {
  const random = seededRandom(99)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  return Array.from({ length: 300 }, (_, n) => {
    const second = BASE + BigInt(Math.floor(random() * 20)) * SECOND
    const timestamp = random() < 0.5 ? second : second + BigInt(Math.floor(random() * 3) * 1000)
    const pubsubTopic = pick([undefined, undefined, '/waku/2/a', '/waku/2/b'])
    return message(n, {
      timestamp,
      topic: pick(TOPICS),
      ...(pubsubTopic === undefined ? {} : { pubsubTopic }),
    })
  })
}

function inBloom(topic: string, bloom: Uint8Array): boolean {
  if (!/^[0-9a-f]{8}$/.test(topic)) return false
  return topicBloom(topic).every((byte, index) => ((bloom[index] ?? 0) & byte) === byte)
}

function matches(item: ArchivedMessage, query: MessageQuery): boolean {
  return (
    (query.from === undefined || item.timestamp >= query.from) &&
    (query.to === undefined || item.timestamp <= query.to) &&
    (!query.topics?.length || query.topics.includes(item.topic)) &&
    (query.pubsubTopic === undefined || (item.pubsubTopic ?? '') === query.pubsubTopic) &&
    (query.hashes === undefined || query.hashes.some((hash) => toHex(hash) === toHex(item.hash))) &&
    (query.bloom === undefined || inBloom(item.topic, query.bloom))
  )
}

/** A random query: each filter present or not, ranges on and between seconds, up to 40 topics. */
export function randomQuery(random: () => number): MessageQuery {
  const chance = (p: number) => random() < p
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const point = () => BASE + BigInt(Math.floor(random() * 24) - 2) * SECOND + (chance(0.3) ? 1500n : 0n)
  const query: MessageQuery = { limit: 1 + Math.floor(random() * 30) }
  let [from, to] = [point(), point()]
  if (from > to) [from, to] = [to, from]
  if (chance(0.5)) query.from = from
  if (chance(0.5)) query.to = to
  if (chance(0.5)) {
    const many = chance(0.2)
    const extra = many ? Array.from({ length: 36 }, (_, n) => `unused-${n}`) : []
    query.topics = [...shuffled(TOPICS, random).slice(0, 1 + Math.floor(random() * 3)), ...extra]
  }
  if (chance(0.25)) query.pubsubTopic = pick(['', '/waku/2/a', '/waku/2/b'])
  if (chance(0.3)) {
    query.bloom = chance(0.2)
      ? Uint8Array.from({ length: 64 }, () => Math.floor(random() * 256))
      : unionBloom(
          ...shuffled(TOPICS.slice(0, 6), random)
            .slice(0, 1 + Math.floor(random() * 3))
            .map(topicBloom),
        )
  }
  if (chance(0.15))
    query.hashes = Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
      hashOf(Math.floor(random() * 330)),
    )
  if (chance(0.5)) query.direction = 'backward'
  return query
}

/** Pages through 200 random queries and counts them, comparing each with a model of the contract. */
export async function agreesWithModel(archive: MessageArchive): Promise<void> {
  const all = modelDataset()
  await archive.insert(all.slice(0, 150))
  await archive.insert(all.slice(150))
  const random = seededRandom(1234)
  for (let run = 0; run < 200; run++) {
    const query = randomQuery(random)
    const expected = all
      .filter((item) => matches(item, query))
      .sort(compareMessages)
      .map(keyOf)
    if (query.direction === 'backward') expected.reverse()
    const label = `query ${run}: ${JSON.stringify(query, (_, value) => (typeof value === 'bigint' ? `${value}` : value instanceof Uint8Array ? toHex(value) : value))}`
    expect((await pageAll(archive, query)).keys, label).toEqual(expected)
    const { limit: _limit, direction: _direction, ...filter } = query
    expect(await archive.count(filter), label).toBe(expected.length)
  }
}
