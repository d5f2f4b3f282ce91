import { encodeEnvelope, topicFromName } from '@parley/envelope'
import { messageArchive } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { FakeNetwork } from './fake-protocol.ts'
import { archiveAll, envelopeAt, idOf, metric, serverNode, stopsAfterEach, until } from './helpers.ts'

const A = topicFromName('parley-a')
const T0 = 1_700_000_000
const stops = stopsAfterEach()

/** Ten envelopes sent one minute apart from T0, 100 data bytes each. */
async function archived(retention: object) {
  const made = await serverNode(new FakeNetwork(), idOf(0x5e), { retention, now: () => T0 + 600 })
  stops.push(() => made.node.stop())
  const envelopes = await Promise.all(Array.from({ length: 10 }, (_, i) => envelopeAt(A, T0 + 60 * i, 100)))
  await archiveAll(made.server, envelopes)
  const archive = made.node.get(messageArchive)
  return { ...made, archive, envelopes }
}

async function oldestLeft(
  archive: Awaited<ReturnType<typeof archived>>['archive'],
): Promise<bigint | undefined> {
  return (await archive.query({ limit: 1 })).messages[0]?.timestamp
}

describe('mailserver retention', () => {
  it('drops envelopes older than maxAgeSeconds', async () => {
    const { server, archive, node } = await archived({ maxAgeSeconds: 300 })
    expect(await server.prune()).toBe(5) // sent before T0 + 300
    expect(await archive.count()).toBe(5)
    expect(await oldestLeft(archive)).toBe(BigInt(T0 + 300) * 1_000_000_000n)
    expect(await metric(node, 'parley_mailserver_pruned_envelopes_total')).toBe(5)
  })

  it('keeps at most maxCount, dropping the oldest', async () => {
    const { server, archive } = await archived({ maxCount: 4 })
    expect(await server.prune()).toBe(6)
    expect(await oldestLeft(archive)).toBe(BigInt(T0 + 360) * 1_000_000_000n)
  })

  it('keeps at most about maxBytes, dropping the oldest', async () => {
    const { server, archive, envelopes } = await archived({ maxBytes: 1000 })
    expect(await archive.size()).toBeGreaterThanOrEqual(10 * encodeEnvelope(envelopes[0]!).length)
    await server.prune()
    expect(await archive.size()).toBeLessThanOrEqual(1000)
    const left = await archive.count()
    expect(left).toBeGreaterThan(0)
    expect(await oldestLeft(archive)).toBe(BigInt(T0 + 60 * (10 - left)) * 1_000_000_000n)
  })

  it('runs in the background at the configured interval', async () => {
    const { archive } = await archived({ maxCount: 3, intervalMs: 20 })
    await until(async () => (await archive.count()) === 3, 'the cleaner ran')
  })
})
