import { Worker } from 'node:worker_threads'
import { AbortError, InvalidParametersError, NotStartedError, TimeoutError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  computePow,
  leadingZeroBits,
  nodeWorker,
  POW_WORKER_URL,
  type PowEnvelopeFields,
  type PowWorkerHandle,
  PowWorkerPool,
  powHash,
  powKernel,
  powPrefix,
  seal,
  verifyPow,
  webWorker,
} from '../src/pow/index.ts'
import { FIRST_SLICE } from '../src/pow/search.ts'

const statusEnvelope: PowEnvelopeFields = {
  expiry: 1_700_000_000,
  ttl: 10,
  topic: Uint8Array.of(0xf8, 0x94, 0x6a, 0xac),
  data: new Uint8Array(1024).map((_, i) => i * 13),
}

/** go-ethereum's Seal with a target: nonces from 0, the first one with enough leading zero bits. */
function firstNonceWith(envelope: PowEnvelopeFields, bits: number): bigint {
  const prefix = powPrefix(envelope)
  for (let nonce = 0n; ; nonce++) if (leadingZeroBits(powHash(prefix, nonce)) >= bits) return nonce
}

/** CPU time this thread has used, in ms: unlike wall-clock time it does not grow while a loaded machine runs someone else. */
function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage()
  return (user + system) / 1000
}

/** Worker threads show up as MessagePort (or Worker) handles while alive. */
function liveWorkerHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'MessagePort' || name === 'Worker').length
}

