/* libsecp256k1 cases, built from the sources the npm `secp256k1` package vendors, with the defines
 * of its binding.gyp. Each operation starts and ends with bytes, like the TypeScript providers:
 * parsing and serialising are part of the measured work. */
#include <secp256k1.h>
#include <secp256k1_ecdh.h>
#include <secp256k1_recovery.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cases.h"
#include "keccak.h"
#include "secp.h"

#define KEYS 64

static secp256k1_context *context;
static uint8_t private_keys[KEYS][32], public_keys[KEYS][65], hashes[KEYS][32], signatures[KEYS][65];

secp256k1_context *secp_context(void) {
  if (!context) context = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
  return context;
}

int secp_public_key(const uint8_t private_key[32], uint8_t out[65]) {
  secp256k1_pubkey point;
  size_t length = 65;
  if (!secp256k1_ec_pubkey_create(secp_context(), &point, private_key)) return 0;
  return secp256k1_ec_pubkey_serialize(secp_context(), out, &length, &point, SECP256K1_EC_UNCOMPRESSED);
}

static int copy_x(uint8_t *output, const uint8_t *x, const uint8_t *y, void *data) {
  (void)y, (void)data;
  memcpy(output, x, 32);
  return 1;
}

int secp_ecdh_x(const uint8_t private_key[32], const uint8_t public_key[65], uint8_t out[32]) {
  secp256k1_pubkey point;
  if (!secp256k1_ec_pubkey_parse(secp_context(), &point, public_key, 65)) return 0;
  return secp256k1_ecdh(secp_context(), out, &point, private_key, copy_x, NULL);
}

/* 65-byte r || s || v, RFC 6979 nonce (the library's default), low s */
static int sign(const uint8_t hash[32], const uint8_t private_key[32], uint8_t out[65]) {
  secp256k1_ecdsa_recoverable_signature sig;
  int v;
  if (!secp256k1_ecdsa_sign_recoverable(secp_context(), &sig, hash, private_key, NULL, NULL)) return 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(secp_context(), out, &v, &sig);
  out[64] = (uint8_t)v;
  return 1;
}

static int recover(const uint8_t hash[32], const uint8_t signature[65], uint8_t out[65]) {
  secp256k1_ecdsa_recoverable_signature sig;
  secp256k1_pubkey point;
  size_t length = 65;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(secp_context(), &sig, signature, signature[64]))
    return 0;
  if (!secp256k1_ecdsa_recover(secp_context(), &point, &sig, hash)) return 0;
  return secp256k1_ec_pubkey_serialize(secp_context(), out, &length, &point, SECP256K1_EC_UNCOMPRESSED);
}

static int verify(const uint8_t hash[32], const uint8_t signature[65], const uint8_t public_key[65]) {
  secp256k1_ecdsa_signature sig;
  secp256k1_pubkey point;
  if (!secp256k1_ec_pubkey_parse(secp_context(), &point, public_key, 65)) return 0;
  if (!secp256k1_ecdsa_signature_parse_compact(secp_context(), &sig, signature)) return 0;
  return secp256k1_ecdsa_verify(secp_context(), &sig, hash, &point);
}

static int keys_setup(void) {
  for (uint32_t i = 0; i < KEYS; i++) {
    uint8_t seed[4] = {(uint8_t)i, 0x6b, 0x65, 0x79};
    keccak256(seed, sizeof seed, private_keys[i]);
    keccak256(private_keys[i], 32, hashes[i]);
    if (!secp256k1_ec_seckey_verify(secp_context(), private_keys[i])) return 1;
    if (!secp_public_key(private_keys[i], public_keys[i])) return 1;
    if (!sign(hashes[i], private_keys[i], signatures[i])) return 1;
  }
  return 0;
}

static uint64_t public_key_batch(uint64_t n) {
  uint8_t out[65];
  for (uint64_t i = 0; i < n; i++) bench_sink ^= secp_public_key(private_keys[i % KEYS], out) + out[1];
  return n;
}

