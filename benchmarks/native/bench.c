#include "bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

volatile uint64_t bench_sink;

double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void sink_bytes(const uint8_t *bytes, size_t length) {
  uint64_t acc = 0;
  for (size_t i = 0; i < length; i += 8) acc = (acc << 1) ^ bytes[i];
  bench_sink ^= acc;
}

ref_result measure_rate(batch_fn batch, double ms) {
  /* Grow the batch until one takes ~1/50 of the slice, so clock reads cost nothing. */
  double batch_target = ms / 1000.0 / 50.0;
  uint64_t n = 1;
  for (;;) {
    double start = now_seconds();
    batch(n);
    if (now_seconds() - start >= batch_target || n >= (1ULL << 32)) break;
    n *= 2;
  }
  double start = now_seconds(), elapsed;
  uint64_t work = 0;
  do {
    work += batch(n);
    elapsed = now_seconds() - start;
  } while (elapsed < ms / 1000.0);
  ref_result r = {(double)work / elapsed, 0, work};
  return r;
}

double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

ref_result measure_cpu_rate(batch_fn batch, double ms) {
  uint64_t n = 1;
  for (;;) {
    double start = cpu_seconds();
    if (batch(n) == 0) return (ref_result){0, 0, 0};
    if (cpu_seconds() - start >= ms / 1000.0 / 50.0 || n >= (1ULL << 32)) break;
    n *= 2;
  }
  double start = cpu_seconds(), elapsed;
  uint64_t work = 0;
  do {
    uint64_t done = batch(n);
    if (done == 0) return (ref_result){0, 0, 0};
    work += done;
    elapsed = cpu_seconds() - start;
  } while (elapsed < ms / 1000.0);
  return (ref_result){(double)work / elapsed, 0, work};
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile, the same rule as the TypeScript harness. */
static double percentile(const double *sorted, size_t count, double p) {
  size_t rank = (size_t)ceil(p * (double)count);
  if (rank < 1) rank = 1;
  if (rank > count) rank = count;
  return sorted[rank - 1];
}

ref_result latency_result(double *seconds, size_t count) {
  ref_result r = {0, 0, count};
  if (count == 0) return r;
  qsort(seconds, count, sizeof *seconds, compare_doubles);
  r.value = percentile(seconds, count, 0.5) * 1000.0;
  r.p90 = percentile(seconds, count, 0.9) * 1000.0;
  return r;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

long hex_decode(const char *hex, uint8_t *out, size_t capacity) {
  size_t length = strlen(hex);
  if (length % 2 || length / 2 > capacity) return -1;
  for (size_t i = 0; i < length / 2; i++) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  return (long)(length / 2);
}

int bytes_equal_hex(const uint8_t *bytes, size_t length, const char *hex) {
  uint8_t expected[4096];
  long n = hex_decode(hex, expected, sizeof expected);
  return n == (long)length && memcmp(bytes, expected, length) == 0;
}

void fill_pattern(uint8_t *out, size_t length, uint32_t seed) {
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < length; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift32 */
    out[i] = (uint8_t)x;
  }
}
