/** The archive gate alone: batching, order, `settled`, failures, the backlog limit and `clear`. */
import { LimitExceededError, NotStartedError, type V1DirectEvents } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { ArchiveGate, MAX_BATCH, MAX_WAITING } from '../src/archive-gate.ts'

type Batch = ReadonlyArray<V1DirectEvents['envelope:accepted']>

const detail = (n: number) => ({ envelope: Uint8Array.of(n & 0xff), hash: `0x${n}` })

/** A gate over numbers whose archiver holds every batch until the test settles it. */
function heldGate() {
  const batches: number[][] = []
  const settle: Array<{ resolve: () => void; reject: (error: unknown) => void }> = []
  const passed: number[] = []
  const failed: Array<{ items: number[]; error: unknown }> = []
  const gate = new ArchiveGate<number>({
    passed: (items) => passed.push(...items),
    failed: (items, error) => failed.push({ items, error }),
  })
  gate.register(
    (batch: Batch) =>
      new Promise<void>((resolve, reject) => {
        batches.push(batch.map((entry) => Number(entry.hash.slice(2))))
        settle.push({ resolve, reject })
      }),
  )
  const add = (n: number) => gate.add(n, detail(n))
  const tick = () => new Promise((resolve) => setImmediate(resolve))
  return { gate, batches, settle, passed, failed, add, tick }
}

describe('ArchiveGate', () => {
  it('archives what arrives together as one batch, the next arrivals as the next, in order', async () => {
    const { batches, settle, passed, add, tick } = heldGate()
    const first = [add(1), add(2), add(3)]
    await tick()
    const second = [add(4), add(5)]
    await tick()
    expect(batches).toEqual([[1, 2, 3]])
    settle[0]!.resolve()
    await Promise.all(first)
    expect(passed).toEqual([1, 2, 3])
    await tick()
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ])
    settle[1]!.resolve()
    await Promise.all(second)
    expect(passed).toEqual([1, 2, 3, 4, 5])
  })

  it('settled() waits for what was queued before it, not for later arrivals', async () => {
    const { gate, settle, add, tick } = heldGate()
    void add(1)
    const settled = gate.settled()
    let done = false
    void settled.then(() => {
      done = true
    })
    await tick()
    void add(2)
    settle[0]!.resolve()
    await settled
    expect(done).toBe(true)
    await tick()
    expect(settle).toHaveLength(2) // the second batch is still held, and settled() did not wait for it
  })

  it('a rejected batch fails whole with the archiver’s error, and the gate goes on', async () => {
    const { settle, passed, failed, add, tick } = heldGate()
    const error = new Error('disk full')
    const lost = [add(1), add(2)]
    await tick()
    settle[0]!.reject(error)
    for (const each of lost) await expect(each).rejects.toBe(error)
    expect(failed).toEqual([{ items: [1, 2], error }])
    const kept = add(3)
    await tick()
    settle[1]!.resolve()
    await kept
    expect(passed).toEqual([3])
  })

  it(`sheds load past ${MAX_WAITING} waiting, in batches of at most ${MAX_BATCH}`, async () => {
    const { batches, settle, failed, add, tick } = heldGate()
    const inFlight = add(0)
    await tick()
    const waiting = Array.from({ length: MAX_WAITING }, (_, index) => add(index + 1))
    await expect(add(-1)).rejects.toBeInstanceOf(LimitExceededError)
    expect(failed).toHaveLength(1)
    expect(failed[0]!.items).toEqual([-1])
    settle[0]!.resolve()
    await inFlight
    await tick()
    expect(batches[1]).toHaveLength(MAX_BATCH)
    settle[1]!.resolve()
    await Promise.all(waiting.slice(0, MAX_BATCH))
  })

  it('clear() rejects what waits and what is being archived with NotStartedError', async () => {
    const { gate, settle, passed, add, tick } = heldGate()
    const inFlight = add(1)
    await tick()
    const queued = add(2)
    gate.clear()
    await expect(queued).rejects.toBeInstanceOf(NotStartedError)
    settle[0]!.resolve()
    await expect(inFlight).rejects.toBeInstanceOf(NotStartedError)
    expect(passed).toEqual([])
  })

  it('without an archiver (never registered, or unregistered) items pass straight on', async () => {
    const passed: number[] = []
    const gate = new ArchiveGate<number>({ passed: (items) => passed.push(...items), failed: () => {} })
    expect(gate.active).toBe(false)
    const unregister = gate.register(async () => {})
    expect(gate.active).toBe(true)
    unregister()
    expect(gate.active).toBe(false)
    await gate.add(7, detail(7))
    expect(passed).toEqual([7])
  })
})
