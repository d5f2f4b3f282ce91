// biome-ignore-all lint/correctness/noPrecisionLoss: AssemblyScript: these literals are u64, not JavaScript numbers
// biome-ignore-all lint/suspicious/noDoubleEquals: AssemblyScript: == compares values and never coerces
/**
 * Whisper/Waku v1 proof-of-work kernel (AssemblyScript, compiled by build.mjs).
 *
 * The PoW hash is keccak256(prefix || nonce as 8 bytes big-endian), where
 * prefix = rlp([Expiry, TTL, Topic, Data]). `prepare` absorbs every full 136-byte block of the
 * prefix once (the midstate); each nonce then costs the permutation of the last block, or of the
 * last two when the nonce or the padding spills into an extra block.
 *
 * Memory after __heap_base is ours (the stub runtime never allocates here):
 * WORK (state being permuted) | MID (midstate xor the first tail block) | TAIL2 (second tail block)
 * | TAILBUF (tail scratch) | NONCED (MID with the current nonce XORed in) | INPUT (prefix written
 * by the host, grows as needed).
 */

const RATE: i32 = 136
const RATE_LANES: i32 = 17

const RC = memory.data<u64>([
  0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000, 0x000000000000808b,
  0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008a, 0x0000000000000088,
  0x0000000080008009, 0x000000008000000a, 0x000000008000808b, 0x800000000000008b, 0x8000000000008089,
  0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
  0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
])

const BASE: usize = (__heap_base + 15) & ~15
const WORK: usize = BASE
const MID: usize = BASE + 256
const TAIL2: usize = BASE + 512
const TAILBUF: usize = BASE + 768
const NONCED: usize = BASE + 1280
const INPUT: usize = BASE + 1536

/** lane (counted over the tail blocks) holding the first nonce byte, and the nonce's bit offset in it */
let nonceLane: i32 = 0
let nonceShift: u64 = 0
let tailBlocks: i32 = 1
let bestNonce: u64 = 0

/** Makes room for `length` prefix bytes and returns where the host must write them (0 if memory is exhausted). */
export function input(length: i32): usize {
  const end = INPUT + <usize>length
  const have = (<usize>memory.size()) << 16
  if (end > have && memory.grow(<i32>((end - have + 0xffff) >>> 16)) < 0) return 0
  return INPUT
}

/** Absorbs the `length` prefix bytes at INPUT up to the block that holds the nonce. */
export function prepare(length: i32): void {
  memory.fill(WORK, 0, 200)
  const tailStart = length - (length % RATE)
  for (let offset = 0; offset < tailStart; offset += RATE) {
    xorLanes(WORK, INPUT + <usize>offset, RATE_LANES)
    keccakF(WORK, WORK, false)
  }
  // tail = prefix[tailStart..] || nonce (zero here, XORed in per nonce) || 0x01 .. 0x80 padding
  const rest = length - tailStart
  const total = rest + 8
  tailBlocks = total < RATE ? 1 : 2
  memory.fill(TAILBUF, 0, 2 * RATE)
  memory.copy(TAILBUF, INPUT + <usize>tailStart, rest)
  store<u8>(TAILBUF + <usize>total, 0x01)
  const last = TAILBUF + <usize>(tailBlocks * RATE - 1)
  store<u8>(last, load<u8>(last) | 0x80)
  memory.copy(MID, WORK, 200)
  xorLanes(MID, TAILBUF, RATE_LANES)
  memory.copy(TAIL2, TAILBUF + RATE, RATE)
  memory.copy(NONCED, MID, 200)
  nonceLane = rest >> 3
  nonceShift = <u64>((rest & 7) << 3)
}

/** Leaves keccak256(prefix || nonce) in the first 32 bytes of WORK (the rest of WORK is not the state). */
function hashNonce(nonce: u64): void {
  // NONCED equals MID outside the (at most two) lanes the nonce touches, so only those are rewritten
  const value = bswap<u64>(nonce)
  const at = (<usize>nonceLane) << 3
  store<u64>(NONCED + at, load<u64>(MID + at) ^ (value << nonceShift))
  // the bytes that spill past this lane go to the next one, which may start the second block
  let carry: u64 = nonceShift == 0 ? 0 : value >> (64 - nonceShift)
  if (nonceLane < RATE_LANES - 1) {
    store<u64>(NONCED + at, load<u64>(MID + at, 8) ^ carry, 8)
    carry = 0
  }
  if (tailBlocks == 1) {
    keccakF(NONCED, WORK, true)
    return
  }
  keccakF(NONCED, WORK, false)
  xorLanes(WORK, TAIL2, RATE_LANES)
  store<u64>(WORK, load<u64>(WORK) ^ carry)
  keccakF(WORK, WORK, true)
}

