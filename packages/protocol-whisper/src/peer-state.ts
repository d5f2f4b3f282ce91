/** What we know about one `shh/6` peer: its Status, its requirements, and what it has seen. */
import type { Devp2pPeer } from '@parley/interfaces'
import { ExpiringSet } from './expiring-set.ts'

export class WhisperPeer {
  readonly peer: Devp2pPeer
  /** hashes (hex) this peer sent us or we sent it, so nothing goes back to it */
  readonly known: ExpiringSet<string>
  /** set once its Status arrived; nothing else is accepted before */
  ready = false
  /** its advertised minimum pow: we send it nothing below */
  pow = 0
  /** its advertised bloom; `undefined` means everything */
  bloom: Uint8Array | undefined
  isLightNode = false
  violations = 0
  statusTimer: ReturnType<typeof setTimeout> | undefined

  constructor(peer: Devp2pPeer, knownCapacity: number) {
    this.peer = peer
    this.known = new ExpiringSet(knownCapacity)
  }

  clearStatusTimer(): void {
    if (this.statusTimer !== undefined) clearTimeout(this.statusTimer)
    this.statusTimer = undefined
  }
}
