/**
 * The ENR and DNS tree cases, and the Waku v2 message hash, each run for a tiny budget: sane figures,
 * and the work they claim (records that verify, a whole tree resolved with one query per entry).
 */
import { createHash } from 'node:crypto'
import { decodeEnr } from '@parley/enr'
import { computeMessageHash } from '@parley/protocol-waku2'
import { describe, expect, it } from 'vitest'
import { dnsTreeCase, resolveTree, serveEnrTree } from '../src/cases/discovery-dns.ts'
import { discoveryEnrCases, wakuEnrText } from '../src/cases/discovery-enr.ts'
import { firstPeerCases } from '../src/cases/discovery-first-peer.ts'
import { nodeSecp256k1 } from '../src/cases/envelope-inputs.ts'
import { WAKU2_PUBSUB_TOPIC, waku2HashCases, waku2Message } from '../src/cases/waku2-hash.ts'
import { runBriefly } from './brief-run.ts'

describe('ENR case', () => {
  it('decodes and verifies a Waku record, and runs', async () => {
    const secp = await nodeSecp256k1()
    const enr = decodeEnr(wakuEnrText(secp, 3), secp)
    expect(enr.entries.has('waku2')).toBe(true)
    expect(enr.entries.has('rs')).toBe(true)
    // a flipped signature byte fails verification
    const forged = Uint8Array.from(enr.bytes)
    forged[5] = (forged[5] ?? 0) ^ 1
    expect(() => decodeEnr(forged, secp)).toThrow()
    const cases = await discoveryEnrCases()
    expect(cases.map((c) => c.id)).toEqual(['enr-decode-verify'])
    for (const benchCase of cases) await runBriefly(benchCase)
  })
})

describe('DNS tree case', () => {
  it('resolves every record of a served tree, one query per entry plus the root', async () => {
    const served = await serveEnrTree(40)
    try {
      const result = await resolveTree(served)
      expect(result.enrs).toBe(40)
      // the root, then every record and branch the tree publishes
      expect(result.queries).toBe(served.tree.records.size)
    } finally {
      await served.server.close()
    }
  })

  it('runs as a latency case', async () => {
    const lines: string[] = []
    const benchCase = await dnsTreeCase(30, (line) => lines.push(line))
    expect([benchCase.id, benchCase.unit]).toEqual(['dns-tree-resolve-30', 'ms'])
    const slice = await runBriefly(benchCase, 30)
    expect(slice.p90).toBeGreaterThanOrEqual(slice.value)
    expect(lines.join('\n')).toMatch(/DNS queries per resolution/)
  })
})

describe('Waku v2 message hash case', () => {
  it('its reference hashes the same bytes, and both run', async () => {
    const [benchCase] = waku2HashCases()
    expect(benchCase?.id).toBe('waku2-message-hash-1k')
    // the reference feeds SHA-256 the very bytes computeMessageHash hashes
    const message = waku2Message(0)
    const timestamp = Buffer.alloc(8)
    timestamp.writeBigUInt64BE(message.timestamp ?? 0n)
    const digest = createHash('sha256')
      .update(WAKU2_PUBSUB_TOPIC)
      .update(message.payload)
      .update(message.contentTopic)
      .update(timestamp)
      .digest()
    expect(Buffer.from(computeMessageHash(WAKU2_PUBSUB_TOPIC, message))).toEqual(digest)
    await runBriefly(benchCase!)
  })
})

describe('time to first peer', () => {
  it('each source yields a peer on every fresh start', async () => {
    const cases = firstPeerCases()
    expect(cases.map((c) => [c.id, c.unit])).toEqual([
      ['first-peer/cache', 'ms'],
      ['first-peer/dns', 'ms'],
      ['first-peer/discv5', 'ms'],
    ])
    for (const benchCase of cases) {
      const slice = await runBriefly(benchCase, 30)
      expect(slice.p90).toBeGreaterThanOrEqual(slice.value)
    }
  }, 60_000)
})
