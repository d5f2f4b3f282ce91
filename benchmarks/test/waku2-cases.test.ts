/**
 * The Waku v2 relay network cases on a small network for a tiny budget: every published message
 * reaches every receiver, and the figures are sane. No timing assertions.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { RelayNetwork, waku2RelayCases } from '../src/cases/waku2-relay.ts'
import { WAKU2_RELAY_TARGET } from '../src/targets.ts'
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

  it('both cases run and report sane figures', async () => {
    const lines: string[] = []
    const cases = waku2RelayCases({ size: 4, log: (line) => lines.push(line) })
    expect(cases.map((c) => [c.id, c.unit, c.target])).toEqual([
      ['waku2-relay-4-nodes-1k', 'ops/s', WAKU2_RELAY_TARGET],
      ['waku2-relay-4-nodes-latency', 'ms', undefined],
    ])
    for (const benchCase of cases) await runBriefly(benchCase, 100)
    expect(lines.join('\n')).toMatch(/wall rate .* p99/s)
  }, 60_000)
})
