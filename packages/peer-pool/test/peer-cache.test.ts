import { MemoryKeyValueStore } from '@parley/store-memory'
import { describe, expect, it } from 'vitest'
import { DEFAULT_TOPICS, PeerCache, topicsOf, WAKU_TOPICS } from '../src/index.ts'

const peer = (n: number, lastConnected: number) => ({
  id: n.toString(16).padStart(128, '0'),
  enode: `enode://${n.toString(16).padStart(128, '0')}@127.0.0.1:${30000 + n}`,
  lastConnected,
})

describe('PeerCache', () => {
  it('keeps the most recently connected peers per topic, newest first', async () => {
    const cache = new PeerCache(new MemoryKeyValueStore(), 2)
    await cache.add(peer(1, 100), ['whisper'])
    await cache.add(peer(2, 300), ['whisper', 'mailserver'])
    await cache.add(peer(3, 200), ['whisper'])
    expect((await cache.list('whisper')).map((p) => p.lastConnected)).toEqual([300, 200])
    expect((await cache.list('mailserver')).map((p) => p.lastConnected)).toEqual([300])
    await cache.add({ ...peer(3, 400), capabilities: ['whisper'] }, ['whisper'])
    expect(await cache.list('whisper')).toEqual([
      { ...peer(3, 400), capabilities: ['whisper'] },
      peer(2, 300),
    ])
  })

  it('skips corrupt entries instead of failing', async () => {
    const store = new MemoryKeyValueStore()
    const cache = new PeerCache(store, 5)
    await cache.add(peer(1, 1), ['whisper'])
    await store.put(new TextEncoder().encode('peer-pool/whisper/zz'), new TextEncoder().encode('{"id":1}'))
    await store.put(new TextEncoder().encode('peer-pool/whisper/yy'), new TextEncoder().encode('not json'))
    expect(await cache.list('whisper')).toEqual([peer(1, 1)])
  })
})

describe('topicsOf', () => {
  it('counts untagged peers for the first topic and tagged peers for each topic with that tag', () => {
    expect(topicsOf(undefined, DEFAULT_TOPICS)).toEqual(['whisper'])
    expect(topicsOf([], WAKU_TOPICS)).toEqual(['waku'])
    expect(topicsOf(['mailserver', 'whisper'], DEFAULT_TOPICS)).toEqual(['whisper', 'whispermail'])
    expect(topicsOf(['whispermail'], WAKU_TOPICS)).toEqual(['whispermail'])
    expect(topicsOf(['waku2:relay'], DEFAULT_TOPICS)).toEqual([])
  })
})
