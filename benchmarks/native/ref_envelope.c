/* The receive pipeline of a Whisper v6 / Waku v1 node, in C: the reference of the TypeScript cases
 * `receive-pipeline-1k` and `receive-pipeline-1k-unsigned`. For each one-envelope Messages packet:
 * decode the RLP (go-ethereum's strict rules), keccak256 the envelope (its id), look the id up in a
 * duplicate table, run go-ethereum's time, size and PoW checks (the PoW re-encodes the prefix and
 * hashes it with the nonce, as Envelope.PoW() does), remember the id, AES-256-GCM-decrypt the data
 * with the chat key (key schedule done once), decode the v1 payload, and recover the signer.
 *
 * The envelopes have the TypeScript cases' shape (1 KiB payload padded to 1280 bytes, signed or
 * not, PoW 0.002, TTL 10, topic f8946aac, fixed clock); the bytes differ (AES nonces, padding),
 * which changes no work. Timed by CPU time, like the TypeScript cases it is compared with. */
#include <math.h>
#include <openssl/evp.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cases.h"
#include "keccak.h"
#include "secp.h"

#define STOCK 512
#define PAYLOAD 1024
#define PLAINTEXT 1280
#define SIGNATURE 65
#define DATA (PLAINTEXT + 16 + 12)
#define PACKET_MAX (DATA + 64)
#define NOW SEAL_EXPIRY_BASE
#define TTL 10u
#define MIN_POW 0.002
#define SYNC_ALLOWANCE 10u
#define MAX_SIZE (1024u * 1024u)
#define TABLE 1024 /* duplicate table slots, a power of two above STOCK */

static uint8_t packets[STOCK][PACKET_MAX];
static size_t packet_lengths[STOCK];
static uint8_t chat_key[32], sender_public[65];
static EVP_CIPHER_CTX *gcm;
static uint8_t seen[TABLE][32];
static uint8_t used[TABLE];
static size_t next_packet;

/* ---- building the stock (not timed) ---- */

static size_t rlp_head(uint8_t *out, uint8_t base, size_t length) {
  if (length < 56) return out[0] = (uint8_t)(base + length), 1;
  size_t n = 0;
  for (size_t t = length; t; t >>= 8) n++;
  out[0] = (uint8_t)(base + 55 + n);
  for (size_t i = 0; i < n; i++) out[1 + i] = (uint8_t)(length >> (8 * (n - 1 - i)));
  return 1 + n;
}

