/* Native reference for Parley's benchmarks.
 *
 *   reference --list                 one "<case-id> <unit>" line per case this build supports
 *   reference --selftest             known-answer checks; exit status 0 when all pass
 *   reference --info                 compiler and library versions of this build
 *   reference --seal <pow> <ttl> <i> nonce and bits the seal cases find for envelope i
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

#ifdef HAVE_OPENSSL
#include <openssl/crypto.h>
#endif

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
    envelope_cases,
    ratchet_cases,
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
  failures += envelope_selftest();
  failures += ratchet_selftest();
#endif
  if (failures) fprintf(stderr, "selftest: %d check(s) failed\n", failures);
  else printf("selftest ok\n");
  return failures ? 1 : 0;
}

static int usage(void) {
  fprintf(stderr,
          "usage: reference --list | --selftest | --info | --seal <pow> <ttl> <index> |"
          " <case-id> <ms> [offset]\n");
  return 2;
}

static int info(void) {
#ifdef __VERSION__
  printf("compiler %s\n", __VERSION__);
#endif
#ifdef HAVE_OPENSSL
  printf("openssl %s\n", OpenSSL_version(OPENSSL_VERSION));
#else
  printf("openssl none\n");
#endif
#ifdef HAVE_SECP256K1
  printf("secp256k1 yes\n");
#else
  printf("secp256k1 none\n");
#endif
  return 0;
}

static int seal_one(const char *pow_text, const char *ttl_text, const char *index_text) {
  char *end1, *end2, *end3;
  double pow = strtod(pow_text, &end1);
  unsigned long ttl = strtoul(ttl_text, &end2, 10);
  unsigned long long index = strtoull(index_text, &end3, 10);
  if (*end1 || *end2 || *end3 || pow <= 0 || ttl == 0) return usage();
  unsigned bits;
  uint64_t nonce = seal_envelope(index, pow, (uint32_t)ttl, &bits);
  printf("%llu %u\n", (unsigned long long)nonce, bits);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--list") == 0) return list_cases();
  if (argc == 2 && strcmp(argv[1], "--selftest") == 0) return selftest();
  if (argc == 2 && strcmp(argv[1], "--info") == 0) return info();
  if (argc == 5 && strcmp(argv[1], "--seal") == 0) return seal_one(argv[2], argv[3], argv[4]);
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
