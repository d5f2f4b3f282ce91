/**
 * status-go's MVDS retransmission schedule, as pure functions of epochs (one epoch = one tick of
 * `epochMs`, 300 ms in status-go). After the k-th send of a record the next send is due at
 * `epoch + 2^(k-1) * backoffSeconds * epochsPerSecond + jitter` (protocol/datasync/transport.go
 * `CalculateSendTime`); a record is dropped once it has been sent `maxSendCount` times.
 */
import { InvalidConfigError } from '@parley/interfaces'

export interface ScheduleConfig {
  /** milliseconds per epoch tick (status-go `DatasyncTicker`) */
  epochMs: number
  /** base backoff in seconds (status-go `backoffInterval`) */
  backoffSeconds: number
  /** epochs per second (status-go `offsetToSecond` = 1 s / 300 ms = 3, integer division) */
  epochsPerSecond: number
  /** extra uniformly random epochs in [0, jitterEpochs) added to each next send; 0 disables */
  jitterEpochs: number
  /** sends after which a record is dropped (15 in status-go's vendored mvds, 14 at mvds HEAD) */
  maxSendCount: number
  /** epochs window in [0, n) for re-sending to a peer that just came online (mvds `resetPeerEpoch`) */
  peerOnlineJitterEpochs: number
  /** uniform random number in [0, 1); injectable for deterministic tests */
  random: () => number
}

export const STATUS_GO_SCHEDULE: Readonly<ScheduleConfig> = Object.freeze({
  epochMs: 300,
  backoffSeconds: 30,
  epochsPerSecond: 3,
  jitterEpochs: 30,
  maxSendCount: 15,
  peerOnlineJitterEpochs: 60,
  random: Math.random,
})

function nonNegativeInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidConfigError(`schedule ${name} must be a non-negative integer, got ${value}`)
  }
}

/** The status-go defaults overridden by `overrides`; throws `InvalidConfigError` on bad values. */
export function scheduleConfig(overrides: Partial<ScheduleConfig> = {}): ScheduleConfig {
  const config = { ...STATUS_GO_SCHEDULE, ...overrides }
  if (!(config.epochMs > 0)) throw new InvalidConfigError('schedule epochMs must be positive')
  nonNegativeInteger(config.backoffSeconds, 'backoffSeconds')
  nonNegativeInteger(config.epochsPerSecond, 'epochsPerSecond')
  nonNegativeInteger(config.jitterEpochs, 'jitterEpochs')
  nonNegativeInteger(config.peerOnlineJitterEpochs, 'peerOnlineJitterEpochs')
  if (!Number.isSafeInteger(config.maxSendCount) || config.maxSendCount < 1) {
    throw new InvalidConfigError('schedule maxSendCount must be a positive integer')
  }
  return config
}

function randomBelow(config: ScheduleConfig, bound: number): number {
  if (bound <= 0) return 0
  const r = config.random()
  // Clamp so a faulty source (r = 1, NaN) can never push a record outside its window.
  return Number.isFinite(r) ? Math.min(bound - 1, Math.max(0, Math.floor(r * bound))) : 0
}

/** The backoff, in epochs, after the `sendCount`-th send (no jitter). */
export function backoffEpochs(sendCount: number, config: ScheduleConfig): number {
  if (!Number.isSafeInteger(sendCount) || sendCount < 1) {
    throw new InvalidConfigError(`sendCount must be a positive integer, got ${sendCount}`)
  }
  return 2 ** (sendCount - 1) * config.backoffSeconds * config.epochsPerSecond
}

/** The epoch at which a record sent for the `sendCount`-th time at `epoch` is next due. */
export function nextSendEpoch(sendCount: number, epoch: number, config: ScheduleConfig): number {
  return epoch + backoffEpochs(sendCount, config) + randomBelow(config, config.jitterEpochs)
}

/** True once a record has been sent as often as the schedule allows. */
export function isExhausted(sendCount: number, config: ScheduleConfig): boolean {
  return sendCount >= config.maxSendCount
}

/** The new send epoch for a record whose peer just came online. */
export function peerOnlineSendEpoch(epoch: number, config: ScheduleConfig): number {
  return epoch + randomBelow(config, config.peerOnlineJitterEpochs)
}

/** The epoch containing wall-clock time `ms` (for a wrapper driving `tick` from a timer). */
export function epochAt(ms: number, config: ScheduleConfig): number {
  return Math.floor(ms / config.epochMs)
}
