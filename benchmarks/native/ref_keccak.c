/* Keccak-256, PoW nonce search and envelope sealing: the work Parley's WASM kernel does, in C. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "keccak.h"
#include "cases.h"

static uint8_t input[1024];

static uint64_t keccak_batch(uint64_t n, size_t length) {
  uint8_t out[32];
  for (uint64_t i = 0; i < n; i++) {
    input[0] = (uint8_t)i;
    keccak256(input, length, out);
    bench_sink ^= out[0];
  }
  return n;
}

static uint64_t keccak_64_batch(uint64_t n) { return keccak_batch(n, 64); }
static uint64_t keccak_1k_batch(uint64_t n) { return keccak_batch(n, 1024); }

static int keccak_setup(void) {
  fill_pattern(input, sizeof input, 7);
  return 0;
}

static ref_result keccak_64(double ms, uint64_t offset) {
  (void)offset;
  return measure_rate(keccak_64_batch, ms);
}

static ref_result keccak_1k(double ms, uint64_t offset) {
  (void)offset;
  return measure_rate(keccak_1k_batch, ms);
}

/* --- Whisper/Waku envelopes: rlp([expiry, ttl, topic, data]) --- */

static size_t rlp_uint(uint8_t *out, uint64_t v) {
  if (v == 0) return out[0] = 0x80, 1;
  if (v < 0x80) return out[0] = (uint8_t)v, 1;
  size_t n = 0;
  for (uint64_t t = v; t; t >>= 8) n++;
  out[0] = (uint8_t)(0x80 + n);
  for (size_t i = 0; i < n; i++) out[1 + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
  return 1 + n;
}

/* Header of a string or list (base 0x80 or 0xc0) whose payload is `length` bytes. */
static size_t rlp_header(uint8_t *out, uint8_t base, size_t length) {
  if (length < 56) return out[0] = (uint8_t)(base + length), 1;
  size_t n = 0;
  for (size_t t = length; t; t >>= 8) n++;
  out[0] = (uint8_t)(base + 55 + n);
  for (size_t i = 0; i < n; i++) out[1 + i] = (uint8_t)(length >> (8 * (n - 1 - i)));
  return 1 + n;
}

size_t envelope_rlp_without_nonce(uint8_t *out, uint32_t expiry, uint32_t ttl,
                                  const uint8_t topic[4], const uint8_t *data, size_t length) {
  uint8_t fields[16];
  size_t f = rlp_uint(fields, expiry);
  f += rlp_uint(fields + f, ttl);
  f += rlp_header(fields + f, 0x80, 4);
  memcpy(fields + f, topic, 4), f += 4;
  uint8_t data_header[9];
  size_t dh = length == 1 && data[0] < 0x80 ? 0 : rlp_header(data_header, 0x80, length);
  size_t o = rlp_header(out, 0xc0, f + dh + length);
  memcpy(out + o, fields, f), o += f;
  memcpy(out + o, data_header, dh), o += dh;
  memcpy(out + o, data, length);
  return o + length;
}

/* go-ethereum powToFirstBit: ceil(log2(pow * size * ttl)), at least 1. */
static unsigned bits_for(double pow, size_t size, uint32_t ttl) {
  double bits = ceil(log2(pow * (double)size * (double)ttl));
  return bits < 1 ? 1 : (unsigned)bits;
}

/* As @parley/crypto's sealTargetBits: go-ethereum's target over 20 + len(data), raised if needed
 * so that the pow computed over len(rlp) also reaches `pow`. */
unsigned pow_target_bits(double pow, size_t data_length, size_t prefix_length, uint32_t ttl) {
  unsigned geth = bits_for(pow, 20 + data_length, ttl), exact = bits_for(pow, prefix_length, ttl);
  return geth > exact ? geth : exact;
}

/* The PoW search case hashes nonces against the midstate of a 1 KiB Status envelope. */
static pow_midstate search_midstate;
static uint64_t next_nonce;

static int pow_setup(void) {
  static uint8_t rlp[SEAL_DATA_LENGTH + 64], data[SEAL_DATA_LENGTH];
  static const uint8_t topic[4] = SEAL_TOPIC;
  fill_pattern(data, sizeof data, SEAL_DATA_SEED);
  size_t n = envelope_rlp_without_nonce(rlp, SEAL_EXPIRY_BASE, 10, topic, data, sizeof data);
  pow_midstate_init(&search_midstate, rlp, n);
  return 0;
}

static uint64_t pow_batch(uint64_t n) {
  uint64_t found = 0;
  /* bits > 256 never matches: this measures the raw search rate */
  uint64_t done = pow_search(&search_midstate, next_nonce, n, 257, &found);
  next_nonce += done;
  bench_sink ^= found;
  return done;
}

static ref_result pow_nonce_search(double ms, uint64_t offset) {
  next_nonce = offset << 32;
  return measure_rate(pow_batch, ms);
}

/* Seal envelope `index` of a seal case: build the RLP, absorb the midstate, search from nonce 0. */
uint64_t seal_envelope(uint64_t index, double pow, uint32_t ttl, unsigned *bits_out) {
  static uint8_t rlp[SEAL_DATA_LENGTH + 64], data[SEAL_DATA_LENGTH];
  static int ready;
  static const uint8_t topic[4] = SEAL_TOPIC;
  if (!ready) fill_pattern(data, sizeof data, SEAL_DATA_SEED), ready = 1;
  size_t n = envelope_rlp_without_nonce(rlp, (uint32_t)(SEAL_EXPIRY_BASE + index), ttl, topic,
                                        data, sizeof data);
  pow_midstate m;
  pow_midstate_init(&m, rlp, n);
  unsigned bits = pow_target_bits(pow, sizeof data, n, ttl);
  if (bits_out) *bits_out = bits;
  uint64_t found = NO_NONCE;
  for (uint64_t nonce = 0; found == NO_NONCE; nonce += 4096) pow_search(&m, nonce, 4096, bits, &found);
  return found;
}

static ref_result seal_run(double ms, uint64_t offset, double pow, uint32_t ttl) {
  size_t capacity = 1024, count = 0;
  double *latencies = malloc(capacity * sizeof *latencies);
  double start = now_seconds(), end = start + ms / 1000.0, t = start;
  for (uint64_t i = offset * SEAL_ROUND_STRIDE; t < end; i++) {
    double t0 = now_seconds();
    bench_sink ^= seal_envelope(i, pow, ttl, NULL);
    t = now_seconds();
    if (count == capacity) latencies = realloc(latencies, (capacity *= 2) * sizeof *latencies);
    latencies[count++] = t - t0;
  }
  ref_result r = latency_result(latencies, count);
  free(latencies);
  return r;
}

static ref_result seal_status(double ms, uint64_t offset) { return seal_run(ms, offset, 0.002, 10); }
static ref_result seal_geth(double ms, uint64_t offset) { return seal_run(ms, offset, 0.2, 50); }

static const ref_case CASES[] = {
    {"keccak256-64b", "ops/s", keccak_setup, keccak_64},
    {"keccak256-1k", "ops/s", keccak_setup, keccak_1k},
    {"pow-nonce-search", "hashes/s", pow_setup, pow_nonce_search},
    {"seal-status", "ms", NULL, seal_status},
    {"seal-geth", "ms", NULL, seal_geth},
};

const ref_case *keccak_cases(size_t *count) {
  *count = sizeof CASES / sizeof CASES[0];
  return CASES;
}

/* --- selftest: known answers, then the midstate path against the plain sponge --- */

#define CHECK(label, condition) \
  if (!(condition)) fprintf(stderr, "selftest: %s failed\n", label), failures++

static int midstate_matches_sponge(size_t prefix_length, uint64_t nonce) {
  uint8_t message[320 + 8], expected[32], actual[32];
  fill_pattern(message, prefix_length, (uint32_t)prefix_length);
  for (int i = 0; i < 8; i++) message[prefix_length + i] = (uint8_t)(nonce >> (56 - 8 * i));
  keccak256(message, prefix_length + 8, expected);
  pow_midstate m;
  pow_midstate_init(&m, message, prefix_length);
  pow_hash(&m, nonce, actual);
  return memcmp(expected, actual, 32) == 0;
}

int keccak_selftest(void) {
  int failures = 0;
  uint8_t out[32];
  keccak256((const uint8_t *)"", 0, out);
  CHECK("keccak256(\"\")",
        bytes_equal_hex(out, 32, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"));
  keccak256((const uint8_t *)"abc", 3, out);
  CHECK("keccak256(\"abc\")",
        bytes_equal_hex(out, 32, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"));

  /* whisper-v6.json pow-nonce-276 and pow-nonce-100000 */
  uint8_t data[4] = {0xde, 0xad, 0xbe, 0xef}, topic[4] = {0}, rlp[32];
  size_t n = envelope_rlp_without_nonce(rlp, 0, 1, topic, data, 4);
  CHECK("envelope rlp", bytes_equal_hex(rlp, n, "cc8001840000000084deadbeef"));
  pow_midstate m;
  pow_midstate_init(&m, rlp, n);
  unsigned zeros = pow_hash(&m, 276, out);
  CHECK("pow hash, nonce 276",
        zeros == 8 &&
            bytes_equal_hex(out, 32, "00e2374c6353c243e4073e209a7f2acb2506522af318b3b78cf9a88310a2a11c"));
  zeros = pow_hash(&m, 100000, out);
  CHECK("pow hash, nonce 100000",
        zeros == 0 &&
            bytes_equal_hex(out, 32, "a788e02a95bfc673709e97ca81e39ca903bad5638d3388964c51eb64952172d6"));
  uint64_t found = NO_NONCE;
  pow_search(&m, 0, 1000, 8, &found);
  CHECK("pow search finds a nonce with 8 zero bits", found <= 276 && pow_hash(&m, found, NULL) >= 8);

  /* every tail length, including those where the nonce spills into an extra block */
  int mismatches = 0;
  for (size_t length = 0; length <= 320; length++)
    mismatches += !midstate_matches_sponge(length, 0x0102030405060708ULL + length);
  CHECK("midstate hash equals the sponge for prefixes of 0..320 bytes", mismatches == 0);

  CHECK("target bits at PoW 0.002, TTL 10, 1 KiB", pow_target_bits(0.002, 1024, 1041, 10) == 5);
  CHECK("target bits at PoW 0.2, TTL 50, 1 KiB", pow_target_bits(0.2, 1024, 1041, 50) == 14);
  return failures;
}
