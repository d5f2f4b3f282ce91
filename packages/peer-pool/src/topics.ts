import { type DiscoveredPeer, InvalidConfigError } from '@parley/interfaces'

/** How many connected peers a topic wants: dial fast below `min`, slowly up to `max`. */
export interface TopicLimits {
  min: number
  max: number
}

/** The topic an untagged peer (no `capabilities`) counts for. */
export const DEFAULT_TOPIC = 'whisper'

/**
 * status-go's mobile limits: two to three Whisper peers and exactly one mailserver (its
 * `whisper {2,3}` and `whispermail {1,1}`; our capability tag for the second is `mailserver`).
 */
export const DEFAULT_TOPICS: Readonly<Record<string, TopicLimits>> = Object.freeze({
  whisper: Object.freeze({ min: 2, max: 3 }),
  mailserver: Object.freeze({ min: 1, max: 1 }),
})

export function validateTopics(topics: Record<string, TopicLimits>): void {
  const entries = Object.entries(topics)
  if (entries.length === 0) throw new InvalidConfigError('peerPool: topics must name at least one topic')
  for (const [topic, limits] of entries) {
    const { min, max } = limits
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min || max === 0) {
      throw new InvalidConfigError(`peerPool: topic "${topic}" needs integers 0 ≤ min ≤ max, max ≥ 1`)
    }
  }
}

/** The configured topics a peer serves; an untagged peer serves the default topic. */
export function topicsOf(
  capabilities: readonly string[] | undefined,
  configured: readonly string[],
): string[] {
  const tags = capabilities === undefined || capabilities.length === 0 ? [DEFAULT_TOPIC] : capabilities
  return configured.filter((topic) => tags.includes(topic))
}

export function isDialable(peer: DiscoveredPeer): peer is DiscoveredPeer & { enode: string } {
  return typeof peer.enode === 'string' && peer.enode.startsWith('enode://')
}
