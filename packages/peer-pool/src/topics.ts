import { type DiscoveredPeer, InvalidConfigError } from '@parley/interfaces'

/** How many connected peers a topic wants: search fast below `min`, slowly up to `max`. */
export interface TopicLimits {
  min: number
  max: number
  /**
   * The capability tags that make a discovered peer count for this topic (`DiscoveredPeer.capabilities`).
   * Default: the topic's own name.
   */
  tags?: readonly string[]
}

/**
 * status-go's mobile limits: two to three Whisper peers and exactly one mail server. Rendezvous
 * tags mail servers `whispermail`; other sources (static, DNS) tag them `mailserver`.
 * Untagged peers count for the first topic.
 */
export const DEFAULT_TOPICS: Readonly<Record<string, TopicLimits>> = Object.freeze({
  whisper: Object.freeze({ min: 2, max: 3 }),
  whispermail: Object.freeze({ min: 1, max: 1, tags: Object.freeze(['whispermail', 'mailserver']) }),
})

/** The same limits for a Waku v1 node: `waku` peers instead of `whisper` ones. */
export const WAKU_TOPICS: Readonly<Record<string, TopicLimits>> = Object.freeze({
  waku: Object.freeze({ min: 2, max: 3 }),
  whispermail: DEFAULT_TOPICS.whispermail as TopicLimits,
})

export function validateTopics(topics: Readonly<Record<string, TopicLimits>>): void {
  const entries = Object.entries(topics)
  if (entries.length === 0) throw new InvalidConfigError('peerPool: topics must name at least one topic')
  for (const [topic, limits] of entries) {
    const { min, max, tags } = limits
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min || max === 0) {
      throw new InvalidConfigError(`peerPool: topic "${topic}" needs integers 0 ≤ min ≤ max, max ≥ 1`)
    }
    if (tags !== undefined && (tags.length === 0 || tags.some((tag) => typeof tag !== 'string'))) {
      throw new InvalidConfigError(`peerPool: topic "${topic}" tags must be a non-empty list of strings`)
    }
  }
}

/**
 * The configured topics a peer counts for: each topic one of whose tags the peer carries. An
 * untagged peer (an inbound one, or from a source that does not tag) counts for the first topic.
 */
export function topicsOf(
  capabilities: readonly string[] | undefined,
  topics: Readonly<Record<string, TopicLimits>>,
): string[] {
  const names = Object.keys(topics)
  if (capabilities === undefined || capabilities.length === 0) return names.slice(0, 1)
  return names.filter((topic) => (topics[topic]?.tags ?? [topic]).some((tag) => capabilities.includes(tag)))
}

export function isDialable(peer: DiscoveredPeer): peer is DiscoveredPeer & { enode: string } {
  return typeof peer.enode === 'string' && peer.enode.startsWith('enode://')
}
