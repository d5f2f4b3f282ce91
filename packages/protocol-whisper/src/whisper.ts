/**
 * Whisper v6 (`shh/6`) on the devp2p host: a peer wants what its bloom matches, and changes to pow
 * and bloom travel as their own packets (codes 2 and 3). Everything else is `EnvelopeProtocol`.
 */
import {
  decodeBloomFilter,
  decodePowRequirement,
  decodeWhisperStatus,
  encodeBloomFilter,
  encodePowRequirement,
  encodeWhisperStatus,
  WHISPER_MESSAGE_CODES,
  WHISPER_PROTOCOL,
  WHISPER_VERSION,
  WhisperCode,
} from '@parley/envelope'
import { type AbortOptions, type Devp2pPeer, InvalidParametersError } from '@parley/interfaces'
import { bloomHex, type EnvelopePeerInfo } from './admin-info.ts'
import type { EnvelopeProtocolComponents } from './components.ts'
import { EnvelopeProtocol } from './envelope-protocol.ts'
import type { WhisperSettings } from './options.ts'
import { WhisperPeer } from './peer-state.ts'

export type WhisperComponents = EnvelopeProtocolComponents

export class Whisper extends EnvelopeProtocol<WhisperPeer> {
  constructor(components: WhisperComponents, settings: WhisperSettings) {
    super(components, settings, {
      name: WHISPER_PROTOCOL,
      version: WHISPER_VERSION,
      length: WHISPER_MESSAGE_CODES,
      label: 'whisper',
      p2pMessageForm: 'single',
    })
  }

  /** Changes our pow requirement and tells every peer (code 2); the old one is accepted for `syncAllowance` s. */
  async setMinPow(pow: number, options?: AbortOptions): Promise<void> {
    if (!Number.isFinite(pow) || pow < 0) throw new InvalidParametersError(`pow must be ≥ 0, got ${pow}`)
    this.policy.setMinPow(pow)
    await this.tellPeers(WhisperCode.powRequirement, encodePowRequirement(pow), options)
  }

  /** Changes our bloom filter and tells every peer (code 3); the old one is accepted for `syncAllowance` s. */
  async setBloomFilter(bloom: Uint8Array, options?: AbortOptions): Promise<void> {
    const payload = encodeBloomFilter(bloom)
    this.policy.setBloom(bloom)
    await this.tellPeers(WhisperCode.bloomFilter, payload, options)
  }

  /** Adds the peer's bloom (`null`: it did not send one, so it wants everything). */
  protected override peerInfo(state: WhisperPeer | undefined): EnvelopePeerInfo | undefined {
    const info = super.peerInfo(state)
    return info === undefined ? undefined : { ...info, bloom: bloomHex(state?.bloom) ?? null }
  }

  protected createPeer(peer: Devp2pPeer): WhisperPeer {
    return new WhisperPeer(peer, this.settings.knownPerPeer)
  }

  protected statusPacket(): Uint8Array {
    const { minPow: pow, bloom } = this.policy
    return encodeWhisperStatus({ pow, bloom, isLightNode: this.settings.lightNode })
  }

  protected applyStatus(state: WhisperPeer, payload: Uint8Array): void {
    const status = decodeWhisperStatus(payload)
    state.pow = status.pow ?? 0
    state.bloom = status.bloom
    state.isLightNode = status.isLightNode ?? false
  }

  protected onPacket(state: WhisperPeer, code: number, payload: Uint8Array): boolean {
    if (code === WhisperCode.powRequirement) state.pow = decodePowRequirement(payload)
    else if (code === WhisperCode.bloomFilter) state.bloom = decodeBloomFilter(payload)
    // Other codes (confirmations, sync 123/124) are ignored, as go-ethereum does.
    // New requirements apply to the envelopes relayed from now on; the pool is not re-offered.
    return false
  }
}
