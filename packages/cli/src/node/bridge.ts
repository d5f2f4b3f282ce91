/** `bridge`: one @parley/bridge plugin joining every protocol the node runs. */
import { type BridgeSide, bridge } from '@parley/bridge'
import { InvalidConfigError, type Plugin } from '@parley/interfaces'
import type { ParleyConfig } from '../config/schema.ts'
import { devp2pProtocols } from './devp2p.ts'
import { runsWaku2 } from './waku2.ts'

type BridgeConfig = Pick<ParleyConfig, 'bridge' | 'protocol' | 'relay' | 'min-pow'>

/** The networks the bridge joins: the devp2p protocols, and Waku v2 when the node relays. */
export function bridgeSides(config: BridgeConfig): BridgeSide[] {
  const sides: BridgeSide[] = [...devp2pProtocols(config)]
  if (runsWaku2(config) && config.relay) sides.push('waku2')
  return sides
}

/** The bridge plugin with `bridge`, checked to have two sides; none without. */
export function bridgePlugins(config: BridgeConfig): Plugin[] {
  if (!config.bridge) return []
  const sides = bridgeSides(config)
  if (sides.length < 2) {
    throw new InvalidConfigError(
      `--bridge needs two of whisper, waku1 and waku2 with --relay; the node runs ${sides.length === 0 ? 'none' : `only ${sides[0]}`} (try --preset bridge)`,
    )
  }
  // The bridge's PoW is what it seals v1 envelopes with and asks of those it carries: the node's.
  return [bridge({ sides, minPow: config['min-pow'] })]
}
