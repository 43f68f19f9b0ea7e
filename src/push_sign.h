/*
 * push_sign.h: the signatures paperwire puts on what it pushes.
 *
 * Standard Webhooks v1 (https://www.standardwebhooks.com/): a secret is
 * "whsec_" followed by the base64 of 24 to 64 random bytes; the key is
 * those bytes; the signature of one attempt is
 * "v1," base64(HMAC-SHA256(key, id "." timestamp "." body)).
 * GitHub and WebSub style: "sha256=" hex(HMAC-SHA256(secret, body)), the
 * key being the secret string itself, as those receivers configure it.
 *
 * HMAC, SHA-256, base64 and the random bytes all come from OpenSSL's
 * libcrypto. Every function is pure apart from push_sign_secret_new.
 */
#ifndef PAPERWIRE_PUSH_SIGN_H
#define PAPERWIRE_PUSH_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Random bytes behind a generated secret (Standard Webhooks: 24 to 64). */
#define PUSH_SIGN_SECRET_RAW 32
#define PUSH_SIGN_KEY_MIN 24
#define PUSH_SIGN_KEY_MAX 64
/* "whsec_" and the base64 of PUSH_SIGN_KEY_MAX bytes, with a NUL. */
#define PUSH_SIGN_SECRET_BYTES 96
/* "v1," and the base64 of a SHA-256 (44), with a NUL. */
#define PUSH_SIGN_STANDARD_BYTES 48
/* "sha256=" and 64 hex digits, with a NUL. */
#define PUSH_SIGN_HEX_BYTES 72

/* Writes a new secret ("whsec_" + base64 of PUSH_SIGN_SECRET_RAW bytes
 * from RAND_bytes) into out. 0, or -1 when the random generator failed. */
int push_sign_secret_new(
    char out[PUSH_SIGN_SECRET_BYTES], struct pw_error *err);

/* 0 when secret is "whsec_" followed by valid base64 of PUSH_SIGN_KEY_MIN
 * to PUSH_SIGN_KEY_MAX bytes; else -1 with err saying what is expected. */
int push_sign_secret_check(const char *secret, struct pw_error *err);

/*
 * Writes "v1,<base64 signature>" of (msg_id, timestamp, body) under the
 * Standard Webhooks secret into out. 0, or -1 when the secret is not
 * valid (see push_sign_secret_check) or OpenSSL failed.
 */
int push_sign_standard(const char *secret, const char *msg_id,
    int64_t timestamp, const void *body, size_t len,
    char out[PUSH_SIGN_STANDARD_BYTES], struct pw_error *err);

/* Writes "sha256=<hex HMAC-SHA256 of body keyed with key>" into out.
 * 0 or -1 (OpenSSL failed). */
int push_sign_hex(const void *key, size_t key_len, const void *body, size_t len,
    char out[PUSH_SIGN_HEX_BYTES], struct pw_error *err);

/* Fills out with n random bytes as 2n lowercase hex digits and a NUL
 * (out has room for 2n + 1). 0 or -1 (the random generator failed). */
int push_sign_random_hex(char *out, size_t n, struct pw_error *err);

#endif
