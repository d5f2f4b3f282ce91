/** `wakuMetadata(init)` options. */
import { InvalidConfigError } from '@parley/interfaces'

export interface WakuMetadataInit {
  /** the node's cluster (The Waku Network: 1, Status: 16) */
  clusterId: number
  /** shards announced; default: the relay's static shards of `clusterId`, none without a relay */
  shards?: readonly number[]
  /** disconnect peers of another cluster or of none; default true */
  disconnect?: boolean
  /** also disconnect peers whose metadata query fails (nwaku, The Waku Network); default false */
  disconnectOnFailure?: boolean
}

export interface MetadataSettings {
  clusterId: number
  shards: readonly number[] | undefined
  disconnect: boolean
  disconnectOnFailure: boolean
}

export function metadataSettings(init: WakuMetadataInit): MetadataSettings {
  const inRange = (value: number, max: number) => Number.isSafeInteger(value) && value >= 0 && value <= max
  if (!inRange(init.clusterId, 0xffff))
    throw new InvalidConfigError(`metadata: clusterId must be an integer in 0..65535, not ${init.clusterId}`)
  for (const shard of init.shards ?? [])
    if (!inRange(shard, 1023)) throw new InvalidConfigError(`metadata: shard ${shard} is outside 0..1023`)
  return {
    clusterId: init.clusterId,
    shards: init.shards,
    disconnect: init.disconnect ?? true,
    disconnectOnFailure: init.disconnectOnFailure ?? false,
  }
}
