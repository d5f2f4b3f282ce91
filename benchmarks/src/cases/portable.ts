/**
 * The cases that run in any JavaScript runtime (browsers, workers, Hermes-like runtimes without
 * WebAssembly), and what the others need. The browser runner loads only this module, so nothing
 * here may import a Node built-in, directly or through a case module.
 */

import type { CaseRecord } from '../results.ts'
import { skippedRecord } from '../results.ts'
import type { BenchCase } from '../types.ts'
import { hashCases } from './hash.ts'
import { powCases } from './pow.ts'
import { secp256k1Cases } from './secp256k1.ts'
import { symmetricCases } from './symmetric.ts'

export async function portableCases(): Promise<BenchCase[]> {
  return [...(await hashCases()), ...powCases(), ...(await secp256k1Cases()), ...(await symmetricCases())]
}

/** Case families left out of portableCases, and why; a runner without Node records them as skipped. */
export const NODE_ONLY_CASES: ReadonlyArray<{ ids: string; group: string; reason: string }> = [
  {
    ids: 'envelope-*',
    group: 'envelope',
    reason: 'needs Node: its reference is node:crypto called in-process, and it is timed by process CPU time',
  },
  {
    ids: 'receive-pipeline-*',
    group: 'receive-pipeline',
    reason:
      'needs Node: timed by process CPU time (process.cpuUsage), and its dedup set comes from protocol-whisper',
  },
  {
    ids: 'relay-*',
    group: 'relay',
    reason: 'needs Node: two devp2p nodes over loopback TCP sockets',
  },
  {
    ids: 'bridge-*',
    group: 'bridge',
    reason: 'needs Node: a devp2p node and a libp2p node bridged over loopback TCP sockets',
  },
  {
    ids: 'archive-*',
    group: 'archive',
    reason: 'needs Node: the archives are SQLite, LevelDB and PostgreSQL stores on disk or over TCP',
  },
  {
    ids: 'other cases',
    group: 'other',
    reason:
      'needs Node: every case module outside src/cases/portable.ts (chat, discovery, MVDS, ratchet, Waku v2 ...) imports Node built-ins or Node-only packages, so the browser build leaves it out',
  },
  {
    ids: 'native reference',
    group: 'native-reference',
    reason: 'needs Node: the C reference runs as a child process, so no case has a ratio to native here',
  },
]

/** The skipped records of NODE_ONLY_CASES a `filter` could have selected (all without one). */
export function nodeOnlyRecords(filter: string | undefined): CaseRecord[] {
  const matches = (ids: string) => {
    if (filter === undefined || filter === '' || !ids.endsWith('*')) return true
    const prefix = ids.slice(0, -1)
    return prefix.includes(filter) || filter.startsWith(prefix)
  }
  return NODE_ONLY_CASES.filter((entry) => matches(entry.ids)).map((entry) =>
    skippedRecord(entry.ids, entry.group, entry.reason),
  )
}

/**
 * A Node run without WebAssembly loads only portableCases: other case modules, or packages they
 * import (libp2p's noise cipher), instantiate WebAssembly when they load. Their skipped records.
 */
export function noWasmSkippedRecords(filter: string | undefined): CaseRecord[] {
  return nodeOnlyRecords(filter)
    .filter((record) => record.group !== 'native-reference')
    .map((record) => ({
      ...record,
      skipReason:
        'not run without WebAssembly: its module, or a package it imports (libp2p noise), needs WebAssembly to load',
    }))
}