/** Leading zero bits of the digest in WORK, reading it as a big-endian 256-bit number. */
function leadingZeroBits(): i32 {
  for (let i = 0; i < 4; i++) {
    const lane = load<u64>(WORK + ((<usize>i) << 3))
    if (lane != 0) return i * 64 + <i32>clz<u64>(bswap<u64>(lane))
  }
  return 256
}

/**
 * Tries nonces start, start + 1, ... (count of them) and returns the most leading zero bits seen;
 * `bestNonce()` is the first nonce that reached it. Stops at the first nonce reaching `target`.
 */
export function search(start: u64, count: u32, target: i32): i32 {
  let best: i32 = -1
  let nonce = start
  for (let i: u32 = 0; i < count; i++) {
    hashNonce(nonce)
    const bits = leadingZeroBits()
    if (bits > best) {
      best = bits
      bestNonce = nonce
      if (bits >= target) break
    }
    nonce++
  }
  return best
}

export function getBestNonce(): u64 {
  return bestNonce
}

/** Computes one PoW hash and returns a pointer to its 32 bytes. */
export function hash(nonce: u64): usize {
  hashNonce(nonce)
  return WORK
}

function xorLanes(state: usize, block: usize, lanes: i32): void {
  for (let i = 0; i < lanes; i++) {
    const at = (<usize>i) << 3
    store<u64>(state + at, load<u64>(state + at) ^ load<u64>(block + at))
  }
}

/**
 * keccak-f[1600] on the 25 little-endian lanes at `state`, written to `out` (may be `state`). With
 * `digestOnly` only lanes 0..3 (the 256-bit digest) are written, and the last round computes no more.
 */
