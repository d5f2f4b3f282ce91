/* The Double Ratchet of status-im/doubleratchet (what status-go runs) and status-go's X3DH, in C:
 * the reference of the TypeScript cases `ratchet-encrypt-decrypt-1k`, `ratchet-dh-step` and
 * `x3dh-session-setup` (benchmarks/src/cases/secure-ratchet.ts), doing the same work as
 * packages/secure-transport/src/ratchet and x3dh.ts:
 *
 *   DH      libsecp256k1 ECDH, raw x coordinate, the peer's key parsed from 33 compressed bytes
 *   KDF_RK  HKDF-SHA256(ikm = DH, salt = root key, info "rsZU…") → 96 bytes (root, chain, header)
 *   KDF_CK  HMAC-SHA256(chain key, 0x0f) → next chain key, HMAC-SHA256(chain key, 0x10) → message key
 *   message HKDF-SHA256(ikm = message key, salt = 32 zero bytes, info "pcwS…") → 80 bytes (enc key,
 *           auth key, IV); IV || AES-256-CTR || HMAC-SHA256(auth, AD || IV || ciphertext), AD being
 *           uint32_le(N) || uint32_le(PN) || DH public key (33 bytes)
 *   DH step ECDH(our key, their new key) → KDF_RK; a fresh key pair (OpenSSL RAND_bytes, libsecp256k1
 *           key creation, compressed); ECDH(new key, their key) → KDF_RK
 *   X3DH    SK = keccak256(DH(IK_A, SPK_B) || DH(EK_A, IK_B) || DH(EK_A, SPK_B)), and back
 *
 * No skipped-key store: the cases deliver every message in order, so the TypeScript side never
 * stores a skipped key either. Timed by CPU time, like the TypeScript cases. */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cases.h"
#include "keccak.h"
#include "secp.h"

#define PAYLOAD 1024
#define IV 16
#define TAG 32
#define SEALED (IV + PAYLOAD + TAG)
#define AD (8 + 33)

static const char ROOT_INFO[] = "rsZUpEuXUqqwXBvSy3EcievAh4cMj6QL";
static const char MESSAGE_INFO[] = "pcwSByyx2CRdryCffXJwy7xgVZWtW5Sh";

typedef struct {
  uint8_t private_key[32];
  uint8_t public_key[33];
} key_pair;

typedef struct {
  uint8_t root[32];
  key_pair dhs;
  uint8_t dhr[33];
  int has_dhr;
  uint8_t send_chain[32], recv_chain[32];
  uint32_t send_n, recv_n, pn;
} session;

typedef struct {
  uint8_t dh[33];
  uint32_t n, pn;
  uint8_t sealed[SEALED];
} message;

static EVP_KDF_CTX *hkdf;
static EVP_MAC_CTX *hmac;
static EVP_CIPHER_CTX *ctr;

static int crypto_setup(void) {
  if (hkdf) return 0;
  EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
  hkdf = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
  EVP_KDF_free(kdf);
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  hmac = mac ? EVP_MAC_CTX_new(mac) : NULL;
  EVP_MAC_free(mac);
  ctr = EVP_CIPHER_CTX_new();
  if (!hkdf || !hmac || !ctr) return 1;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                         OSSL_PARAM_construct_end()};
  return EVP_MAC_CTX_set_params(hmac, params) == 1 ? 0 : 1;
}

static int hkdf_sha256(const uint8_t *ikm, const uint8_t salt[32], const char *info, uint8_t *out,
                       size_t length) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, 32),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, 32),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, strlen(info)),
      OSSL_PARAM_construct_end()};
  return EVP_KDF_derive(hkdf, out, length, params) == 1;
}

/* HMAC-SHA256 over a || b (either may be empty) */
static void hmac_sha256(const uint8_t key[32], const uint8_t *a, size_t a_length, const uint8_t *b,
                        size_t b_length, uint8_t out[32]) {
  size_t length;
  EVP_MAC_init(hmac, key, 32, NULL);
  EVP_MAC_update(hmac, a, a_length);
  if (b_length) EVP_MAC_update(hmac, b, b_length);
  EVP_MAC_final(hmac, out, &length, 32);
}

static void aes_ctr(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t length,
                    uint8_t *out) {
  int n = 0, tail = 0;
  EVP_EncryptInit_ex(ctr, EVP_aes_256_ctr(), NULL, key, iv);
  EVP_EncryptUpdate(ctr, out, &n, in, (int)length);
  EVP_EncryptFinal_ex(ctr, out + n, &tail);
}

