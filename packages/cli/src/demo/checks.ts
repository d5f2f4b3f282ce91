/**
 * The demo's checks, in the order they run. A feature adds its file in this directory (one check
 * group per file, names `<group>.<what>`) and appends its group here.
 */
import { InvalidParametersError } from '@parley/interfaces'
import { bridgeChecks } from './bridge.ts'
import { chatChecks } from './chat.ts'
import type { DemoCheck } from './check.ts'
import { coreChecks } from './core.ts'
import { cryptoChecks } from './crypto.ts'
import { dnsChecks } from './dns.ts'
import { mailserverChecks } from './mailserver.ts'
import { metricsChecks } from './metrics.ts'
import { peerPoolChecks } from './peer-pool.ts'
import { rendezvousChecks } from './rendezvous.ts'
import { storeChecks } from './store.ts'
import { waku1Checks } from './waku1.ts'
import { waku2Checks } from './waku2.ts'
import { whisperChecks } from './whisper.ts'

export function checkList(...groups: ReadonlyArray<readonly DemoCheck[]>): readonly DemoCheck[] {
  const checks = groups.flat()
  const names = new Set<string>()
  for (const check of checks) {
    if (names.has(check.name)) throw new InvalidParametersError(`two demo checks are named ${check.name}`)
    names.add(check.name)
  }
  return checks
}

export const demoChecks: readonly DemoCheck[] = checkList(
  coreChecks,
  cryptoChecks,
  storeChecks,
  metricsChecks,
  dnsChecks,
  whisperChecks,
  waku1Checks,
  mailserverChecks,
  rendezvousChecks,
  peerPoolChecks,
  waku2Checks,
  bridgeChecks,
  chatChecks,
)
