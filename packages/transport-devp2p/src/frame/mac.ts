/**
 * The RLPx frame MAC of one direction: a running keccak256 state (seeded by the handshake) and
 * AES-256-ECB keyed with the mac secret.
 *
 *   header-mac: seed = aes(digest[:16]) ^ header-ciphertext; update(seed); mac = digest[:16]
 *   frame-mac:  update(frame-ciphertext); s = digest[:16]; update(aes(s) ^ s); mac = digest[:16]
 */
import { createAesEcbEncryptor } from '@parley/crypto'
import type { MacState } from '../handshake/secrets.ts'

export const MAC_LENGTH = 16

export class FrameMac {
  readonly #state: MacState
  readonly #encrypt: (block: Uint8Array) => Uint8Array

  constructor(macSecret: Uint8Array, state: MacState) {
    this.#state = state
    this.#encrypt = createAesEcbEncryptor(macSecret)
  }

  /** Absorbs a 16-byte header ciphertext and returns its MAC. */
  header(headerCiphertext: Uint8Array): Uint8Array {
    return this.#mix(this.#digest16(), headerCiphertext)
  }

  /** Absorbs a frame body ciphertext and returns its MAC. */
  frame(frameCiphertext: Uint8Array): Uint8Array {
    this.#state.update(frameCiphertext)
    const seed = this.#digest16()
    return this.#mix(seed, seed)
  }

  #mix(digest: Uint8Array, seed: Uint8Array): Uint8Array {
    const encrypted = this.#encrypt(digest)
    const block = new Uint8Array(MAC_LENGTH)
    for (let i = 0; i < MAC_LENGTH; i++) block[i] = encrypted[i]! ^ seed[i]!
    this.#state.update(block)
    return this.#digest16()
  }

  #digest16(): Uint8Array {
    return this.#state.digest().subarray(0, MAC_LENGTH)
  }
}
