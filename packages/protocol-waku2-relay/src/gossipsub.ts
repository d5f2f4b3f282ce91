/** The gossipsub router 11/WAKU2-RELAY runs: nwaku's parameters on `/vac/waku/relay/2.0.0`. */
import { GossipSub, type GossipSubComponents, type GossipsubOpts } from '@chainsafe/libp2p-gossipsub'
import { SignaturePolicy } from '@chainsafe/libp2p-gossipsub/types'
import { relayMessageId } from '@parley/protocol-waku2'
import { RELAY_CODEC, RELAY_GOSSIPSUB_OPTIONS } from './constants.ts'

/** The js-libp2p service name the router is registered under (js-waku uses the same). */
export const RELAY_SERVICE = 'pubsub'

/** A gossipsub topic validator (`@libp2p/interface`'s `TopicValidatorFn`). */
export type TopicValidator =
  GossipSub['topicValidators'] extends Map<string, infer Validator> ? Validator : never
/** What a topic validator returns (`@libp2p/interface`'s `TopicValidatorResult`). */
export type TopicValidatorResult = Awaited<ReturnType<TopicValidator>>

const ignore: TopicValidator = () => 'ignore' as TopicValidatorResult

/**
 * Topic validators that answer `ignore` for a topic without one of its own. The relay installs its
 * validator on each topic it joins, so a message on any other topic is dropped without caching,
 * forwarding or penalty, as nim-libp2p drops messages on topics nwaku is not subscribed to
 * (js-libp2p-gossipsub would otherwise accept it unvalidated into its message cache).
 */
class ValidatorsOrIgnore extends Map<string, TopicValidator> {
  override get(topic: string): TopicValidator {
    return super.get(topic) ?? ignore
  }
}

/**
 * A service factory for `createLibp2p`: gossipsub with nwaku's parameters, the message id
 * SHA-256(Message.data), StrictNoSign (no from/seqno/signature/key on the wire, and any message
 * carrying them rejected), local delivery of our own messages (nwaku's `triggerSelf`), and only the
 * relay protocol id. `overrides` replace individual options (tests shorten the heartbeat).
 */
export function relayGossipsub(
  overrides: Partial<GossipsubOpts> = {},
): (components: GossipSubComponents) => GossipSub {
  return (components) => {
    const router = new GossipSub(components, {
      ...RELAY_GOSSIPSUB_OPTIONS,
      scoreParams: { ...RELAY_GOSSIPSUB_OPTIONS.scoreParams, topics: {} },
      scoreThresholds: { ...RELAY_GOSSIPSUB_OPTIONS.scoreThresholds },
      globalSignaturePolicy: SignaturePolicy.StrictNoSign,
      msgIdFn: (message) => relayMessageId(message.data),
      fallbackToFloodsub: false,
      emitSelf: true,
      allowPublishToZeroTopicPeers: true,
      ...overrides,
    })
    // gossipsub has no option for its protocol ids; js-waku's wakuGossipSub sets them the same way.
    router.multicodecs = [RELAY_CODEC]
    Object.defineProperty(router, 'topicValidators', { value: new ValidatorsOrIgnore() })
    return router
  }
}
