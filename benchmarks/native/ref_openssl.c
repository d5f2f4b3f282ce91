/* OpenSSL libcrypto cases: what a native node would call for AES-256-GCM, HMAC, HKDF, PBKDF2.
 * Contexts and algorithm fetches are set up once, as a long-running program would. */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cases.h"
#include "keccak.h"

static uint8_t key[32], nonce[12], plaintext[65536], ciphertext[65536 + 16];
static EVP_CIPHER_CTX *gcm;
static EVP_MAC_CTX *hmac;
static EVP_KDF_CTX *hkdf;

static int gcm_setup(void) {
  fill_pattern(key, sizeof key, 11);
  fill_pattern(nonce, sizeof nonce, 12);
  fill_pattern(plaintext, sizeof plaintext, 13);
  gcm = EVP_CIPHER_CTX_new();
  return gcm && EVP_EncryptInit_ex(gcm, EVP_aes_256_gcm(), NULL, key, NULL) == 1 ? 0 : 1;
}

/* One message: fresh nonce, whole plaintext, 16-byte tag appended. */
static void gcm_encrypt(const uint8_t *pt, int length, uint8_t *out) {
  int n = 0, tail = 0;
  EVP_EncryptInit_ex(gcm, NULL, NULL, NULL, nonce);
  EVP_EncryptUpdate(gcm, out, &n, pt, length);
  EVP_EncryptFinal_ex(gcm, out + n, &tail);
  EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_GET_TAG, 16, out + n + tail);
}

static uint64_t gcm_batch(uint64_t n, int length) {
  for (uint64_t i = 0; i < n; i++) {
    nonce[0] = (uint8_t)i;
    gcm_encrypt(plaintext, length, ciphertext);
  }
  bench_sink ^= ciphertext[length];
  return n;
}

static uint64_t gcm_1k_batch(uint64_t n) { return gcm_batch(n, 1024); }
static uint64_t gcm_64k_batch(uint64_t n) { return gcm_batch(n, 65536); }
static ref_result gcm_1k(double ms, uint64_t offset) { return (void)offset, measure_rate(gcm_1k_batch, ms); }
static ref_result gcm_64k(double ms, uint64_t offset) { return (void)offset, measure_rate(gcm_64k_batch, ms); }

static int hmac_setup(void) {
  fill_pattern(key, sizeof key, 21);
  fill_pattern(plaintext, 1024, 22);
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  hmac = mac ? EVP_MAC_CTX_new(mac) : NULL;
  EVP_MAC_free(mac);
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                         OSSL_PARAM_construct_end()};
  return hmac && EVP_MAC_CTX_set_params(hmac, params) == 1 ? 0 : 1;
}

static uint64_t hmac_batch(uint64_t n) {
  uint8_t tag[32];
  size_t length;
  for (uint64_t i = 0; i < n; i++) {
    plaintext[0] = (uint8_t)i;
    EVP_MAC_init(hmac, key, sizeof key, NULL);
    EVP_MAC_update(hmac, plaintext, 1024);
    EVP_MAC_final(hmac, tag, &length, sizeof tag);
    bench_sink ^= tag[0];
  }
  return n;
}

static ref_result hmac_1k(double ms, uint64_t offset) { return (void)offset, measure_rate(hmac_batch, ms); }

static int hkdf_setup(void) {
  fill_pattern(key, sizeof key, 31);
  fill_pattern(nonce, sizeof nonce, 32);
  EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
  hkdf = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
  EVP_KDF_free(kdf);
  return hkdf ? 0 : 1;
}

/* HKDF-SHA256, 32-byte key material and salt, 16-byte info, 32 bytes out. */
static int hkdf_derive(const uint8_t *ikm, const uint8_t *salt, const uint8_t *info, uint8_t out[32]) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, 32),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, 32),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, 16),
      OSSL_PARAM_construct_end()};
  return EVP_KDF_derive(hkdf, out, 32, params);
}

static uint64_t hkdf_batch(uint64_t n) {
  uint8_t out[32], salt[32] = {0}, info[16] = "parley bench hkd";
  for (uint64_t i = 0; i < n; i++) {
    key[0] = (uint8_t)i;
    hkdf_derive(key, salt, info, out);
    bench_sink ^= out[0];
  }
  return n;
}

