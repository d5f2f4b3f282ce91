import { type Components, dataSync, InvalidConfigError, keyValueStore, type Plugin } from '@parley/interfaces'
import type { MvdsInit } from './api.ts'
import { MvdsDataSync } from './data-sync.ts'
import { scheduleConfig } from './schedule.ts'

const MODES: readonly unknown[] = ['batch', 'interactive']
const ORDERINGS: readonly unknown[] = ['eventual', 'consistent']

function validate(init: MvdsInit): void {
  if (init.mode !== undefined && !MODES.includes(init.mode)) {
    throw new InvalidConfigError(`mvds: mode must be batch or interactive, got ${String(init.mode)}`)
  }
  if (init.ordering !== undefined && !ORDERINGS.includes(init.ordering)) {
    throw new InvalidConfigError(
      `mvds: ordering must be eventual or consistent, got ${String(init.ordering)}`,
    )
  }
  if (
    init.namespace !== undefined &&
    (typeof init.namespace !== 'string' || !/^[\w.-]+$/.test(init.namespace))
  ) {
    throw new InvalidConfigError('mvds: namespace must be letters, digits, _, . or -')
  }
  for (const name of ['maxPayloadBytes', 'maxOutgoingBytes'] as const) {
    const max = init[name]
    if (max !== undefined && (!Number.isSafeInteger(max) || max < 1)) {
      throw new InvalidConfigError(`mvds: ${name} must be a positive integer, got ${max}`)
    }
  }
  scheduleConfig(init.schedule)
}

/**
 * The MVDS data sync plugin (name `mvds`): provides `dataSync`; wants the `keyValueStore`, where it
 * keeps its state (without one, state lives in memory and a restart forgets it). Bad options throw
 * `InvalidConfigError` here.
 */
export function mvds(init: MvdsInit = {}): Plugin<MvdsDataSync> {
  validate(init)
  return {
    name: 'mvds',
    provides: [dataSync],
    wants: [keyValueStore],
    create(components: Components): MvdsDataSync {
      return new MvdsDataSync(init, {
        store: components.has(keyValueStore) ? components.get(keyValueStore) : undefined,
        logger: components.logger.forComponent('mvds'),
        metrics: components.metrics,
      })
    },
  }
}
