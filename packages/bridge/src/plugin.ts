import {
  type Components,
  capability,
  historyClient,
  InvalidConfigError,
  messageArchive,
  type Plugin,
  waku1Protocol,
  waku2Relay,
  whisperProtocol,
} from '@parley/interfaces'
import { Bridge } from './bridge.ts'
import type { V2Archiver } from './history.ts'
import { bridgeMetrics } from './metrics.ts'
import { whisperLibp2pServer } from './murmur/plugin.ts'
import { type BridgeInit, type BridgeSide, bridgeSettings } from './options.ts'
import { type BridgeSides, isBridgeRelay, isMurmurSide } from './sides.ts'

/** The Waku v2 store's token (`@parley/protocol-waku2-store`'s `waku2Store`; tokens match by name). */
const waku2StoreToken = capability<unknown>('waku2-store')

/** The bridge service on a node (`node.get(messageBridge)`). */
export const messageBridge = capability<Bridge>('bridge')

/**
 * The bridge plugin: put it next to the protocol plugins it joins (Whisper v6, Waku v1, the Waku v2
 * relay, at least two of them) on one node. It wants their capabilities, so they start before it and
 * stop after it. Bad options, or fewer than two sides, throw `InvalidConfigError`.
 */
export function bridge(init: BridgeInit = {}): Plugin<Bridge> {
  const settings = bridgeSettings(init)
  return {
    name: 'bridge',
    provides: [messageBridge],
    wants: [
      whisperProtocol,
      waku1Protocol,
      waku2Relay,
      whisperLibp2pServer,
      messageArchive,
      waku2StoreToken,
      historyClient,
    ],
    create(components: Components): Bridge {
      const wanted = (side: BridgeSide): boolean =>
        settings.sides === undefined || settings.sides.includes(side)
      const sides: BridgeSides = {}
      if (wanted('whisper') && components.has(whisperProtocol))
        sides.whisper = components.get(whisperProtocol)
      if (wanted('waku1') && components.has(waku1Protocol)) sides.waku1 = components.get(waku1Protocol)
      if (wanted('waku2') && components.has(waku2Relay)) {
        const relay: unknown = components.get(waku2Relay)
        if (!isBridgeRelay(relay))
          throw new InvalidConfigError('bridge: the waku2Relay service lacks post, subscribe or pubsubTopics')
        sides.waku2 = relay
      }
      if (wanted('murmur') && components.has(whisperLibp2pServer)) {
        const server: unknown = components.get(whisperLibp2pServer)
        if (isMurmurSide(server)) sides.murmur = server
      }
      const missing = (settings.sides ?? []).filter((side) => sides[side] === undefined)
      if (missing.length > 0)
        throw new InvalidConfigError(`bridge: the node runs no ${missing.join(', ')} protocol`)
      if (Object.keys(sides).length < 2)
        throw new InvalidConfigError(
          'bridge: the node must run at least two of whisper, waku1, the waku2 relay and whisper over libp2p',
        )
      const store: unknown = components.has(waku2StoreToken) ? components.get(waku2StoreToken) : undefined
      const archive = components.has(messageArchive) ? { archive: components.get(messageArchive) } : {}
      const history = isV2Archiver(store) ? { history: { store, ...archive } } : {}
      const client = components.has(historyClient) ? { historyClient: components.get(historyClient) } : {}
      return new Bridge(
        {
          logger: components.logger.forComponent('bridge'),
          metrics: bridgeMetrics(components.metrics),
          sides,
          ...history,
          ...client,
        },
        settings,
      )
    },
  }
}

function isV2Archiver(service: unknown): service is V2Archiver {
  return typeof (service as Partial<V2Archiver> | undefined)?.archive === 'function'
}
