/** What we know about one peer of a devp2p envelope protocol: its handshake, requirements, and what it has seen. */
import { bloomMatches, topicToBloom } from '@parley/envelope'
import type { Devp2pPeer } from '@parley/interfaces'
import { ExpiringSet } from './expiring-set.ts'

/** The state every envelope protocol keeps per peer; each protocol says what the peer wants. */
export abstract class EnvelopePeer {
  readonly peer: Devp2pPeer
  /** hashes (hex) this peer sent us or we sent it, so nothing goes back to it */
  readonly known: ExpiringSet<string>
  /** set once its Status arrived; nothing else is accepted before */
  ready = false
  /** its advertised minimum pow: we send it nothing below */
  pow: number
  isLightNode = false
  violations = 0
  /** packets over a rate limit so far */
  rateLimitHits = 0
  statusTimer: ReturnType<typeof setTimeout> | undefined

  constructor(peer: Devp2pPeer, knownCapacity: number, pow: number) {
    this.peer = peer
    this.known = new ExpiringSet(knownCapacity)
    this.pow = pow
  }

  /** Whether it wants envelopes on this topic. */
  abstract wants(topic: Uint8Array): boolean

  clearStatusTimer(): void {
    if (this.statusTimer !== undefined) clearTimeout(this.statusTimer)
    this.statusTimer = undefined
  }
}

/** A `shh/6` peer: it wants what its bloom matches. */
export class WhisperPeer extends EnvelopePeer {
  /** its advertised bloom; `undefined` means everything */
  bloom: Uint8Array | undefined

  constructor(peer: Devp2pPeer, knownCapacity: number) {
    super(peer, knownCapacity, 0)
  }

  wants(topic: Uint8Array): boolean {
    return bloomMatches(this.bloom, topicToBloom(topic))
  }
}