static int copy_x(uint8_t *output, const uint8_t *x, const uint8_t *y, void *data) {
  (void)y, (void)data;
  memcpy(output, x, 32);
  return 1;
}

static int ecdh33(const uint8_t private_key[32], const uint8_t public_key[33], uint8_t out[32]) {
  secp256k1_pubkey point;
  if (!secp256k1_ec_pubkey_parse(secp_context(), &point, public_key, 33)) return 0;
  return secp256k1_ecdh(secp_context(), out, &point, private_key, copy_x, NULL);
}

static int public33(const uint8_t private_key[32], uint8_t out[33]) {
  secp256k1_pubkey point;
  size_t length = 33;
  if (!secp256k1_ec_pubkey_create(secp_context(), &point, private_key)) return 0;
  return secp256k1_ec_pubkey_serialize(secp_context(), out, &length, &point, SECP256K1_EC_COMPRESSED);
}

/* generatePrivateKey + getPublicKey(compressed) */
static int new_key_pair(key_pair *pair) {
  do {
    if (RAND_bytes(pair->private_key, 32) != 1) return 0;
  } while (!secp256k1_ec_seckey_verify(secp_context(), pair->private_key));
  return public33(pair->private_key, pair->public_key);
}

static int kdf_rk(uint8_t root[32], const uint8_t dh[32], uint8_t chain[32]) {
  uint8_t out[96];
  if (!hkdf_sha256(dh, root, ROOT_INFO, out, 96)) return 0;
  memcpy(root, out, 32);
  memcpy(chain, out + 32, 32); /* out + 64: the header key, unused by status-go */
  return 1;
}

static void kdf_ck(uint8_t chain[32], uint8_t message_key[32]) {
  static const uint8_t NEXT = 0x0f, MESSAGE = 0x10;
  hmac_sha256(chain, &MESSAGE, 1, NULL, 0, message_key);
  hmac_sha256(chain, &NEXT, 1, NULL, 0, chain);
}

static void header_ad(const message *m, uint8_t ad[AD]) {
  for (int i = 0; i < 4; i++) ad[i] = (uint8_t)(m->n >> (8 * i)), ad[4 + i] = (uint8_t)(m->pn >> (8 * i));
  memcpy(ad + 8, m->dh, 33);
}

static int seal(const uint8_t message_key[32], const uint8_t *plaintext, message *m) {
  uint8_t keys[80], ad[AD], zero[32] = {0};
  if (!hkdf_sha256(message_key, zero, MESSAGE_INFO, keys, 80)) return 0;
  memcpy(m->sealed, keys + 64, IV);
  aes_ctr(keys, keys + 64, plaintext, PAYLOAD, m->sealed + IV);
  header_ad(m, ad);
  hmac_sha256(keys + 32, ad, AD, m->sealed, IV + PAYLOAD, m->sealed + IV + PAYLOAD);
  return 1;
}

static int open_sealed(const uint8_t message_key[32], const message *m, uint8_t *plaintext) {
  uint8_t keys[80], ad[AD], tag[32], zero[32] = {0};
  if (!hkdf_sha256(message_key, zero, MESSAGE_INFO, keys, 80)) return 0;
  header_ad(m, ad);
  hmac_sha256(keys + 32, ad, AD, m->sealed, IV + PAYLOAD, tag);
  if (CRYPTO_memcmp(tag, m->sealed + IV + PAYLOAD, TAG) != 0) return 0;
  aes_ctr(keys, m->sealed, m->sealed + IV, PAYLOAD, plaintext);
  return 1;
}

static int ratchet_encrypt(session *s, const uint8_t *plaintext, message *m) {
  uint8_t message_key[32];
  memcpy(m->dh, s->dhs.public_key, 33);
  m->n = s->send_n++;
  m->pn = s->pn;
  kdf_ck(s->send_chain, message_key);
  return seal(message_key, plaintext, m);
}

static int dh_step(session *s, const uint8_t their_key[33]) {
  uint8_t shared[32];
  if (!ecdh33(s->dhs.private_key, their_key, shared)) return 0;
  s->pn = s->send_n;
  memcpy(s->dhr, their_key, 33);
  s->has_dhr = 1;
  if (!kdf_rk(s->root, shared, s->recv_chain)) return 0;
  if (!new_key_pair(&s->dhs)) return 0;
  if (!ecdh33(s->dhs.private_key, their_key, shared)) return 0;
  if (!kdf_rk(s->root, shared, s->send_chain)) return 0;
  s->recv_n = 0;
  s->send_n = 0;
  return 1;
}

