/* Keccak-f[1600]: 25 lanes held in locals, two rounds per loop step (state A -> E -> A), so the
 * compiler keeps the lanes in registers and never shuffles an array. Lane aXY is x + 5y in the
 * state array. Each output plane Y of rho∘pi comes from the lanes (x, y) with 2x + 3y = Y mod 5. */
#include "keccak.h"

#include <string.h>

static const uint64_t ROUND_CONSTANTS[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL(v, n) (((v) << (n)) | ((v) >> ((64 - (n)) & 63)))

/* chi on one plane: out[x] = b[x] ^ (~b[x+1] & b[x+2]) */
#define CHI(E, y)                               \
  E##0##y = b0 ^ (~b1 & b2);                    \
  E##1##y = b1 ^ (~b2 & b3);                    \
  E##2##y = b2 ^ (~b3 & b4);                    \
  E##3##y = b3 ^ (~b4 & b0);                    \
  E##4##y = b4 ^ (~b0 & b1);

/* One round reading lanes A.., writing lanes E.. */
#define ROUND(A, E, rc)                                                       \
  {                                                                           \
    uint64_t c0 = A##00 ^ A##01 ^ A##02 ^ A##03 ^ A##04;                      \
    uint64_t c1 = A##10 ^ A##11 ^ A##12 ^ A##13 ^ A##14;                      \
    uint64_t c2 = A##20 ^ A##21 ^ A##22 ^ A##23 ^ A##24;                      \
    uint64_t c3 = A##30 ^ A##31 ^ A##32 ^ A##33 ^ A##34;                      \
    uint64_t c4 = A##40 ^ A##41 ^ A##42 ^ A##43 ^ A##44;                      \
    uint64_t d0 = c4 ^ ROL(c1, 1), d1 = c0 ^ ROL(c2, 1), d2 = c1 ^ ROL(c3, 1); \
    uint64_t d3 = c2 ^ ROL(c4, 1), d4 = c3 ^ ROL(c0, 1);                      \
    uint64_t b0, b1, b2, b3, b4;                                              \
    b0 = A##00 ^ d0;                                                          \
    b1 = ROL(A##11 ^ d1, 44);                                                 \
    b2 = ROL(A##22 ^ d2, 43);                                                 \
    b3 = ROL(A##33 ^ d3, 21);                                                 \
    b4 = ROL(A##44 ^ d4, 14);                                                 \
    CHI(E, 0)                                                                 \
    E##00 ^= (rc);                                                            \
    b0 = ROL(A##30 ^ d3, 28);                                                 \
    b1 = ROL(A##41 ^ d4, 20);                                                 \
    b2 = ROL(A##02 ^ d0, 3);                                                  \
    b3 = ROL(A##13 ^ d1, 45);                                                 \
    b4 = ROL(A##24 ^ d2, 61);                                                 \
    CHI(E, 1)                                                                 \
    b0 = ROL(A##10 ^ d1, 1);                                                  \
    b1 = ROL(A##21 ^ d2, 6);                                                  \
    b2 = ROL(A##32 ^ d3, 25);                                                 \
    b3 = ROL(A##43 ^ d4, 8);                                                  \
    b4 = ROL(A##04 ^ d0, 18);                                                 \
    CHI(E, 2)                                                                 \
    b0 = ROL(A##40 ^ d4, 27);                                                 \
    b1 = ROL(A##01 ^ d0, 36);                                                 \
    b2 = ROL(A##12 ^ d1, 10);                                                 \
    b3 = ROL(A##23 ^ d2, 15);                                                 \
    b4 = ROL(A##34 ^ d3, 56);                                                 \
    CHI(E, 3)                                                                 \
    b0 = ROL(A##20 ^ d2, 62);                                                 \
    b1 = ROL(A##31 ^ d3, 55);                                                 \
    b2 = ROL(A##42 ^ d4, 39);                                                 \
    b3 = ROL(A##03 ^ d0, 41);                                                 \
    b4 = ROL(A##14 ^ d1, 2);                                                  \
    CHI(E, 4)                                                                 \
  }

#define DECLARE_PLANE(P, y) uint64_t P##0##y, P##1##y, P##2##y, P##3##y, P##4##y;
#define LOAD_PLANE(y)                                                              \
  a0##y = s[0 + 5 * y], a1##y = s[1 + 5 * y], a2##y = s[2 + 5 * y], a3##y = s[3 + 5 * y], \
  a4##y = s[4 + 5 * y];
#define STORE_PLANE(y)                                                             \
  s[0 + 5 * y] = a0##y, s[1 + 5 * y] = a1##y, s[2 + 5 * y] = a2##y, s[3 + 5 * y] = a3##y, \
  s[4 + 5 * y] = a4##y;

static inline __attribute__((always_inline)) void permute(uint64_t s[25]) {
  DECLARE_PLANE(a, 0) DECLARE_PLANE(a, 1) DECLARE_PLANE(a, 2) DECLARE_PLANE(a, 3) DECLARE_PLANE(a, 4)
  DECLARE_PLANE(e, 0) DECLARE_PLANE(e, 1) DECLARE_PLANE(e, 2) DECLARE_PLANE(e, 3) DECLARE_PLANE(e, 4)
  LOAD_PLANE(0) LOAD_PLANE(1) LOAD_PLANE(2) LOAD_PLANE(3) LOAD_PLANE(4)
  for (int round = 0; round < 24; round += 2) {
    ROUND(a, e, ROUND_CONSTANTS[round])
    ROUND(e, a, ROUND_CONSTANTS[round + 1])
  }
  STORE_PLANE(0) STORE_PLANE(1) STORE_PLANE(2) STORE_PLANE(3) STORE_PLANE(4)
}

void keccak_f1600(uint64_t state[25]) { permute(state); }

/* Lanes are little-endian; memcpy compiles to a single load on little-endian targets. */
static inline uint64_t load_lane(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
#else
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
#endif
}

static inline void store_lane(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* XORs a partial block (len < RATE) plus the `suffix` ... 0x80 padding into the state. */
static void absorb_last(uint64_t s[25], const uint8_t *data, size_t len, uint8_t suffix) {
  uint8_t block[KECCAK256_RATE] = {0};
  memcpy(block, data, len);
  block[len] ^= suffix;
  block[KECCAK256_RATE - 1] ^= 0x80;
  for (int i = 0; i < KECCAK256_RATE / 8; i++) s[i] ^= load_lane(block + 8 * i);
}

/* Absorbs every full block; returns how many bytes were consumed. */
static size_t absorb_full_blocks(uint64_t s[25], const uint8_t *data, size_t length) {
  size_t done = 0;
  for (; length - done >= KECCAK256_RATE; done += KECCAK256_RATE) {
    for (int i = 0; i < KECCAK256_RATE / 8; i++) s[i] ^= load_lane(data + done + 8 * i);
    permute(s);
  }
  return done;
}

void keccak_sponge256(const uint8_t *data, size_t length, uint8_t suffix, uint8_t out[32]) {
  uint64_t s[25] = {0};
  size_t done = absorb_full_blocks(s, data, length);
  absorb_last(s, data + done, length - done, suffix);
  permute(s);
  for (int i = 0; i < 4; i++) store_lane(out + 8 * i, s[i]);
}

void keccak256(const uint8_t *data, size_t length, uint8_t out[32]) {
  keccak_sponge256(data, length, 0x01, out);
}

void pow_midstate_init(pow_midstate *m, const uint8_t *prefix, size_t length) {
  memset(m, 0, sizeof *m);
  size_t done = absorb_full_blocks(m->base, prefix, length);
  size_t tail = length - done;
  uint8_t block[2 * KECCAK256_RATE] = {0};
  memcpy(block, prefix + done, tail);
  /* the nonce occupies block[tail .. tail+8) and is XORed in per attempt */
  m->spills = tail + 8 > KECCAK256_RATE - 1;
  size_t blocks = m->spills ? 2 : 1;
  block[tail + 8] ^= 0x01;
  block[blocks * KECCAK256_RATE - 1] ^= 0x80;
  for (int i = 0; i < KECCAK256_RATE / 8; i++) m->base[i] ^= load_lane(block + 8 * i);
  if (m->spills)
    for (int i = 0; i < KECCAK256_RATE / 8; i++) m->spill[i] = load_lane(block + KECCAK256_RATE + 8 * i);
  m->lane = (unsigned)(tail / 8);
  m->shift = (unsigned)(tail % 8) * 8;
}

static inline unsigned leading_zero_bits(const uint64_t s[4]) {
  for (int i = 0; i < 4; i++) {
    uint64_t word = __builtin_bswap64(s[i]); /* hash bytes 8i..8i+7 as a big-endian number */
    if (word) return (unsigned)(64 * i + __builtin_clzll(word));
  }
  return 256;
}

/* State for one attempt: the nonce's big-endian bytes land at the tail offset. */
static inline void hash_nonce(const pow_midstate *m, uint64_t nonce, uint64_t s[25]) {
  uint64_t v = __builtin_bswap64(nonce); /* little-endian load of the big-endian bytes */
  memcpy(s, m->base, sizeof m->base);
  s[m->lane] ^= v << m->shift;
  uint64_t carry = m->shift ? v >> (64 - m->shift) : 0;
  if (!m->spills) {
    s[m->lane + 1] ^= carry;
    permute(s);
    return;
  }
  permute(s);
  s[0] ^= carry;
  for (int i = 0; i < KECCAK256_RATE / 8; i++) s[i] ^= m->spill[i];
  permute(s);
}

unsigned pow_hash(const pow_midstate *m, uint64_t nonce, uint8_t out[32]) {
  uint64_t s[25];
  hash_nonce(m, nonce, s);
  if (out)
    for (int i = 0; i < 4; i++) store_lane(out + 8 * i, s[i]);
  return leading_zero_bits(s);
}

uint64_t pow_search(const pow_midstate *m, uint64_t start, uint64_t count, unsigned bits,
                    uint64_t *found) {
  uint64_t s[25];
  for (uint64_t i = 0; i < count; i++) {
    hash_nonce(m, start + i, s);
    if (bits <= 256 && leading_zero_bits(s) >= bits) {
      *found = start + i;
      return i + 1;
    }
  }
  return count;
}
