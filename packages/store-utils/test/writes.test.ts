import {
  type Counter,
  type MetricLabels,
  type Metrics,
  SchemaVersionError,
  StoreFullError,
} from '@parley/interfaces'
import { fullStorageGuard, positiveInteger, throwIfAborted, writeErrorsCounter } from '@parley/store-utils'
import { describe, expect, it } from 'vitest'

/** Metrics that remember each counter's name and every increment. */
function recordingMetrics() {
  const counted: Array<{ name: string; labels?: MetricLabels; value?: number }> = []
  const names: string[] = []
  const metrics = {
    counter: ({ name }: { name: string }): Counter => {
      names.push(name)
      return {
        inc: (labels, value) => counted.push({ name, ...(labels && { labels }), ...(value && { value }) }),
      }
    },
  } as unknown as Metrics
  return { metrics, counted, names }
}

const diskFull = Object.assign(new Error('disk I/O error'), { code: 'FULL' })
const isFull = (error: unknown) => (error as { code?: string }).code === 'FULL'

describe('fullStorageGuard', () => {
  it('passes results and other failures through untouched, counting nothing', async () => {
    const { metrics, counted } = recordingMetrics()
    const guarded = fullStorageGuard({ store: 'test', metrics, isFull, message: 'full' })
    expect(await guarded(() => 42)).toBe(42)
    expect(await guarded(async () => 'async')).toBe('async')
    const other = new Error('constraint')
    await expect(guarded(() => Promise.reject(other))).rejects.toBe(other)
    await expect(
      guarded(() => {
        throw other
      }),
    ).rejects.toBe(other)
    expect(counted).toEqual([])
  })

  it('turns a full-storage failure into StoreFullError with its cause, and counts it by store', async () => {
    const { metrics, counted, names } = recordingMetrics()
    const guarded = fullStorageGuard({ store: 'test', metrics, isFull, message: 'The test store is full' })
    const error = await guarded(() => Promise.reject(diskFull)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StoreFullError)
    expect(error).toMatchObject({
      name: 'StoreFullError',
      code: 'ERR_STORE_FULL',
      message: 'The test store is full',
    })
    expect((error as StoreFullError).cause).toBe(diskFull)
    expect(names).toEqual(['parley_store_write_errors_total'])
    expect(counted).toEqual([
      { name: 'parley_store_write_errors_total', labels: { store: 'test', reason: 'full' } },
    ])
  })

  it('works without metrics', async () => {
    const guarded = fullStorageGuard({ store: 'test', isFull, message: 'full' })
    await expect(guarded(() => Promise.reject(diskFull))).rejects.toBeInstanceOf(StoreFullError)
  })
})

describe('writeErrorsCounter', () => {
  it('registers the one metric all stores share, labelled by store and reason', () => {
    const options: unknown[] = []
    writeErrorsCounter({ counter: (option: unknown) => options.push(option) } as unknown as Metrics)
    expect(options).toEqual([
      {
        name: 'parley_store_write_errors_total',
        help: expect.any(String),
        labelNames: ['store', 'reason'],
      },
    ])
  })
})

describe('the store errors in @parley/interfaces', () => {
  it('have stable names and codes; SchemaVersionError names both versions', () => {
    const error = new SchemaVersionError(7, 3)
    expect(error).toMatchObject({
      name: 'SchemaVersionError',
      code: 'ERR_SCHEMA_VERSION',
      found: 7,
      supported: 3,
    })
    expect(error.message).toMatch(/7.*3/)
    expect(SchemaVersionError.code).toBe('ERR_SCHEMA_VERSION')
    expect(StoreFullError.code).toBe('ERR_STORE_FULL')
  })
})

describe('throwIfAborted and positiveInteger', () => {
  it('throw typed errors', () => {
    expect(() => throwIfAborted()).not.toThrow()
    const reason = new Error('why')
    expect(() => throwIfAborted({ signal: AbortSignal.abort(reason) })).toThrow(
      expect.objectContaining({ code: 'ERR_ABORTED', cause: reason }),
    )
    expect(positiveInteger(3, 'n')).toBe(3)
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => positiveInteger(bad, 'n')).toThrow(/n must be a positive integer/)
    }
  })
})
