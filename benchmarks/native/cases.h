/* The case tables each source file contributes, and the inputs shared with the TypeScript side. */
#ifndef PARLEY_BENCH_CASES_H
#define PARLEY_BENCH_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "bench.h"

/* Seal cases seal envelope i = {expiry: SEAL_EXPIRY_BASE + i, ttl, topic: SEAL_TOPIC,
 * data: fill_pattern(1024, SEAL_DATA_SEED)} from nonce 0; benchmarks/src/cases/inputs.ts builds
 * the same envelopes, so both sides do the same number of hashes. */
#define SEAL_EXPIRY_BASE 1700000000u
#define SEAL_TOPIC {0xf8, 0x94, 0x6a, 0xac}
#define SEAL_DATA_SEED 1
#define SEAL_DATA_LENGTH 1024
/* round r (the `offset` argument) seals envelopes r * SEAL_ROUND_STRIDE, +1, ... */
#define SEAL_ROUND_STRIDE 1000000u

size_t envelope_rlp_without_nonce(uint8_t *out, uint32_t expiry, uint32_t ttl,
                                  const uint8_t topic[4], const uint8_t *data, size_t length);
unsigned pow_target_bits(double pow, size_t data_length, size_t prefix_length, uint32_t ttl);
uint64_t seal_envelope(uint64_t index, double pow, uint32_t ttl, unsigned *bits_out);

const ref_case *keccak_cases(size_t *count);
int keccak_selftest(void);

#ifdef HAVE_OPENSSL
const ref_case *openssl_cases(size_t *count);
int openssl_selftest(void);
#endif

#ifdef HAVE_SECP256K1
const ref_case *secp256k1_cases(size_t *count);
int secp256k1_selftest(void);
#endif

#if defined(HAVE_OPENSSL) && defined(HAVE_SECP256K1)
const ref_case *ecies_cases(size_t *count);
int ecies_selftest(void);
const ref_case *envelope_cases(size_t *count);
int envelope_selftest(void);
const ref_case *ratchet_cases(size_t *count);
int ratchet_selftest(void);
#endif

#endif