static uint64_t ecdh_batch(uint64_t n) {
  uint8_t out[32];
  for (uint64_t i = 0; i < n; i++)
    bench_sink ^= secp_ecdh_x(private_keys[i % KEYS], public_keys[(i + 1) % KEYS], out) + out[0];
  return n;
}

static uint64_t sign_batch(uint64_t n) {
  uint8_t out[65];
  for (uint64_t i = 0; i < n; i++) bench_sink ^= sign(hashes[i % KEYS], private_keys[i % KEYS], out) + out[0];
  return n;
}

static uint64_t recover_batch(uint64_t n) {
  uint8_t out[65];
  for (uint64_t i = 0; i < n; i++) bench_sink ^= recover(hashes[i % KEYS], signatures[i % KEYS], out) + out[1];
  return n;
}

static uint64_t verify_batch(uint64_t n) {
  for (uint64_t i = 0; i < n; i++)
    bench_sink ^= verify(hashes[i % KEYS], signatures[i % KEYS], public_keys[i % KEYS]);
  return n;
}

static ref_result public_key_case(double ms, uint64_t o) { return (void)o, measure_rate(public_key_batch, ms); }
static ref_result ecdh_case(double ms, uint64_t o) { return (void)o, measure_rate(ecdh_batch, ms); }
static ref_result sign_case(double ms, uint64_t o) { return (void)o, measure_rate(sign_batch, ms); }
static ref_result recover_case(double ms, uint64_t o) { return (void)o, measure_rate(recover_batch, ms); }
static ref_result verify_case(double ms, uint64_t o) { return (void)o, measure_rate(verify_batch, ms); }

static const ref_case CASES[] = {
    {"secp256k1-getPublicKey", "ops/s", keys_setup, public_key_case},
    {"secp256k1-ecdh", "ops/s", keys_setup, ecdh_case},
    {"secp256k1-sign", "ops/s", keys_setup, sign_case},
    {"secp256k1-recover", "ops/s", keys_setup, recover_case},
    {"secp256k1-verify", "ops/s", keys_setup, verify_case},
};

const ref_case *secp256k1_cases(size_t *count) {
  *count = sizeof CASES / sizeof CASES[0];
  return CASES;
}

#define CHECK(label, condition) \
  if (!(condition)) fprintf(stderr, "selftest: %s failed\n", label), failures++

int secp256k1_selftest(void) {
  int failures = 0;
  /* ecies.json shared-static (go-ethereum TestSharedKeyStatic) */
  uint8_t priv1[32], priv2[32], pub1[65], pub2[65], shared[32], sig[65], recovered[65];
  hex_decode("7ebbc6a8358bc76dd73ebc557056702c8cfc34e5cfcd90eb83af0347575fd2ad", priv1, 32);
  hex_decode("6a3d6396903245bba5837752b9e0348874e72db0c4e11e9c485a81b4ea4353b9", priv2, 32);
  CHECK("public key", secp_public_key(priv1, pub1) &&
                          bytes_equal_hex(pub1, 65,
                                          "04ddf77958383a6515894f88b30b4b4e40b32d2d84650ae2765abd8bfaece5f8"
                                          "29ea66963adc409efa966df6482e55d1197b63481e5004e31560ab385bf3d942e2"));
  CHECK("ecdh x coordinate",
        secp_public_key(priv2, pub2) && secp_ecdh_x(priv1, pub2, shared) &&
            bytes_equal_hex(shared, 32, "167ccc13ac5e8a26b131c3446030c60fbfac6aa8e31149d0869f93626a4cdf62"));
  uint8_t hash[32];
  keccak256((const uint8_t *)"abc", 3, hash);
  CHECK("sign, recover, verify", sign(hash, priv1, sig) && recover(hash, sig, recovered) &&
                                     memcmp(recovered, pub1, 65) == 0 && verify(hash, sig, pub1));
  sig[10] ^= 1;
  CHECK("verify rejects a altered signature", !verify(hash, sig, pub1));
  return failures;
}