function keccakF(state: usize, out: usize, digestOnly: bool): void {
  let a0 = load<u64>(state, 0)
  let a1 = load<u64>(state, 8)
  let a2 = load<u64>(state, 16)
  let a3 = load<u64>(state, 24)
  let a4 = load<u64>(state, 32)
  let a5 = load<u64>(state, 40)
  let a6 = load<u64>(state, 48)
  let a7 = load<u64>(state, 56)
  let a8 = load<u64>(state, 64)
  let a9 = load<u64>(state, 72)
  let a10 = load<u64>(state, 80)
  let a11 = load<u64>(state, 88)
  let a12 = load<u64>(state, 96)
  let a13 = load<u64>(state, 104)
  let a14 = load<u64>(state, 112)
  let a15 = load<u64>(state, 120)
  let a16 = load<u64>(state, 128)
  let a17 = load<u64>(state, 136)
  let a18 = load<u64>(state, 144)
  let a19 = load<u64>(state, 152)
  let a20 = load<u64>(state, 160)
  let a21 = load<u64>(state, 168)
  let a22 = load<u64>(state, 176)
  let a23 = load<u64>(state, 184)
  let a24 = load<u64>(state, 192)
  let e0: u64 = 0,
    e1: u64 = 0,
    e2: u64 = 0,
    e3: u64 = 0,
    e4: u64 = 0,
    e5: u64 = 0,
    e6: u64 = 0,
    e7: u64 = 0,
    e8: u64 = 0,
    e9: u64 = 0,
    e10: u64 = 0,
    e11: u64 = 0,
    e12: u64 = 0
  let e13: u64 = 0,
    e14: u64 = 0,
    e15: u64 = 0,
    e16: u64 = 0,
    e17: u64 = 0,
    e18: u64 = 0,
    e19: u64 = 0,
    e20: u64 = 0,
    e21: u64 = 0,
    e22: u64 = 0,
    e23: u64 = 0,
    e24: u64 = 0
  // two rounds per step, a to e then e to a, each computing rho, pi and chi one output plane at a
  // time (only five b lanes live at once); iota on lane 0
  for (let round = 0; round < 24; round += 2) {
    {
      const c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
      const c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
      const c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
      const c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
      const c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
      const d0 = c4 ^ rotl<u64>(c1, 1)
      const d1 = c0 ^ rotl<u64>(c2, 1)
      const d2 = c1 ^ rotl<u64>(c3, 1)
      const d3 = c2 ^ rotl<u64>(c4, 1)
      const d4 = c3 ^ rotl<u64>(c0, 1)
      const b0 = a0 ^ d0
      const b1 = rotl<u64>(a6 ^ d1, 44)
      const b2 = rotl<u64>(a12 ^ d2, 43)
      const b3 = rotl<u64>(a18 ^ d3, 21)
      const b4 = rotl<u64>(a24 ^ d4, 14)
      e0 = b0 ^ (~b1 & b2) ^ load<u64>(RC + ((<usize>round) << 3))
      e1 = b1 ^ (~b2 & b3)
      e2 = b2 ^ (~b3 & b4)
      e3 = b3 ^ (~b4 & b0)
      e4 = b4 ^ (~b0 & b1)
      const b5 = rotl<u64>(a3 ^ d3, 28)
      const b6 = rotl<u64>(a9 ^ d4, 20)
      const b7 = rotl<u64>(a10 ^ d0, 3)
      const b8 = rotl<u64>(a16 ^ d1, 45)
      const b9 = rotl<u64>(a22 ^ d2, 61)
      e5 = b5 ^ (~b6 & b7)
      e6 = b6 ^ (~b7 & b8)
      e7 = b7 ^ (~b8 & b9)
      e8 = b8 ^ (~b9 & b5)
      e9 = b9 ^ (~b5 & b6)
      const b10 = rotl<u64>(a1 ^ d1, 1)
      const b11 = rotl<u64>(a7 ^ d2, 6)
      const b12 = rotl<u64>(a13 ^ d3, 25)
      const b13 = rotl<u64>(a19 ^ d4, 8)
      const b14 = rotl<u64>(a20 ^ d0, 18)
      e10 = b10 ^ (~b11 & b12)
      e11 = b11 ^ (~b12 & b13)
      e12 = b12 ^ (~b13 & b14)
      e13 = b13 ^ (~b14 & b10)
      e14 = b14 ^ (~b10 & b11)
      const b15 = rotl<u64>(a4 ^ d4, 27)
      const b16 = rotl<u64>(a5 ^ d0, 36)
      const b17 = rotl<u64>(a11 ^ d1, 10)
      const b18 = rotl<u64>(a17 ^ d2, 15)
      const b19 = rotl<u64>(a23 ^ d3, 56)
      e15 = b15 ^ (~b16 & b17)
      e16 = b16 ^ (~b17 & b18)
      e17 = b17 ^ (~b18 & b19)
      e18 = b18 ^ (~b19 & b15)
      e19 = b19 ^ (~b15 & b16)
      const b20 = rotl<u64>(a2 ^ d2, 62)
      const b21 = rotl<u64>(a8 ^ d3, 55)
      const b22 = rotl<u64>(a14 ^ d4, 39)
      const b23 = rotl<u64>(a15 ^ d0, 41)
      const b24 = rotl<u64>(a21 ^ d1, 2)
      e20 = b20 ^ (~b21 & b22)
      e21 = b21 ^ (~b22 & b23)
      e22 = b22 ^ (~b23 & b24)
      e23 = b23 ^ (~b24 & b20)
      e24 = b24 ^ (~b20 & b21)
    }
    if (digestOnly && round == 22) break
    {
      const c0 = e0 ^ e5 ^ e10 ^ e15 ^ e20
      const c1 = e1 ^ e6 ^ e11 ^ e16 ^ e21
      const c2 = e2 ^ e7 ^ e12 ^ e17 ^ e22
      const c3 = e3 ^ e8 ^ e13 ^ e18 ^ e23
      const c4 = e4 ^ e9 ^ e14 ^ e19 ^ e24
      const d0 = c4 ^ rotl<u64>(c1, 1)
      const d1 = c0 ^ rotl<u64>(c2, 1)
      const d2 = c1 ^ rotl<u64>(c3, 1)
      const d3 = c2 ^ rotl<u64>(c4, 1)
      const d4 = c3 ^ rotl<u64>(c0, 1)
      const b0 = e0 ^ d0
      const b1 = rotl<u64>(e6 ^ d1, 44)
      const b2 = rotl<u64>(e12 ^ d2, 43)
      const b3 = rotl<u64>(e18 ^ d3, 21)
      const b4 = rotl<u64>(e24 ^ d4, 14)
      a0 = b0 ^ (~b1 & b2) ^ load<u64>(RC + ((<usize>(round + 1)) << 3))
      a1 = b1 ^ (~b2 & b3)
      a2 = b2 ^ (~b3 & b4)
      a3 = b3 ^ (~b4 & b0)
      a4 = b4 ^ (~b0 & b1)
      const b5 = rotl<u64>(e3 ^ d3, 28)
      const b6 = rotl<u64>(e9 ^ d4, 20)
      const b7 = rotl<u64>(e10 ^ d0, 3)
      const b8 = rotl<u64>(e16 ^ d1, 45)
      const b9 = rotl<u64>(e22 ^ d2, 61)
      a5 = b5 ^ (~b6 & b7)
      a6 = b6 ^ (~b7 & b8)
      a7 = b7 ^ (~b8 & b9)
      a8 = b8 ^ (~b9 & b5)
      a9 = b9 ^ (~b5 & b6)
      const b10 = rotl<u64>(e1 ^ d1, 1)
      const b11 = rotl<u64>(e7 ^ d2, 6)
      const b12 = rotl<u64>(e13 ^ d3, 25)
      const b13 = rotl<u64>(e19 ^ d4, 8)
      const b14 = rotl<u64>(e20 ^ d0, 18)
      a10 = b10 ^ (~b11 & b12)
      a11 = b11 ^ (~b12 & b13)
      a12 = b12 ^ (~b13 & b14)
      a13 = b13 ^ (~b14 & b10)
      a14 = b14 ^ (~b10 & b11)
      const b15 = rotl<u64>(e4 ^ d4, 27)
      const b16 = rotl<u64>(e5 ^ d0, 36)
      const b17 = rotl<u64>(e11 ^ d1, 10)
      const b18 = rotl<u64>(e17 ^ d2, 15)
      const b19 = rotl<u64>(e23 ^ d3, 56)
      a15 = b15 ^ (~b16 & b17)
      a16 = b16 ^ (~b17 & b18)
      a17 = b17 ^ (~b18 & b19)
      a18 = b18 ^ (~b19 & b15)
      a19 = b19 ^ (~b15 & b16)
      const b20 = rotl<u64>(e2 ^ d2, 62)
      const b21 = rotl<u64>(e8 ^ d3, 55)
      const b22 = rotl<u64>(e14 ^ d4, 39)
      const b23 = rotl<u64>(e15 ^ d0, 41)
      const b24 = rotl<u64>(e21 ^ d1, 2)
      a20 = b20 ^ (~b21 & b22)
      a21 = b21 ^ (~b22 & b23)
      a22 = b22 ^ (~b23 & b24)
      a23 = b23 ^ (~b24 & b20)
      a24 = b24 ^ (~b20 & b21)
    }
  }
  if (digestOnly) {
    // the last round for the output plane y = 0 only: theta, then rho, pi and chi of lanes 0..3
    const c0 = e0 ^ e5 ^ e10 ^ e15 ^ e20
    const c1 = e1 ^ e6 ^ e11 ^ e16 ^ e21
    const c2 = e2 ^ e7 ^ e12 ^ e17 ^ e22
    const c3 = e3 ^ e8 ^ e13 ^ e18 ^ e23
    const c4 = e4 ^ e9 ^ e14 ^ e19 ^ e24
    const b0 = e0 ^ c4 ^ rotl<u64>(c1, 1)
    const b1 = rotl<u64>(e6 ^ c0 ^ rotl<u64>(c2, 1), 44)
    const b2 = rotl<u64>(e12 ^ c1 ^ rotl<u64>(c3, 1), 43)
    const b3 = rotl<u64>(e18 ^ c2 ^ rotl<u64>(c4, 1), 21)
    const b4 = rotl<u64>(e24 ^ c3 ^ rotl<u64>(c0, 1), 14)
    store<u64>(out, b0 ^ (~b1 & b2) ^ load<u64>(RC, 23 << 3), 0)
    store<u64>(out, b1 ^ (~b2 & b3), 8)
    store<u64>(out, b2 ^ (~b3 & b4), 16)
    store<u64>(out, b3 ^ (~b4 & b0), 24)
    return
  }
  store<u64>(out, a0, 0)
  store<u64>(out, a1, 8)
  store<u64>(out, a2, 16)
  store<u64>(out, a3, 24)
  store<u64>(out, a4, 32)
  store<u64>(out, a5, 40)
  store<u64>(out, a6, 48)
  store<u64>(out, a7, 56)
  store<u64>(out, a8, 64)
  store<u64>(out, a9, 72)
  store<u64>(out, a10, 80)
  store<u64>(out, a11, 88)
  store<u64>(out, a12, 96)
  store<u64>(out, a13, 104)
  store<u64>(out, a14, 112)
  store<u64>(out, a15, 120)
  store<u64>(out, a16, 128)
  store<u64>(out, a17, 136)
  store<u64>(out, a18, 144)
  store<u64>(out, a19, 152)
  store<u64>(out, a20, 160)
  store<u64>(out, a21, 168)
  store<u64>(out, a22, 176)
  store<u64>(out, a23, 184)
  store<u64>(out, a24, 192)
}
