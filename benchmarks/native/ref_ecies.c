/* go-ethereum ECIES (ECIES_AES128_SHA256, empty s1 and s2) over libsecp256k1 and libcrypto:
 *   z = x(ephemeral × recipient); K = SHA256(00000001 || z); Ke = K[0:16]; Km = SHA256(K[16:32])
 *   out = R(65) || iv(16) || AES-128-CTR(Ke, iv, m) || HMAC-SHA256(Km, iv || ciphertext) */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cases.h"
#include "secp.h"

#define MESSAGE 1024
#define OVERHEAD (65 + 16 + 32)

static EVP_MD *sha256;
static EVP_CIPHER *aes128ctr;
static EVP_CIPHER_CTX *ctr;
static EVP_MAC_CTX *hmac;
static uint8_t recipient_private[32], recipient_public[65], message[MESSAGE];
static uint8_t sealed[MESSAGE + OVERHEAD], opened[MESSAGE];

static int ecies_setup(void) {
  sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
  aes128ctr = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
  ctr = EVP_CIPHER_CTX_new();
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  hmac = mac ? EVP_MAC_CTX_new(mac) : NULL;
  EVP_MAC_free(mac);
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                         OSSL_PARAM_construct_end()};
  if (!sha256 || !aes128ctr || !ctr || !hmac || EVP_MAC_CTX_set_params(hmac, params) != 1) return 1;
  fill_pattern(recipient_private, 32, 41);
  fill_pattern(message, MESSAGE, 42);
  return secp_public_key(recipient_private, recipient_public) ? 0 : 1;
}

/* Ke (16 bytes) and Km (32 bytes, already hashed) from the shared x coordinate. */
static void derive_keys(const uint8_t z[32], uint8_t ke[16], uint8_t km[32]) {
  uint8_t input[36] = {0, 0, 0, 1}, k[32];
  memcpy(input + 4, z, 32);
  EVP_Digest(input, sizeof input, k, NULL, sha256, NULL);
  memcpy(ke, k, 16);
  EVP_Digest(k + 16, 16, km, NULL, sha256, NULL);
}

static void tag(const uint8_t km[32], const uint8_t *iv_and_ciphertext, size_t length, uint8_t out[32]) {
  size_t n;
  EVP_MAC_init(hmac, km, 32, NULL);
  EVP_MAC_update(hmac, iv_and_ciphertext, length);
  EVP_MAC_final(hmac, out, &n, 32);
}

static void ctr_crypt(const uint8_t ke[16], const uint8_t iv[16], const uint8_t *in, size_t length, uint8_t *out) {
  int n;
  EVP_EncryptInit_ex(ctr, aes128ctr, NULL, ke, iv);
  EVP_EncryptUpdate(ctr, out, &n, in, (int)length);
}

/* With ephemeral and iv NULL they are drawn from the system RNG, as an application would. */
static size_t encrypt(const uint8_t *recipient, const uint8_t *plaintext, size_t length,
                      const uint8_t *ephemeral, const uint8_t *iv, uint8_t *out) {
  uint8_t secret[32], z[32], ke[16], km[32];
  if (ephemeral) memcpy(secret, ephemeral, 32);
  do {
    if (!ephemeral) RAND_bytes(secret, 32);
  } while (!secp_public_key(secret, out) && !ephemeral);
  if (!secp_ecdh_x(secret, recipient, z)) return 0;
  derive_keys(z, ke, km);
  if (iv) memcpy(out + 65, iv, 16);
  else RAND_bytes(out + 65, 16);
  ctr_crypt(ke, out + 65, plaintext, length, out + 81);
  tag(km, out + 65, 16 + length, out + 81 + length);
  return length + OVERHEAD;
}

static long decrypt(const uint8_t private_key[32], const uint8_t *in, size_t length, uint8_t *out) {
  uint8_t z[32], ke[16], km[32], expected[32];
  if (length < OVERHEAD || in[0] != 4 || !secp_ecdh_x(private_key, in, z)) return -1;
  derive_keys(z, ke, km);
  size_t body = length - OVERHEAD;
  tag(km, in + 65, 16 + body, expected);
  if (CRYPTO_memcmp(expected, in + 81 + body, 32) != 0) return -1;
  ctr_crypt(ke, in + 65, in + 81, body, out);
  return (long)body;
}

static uint64_t encrypt_batch(uint64_t n) {
  for (uint64_t i = 0; i < n; i++) bench_sink ^= encrypt(recipient_public, message, MESSAGE, NULL, NULL, sealed);
  return n;
}

static uint64_t decrypt_batch(uint64_t n) {
  for (uint64_t i = 0; i < n; i++) bench_sink ^= (uint64_t)decrypt(recipient_private, sealed, sizeof sealed, opened);
  return n;
}

static ref_result encrypt_case(double ms, uint64_t o) { return (void)o, measure_rate(encrypt_batch, ms); }

static int decrypt_setup(void) {
  return ecies_setup() || !encrypt(recipient_public, message, MESSAGE, NULL, NULL, sealed);
}

static ref_result decrypt_case(double ms, uint64_t o) { return (void)o, measure_rate(decrypt_batch, ms); }

static const ref_case CASES[] = {
    {"ecies-encrypt-1k", "ops/s", ecies_setup, encrypt_case},
    {"ecies-decrypt-1k", "ops/s", decrypt_setup, decrypt_case},
};

const ref_case *ecies_cases(size_t *count) {
  *count = sizeof CASES / sizeof CASES[0];
  return CASES;
}

#define CHECK(label, condition) \
  if (!(condition)) fprintf(stderr, "selftest: %s failed\n", label), failures++

/* ecies.json encrypt-fixed-ephemeral-iv */
int ecies_selftest(void) {
  int failures = 0;
  if (ecies_setup() != 0) return 1;
  uint8_t recipient[65], private_key[32], ephemeral[32], iv[16], out[256], back[64];
  hex_decode("04ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c"
             "44e9e6d569fc56be00812904767bf5ccd1fc7f",
             recipient, 65);
  hex_decode("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291", private_key, 32);
  hex_decode("3030303030303030303030303030303030303030303030303030303030303031", ephemeral, 32);
  hex_decode("000102030405060708090a0b0c0d0e0f", iv, 16);
  size_t n = encrypt(recipient, (const uint8_t *)"Hello, world.", 13, ephemeral, iv, out);
  CHECK("ecies encrypt (fixed ephemeral key and iv)",
        bytes_equal_hex(out, n,
                        "04ba46d3bb8db74c77c6cf082db57fc0548058fcdea811549e186526e3d10caf67b2d9b88ee0c281f2"
                        "cf16a10f26d38ffb514968ae30d960634a8394de8fd583c4000102030405060708090a0b0c0d0e0fee"
                        "e9a2b460ad31efa7712d4239f875274a981f2ddadd877e4e865a46ed02c3cef88661a05d2c70d656af"
                        "3ca3b7"));
  CHECK("ecies decrypt", decrypt(private_key, out, n, back) == 13 && memcmp(back, "Hello, world.", 13) == 0);
  out[100] ^= 1;
  CHECK("ecies decrypt rejects a altered tag", decrypt(private_key, out, n, back) < 0);
  return failures;
}
