/**
 * JavaScript fallback kernel: the same midstate scheme as assembly/pow.ts over noble's keccak-f,
 * with the state as 50 little-endian 32-bit words (word 2i is the low half of lane i).
 */
import { keccakP } from '@noble/hashes/sha3.js'
import type { PowKernel, PowSearchResult } from './kernel.ts'

const RATE = 136

export class JsPowKernel implements PowKernel {
  readonly kind = 'js'
  /** midstate xor the constant bytes of the first tail block */
  readonly #mid = new Uint32Array(50)
  /** constant bytes of the second tail block, when the nonce or padding spills into one */
  readonly #tail2 = new Uint32Array(RATE / 4)
  readonly #work = new Uint32Array(50)
  #nonceOffset = 0
  #tailBlocks = 1

  prepare(prefix: Uint8Array): void {
    const state = this.#mid
    state.fill(0)
    const tailStart = prefix.length - (prefix.length % RATE)
    for (let offset = 0; offset < tailStart; offset += RATE) {
      xorBytes(state, prefix.subarray(offset, offset + RATE))
      keccakP(state)
    }
    const rest = prefix.length - tailStart
    const total = rest + 8
    this.#tailBlocks = total < RATE ? 1 : 2
    const tail = new Uint8Array(2 * RATE)
    tail.set(prefix.subarray(tailStart))
    tail[total] = 0x01
    tail[this.#tailBlocks * RATE - 1]! |= 0x80
    xorBytes(state, tail.subarray(0, RATE))
    this.#tail2.fill(0)
    xorBytes(this.#tail2, tail.subarray(RATE))
    this.#nonceOffset = rest
  }

  search(start: bigint, count: number, targetBits: number): PowSearchResult {
    let best = -1
    let bestNonce = start
    let high = Number((start >> 32n) & 0xffffffffn)
    let low = Number(start & 0xffffffffn)
    for (let i = 0; i < count; i++) {
      this.#hashNonce(high, low)
      const bits = leadingZeroBits(this.#work)
      if (bits > best) {
        best = bits
        bestNonce = (BigInt(high) << 32n) | BigInt(low)
        if (bits >= targetBits) return { bits, nonce: bestNonce, hashes: i + 1 }
      }
      low = (low + 1) >>> 0
      if (low === 0) high = (high + 1) >>> 0
    }
    return { bits: best, nonce: bestNonce, hashes: count }
  }

  hash(nonce: bigint): Uint8Array {
    this.#hashNonce(Number((nonce >> 32n) & 0xffffffffn), Number(nonce & 0xffffffffn))
    const out = new Uint8Array(32)
    for (let i = 0; i < 32; i++) out[i] = this.#work[i >> 2]! >>> ((i & 3) * 8)
    return out
  }

  #hashNonce(high: number, low: number): void {
    const work = this.#work
    work.set(this.#mid)
    const at = this.#nonceOffset
    // big-endian nonce bytes; any that fall past the first block belong to the second
    const spill = at + 8 > RATE
    for (let i = 0; i < 8; i++) {
      const byte = (i < 4 ? high >>> (24 - 8 * i) : low >>> (56 - 8 * i)) & 0xff
      const p = at + i
      if (p < RATE) work[p >> 2]! ^= byte << ((p & 3) * 8)
    }
    keccakP(work)
    if (this.#tailBlocks === 2) {
      for (let i = 0; i < RATE / 4; i++) work[i]! ^= this.#tail2[i]!
      if (spill) {
        for (let i = RATE - at; i < 8; i++) {
          const byte = (i < 4 ? high >>> (24 - 8 * i) : low >>> (56 - 8 * i)) & 0xff
          const p = at + i - RATE
          work[p >> 2]! ^= byte << ((p & 3) * 8)
        }
      }
      keccakP(work)
    }
  }
}

function xorBytes(words: Uint32Array, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) words[i >> 2]! ^= bytes[i]! << ((i & 3) * 8)
}

function byteSwap(word: number): number {
  return ((word & 0xff) << 24) | ((word & 0xff00) << 8) | ((word >>> 8) & 0xff00) | (word >>> 24)
}

/** Leading zero bits of the digest (the first 8 words), read as a big-endian 256-bit number. */
function leadingZeroBits(words: Uint32Array): number {
  for (let i = 0; i < 8; i++) {
    const word = words[i]!
    if (word !== 0) return i * 32 + Math.clz32(byteSwap(word))
  }
  return 256
}
