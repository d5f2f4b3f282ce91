/* Shared pieces of the native reference: the case table entry, timing loops, hex helpers. */
#ifndef PARLEY_BENCH_H
#define PARLEY_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* What one run of a case reports: `value` in `unit`, plus an optional 90th percentile for
 * latency cases. */
typedef struct {
  double value;
  double p90;
  uint64_t samples;
} ref_result;

typedef struct {
  const char *id;
  const char *unit; /* "ops/s", "hashes/s" or "ms" */
  int (*setup)(void);
  /* runs for about `ms` milliseconds; `offset` lets successive rounds vary their inputs */
  ref_result (*measure)(double ms, uint64_t offset);
} ref_case;

/* A batch performs `n` operations and returns the units of work done (ops or hashes). */
typedef uint64_t (*batch_fn)(uint64_t n);

double now_seconds(void);
/* Throughput of `batch` over about `ms` milliseconds, in work units per second. */
ref_result measure_rate(batch_fn batch, double ms);
/* This process's CPU time in seconds. */
double cpu_seconds(void);
/* measure_rate over this process's CPU time (for the TypeScript `cpuTime` cases); a batch that
 * returns 0 (a failed self-check) makes the whole result 0. */
ref_result measure_cpu_rate(batch_fn batch, double ms);
/* Median and 90th percentile of `count` latencies in seconds, reported in milliseconds. */
ref_result latency_result(double *seconds, size_t count);

/* Defeats dead-code elimination of results nobody reads. */
extern volatile uint64_t bench_sink;
void sink_bytes(const uint8_t *bytes, size_t length);

/* Fills `out` from a lowercase hex string; returns the number of bytes, or -1 on bad input. */
long hex_decode(const char *hex, uint8_t *out, size_t capacity);
int bytes_equal_hex(const uint8_t *bytes, size_t length, const char *hex);
/* Deterministic filler for inputs: byte i of stream `seed`. */
void fill_pattern(uint8_t *out, size_t length, uint32_t seed);

#endif