describe('seal in this thread', () => {
  for (const kernel of ['wasm', 'js'] as const) {
    it(`reaches the requested bits with the same nonce as go-ethereum (${kernel})`, async () => {
      const result = await seal(statusEnvelope, { bits: 10, worker: false, kernel })
      expect(result.bits).toBeGreaterThanOrEqual(10)
      expect(result.nonce).toBe(firstNonceWith(statusEnvelope, 10))
      expect(result.hashes).toBe(Number(result.nonce) + 1)
      const sealed = { ...statusEnvelope, nonce: result.nonce }
      expect(computePow(sealed)).toBe(result.pow)
      expect(verifyPow(sealed, result.pow)).toBe(true)
    })
  }

  it("meets Status's PoW 0.002 / TTL 10 / 1 KiB and verifies", async () => {
    const result = await seal(statusEnvelope, { pow: 0.002 })
    expect(result.bits).toBeGreaterThanOrEqual(5) // ceil(log2(0.002 * 1044 * 10))
    expect(result.nonce).toBe(firstNonceWith(statusEnvelope, 5))
    expect(verifyPow({ ...statusEnvelope, nonce: result.nonce }, 0.002)).toBe(true)
  })

  it('always verifies at the requested pow', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.double({ min: 1e-7, max: 2, noNaN: true }),
        async (data, ttl, expiry, pow) => {
          const envelope = { expiry, ttl, topic: Uint8Array.of(1, 2, 3, 4), data }
          // keep the search short: skip targets above 12 bits
          if (pow * (20 + data.length) * ttl > 2 ** 12) return
          const result = await seal(envelope, { pow, worker: false })
          expect(computePow({ ...envelope, nonce: result.nonce })).toBeGreaterThanOrEqual(pow)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('pow 0 needs no work (nonce 0), like go-ethereum', async () => {
    const result = await seal(statusEnvelope, { pow: 0 })
    expect(result).toMatchObject({ nonce: 0n, hashes: 1 })
  })

  it('with only a time budget returns the best nonce within budget + slack', async () => {
    const began = performance.now()
    const cpuBefore = threadCpuMs()
    const result = await seal(statusEnvelope, { timeMs: 60, worker: false })
    const elapsed = performance.now() - began
    expect(elapsed).toBeGreaterThanOrEqual(55)
    // no hashing past the budget's last slice: held in CPU time, which a stalled process does not spend
    expect(threadCpuMs() - cpuBefore).toBeLessThan(60 + 100)
    expect(result.hashes).toBeGreaterThan(1000)
    expect(result.bits).toBe(leadingZeroBits(powHash(powPrefix(statusEnvelope), result.nonce)))
    // the best of all nonces hashed: a fresh search (JS kernel) to that many bits finds this very nonce
    const check = powKernel('js')
    check.prepare(powPrefix(statusEnvelope))
    expect(check.search(0n, result.hashes, result.bits).nonce).toBe(result.nonce)
  })

  it('gives up with TimeoutError when a target is not reached in time', async () => {
    await expect(seal(statusEnvelope, { bits: 64, timeMs: 20, worker: false })).rejects.toThrow(TimeoutError)
  })

  it('rejects with AbortError when aborted, before or during the search', async () => {
    await expect(seal(statusEnvelope, { bits: 64, signal: AbortSignal.abort() })).rejects.toThrow(AbortError)
    const cpuBefore = threadCpuMs()
    await expect(
      seal(statusEnvelope, { bits: 64, worker: false, signal: AbortSignal.timeout(30) }),
    ).rejects.toThrow(AbortError)
    // stopped within a slice of the abort; CPU time, since a loaded machine may fire the timer late
    expect(threadCpuMs() - cpuBefore).toBeLessThan(200)
  })

  it('rejects bad parameters with InvalidParametersError', async () => {
    const bad = [
      seal({ ...statusEnvelope, ttl: 0 }, { pow: 0.002 }),
      seal(statusEnvelope, { pow: Number.NaN }),
      seal(statusEnvelope, { pow: -1 }),
      seal(statusEnvelope, { pow: Number.POSITIVE_INFINITY }),
      seal(statusEnvelope, { bits: 257 }),
      seal(statusEnvelope, { bits: 1.5 }),
      seal(statusEnvelope, { pow: 1, bits: 3 }),
      seal(statusEnvelope, { timeMs: -1 }),
      seal(statusEnvelope, {}),
    ]
    for (const promise of bad) await expect(promise).rejects.toThrow(InvalidParametersError)
  })
})

describe('seal in a worker', () => {
  it('finds the nonce the in-thread search finds, and leaves no worker behind', async () => {
    const before = liveWorkerHandles()
    const inWorker = await seal(statusEnvelope, { bits: 12, worker: true })
    expect(inWorker.nonce).toBe(firstNonceWith(statusEnvelope, 12))
    expect(verifyPow({ ...statusEnvelope, nonce: inWorker.nonce }, inWorker.pow)).toBe(true)
    expect(liveWorkerHandles()).toBe(before)
  })

  it('stops on abort, even while the worker starts, and leaves no worker behind', async () => {
    const before = liveWorkerHandles()
    for (const delay of [1, 300]) {
      const controller = new AbortController()
      const sealing = seal(statusEnvelope, { bits: 64, worker: true, signal: controller.signal })
      setTimeout(() => controller.abort(), delay)
      await expect(sealing).rejects.toThrow(AbortError)
      expect(liveWorkerHandles()).toBe(before)
    }
  })

  it('honours a time budget that runs from the call, worker start-up included', async () => {
    // starting a worker takes far longer than 1 ms, so the worker finds the budget already spent
    // after its first slice (which always runs), however slow the machine
    const result = await seal(statusEnvelope, { timeMs: 1, worker: true })
    expect(result.hashes).toBe(FIRST_SLICE)
    expect(result.bits).toBe(leadingZeroBits(powHash(powPrefix(statusEnvelope), result.nonce)))
  })
})

describe('PowWorkerPool', () => {
  it('reuses its workers, queues past its size, and closes', async () => {
    let started = 0
    const pool = new PowWorkerPool({
      size: 1,
      createWorker: () => {
        started++
        return nodeWorker()
      },
    })
    const results = await Promise.all([
      seal(statusEnvelope, { bits: 8, worker: true, pool }),
      seal({ ...statusEnvelope, ttl: 11 }, { bits: 8, worker: true, pool }),
    ])
    expect(results[0]!.nonce).toBe(firstNonceWith(statusEnvelope, 8))
    expect(results[1]!.nonce).toBe(firstNonceWith({ ...statusEnvelope, ttl: 11 }, 8))
    expect(started).toBe(1)
    expect(pool.workers).toBe(1)

    // an aborted search frees the worker for the next one
    const controller = new AbortController()
    const aborted = seal(statusEnvelope, { bits: 64, worker: true, pool, signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    await expect(aborted).rejects.toThrow(AbortError)
    const next = await seal(statusEnvelope, { bits: 6, worker: true, pool })
    expect(next.nonce).toBe(firstNonceWith(statusEnvelope, 6))
    expect(started).toBe(1)

    await pool.close()
    expect(pool.workers).toBe(0)
    await expect(seal(statusEnvelope, { bits: 6, worker: true, pool })).rejects.toThrow(NotStartedError)
  })

  it("'auto' searches small targets in this thread and large ones in a worker", async () => {
    let started = 0
    const pool = new PowWorkerPool({
      createWorker: () => {
        started++
        return nodeWorker()
      },
    })
    try {
      await seal(statusEnvelope, { pow: 0.002, pool })
      expect(started).toBe(0)
      await seal(statusEnvelope, { bits: 16, pool })
      expect(started).toBe(1)
    } finally {
      await pool.close()
    }
  })
})

describe('PowWorkerPool failures and adapters', () => {
  it('rejects the search of a crashed worker with ERR_POW_WORKER and starts a fresh one', async () => {
    let started = 0
    const crashing = (): PowWorkerHandle => {
      let crash: (error: unknown) => void = () => {}
      return {
        postMessage: () => queueMicrotask(() => crash(new Error('boom'))),
        onMessage: () => {},
        onError: (handler) => {
          crash = handler
        },
        setActive: () => {},
        terminate: async () => {},
      }
    }
    const pool = new PowWorkerPool({ createWorker: () => (started++ === 0 ? crashing() : nodeWorker()) })
    try {
      await expect(pool.search({ prefix: powPrefix(statusEnvelope), targetBits: 4 })).rejects.toMatchObject({
        code: 'ERR_POW_WORKER',
      })
      const result = await pool.search({ prefix: powPrefix(statusEnvelope), targetBits: 4 })
      expect(result.nonce).toBe(firstNonceWith(statusEnvelope, 4))
      expect(started).toBe(2)
    } finally {
      await pool.close()
    }
  })

  it('drives a Web Worker-style object (message events) through webWorker()', async () => {
    const pool = new PowWorkerPool({
      createWorker: () => {
        // a DOM-like facade over a worker thread: addEventListener + event.data
        const thread = new Worker(POW_WORKER_URL)
        return webWorker({
          postMessage: (message) => thread.postMessage(message),
          addEventListener: (type, listener) => thread.on(type, (data: unknown) => listener({ data })),
          terminate: () => void thread.terminate(),
        })
      },
    })
    try {
      const result = await seal(statusEnvelope, { bits: 7, worker: true, pool })
      expect(result.nonce).toBe(firstNonceWith(statusEnvelope, 7))
    } finally {
      await pool.close()
    }
  })
})
