/** What we know about one `waku/1` peer: its Status options, what it wants, and what it has seen. */
import {
  bloomMatches,
  FULL_BLOOM,
  type RateLimits,
  topicToBloom,
  topicToHex,
  type WakuStatusOptions,
} from '@parley/envelope'
import type { Devp2pPeer } from '@parley/interfaces'
import { EnvelopePeer } from '@parley/protocol-whisper'

/** status-go assumes this pow when a peer does not advertise one. */
const DEFAULT_PEER_POW = 0.001

export class WakuPeer extends EnvelopePeer {
  /** its topic interest (hex topics), which wins over its bloom when set */
  topics: Set<string> | undefined
  /** its bloom; full unless it said otherwise */
  bloom: Uint8Array = FULL_BLOOM.slice()
  /** it answers our Messages with confirmations */
  confirmationsEnabled = false
  /** the packet and byte limits it says it enforces (0: none) */
  rateLimits: RateLimits | undefined
  bytesRateLimits: RateLimits | undefined

  constructor(peer: Devp2pPeer, knownCapacity: number) {
    super(peer, knownCapacity, DEFAULT_PEER_POW)
  }

  /**
   * Applies a Status or Status Update. As in status-go, a topic interest replaces the bloom and a
   * bloom (without topic interest) clears the topic interest; options not present keep their value.
   */
  apply(options: WakuStatusOptions): void {
    if (options.pow !== undefined) this.pow = options.pow
    if (options.lightNode !== undefined) this.isLightNode = options.lightNode
    if (options.confirmationsEnabled !== undefined) this.confirmationsEnabled = options.confirmationsEnabled
    if (options.rateLimits !== undefined) this.rateLimits = options.rateLimits
    if (options.bytesRateLimits !== undefined) this.bytesRateLimits = options.bytesRateLimits
    if (options.topicInterest !== undefined) {
      this.topics = new Set(options.topicInterest.map((topic) => topicToHex(topic)))
    } else if (options.bloom !== undefined) {
      this.bloom = options.bloom.slice()
      this.topics = undefined
    }
  }

  wants(topic: Uint8Array): boolean {
    if (this.topics !== undefined) return this.topics.has(topicToHex(topic))
    return bloomMatches(this.bloom, topicToBloom(topic))
  }
}
