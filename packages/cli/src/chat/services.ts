/**
 * The messaging stack `parley chat` adds to a composed node: the secure transport (X3DH, Double
 * Ratchet), MVDS and the messenger, all on the node's identity (so `--data-dir` keeps one chat
 * identity across runs) and the node's key-value store.
 */
import { messenger } from '@parley/chat'
import { InvalidConfigError, type Plugin } from '@parley/interfaces'
import { secureTransport } from '@parley/secure-transport'
import { mvds } from '@parley/sync-mvds'
import type { ParleyConfig } from '../config/schema.ts'
import { devp2pProtocols } from '../node/devp2p.ts'
import { pubsubTopics, runsWaku2 } from '../node/waku2.ts'

type ChatConfig = Pick<ParleyConfig, 'protocol' | 'relay' | 'store-node' | 'cluster-id' | 'shard' | 'bridge'>

/** The one protocol chat messages travel on: the messenger posts through exactly one. */
export function chatProtocol(config: ChatConfig): 'whisper' | 'waku1' | 'waku2' {
  const names = [...devp2pProtocols(config), ...(runsWaku2(config) ? (['waku2'] as const) : [])]
  const [only] = names
  if (only === undefined || names.length > 1) {
    throw new InvalidConfigError(
      `parley chat sends on one protocol: give --protocol whisper, waku1 or waku2${names.length > 1 ? `, not ${names.join(',')} (bridge them with parley start --preset bridge)` : ''}`,
    )
  }
  if (only === 'waku2' && !config.relay)
    throw new InvalidConfigError('parley chat over waku2 posts through the relay: it needs --relay')
  if (config.bridge) throw new InvalidConfigError('parley chat runs no bridge: drop --bridge')
  return only
}

/** `secure`, `mvds` and `messenger` services; history through `--mailnode` or `--store-node`. */
export function chatServices(config: ChatConfig): Record<string, Plugin> {
  const protocol = chatProtocol(config)
  const storePeer = config['store-node']
  const v2History =
    protocol === 'waku2' && storePeer !== undefined
      ? { storePeer, storePubsubTopic: pubsubTopics(config)[0] ?? '/waku/2/rs/0/0' }
      : {}
  return {
    secure: secureTransport(),
    mvds: mvds(),
    messenger: messenger(v2History),
  }
}
