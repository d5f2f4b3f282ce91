/** The machine and runtime a run measured, recorded with every report. */
import { availableParallelism, cpus, loadavg, type as osType, release, totalmem } from 'node:os'
import type { NativeInfo } from './native.ts'

export interface MachineInfo {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  arch: string
  node: string
  v8: string
  /** the OpenSSL inside Node (what node:crypto uses) */
  nodeOpenssl: string
  /** the native reference's compiler and libraries */
  native: NativeInfo
  /** 1-minute load average when the run started: other processes share the cores */
  loadAverage: number
  date: string
}

export function machineInfo(native: NativeInfo): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    arch: process.arch,
    node: process.versions.node,
    v8: process.versions.v8,
    nodeOpenssl: process.versions.openssl,
    native,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString(),
  }
}

export function describeMachine(machine: MachineInfo): string[] {
  const native = machine.native
  return [
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os} ${machine.arch}, ` +
      `load average ${machine.loadAverage} at start, ${machine.date}`,
    `node ${machine.node}, V8 ${machine.v8}, OpenSSL ${machine.nodeOpenssl} (node:crypto)`,
    `native reference: ${native.compiler ?? 'not built'}; libcrypto ${native.openssl ?? 'absent'}; ` +
      `libsecp256k1 ${native.secp256k1 ? 'from the secp256k1 package sources' : 'absent'}`,
  ]
}
