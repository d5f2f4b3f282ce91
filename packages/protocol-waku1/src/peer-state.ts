/** What we know about one `waku/1` peer: its Status options, what it wants, and what it has seen. */
import { bloomMatches, FULL_BLOOM, topicToBloom, topicToHex, type WakuStatusOptions } from '@parley/envelope'
import type { Devp2pPeer } from '@parley/interfaces'
import { ExpiringSet } from '@parley/protocol-whisper'

export class WakuPeer {
  readonly peer: Devp2pPeer
  /** hashes (hex) this peer sent us or we sent it, so nothing goes back to it */
  readonly known: ExpiringSet<string>
  /** set once its Status arrived; nothing else is accepted before */
  ready = false
  /** its advertised minimum pow (status-go assumes 0.001 when absent): we send it nothing below */
  pow = 0.001
  /** its topic interest (hex topics), which wins over its bloom when set */
  topics: Set<string> | undefined
  /** its bloom; full unless it said otherwise */
  bloom: Uint8Array = FULL_BLOOM.slice()
  isLightNode = false
  violations = 0
  statusTimer: ReturnType<typeof setTimeout> | undefined

  constructor(peer: Devp2pPeer, knownCapacity: number) {
    this.peer = peer
    this.known = new ExpiringSet(knownCapacity)
  }

  /**
   * Applies a Status or Status Update. As in status-go, a topic interest replaces the bloom and a
   * bloom (without topic interest) clears the topic interest; options not present keep their value.
   */
  apply(options: WakuStatusOptions): void {
    if (options.pow !== undefined) this.pow = options.pow
    if (options.lightNode !== undefined) this.isLightNode = options.lightNode
    if (options.topicInterest !== undefined) {
      this.topics = new Set(options.topicInterest.map((topic) => topicToHex(topic)))
    } else if (options.bloom !== undefined) {
      this.bloom = options.bloom.slice()
      this.topics = undefined
    }
  }

  /** Whether it wants envelopes on this topic. */
  wants(topic: Uint8Array): boolean {
    if (this.topics !== undefined) return this.topics.has(topicToHex(topic))
    return bloomMatches(this.bloom, topicToBloom(topic))
  }

  clearStatusTimer(): void {
    if (this.statusTimer !== undefined) clearTimeout(this.statusTimer)
    this.statusTimer = undefined
  }
}
