/**
 * 11/WAKU2-RELAY constants, as nwaku runs them (waku/waku_relay/protocol.nim `GossipsubParameters`
 * and `TopicParameters`; 29/WAKU2-CONFIG recommends the same subset). Durations are milliseconds,
 * js-libp2p-gossipsub's unit.
 */
import type { GossipsubOpts } from '@chainsafe/libp2p-gossipsub'
import type { TopicScoreParams } from '@chainsafe/libp2p-gossipsub/score'

/** The one protocol id nwaku registers its gossipsub router under (no `/meshsub/*` fallback). */
export const RELAY_CODEC = '/vac/waku/relay/2.0.0'

/**
 * How far a message timestamp may be from the local clock: 20 s, 64/WAKU2-NETWORK's relay rule and
 * nwaku's `MaxMessageTimestampVariance`. Messages without a timestamp (absent or 0) pass, as nwaku's
 * archive validator lets them.
 */
export const MAX_TIMESTAMP_DRIFT_MS = 20_000

const SECOND = 1000
const MINUTE = 60 * SECOND

/** nwaku's gossipsub parameters, mapped onto js-libp2p-gossipsub's option names. */
export const RELAY_GOSSIPSUB_OPTIONS = {
  D: 6,
  Dlo: 4,
  Dhi: 8,
  Dscore: 6,
  Dout: 3,
  Dlazy: 6,
  heartbeatInterval: SECOND,
  mcacheLength: 6,
  mcacheGossip: 3,
  fanoutTTL: MINUTE,
  seenTTL: 2 * MINUTE,
  pruneBackoff: MINUTE,
  unsubcribeBackoff: 5 * SECOND,
  floodPublish: true,
  gossipFactor: 0.25,
  scoreThresholds: {
    gossipThreshold: -100,
    publishThreshold: -1000,
    graylistThreshold: -10_000,
    opportunisticGraftThreshold: 0,
  },
  scoreParams: {
    decayInterval: 12 * SECOND,
    decayToZero: 0.01,
    retainScore: 10 * MINUTE,
    appSpecificWeight: 0,
    IPColocationFactorWeight: -50,
    IPColocationFactorThreshold: 5,
    behaviourPenaltyWeight: -10,
    behaviourPenaltyDecay: 0.986,
  },
} as const satisfies Partial<GossipsubOpts>

/** nwaku's per-topic score parameters, applied to every pubsub topic the relay subscribes to. */
export const RELAY_TOPIC_SCORE_PARAMS: TopicScoreParams = {
  topicWeight: 1,
  // P1: time in mesh
  timeInMeshWeight: 0.01,
  timeInMeshQuantum: SECOND,
  timeInMeshCap: 10,
  // P2: first deliveries
  firstMessageDeliveriesWeight: 1,
  firstMessageDeliveriesDecay: 0.5,
  firstMessageDeliveriesCap: 10,
  // P3, P3b: disabled
  meshMessageDeliveriesWeight: 0,
  meshMessageDeliveriesDecay: 0,
  meshMessageDeliveriesCap: 0,
  meshMessageDeliveriesThreshold: 0,
  meshMessageDeliveriesWindow: 0,
  meshMessageDeliveriesActivation: 0,
  meshFailurePenaltyWeight: 0,
  meshFailurePenaltyDecay: 0,
  // P4: invalid messages, heavily penalised
  invalidMessageDeliveriesWeight: -100,
  invalidMessageDeliveriesDecay: 0.5,
}