static ref_result hkdf_32(double ms, uint64_t offset) { return (void)offset, measure_rate(hkdf_batch, ms); }

/* Whisper's AddSymKeyFromPassword: PBKDF2-HMAC-SHA256, empty salt, 65356 iterations, 32 bytes. */
#define WHISPER_PBKDF2_ITERATIONS 65356

static uint64_t pbkdf2_batch(uint64_t n) {
  uint8_t out[32];
  char password[] = "status-offline-inbox";
  for (uint64_t i = 0; i < n; i++) {
    PKCS5_PBKDF2_HMAC(password, (int)strlen(password), (const uint8_t *)"", 0,
                      WHISPER_PBKDF2_ITERATIONS, EVP_sha256(), 32, out);
    bench_sink ^= out[0];
  }
  return n;
}

static ref_result pbkdf2(double ms, uint64_t offset) { return (void)offset, measure_rate(pbkdf2_batch, ms); }

/* OpenSSL's own SHA3-256 (same permutation and rate as Keccak-256): a yardstick for keccak.c. */
static uint64_t sha3_batch(uint64_t n) {
  uint8_t out[32];
  for (uint64_t i = 0; i < n; i++) {
    plaintext[0] = (uint8_t)i;
    EVP_Digest(plaintext, 1024, out, NULL, EVP_sha3_256(), NULL);
    bench_sink ^= out[0];
  }
  return n;
}

static ref_result sha3_1k(double ms, uint64_t offset) { return (void)offset, measure_rate(sha3_batch, ms); }

static const ref_case CASES[] = {
    {"aes-256-gcm-1k", "ops/s", gcm_setup, gcm_1k},
    {"aes-256-gcm-64k", "ops/s", gcm_setup, gcm_64k},
    {"hmac-sha256-1k", "ops/s", hmac_setup, hmac_1k},
    {"hkdf-sha256", "ops/s", hkdf_setup, hkdf_32},
    {"pbkdf2-sha256-whisper", "ops/s", NULL, pbkdf2},
    {"openssl-sha3-256-1k", "ops/s", NULL, sha3_1k},
};

const ref_case *openssl_cases(size_t *count) {
  *count = sizeof CASES / sizeof CASES[0];
  return CASES;
}

#define CHECK(label, condition) \
  if (!(condition)) fprintf(stderr, "selftest: %s failed\n", label), failures++

int openssl_selftest(void) {
  int failures = 0;
  /* keccak.c with SHA3's suffix must agree with OpenSSL's SHA3-256 at every length that matters */
  uint8_t message[600], mine[32], theirs[32];
  int mismatches = 0;
  for (size_t length = 0; length <= sizeof message; length++) {
    fill_pattern(message, length, (uint32_t)length + 1000);
    keccak_sponge256(message, length, 0x06, mine);
    EVP_Digest(message, length, theirs, NULL, EVP_sha3_256(), NULL);
    mismatches += memcmp(mine, theirs, 32) != 0;
  }
  CHECK("keccak.c sponge equals OpenSSL SHA3-256 for 0..600 bytes", mismatches == 0);
  /* the parameter plumbing of hkdf_derive, against RFC 5869's definition for one output block:
   * PRK = HMAC(salt, ikm), OKM = HMAC(PRK, info || 0x01) */
  if (hkdf_setup() != 0 || hmac_setup() != 0) return failures + 1;
  uint8_t ikm[32], salt[32], info[16], okm[32], prk[32], t1[32], block[17];
  size_t length;
  fill_pattern(ikm, 32, 1), fill_pattern(salt, 32, 2), fill_pattern(info, 16, 3);
  hkdf_derive(ikm, salt, info, okm);
  EVP_MAC_init(hmac, salt, 32, NULL), EVP_MAC_update(hmac, ikm, 32), EVP_MAC_final(hmac, prk, &length, 32);
  memcpy(block, info, 16), block[16] = 1;
  EVP_MAC_init(hmac, prk, 32, NULL), EVP_MAC_update(hmac, block, 17), EVP_MAC_final(hmac, t1, &length, 32);
  CHECK("HKDF-SHA256 equals its HMAC definition", memcmp(okm, t1, 32) == 0);
  return failures;
}
