/** `discv5(init)` options, their defaults and checks. */
import type { RelayShards, Waku2Capability } from '@parley/enr'
import { InvalidConfigError } from '@parley/interfaces'
import type { V1Capability } from './peer.ts'

/** Ethereum's discv5.1 packet protocol id. */
export const DISCV5_PROTOCOL_ID = 'discv5'
/** 33/WAKU2-DISCV5: Waku's separate discv5 network. */
export const WAKU_PROTOCOL_ID = 'd5waku'
/** nwaku's `--discv5-udp-port` default. */
export const DEFAULT_PORT = 9000
/** status-go stops discv5 three minutes after its peer pool is satisfied. */
export const DEFAULT_STOP_AFTER_SATISFIED_MS = 3 * 60 * 1000
/** a random lookup this often while discovering (nwaku's discv5 loop waits 30 s when idle) */
export const DEFAULT_LOOKUP_INTERVAL_MS = 30 * 1000
/** peers matching the filter after which discovery counts as satisfied (discv5's k-bucket size) */
export const DEFAULT_TARGET_PEERS = 16

export interface Discv5Init {
  /** ENRs (`enr:…`) of nodes to start from */
  bootstrap?: readonly string[]
  /** packet protocol id, 6 ASCII bytes: `discv5` (default) or `d5waku` for Waku networks */
  protocolId?: string
  /** UDP bind address; default `0.0.0.0` */
  host?: string
  /** UDP port; default 9000; 0 picks a free one at start */
  port?: number
  /** IP written in the record; default `host` unless it is a wildcard (peers then vote one) */
  announceIp?: string
  /** TCP port written in the record (the devp2p or libp2p listener) */
  tcp?: number
  /** the record's `waku2` bitfield */
  waku2?: readonly Waku2Capability[]
  /** the record's `multiaddrs` (without /p2p) */
  multiaddrs?: readonly string[]
  /** the record's `rs`/`rsv` relay shards */
  shards?: RelayShards
  /** Whisper/Waku v1 protocols the record advertises, with versions: `{ waku: 1 }` */
  v1?: Partial<Record<V1Capability, number>>
  /** report only peers with one of these: `whisper`, `waku`, `waku2:relay`, `waku2:store`, … */
  capabilities?: readonly string[]
  /** drop records without a `waku2` field (33/WAKU2-DISCV5 MUST); default true for `d5waku` */
  requireWaku2?: boolean
  /** satisfied once this many matching peers are known; default 16 */
  targetPeers?: number
  /** discovery stops this long after it is satisfied (status-go: 3 minutes) */
  stopAfterSatisfiedMs?: number
  /** time between random lookups while discovering; default 30 s */
  lookupIntervalMs?: number
  /** per-request UDP timeout; default 1000 (@chainsafe/discv5's) */
  requestTimeoutMs?: number
  /** 32-byte secp256k1 key; default the `nodeIdentity` capability's, else a fresh one */
  privateKey?: Uint8Array
}

export interface Discv5Options {
  bootstrap: readonly string[]
  protocolId: string
  host: string
  port: number
  requireWaku2: boolean
  targetPeers: number
  stopAfterSatisfiedMs: number
  lookupIntervalMs: number
  requestTimeoutMs: number
}

// setTimeout takes at most 2^31 - 1 ms; larger values would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1

function checkInteger(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min || value > max))
    throw new InvalidConfigError(`discv5: ${name} must be an integer in ${min}..${max}, not ${value}`)
}

/** Fills in defaults; bad values throw `InvalidConfigError`. */
export function discv5Options(init: Discv5Init): Discv5Options {
  const protocolId = init.protocolId ?? DISCV5_PROTOCOL_ID
  if (!/^[\x20-\x7e]{6}$/.test(protocolId))
    throw new InvalidConfigError(`discv5: protocolId must be 6 ASCII characters, not "${protocolId}"`)
  checkInteger('port', init.port, 0, 0xffff)
  checkInteger('tcp', init.tcp, 1, 0xffff)
  checkInteger('targetPeers', init.targetPeers, 1, 100_000)
  checkInteger('stopAfterSatisfiedMs', init.stopAfterSatisfiedMs, 0, MAX_TIMER_MS)
  checkInteger('lookupIntervalMs', init.lookupIntervalMs, 1, MAX_TIMER_MS)
  checkInteger('requestTimeoutMs', init.requestTimeoutMs, 1, 60_000)
  for (const enr of init.bootstrap ?? [])
    if (!enr.startsWith('enr:'))
      throw new InvalidConfigError(`discv5: bootstrap "${enr}" is not an enr: record`)
  if (init.privateKey !== undefined && init.privateKey.length !== 32)
    throw new InvalidConfigError('discv5: privateKey must be 32 bytes')
  return {
    bootstrap: init.bootstrap ?? [],
    protocolId,
    host: init.host ?? '0.0.0.0',
    port: init.port ?? DEFAULT_PORT,
    requireWaku2: init.requireWaku2 ?? protocolId === WAKU_PROTOCOL_ID,
    targetPeers: init.targetPeers ?? DEFAULT_TARGET_PEERS,
    stopAfterSatisfiedMs: init.stopAfterSatisfiedMs ?? DEFAULT_STOP_AFTER_SATISFIED_MS,
    lookupIntervalMs: init.lookupIntervalMs ?? DEFAULT_LOOKUP_INTERVAL_MS,
    requestTimeoutMs: init.requestTimeoutMs ?? 1000,
  }
}