/* In order only: a message must be the next of its chain (the cases never skip one). */
static int ratchet_decrypt(session *s, const message *m, uint8_t *plaintext) {
  uint8_t message_key[32];
  if (!s->has_dhr || memcmp(s->dhr, m->dh, 33) != 0) {
    if (!dh_step(s, m->dh)) return 0;
  }
  if (m->n != s->recv_n) return 0;
  kdf_ck(s->recv_chain, message_key);
  s->recv_n++;
  return open_sealed(message_key, m, plaintext);
}

/* ---- sessions and cases ---- */

static uint8_t shared_key[32], payload[PAYLOAD], opened[PAYLOAD];
static key_pair signed_pre_key;
static session alice, bob;
static message wire;

static int initiator(session *s, const uint8_t sk[32], const uint8_t their_spk[33]) {
  uint8_t shared[32];
  memset(s, 0, sizeof *s);
  memcpy(s->root, sk, 32);
  memcpy(s->recv_chain, sk, 32);
  memcpy(s->dhr, their_spk, 33);
  s->has_dhr = 1;
  return new_key_pair(&s->dhs) && ecdh33(s->dhs.private_key, their_spk, shared) &&
         kdf_rk(s->root, shared, s->send_chain);
}

static int responder(session *s, const uint8_t sk[32], const key_pair *spk) {
  secp256k1_pubkey point;
  size_t length = 33;
  memset(s, 0, sizeof *s);
  memcpy(s->root, sk, 32);
  memcpy(s->send_chain, sk, 32);
  memcpy(s->recv_chain, sk, 32);
  memcpy(s->dhs.private_key, spk->private_key, 32);
  /* convertPublicKey(compressed): parse and serialise again */
  return secp256k1_ec_pubkey_parse(secp_context(), &point, spk->public_key, 33) &&
         secp256k1_ec_pubkey_serialize(secp_context(), s->dhs.public_key, &length, &point,
                                       SECP256K1_EC_COMPRESSED);
}

/* Alice has sent Bob one message, so both sides have done their first DH step. */
static int sessions_setup(void) {
  if (crypto_setup()) return 1;
  fill_pattern(shared_key, 32, 71);
  fill_pattern(signed_pre_key.private_key, 32, 72);
  fill_pattern(payload, PAYLOAD, 73);
  if (!public33(signed_pre_key.private_key, signed_pre_key.public_key)) return 1;
  if (!initiator(&alice, shared_key, signed_pre_key.public_key)) return 1;
  if (!responder(&bob, shared_key, &signed_pre_key)) return 1;
  return ratchet_encrypt(&alice, payload, &wire) && ratchet_decrypt(&bob, &wire, opened) ? 0 : 1;
}

/* Alice encrypts 1 KiB, Bob decrypts it: the same chain, no DH step. */
static uint64_t same_chain_batch(uint64_t n) {
  for (uint64_t i = 0; i < n; i++) {
    payload[0] = (uint8_t)i;
    if (!ratchet_encrypt(&alice, payload, &wire) || !ratchet_decrypt(&bob, &wire, opened)) return 0;
    bench_sink ^= opened[0];
  }
  return n;
}

/* Turns alternate, so every decryption starts with a DH step. */
static uint64_t ping_pong_batch(uint64_t n) {
  static uint64_t turn;
  for (uint64_t i = 0; i < n; i++, turn++) {
    session *from = turn % 2 ? &alice : &bob, *to = turn % 2 ? &bob : &alice;
    payload[0] = (uint8_t)i;
    if (!ratchet_encrypt(from, payload, &wire) || !ratchet_decrypt(to, &wire, opened)) return 0;
    bench_sink ^= opened[0];
  }
  return n;
}

static key_pair identity_a, identity_b;

static int x3dh_setup(void) {
  if (crypto_setup()) return 1;
  fill_pattern(identity_a.private_key, 32, 74);
  fill_pattern(identity_b.private_key, 32, 75);
  fill_pattern(signed_pre_key.private_key, 32, 72);
  return public33(identity_a.private_key, identity_a.public_key) &&
                 public33(identity_b.private_key, identity_b.public_key) &&
                 public33(signed_pre_key.private_key, signed_pre_key.public_key)
             ? 0
             : 1;
}

