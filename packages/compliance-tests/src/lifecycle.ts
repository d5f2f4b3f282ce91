import type { Startable } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { handlesLeftOpenBy } from './handles.ts'
import { type Check, caught, runCheck, type TestSetup } from './setup.ts'

function expectStarted(service: Startable, started: boolean): void {
  if (service.isStarted !== undefined) expect(service.isStarted()).toBe(started)
}

/** The `Startable` contract: idempotent start/stop, restart, concurrent start, abort, no leaks. */
export const lifecycleChecks: Record<string, Check<Startable>> = {
  'start and stop are idempotent': async (service) => {
    await service.start()
    await service.start()
    expectStarted(service, true)
    await service.stop()
    await service.stop()
    expectStarted(service, false)
  },

  'stop before start does nothing and does not prevent a later start': async (service) => {
    await service.stop()
    expectStarted(service, false)
    await service.start()
    expectStarted(service, true)
    await service.stop()
  },

  'restarts after stop': async (service) => {
    for (let round = 0; round < 3; round++) {
      await service.start()
      expectStarted(service, true)
      await service.stop()
      expectStarted(service, false)
    }
  },

  'concurrent starts and stops settle consistently': async (service) => {
    await Promise.all([service.start(), service.start(), service.start()])
    expectStarted(service, true)
    await Promise.all([service.stop(), service.stop()])
    expectStarted(service, false)
    await service.start()
    expectStarted(service, true)
    await service.stop()
  },

  'an already-aborted signal rejects start with AbortError and leaves it stopped': async (service) => {
    const error = await caught(() => service.start({ signal: AbortSignal.abort() }))
    expect(error, 'start({ signal: aborted }) must reject').toBeInstanceOf(Error)
    expect((error as Error).name).toBe('AbortError')
    expectStarted(service, false)
    await service.start()
    expectStarted(service, true)
    await service.stop()
  },

  'stop releases every socket and timer that start acquired': async (service) => {
    const leftOpen = await handlesLeftOpenBy(async () => {
      await service.start()
      await service.stop()
    })
    expect(leftOpen, 'handles start opened that are still open after stop').toEqual([])
  },
}

/**
 * Runs the lifecycle checks on instances from `setup`. The instance is handed over unstarted; the
 * checks start and stop it themselves.
 */
export function lifecycleSuite<T extends Startable>(name: string, setup: TestSetup<T>): void {
  describe(`${name}: lifecycle compliance`, () => {
    for (const [title, check] of Object.entries(lifecycleChecks)) it(title, runCheck<T>(setup, check))
  })
}