static size_t rlp_u64(uint8_t *out, uint64_t v) {
  if (v == 0) return out[0] = 0x80, 1;
  if (v < 0x80) return out[0] = (uint8_t)v, 1;
  size_t n = 0;
  for (uint64_t t = v; t; t >>= 8) n++;
  out[0] = (uint8_t)(0x80 + n);
  for (size_t i = 0; i < n; i++) out[1 + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
  return 1 + n;
}

/* flags || size (2 bytes LE) || payload || padding || [signature]: 1280 bytes either way */
static int plaintext_for(size_t index, int signed_, uint8_t out[PLAINTEXT]) {
  out[0] = (uint8_t)(2 | (signed_ ? 4 : 0));
  out[1] = PAYLOAD & 0xff, out[2] = PAYLOAD >> 8;
  fill_pattern(out + 3, PAYLOAD, 53);
  for (int i = 0; i < 4; i++) out[3 + i] = (uint8_t)(index >> (24 - 8 * i));
  size_t body = PLAINTEXT - (signed_ ? SIGNATURE : 0);
  fill_pattern(out + 3 + PAYLOAD, body - 3 - PAYLOAD, (uint32_t)(54 + index));
  if (!signed_) return 1;
  uint8_t hash[32], sender[32];
  int v;
  secp256k1_ecdsa_recoverable_signature sig;
  fill_pattern(sender, 32, 52);
  keccak256(out, body, hash);
  if (!secp256k1_ecdsa_sign_recoverable(secp_context(), &sig, hash, sender, NULL, NULL)) return 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(secp_context(), out + body, &v, &sig);
  out[body + 64] = (uint8_t)v;
  return 1;
}

static int seal_packet(size_t index, int signed_) {
  uint8_t plaintext[PLAINTEXT], data[DATA], nonce_iv[12], topic[4] = SEAL_TOPIC;
  int n, tail;
  if (!plaintext_for(index, signed_, plaintext)) return 0;
  fill_pattern(nonce_iv, 12, (uint32_t)(1000 + index));
  EVP_CIPHER_CTX *enc = EVP_CIPHER_CTX_new();
  int ok = enc && EVP_EncryptInit_ex(enc, EVP_aes_256_gcm(), NULL, chat_key, nonce_iv) == 1 &&
           EVP_EncryptUpdate(enc, data, &n, plaintext, PLAINTEXT) == 1 &&
           EVP_EncryptFinal_ex(enc, data + n, &tail) == 1 &&
           EVP_CIPHER_CTX_ctrl(enc, EVP_CTRL_GCM_GET_TAG, 16, data + PLAINTEXT) == 1;
  EVP_CIPHER_CTX_free(enc);
  if (!ok) return 0;
  memcpy(data + PLAINTEXT + 16, nonce_iv, 12);

  uint8_t prefix[PACKET_MAX];
  size_t length = envelope_rlp_without_nonce(prefix, NOW + TTL, TTL, topic, data, DATA);
  pow_midstate m;
  pow_midstate_init(&m, prefix, length);
  uint64_t nonce = NO_NONCE;
  pow_search(&m, 0, UINT64_MAX, pow_target_bits(MIN_POW, DATA, length, TTL), &nonce);
  /* rlp([expiry, ttl, topic, data, nonce]) = the prefix's items plus the nonce, re-headed */
  size_t head = prefix[0] >= 0xf8 ? 1 + (size_t)(prefix[0] - 0xf7) : 1;
  uint8_t envelope[PACKET_MAX], nonce_rlp[9];
  size_t nl = rlp_u64(nonce_rlp, nonce), items = length - head + nl;
  size_t e = rlp_head(envelope, 0xc0, items);
  memcpy(envelope + e, prefix + head, length - head), e += length - head;
  memcpy(envelope + e, nonce_rlp, nl), e += nl;
  size_t p = rlp_head(packets[index], 0xc0, e);
  memcpy(packets[index] + p, envelope, e);
  packet_lengths[index] = p + e;
  return 1;
}

static int setup(int signed_) {
  uint8_t sender[32];
  fill_pattern(chat_key, 32, 51);
  fill_pattern(sender, 32, 52);
  if (!secp_public_key(sender, sender_public)) return 1;
  gcm = EVP_CIPHER_CTX_new();
  if (!gcm || EVP_DecryptInit_ex(gcm, EVP_aes_256_gcm(), NULL, chat_key, NULL) != 1) return 1;
  for (size_t i = 0; i < STOCK; i++)
    if (!seal_packet(i, signed_)) return 1;
  return 0;
}
static int setup_signed(void) { return setup(1); }
static int setup_unsigned(void) { return setup(0); }

/* ---- the pipeline (timed) ---- */

typedef struct {
  const uint8_t *at, *end;
} reader;

/* One item: 1 for a string (bytes in *out, *length), 2 for a list, 0 when malformed. Canonical
 * only, as go-ethereum's rlp.Decode: no long form under 56 bytes, no single byte below 0x80
 * wrapped, no leading zero in a length. */
static int item(reader *r, const uint8_t **out, size_t *length) {
  if (r->at >= r->end) return 0;
  uint8_t b = *r->at++;
  size_t n;
  int kind = b >= 0xc0 ? 2 : 1;
  uint8_t base = kind == 2 ? 0xc0 : 0x80;
  if (b < 0x80) return *out = r->at - 1, *length = 1, 1;
  if (b <= base + 55) {
    n = b - base;
    if (kind == 1 && n == 1 && (r->at >= r->end || *r->at < 0x80)) return 0;
  } else {
    size_t bytes = b - base - 55;
    if ((size_t)(r->end - r->at) < bytes || *r->at == 0) return 0;
    n = 0;
    for (size_t i = 0; i < bytes; i++) n = n << 8 | *r->at++;
    if (n < 56) return 0;
  }
  if ((size_t)(r->end - r->at) < n) return 0;
  *out = r->at, *length = n;
  r->at += n;
  return kind;
}

/* A canonical unsigned integer of at most `max_bytes` bytes: no leading zero, 0 as 0x80. */
static int uint_item(reader *r, size_t max_bytes, uint64_t *value) {
  const uint8_t *bytes;
  size_t n;
  if (item(r, &bytes, &n) != 1 || n > max_bytes || (n > 0 && bytes[0] == 0)) return 0;
  *value = 0;
  for (size_t i = 0; i < n; i++) *value = *value << 8 | bytes[i];
  return 1;
}

static int leading_zero_bits(const uint8_t hash[32]) {
  for (int i = 0; i < 32; i++)
    if (hash[i]) return i * 8 + __builtin_clz(hash[i]) - 24;
  return 256;
}

/* 1 for a new envelope, 0 for a duplicate; true out of the table */
static int remember(const uint8_t id[32], int insert) {
  uint64_t slot;
  memcpy(&slot, id, 8);
  for (size_t i = slot & (TABLE - 1);; i = (i + 1) & (TABLE - 1)) {
    if (!used[i]) {
      if (insert) memcpy(seen[i], id, 32), used[i] = 1;
      return 1;
    }
    if (memcmp(seen[i], id, 32) == 0) return 0;
  }
}

/* Returns the number of envelopes opened (0 or 1 here), or -1 for a packet that fails a check. */
static int receive(const uint8_t *packet, size_t length, uint8_t signer[65]) {
  reader outer = {packet, packet + length}, list;
  const uint8_t *body, *envelope, *topic, *data;
  size_t body_length, envelope_length, topic_length, data_length;
  if (item(&outer, &body, &body_length) != 2 || outer.at != outer.end) return -1;
  list = (reader){body, body + body_length};
  int opened = 0;
  while (list.at < list.end) {
    const uint8_t *start = list.at;
    if (item(&list, &envelope, &envelope_length) != 2) return -1;
    size_t whole = (size_t)(list.at - start);
    reader fields = {envelope, envelope + envelope_length};
    uint64_t expiry, ttl, nonce;
    if (!uint_item(&fields, 4, &expiry) || !uint_item(&fields, 4, &ttl) ||
        item(&fields, &topic, &topic_length) != 1 || topic_length != 4 ||
        item(&fields, &data, &data_length) != 1 || !uint_item(&fields, 8, &nonce) || fields.at != fields.end)
      return -1;
    uint8_t id[32];
    keccak256(start, whole, id);
    if (!remember(id, 0)) continue;
    /* go-ethereum's add(): time, size, pow */
    uint32_t sent = (uint32_t)expiry - (uint32_t)ttl, extra = 0;
    if (sent > NOW) {
      if (sent - SYNC_ALLOWANCE > NOW) return -1;
      extra = sent - NOW + 1;
    }
    if (expiry < NOW || 20 + data_length > MAX_SIZE) return -1;
    uint8_t prefix[PACKET_MAX + 8], hash[32];
    size_t n = envelope_rlp_without_nonce(prefix, (uint32_t)expiry, (uint32_t)ttl, topic, data, data_length);
    for (int i = 0; i < 8; i++) prefix[n + i] = (uint8_t)(nonce >> (56 - 8 * i));
    keccak256(prefix, n + 8, hash);
    if (ldexp(1.0, leading_zero_bits(hash)) / (double)n / (double)(uint32_t)(ttl + extra) < MIN_POW) return -1;
    remember(id, 1);
    /* open: AES-256-GCM (ct || tag || nonce), then the v1 payload and its signature */
    uint8_t plaintext[PLAINTEXT];
    int out, tail;
    if (data_length != DATA) return -1;
    if (EVP_DecryptInit_ex(gcm, NULL, NULL, NULL, data + PLAINTEXT + 16) != 1 ||
        EVP_DecryptUpdate(gcm, plaintext, &out, data, PLAINTEXT) != 1 ||
        EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_SET_TAG, 16, (void *)(data + PLAINTEXT)) != 1 ||
        EVP_DecryptFinal_ex(gcm, plaintext + out, &tail) != 1)
      return -1;
    size_t size_bytes = plaintext[0] & 3, size = 0;
    for (size_t i = 0; i < size_bytes; i++) size |= (size_t)plaintext[1 + i] << (8 * i);
    int signed_ = (plaintext[0] & 4) != 0;
    if (1 + size_bytes + size + (signed_ ? SIGNATURE : 0) > PLAINTEXT) return -1;
    sink_bytes(plaintext + 1 + size_bytes, size);
    if (signed_) {
      const uint8_t *sig = plaintext + PLAINTEXT - SIGNATURE;
      secp256k1_ecdsa_recoverable_signature rs;
      secp256k1_pubkey point;
      size_t length65 = 65;
      keccak256(plaintext, PLAINTEXT - SIGNATURE, hash);
      if (sig[64] > 3 || !secp256k1_ecdsa_recoverable_signature_parse_compact(secp_context(), &rs, sig, sig[64]) ||
          !secp256k1_ecdsa_recover(secp_context(), &point, &rs, hash))
        return -1;
      secp256k1_ec_pubkey_serialize(secp_context(), signer, &length65, &point, SECP256K1_EC_UNCOMPRESSED);
    }
    opened++;
  }
  return opened;
}

