/* Keccak-f[1600] and Keccak-256 (the pre-standard 0x01 padding Ethereum uses), plus the PoW
 * midstate search that Whisper/Waku envelope sealing performs. Written from the Keccak reference
 * (FIPS 202 §3.2 step mappings); lanes are 64-bit words, the state is little-endian. */
#ifndef PARLEY_BENCH_KECCAK_H
#define PARLEY_BENCH_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define KECCAK256_RATE 136

void keccak_f1600(uint64_t state[25]);
void keccak256(const uint8_t *data, size_t length, uint8_t out[32]);
/* Rate-136 sponge with a chosen domain suffix: 0x01 is Keccak-256, 0x06 is SHA3-256. */
void keccak_sponge256(const uint8_t *data, size_t length, uint8_t suffix, uint8_t out[32]);

/* The PoW hash is keccak256(prefix || nonce as 8 bytes big-endian). Every full block of the prefix
 * is absorbed once; each nonce then costs one permutation, or two when the nonce and the padding
 * do not fit in the prefix's last partial block. */
typedef struct {
  uint64_t base[25];  /* state after the full prefix blocks, XOR the fixed bytes of the tail block */
  uint64_t spill[17]; /* the extra block's fixed bytes (padding), used only when `spills` */
  unsigned lane;      /* lane holding the nonce's first byte */
  unsigned shift;     /* bit offset of the nonce inside that lane */
  int spills;
} pow_midstate;

void pow_midstate_init(pow_midstate *m, const uint8_t *prefix, size_t length);
/* The hash for this nonce (out may be NULL); returns its number of leading zero bits. */
unsigned pow_hash(const pow_midstate *m, uint64_t nonce, uint8_t out[32]);
#define NO_NONCE UINT64_MAX
/* Tries nonces start, start+1, ... up to `count` of them. Returns how many were tried; stops at
 * the first with at least `bits` leading zero bits and stores it in *found, which is otherwise
 * left alone (bits > 256: never). */
uint64_t pow_search(const pow_midstate *m, uint64_t start, uint64_t count, unsigned bits,
                    uint64_t *found);

#endif
