/* Native reference for Parley's benchmarks.
 *
 *   reference --list                 one "<case-id> <unit>" line per case this build supports
 *   reference --selftest             known-answer checks; exit status 0 when all pass
 *   reference <case-id> <ms> [offset]
 *       runs the case for about <ms> milliseconds and prints "<value> <unit>" (then "p90 <ms>"
 *       for latency cases); `offset` varies the inputs between rounds (seal envelope index).
 *
 * Built by benchmarks/src/native.ts with -DHAVE_OPENSSL and -DHAVE_SECP256K1 when those are
 * available; cases that need a missing library are simply absent from --list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"

/* Each source file hands out its case table. */
typedef const ref_case *(*case_table)(size_t *count);

static const case_table TABLES[] = {
    keccak_cases,
#ifdef HAVE_OPENSSL
    openssl_cases,
#endif
#ifdef HAVE_SECP256K1
    secp256k1_cases,
#endif
#if defined(HAVE_OPENSSL) && defined(HAVE_SECP256K1)
    ecies_cases,
#endif
};

#define TABLE_COUNT (sizeof TABLES / sizeof TABLES[0])

static const ref_case *find_case(const char *id) {
  for (size_t t = 0; t < TABLE_COUNT; t++) {
    size_t count;
    const ref_case *cases = TABLES[t](&count);
    for (size_t i = 0; i < count; i++)
      if (strcmp(cases[i].id, id) == 0) return &cases[i];
  }
  return NULL;
}

static int list_cases(void) {
  for (size_t t = 0; t < TABLE_COUNT; t++) {
    size_t count;
    const ref_case *cases = TABLES[t](&count);
    for (size_t i = 0; i < count; i++) printf("%s %s\n", cases[i].id, cases[i].unit);
  }
  return 0;
}

static int selftest(void) {
  int failures = keccak_selftest();
#ifdef HAVE_OPENSSL
  failures += openssl_selftest();
#endif
#ifdef HAVE_SECP256K1
  failures += secp256k1_selftest();
#endif
#if defined(HAVE_OPENSSL) && defined(HAVE_SECP256K1)
  failures += ecies_selftest();
#endif
  if (failures) fprintf(stderr, "selftest: %d check(s) failed\n", failures);
  else printf("selftest ok\n");
  return failures ? 1 : 0;
}

static int usage(void) {
  fprintf(stderr, "usage: reference --list | --selftest | <case-id> <ms> [offset]\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--list") == 0) return list_cases();
  if (argc == 2 && strcmp(argv[1], "--selftest") == 0) return selftest();
  if (argc != 3 && argc != 4) return usage();
  const ref_case *c = find_case(argv[1]);
  if (!c) {
    fprintf(stderr, "reference: unknown case %s (see --list)\n", argv[1]);
    return 2;
  }
  char *end;
  double ms = strtod(argv[2], &end);
  if (*end || ms <= 0) return usage();
  uint64_t offset = argc == 4 ? strtoull(argv[3], &end, 10) : 0;
  if (argc == 4 && *end) return usage();
  if (c->setup && c->setup() != 0) {
    fprintf(stderr, "reference: setup of %s failed\n", c->id);
    return 1;
  }
  ref_result r = c->measure(ms, offset);
  printf("%.6g %s\n", r.value, c->unit);
  if (strcmp(c->unit, "ms") == 0) printf("p90 %.6g\n", r.p90);
  printf("samples %llu\n", (unsigned long long)r.samples);
  return 0;
}