static uint64_t pipeline_batch(uint64_t n) {
  uint8_t signer[65] = {0};
  for (uint64_t i = 0; i < n; i++) {
    if (next_packet == STOCK) next_packet = 0, memset(used, 0, sizeof used);
    size_t k = next_packet++;
    if (receive(packets[k], packet_lengths[k], signer) != 1) {
      fprintf(stderr, "reference: the pipeline dropped envelope %zu\n", k);
      return 0;
    }
    bench_sink ^= signer[1];
  }
  return n;
}

static ref_result pipeline(double ms, uint64_t offset) { return (void)offset, measure_cpu_rate(pipeline_batch, ms); }

static const ref_case CASES[] = {
    {"receive-pipeline-1k", "ops/s", setup_signed, pipeline},
    {"receive-pipeline-1k-unsigned", "ops/s", setup_unsigned, pipeline},
};

const ref_case *envelope_cases(size_t *count) {
  *count = sizeof CASES / sizeof CASES[0];
  return CASES;
}

#define CHECK(condition, label) \
  if (!(condition)) fprintf(stderr, "selftest: %s failed\n", label), failures++

/* The pipeline opens a fresh signed envelope to its payload and signer, drops its duplicate, and
 * rejects a tampered one. */
int envelope_selftest(void) {
  int failures = 0;
  uint8_t signer[65] = {0};
  if (setup_signed() != 0) {
    fprintf(stderr, "selftest: envelope setup failed\n");
    return 1;
  }
  CHECK(receive(packets[3], packet_lengths[3], signer) == 1, "envelope: a fresh envelope opens");
  CHECK(memcmp(signer, sender_public, 65) == 0, "envelope: the signer is the sender");
  CHECK(receive(packets[3], packet_lengths[3], signer) == 0, "envelope: its duplicate is dropped");
  packets[4][packet_lengths[4] - 20] ^= 1; /* a ciphertext byte */
  CHECK(receive(packets[4], packet_lengths[4], signer) == -1, "envelope: a tampered envelope fails");
  return failures;
}