static int x3dh(const uint8_t k1[32], const uint8_t p1[33], const uint8_t k2[32], const uint8_t p2[33],
                const uint8_t k3[32], const uint8_t p3[33], uint8_t out[32]) {
  uint8_t material[96];
  if (!ecdh33(k1, p1, material) || !ecdh33(k2, p2, material + 32) || !ecdh33(k3, p3, material + 64))
    return 0;
  keccak256(material, 96, out);
  return 1;
}

/* Alice: an ephemeral key, X3DH, her ratchet; Bob: X3DH from her header, his ratchet. */
static int session_pair(session *a, session *b) {
  key_pair ephemeral;
  uint8_t sk_a[32], sk_b[32];
  if (!new_key_pair(&ephemeral)) return 0;
  if (!x3dh(identity_a.private_key, signed_pre_key.public_key, ephemeral.private_key, identity_b.public_key,
            ephemeral.private_key, signed_pre_key.public_key, sk_a))
    return 0;
  if (!initiator(a, sk_a, signed_pre_key.public_key)) return 0;
  if (!x3dh(signed_pre_key.private_key, identity_a.public_key, identity_b.private_key, ephemeral.public_key,
            signed_pre_key.private_key, ephemeral.public_key, sk_b))
    return 0;
  if (!responder(b, sk_b, &signed_pre_key)) return 0;
  return memcmp(sk_a, sk_b, 32) == 0;
}

static uint64_t x3dh_batch(uint64_t n) {
  for (uint64_t i = 0; i < n; i++) {
    if (!session_pair(&alice, &bob)) return 0;
    bench_sink ^= alice.root[0] ^ bob.root[0];
  }
  return n;
}

static ref_result same_chain(double ms, uint64_t o) { return (void)o, measure_cpu_rate(same_chain_batch, ms); }
static ref_result ping_pong(double ms, uint64_t o) { return (void)o, measure_cpu_rate(ping_pong_batch, ms); }
static ref_result x3dh_case(double ms, uint64_t o) { return (void)o, measure_cpu_rate(x3dh_batch, ms); }

static const ref_case CASES[] = {
    {"ratchet-encrypt-decrypt-1k", "ops/s", sessions_setup, same_chain},
    {"ratchet-dh-step", "ops/s", sessions_setup, ping_pong},
    {"x3dh-session-setup", "ops/s", x3dh_setup, x3dh_case},
};

const ref_case *ratchet_cases(size_t *count) {
  *count = sizeof CASES / sizeof CASES[0];
  return CASES;
}

#define CHECK(condition, label) \
  if (!(condition)) fprintf(stderr, "selftest: %s failed\n", label), failures++

/* KDF_RK and the message keys against @parley/secure-transport (kdfRk, deriveMessageKeys on
 * fill_pattern inputs), then round trips, DH steps, a tampered message and X3DH agreement. */
int ratchet_selftest(void) {
  int failures = 0;
  if (crypto_setup()) return fprintf(stderr, "selftest: ratchet crypto setup failed\n"), 1;
  uint8_t root[32], dh[32], chain[32], keys[80], zero[32] = {0};
  fill_pattern(root, 32, 81);
  fill_pattern(dh, 32, 82);
  CHECK(kdf_rk(root, dh, chain) &&
            bytes_equal_hex(root, 32, "e69da6451ee520a8eb2e20f64f9d372a63cfc9da123bd7dede72a0e81a50e6bf") && bytes_equal_hex(chain, 32, "8c436a7351693899b95ad1ec30e7d82ed236390a84beb2ee24dad6534214f24c"),
        "ratchet: KDF_RK matches kdfRk");
  CHECK(hkdf_sha256(dh, zero, MESSAGE_INFO, keys, 80) && bytes_equal_hex(keys + 64, 16, "390a93106e69cf355535d3ef9fd5af32"),
        "ratchet: message keys match deriveMessageKeys");
  CHECK(sessions_setup() == 0 && memcmp(opened, payload, PAYLOAD) == 0, "ratchet: first message opens");
  CHECK(same_chain_batch(3) == 3 && memcmp(opened, payload, PAYLOAD) == 0, "ratchet: same chain");
  CHECK(ping_pong_batch(4) == 4 && memcmp(opened, payload, PAYLOAD) == 0, "ratchet: DH steps");
  ratchet_encrypt(&alice, payload, &wire);
  wire.sealed[IV + 5] ^= 1;
  CHECK(!ratchet_decrypt(&bob, &wire, opened), "ratchet: a tampered message fails");
  CHECK(x3dh_setup() == 0 && x3dh_batch(2) == 2, "x3dh: both sides agree");
  return failures;
}
