import { seededRandom } from '@parley/compliance-tests'
import { bytesToHex } from '@parley/crypto'
import { describe, expect, it } from 'vitest'
import type { MvdsDataSync, MvdsInit, Ordering, SyncMode } from '../src/index.ts'
import { createService, FakeClock, GROUP, LossyLink, MapStore, text, utf8 } from './support.ts'

interface Side {
  name: string
  other: string
  store: MapStore
  clock: FakeClock
  sync: MvdsDataSync | undefined
  sent: string[] // bodies, in send order
  sentIds: Set<string>
  received: string[] // bodies, in delivery order
  acked: string[] // ids the other side acknowledged
}

/**
 * Two real services on a link losing `dropRate` of the payloads (seeded), clocks advanced one
 * epoch at a time. Each side sends `count` messages spread over the run; `restarts` lists the
 * epochs at which a side goes down (gracefully or by crashing) and comes back later.
 */
async function run(options: {
  mode: SyncMode
  ordering: Ordering
  seed: number
  count: number
  restarts: { side: 0 | 1; atEpoch: number; downEpochs: number; crash: boolean }[]
  schedule?: MvdsInit['schedule']
  maxEpochs: number
}) {
  const random = seededRandom(options.seed ^ 0x5eed)
  const init = (): MvdsInit => ({
    mode: options.mode,
    ordering: options.ordering,
    schedule: { ...options.schedule, random },
  })
  const link = new LossyLink(options.seed, 0.3)
  const sides: Side[] = ['alice', 'bob'].map((name, i) => ({
    name,
    other: i === 0 ? 'bob' : 'alice',
    store: new MapStore(),
    clock: new FakeClock(),
    sync: undefined,
    sent: [],
    sentIds: new Set(),
    received: [],
    acked: [],
  }))

  const bringUp = async (side: Side, clock: FakeClock) => {
    const { sync } = createService({ ...init(), clock }, side.store)
    sync.addEventListener('message:received', (e) => side.received.push(text(e.detail.body)))
    sync.addEventListener('message:delivered', (e) => side.acked.push(bytesToHex(e.detail.id)))
    await sync.start()
    await sync.addPeer(GROUP, side.other) // idempotent after a restart
    side.sync = sync
    side.clock = clock
    link.attach(side.name, sync)
  }
  for (const side of sides) await bringUp(side, side.clock)

  const downUntil = new Map<Side, number>()
  const epochMs = 300
  let epoch = 1
  for (; epoch <= options.maxEpochs; epoch++) {
    for (const restart of options.restarts) {
      const side = sides[restart.side] as Side
      if (restart.atEpoch === epoch) {
        // A crash abandons the service: its timer never fires again and nothing is flushed.
        if (!restart.crash) await side.sync?.stop()
        link.attach(side.name, undefined)
        side.sync = undefined
        downUntil.set(side, epoch + restart.downEpochs)
      }
      if (downUntil.get(side) === epoch) await bringUp(side, new FakeClock(side.clock.now()))
    }
    for (const [i, side] of sides.entries()) {
      // Send one message every few epochs, so new sends interleave with retransmissions.
      if (side.sync !== undefined && side.sent.length < options.count && epoch % (3 + i) === 0) {
        const body = `${side.name}-${side.sent.length}`
        const id = await side.sync.send(GROUP, utf8(body))
        side.sent.push(body)
        side.sentIds.add(bytesToHex(id))
      }
    }
    for (const side of sides) if (side.sync !== undefined) await side.clock.advance(epochMs)
    const settled = (side: Side) =>
      side.sync?.node?.state.size === 0 &&
      side.sent.length === options.count &&
      side.received.length >= options.count
    if (sides.every(settled)) break
  }
  for (const side of sides) await side.sync?.stop()
  return { sides, link, epochs: epoch }
}

function expectExactlyOnce(sides: Side[], ordering: Ordering) {
  const [alice, bob] = sides as [Side, Side]
  for (const [sender, receiver] of [
    [alice, bob],
    [bob, alice],
  ] as const) {
    expect(new Set(receiver.received).size, 'no duplicates reach the application').toBe(
      receiver.received.length,
    )
    if (ordering === 'consistent') expect(receiver.received).toEqual(sender.sent)
    else expect([...receiver.received].sort()).toEqual([...sender.sent].sort())
    // Every message was acknowledged, and `message:delivered` fired once per message.
    expect([...sender.acked].sort()).toEqual([...sender.sentIds].sort())
  }
}

describe('two services over a link losing 30 % of payloads', () => {
  const fast = { backoffSeconds: 1, epochsPerSecond: 2, jitterEpochs: 2 }
  for (const mode of ['batch', 'interactive'] as const) {
    for (const ordering of ['eventual', 'consistent'] as const) {
      it(`${mode}/${ordering}: exactly once${ordering === 'consistent' ? ', in order' : ''}, across restarts`, async () => {
        for (const seed of [1, 2, 3]) {
          const { sides, link, epochs } = await run({
            mode,
            ordering,
            seed,
            count: 12,
            schedule: fast,
            maxEpochs: 4000,
            restarts: [
              { side: 1, atEpoch: 15, downEpochs: 10, crash: false },
              { side: 0, atEpoch: 30, downEpochs: 7, crash: true },
              { side: 1, atEpoch: 41, downEpochs: 3, crash: true },
            ],
          })
          expect(link.dropped / link.sent).toBeGreaterThan(0.15)
          expect(epochs, 'finished before the epoch limit').toBeLessThan(4000)
          expectExactlyOnce(sides, ordering)
        }
      })
    }
  }

  it('with status-go schedule defaults (300 ms epochs, 30 s doubling backoff) and a crash', async () => {
    const { sides, link, epochs } = await run({
      mode: 'batch',
      ordering: 'consistent',
      seed: 9,
      count: 8,
      maxEpochs: 20_000,
      restarts: [{ side: 1, atEpoch: 12, downEpochs: 20, crash: true }],
    })
    expect(link.dropped / link.sent).toBeGreaterThan(0.15)
    // The first retransmission comes 90 epochs after a send, so losses cost at least that much.
    expect(epochs).toBeGreaterThan(90)
    expect(epochs, 'finished before the epoch limit').toBeLessThan(20_000)
    expectExactlyOnce(sides, 'consistent')
  })
})
