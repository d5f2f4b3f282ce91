/* libsecp256k1 helpers shared by the secp256k1 and ECIES cases. */
#ifndef PARLEY_BENCH_SECP_H
#define PARLEY_BENCH_SECP_H

#include <secp256k1.h>
#include <stdint.h>

secp256k1_context *secp_context(void);
/* 65-byte uncompressed public key; 0 for an invalid private key */
int secp_public_key(const uint8_t private_key[32], uint8_t out[65]);
/* x coordinate of private_key × public_key (go-ethereum's ECIES shared secret); 0 on failure */
int secp_ecdh_x(const uint8_t private_key[32], const uint8_t public_key[65], uint8_t out[32]);

#endif
