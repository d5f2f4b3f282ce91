import { join } from 'node:path'
import { keyOf, toHex, topicBloom } from '@parley/compliance-tests'
import type { ArchivedMessage } from '@parley/interfaces'
import { encodeDbKey, LevelStore } from '@parley/store-level'
import { caseById, field, loadVectors, num } from '@parley/test-support'
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import { removeDir, tempDir } from './temp.ts'

const dbKeyCase = caseById(loadVectors('mailserver.json'), 'db-key-and-cursor')
const timestamp = num(dbKeyCase.input, 'timestamp')
const envelopeHash = field(dbKeyCase.input, 'envelope_hash')
const topic = field(dbKeyCase.input, 'topic')
const expectedKey = field(dbKeyCase.expected, 'db_key')
const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'))
const NS = 1_000_000_000n

function raw(path: string) {
  return new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' })
}

describe("status-go's mailserver key layout", () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) removeDir(dir)
  })

  it('encodeDbKey matches the status-go DBKey vector', () => {
    expect(toHex(encodeDbKey(timestamp, hex(envelopeHash), hex(topic)))).toBe(expectedKey)
  })

  it('an archived v1 envelope is stored under the status-go key, with its RLP as the value', async () => {
    dir = tempDir()
    const path = join(dir, 'db')
    const store = new LevelStore({ path })
    await store.start()
    const data = hex('f84a8405f5e100')
    await store.insert([{ hash: hex(envelopeHash), timestamp: BigInt(timestamp) * NS, topic, data }])
    await store.stop()
    const db = raw(path)
    await db.open()
    expect(toHex((await db.get(hex(expectedKey))) ?? new Uint8Array())).toBe(toHex(data))
    await db.close()
  })

  it("opens a status-go mailserver's database: indexes, counts, queries and dedups its envelopes", async () => {
    dir = tempDir()
    const path = join(dir, 'db')
    const envelopes: ArchivedMessage[] = ['cafe0001', '01020304', 'cafe0001'].map((name, n) => ({
      hash: new Uint8Array(32).fill(n + 1),
      timestamp: BigInt(1_700_000_000 + n) * NS,
      topic: name,
      data: new Uint8Array(100 + n).fill(n),
    }))
    const db = raw(path)
    await db.open()
    for (const envelope of envelopes) {
      const key = encodeDbKey(Number(envelope.timestamp / NS), envelope.hash, hex(envelope.topic))
      await db.put(key, envelope.data)
    }
    await db.put(new TextEncoder().encode('foreign'), new Uint8Array([1]))
    await db.close()

    const store = new LevelStore({ path })
    await store.start()
    try {
      expect(await store.count()).toBe(3)
      expect(await store.size()).toBe(100 + 101 + 102)
      expect((await store.query({ topics: ['cafe0001'] })).messages.map(keyOf)).toEqual(
        [envelopes[0]!, envelopes[2]!].map(keyOf),
      )
      const page = await store.query({ bloom: topicBloom('01020304'), from: envelopes[0]!.timestamp })
      expect(page.messages.map((message) => toHex(message.data))).toEqual([toHex(envelopes[1]!.data)])
      expect(await store.insert(envelopes)).toBe(0)
      expect(await store.deleteOlderThan(envelopes[1]!.timestamp)).toBe(1)
      expect(await store.count()).toBe(2)
    } finally {
      await store.stop()
    }
  })

  it('keeps messages that do not fit the layout (sub-second, Waku v2, far future) in its own keys', async () => {
    dir = tempDir()
    const path = join(dir, 'db')
    const store = new LevelStore({ path })
    await store.start()
    const messages: ArchivedMessage[] = [
      {
        hash: new Uint8Array(32).fill(1),
        timestamp: 1_700_000_000n * NS + 5n,
        topic: 'cafe0001',
        data: new Uint8Array([1]),
      },
      {
        hash: new Uint8Array(32).fill(2),
        timestamp: 1_700_000_000n * NS,
        topic: '/app/1/x/proto',
        pubsubTopic: '/waku/2/rs/16/32',
        data: new Uint8Array([2]),
      },
      {
        hash: new Uint8Array(32).fill(3),
        timestamp: 0xffff0000n * NS,
        topic: 'cafe0001',
        data: new Uint8Array([3]),
      },
      {
        hash: new Uint8Array(32).fill(4),
        timestamp: 1_700_000_000n * NS,
        topic: 'cafe0001',
        data: new Uint8Array([4]),
      },
    ]
    await store.insert(messages)
    await store.stop()
    const db = raw(path)
    await db.open()
    const statusGoKeys: string[] = []
    for await (const key of db.keys({ lt: Uint8Array.of(0xff, 0xff) })) statusGoKeys.push(toHex(key))
    await db.close()
    // Only the whole-second, 4-byte-topic envelope below 0xffff0000 takes the status-go layout.
    expect(statusGoKeys).toEqual([toHex(encodeDbKey(1_700_000_000, messages[3]!.hash, hex('cafe0001')))])
  })
})
