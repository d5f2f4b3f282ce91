import { InvalidConfigError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  backoffEpochs,
  epochAt,
  isExhausted,
  nextSendEpoch,
  peerOnlineSendEpoch,
  STATUS_GO_SCHEDULE,
  scheduleConfig,
} from '../src/index.ts'

describe('retransmission schedule', () => {
  it('has status-go defaults: 300 ms epochs, 30 s × 3 backoff doubling, 15 sends', () => {
    const config = scheduleConfig({ random: () => 0 })
    expect(config.epochMs).toBe(300)
    expect(STATUS_GO_SCHEDULE.maxSendCount).toBe(15)
    expect(nextSendEpoch(1, 1000, config)).toBe(1090)
    expect(nextSendEpoch(2, 1000, config)).toBe(1180)
    expect(nextSendEpoch(5, 0, config)).toBe(16 * 90)
    expect(isExhausted(14, config)).toBe(false)
    expect(isExhausted(15, config)).toBe(true)
    expect(epochAt(299, config)).toBe(0)
    expect(epochAt(300, config)).toBe(1)
  })

  it('adds jitter in [0, jitterEpochs) and clamps a faulty random source', () => {
    expect(nextSendEpoch(1, 0, scheduleConfig({ random: () => 0.999999 }))).toBe(90 + 29)
    expect(nextSendEpoch(1, 0, scheduleConfig({ random: () => 1 }))).toBe(90 + 29)
    expect(nextSendEpoch(1, 0, scheduleConfig({ random: () => Number.NaN }))).toBe(90)
    expect(nextSendEpoch(1, 0, scheduleConfig({ random: () => 0.5, jitterEpochs: 0 }))).toBe(90)
    expect(peerOnlineSendEpoch(10, scheduleConfig({ random: () => 0.999 }))).toBe(10 + 59)
  })

  it('is strictly increasing in the send count when jitter is below the base backoff', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.nat(1e9),
        fc.double({ min: 0, max: 1 }),
        (k, epoch, r) => {
          const config = scheduleConfig({ random: () => r })
          const next = nextSendEpoch(k, epoch, config)
          expect(next).toBeGreaterThan(epoch)
          expect(next - epoch).toBeGreaterThanOrEqual(backoffEpochs(k, config))
          expect(next - epoch).toBeLessThan(backoffEpochs(k, config) + config.jitterEpochs)
          expect(backoffEpochs(k + 1, config)).toBe(2 * backoffEpochs(k, config))
        },
      ),
    )
  })

  it('rejects invalid configuration', () => {
    expect(() => scheduleConfig({ maxSendCount: 0 })).toThrow(InvalidConfigError)
    expect(() => scheduleConfig({ jitterEpochs: -1 })).toThrow(InvalidConfigError)
    expect(() => scheduleConfig({ epochMs: 0 })).toThrow(InvalidConfigError)
    expect(() => backoffEpochs(0, scheduleConfig())).toThrow(InvalidConfigError)
  })
})
