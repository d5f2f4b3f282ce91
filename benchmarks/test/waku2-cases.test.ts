/**
 * The Waku v2 relay network cases on a small network for a tiny budget: every published message
 * reaches every receiver, and the figures are sane; the store case on a small archive, whose pages
 * are what the query asked for. No timing assertions.
 */
import { answerStoreQuery, fromArchived } from '@parley/protocol-waku2-store'
import { afterEach, describe, expect, it } from 'vitest'
import { RelayNetwork, waku2RelayCases } from '../src/cases/waku2-relay.ts'
import { fillWaku2Archive, storeRequest, waku2StoreCase } from '../src/cases/waku2-store.ts'
import { WAKU2_RELAY_TARGET, WAKU2_STORE_P99_TARGET } from '../src/targets.ts'
import { runBriefly } from './brief-run.ts'

let open: RelayNetwork | undefined
afterEach(async () => {
  await open?.close()
  open = undefined
})

describe('Waku v2 relay network', () => {
  it('delivers every message to every receiver, in any order', async () => {
    open = new RelayNetwork(4)
    await open.open()
    expect(open.delivered).toBe(1) // the one open() sends
    for (let i = 0; i < 20; i++) await open.publish()
    await open.arrival(open.published - 1)
    expect([open.published, open.delivered]).toEqual([21, 21])
  }, 30_000)

  it('the three cases share one network, run and report sane figures', async () => {
    const lines: string[] = []
    const cases = waku2RelayCases({ size: 4, log: (line) => lines.push(line) })
    expect(cases.map((c) => [c.id, c.unit, c.target])).toEqual([
      ['waku2-relay-4-nodes-1k', 'ops/s', WAKU2_RELAY_TARGET],
      ['waku2-relay-4-nodes-latency', 'ms', undefined],
      ['waku2-relay-4-nodes-latency-p99', 'ms', undefined],
    ])
    // as the harness runs them: every setup, then the slices, then the teardowns in reverse
    for (const benchCase of cases) await benchCase.setup?.()
    try {
      for (const benchCase of cases) {
        const slice = await benchCase.runFor!(100, 1)
        expect(slice.samples).toBeGreaterThan(0)
        expect(Number.isFinite(slice.value) && slice.value > 0).toBe(true)
      }
    } finally {
      for (const benchCase of [...cases].reverse()) await benchCase.teardown?.()
    }
    expect(lines.join('\n')).toMatch(/wall rate/)
    expect(lines.join('\n')).toMatch(/latency: p50 .* p99/)
  }, 60_000)
})

describe('Waku v2 store query case', () => {
  it('pages hold 100 messages of the asked topics and range, in time order, and continue to older ones', async () => {
    const archive = await fillWaku2Archive(12_000, () => {})
    try {
      let next = 0.1
      const request = storeRequest(2, () => (next = (next + 0.37) % 1))
      const first = await answerStoreQuery(archive.store, request)
      expect(first.statusCode).toBe(200)
      expect(first.messages).toHaveLength(100)
      const times = first.messages.map((entry) => entry.message?.timestamp ?? -1n)
      for (const [i, entry] of first.messages.entries()) {
        expect(request.contentTopics).toContain(entry.message?.contentTopic)
        expect(times[i]! >= request.timeStart! && times[i]! <= request.timeEnd!).toBe(true)
        // a backward query pages newest first, each page in time order (as nwaku answers)
        if (i > 0) expect(times[i]! >= times[i - 1]!).toBe(true)
      }
      expect(first.paginationCursor).toBeDefined()
      const second = await answerStoreQuery(archive.store, {
        ...request,
        paginationCursor: first.paginationCursor,
      })
      expect(second.messages.length).toBeGreaterThan(0)
      expect(second.messages.at(-1)!.message!.timestamp! <= times[0]!).toBe(true)
      const rows = await archive.store.query({ limit: 1 })
      expect(fromArchived(rows.messages[0]!)?.pubsubTopic).toBe('/waku/2/rs/16/32')
    } finally {
      await archive.close()
    }
  })

  it('runs as a p99 latency case with the 50 ms target', async () => {
    const lines: string[] = []
    const benchCase = waku2StoreCase({ size: 2000, log: (line) => lines.push(line) })
    expect([benchCase.id, benchCase.unit, benchCase.target]).toEqual([
      'waku2-store-query',
      'ms',
      WAKU2_STORE_P99_TARGET,
    ])
    await runBriefly(benchCase, 50)
    expect(lines.join('\n')).toMatch(/filled 2000 messages[\s\S]*p99/)
  })
})
