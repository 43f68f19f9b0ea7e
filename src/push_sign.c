/*
 * push_sign.c: Standard Webhooks and X-Hub-Signature signatures with
 * OpenSSL (EVP_MAC for HMAC-SHA256, EVP_EncodeBlock/EVP_DecodeBlock for
 * base64, RAND_bytes for secrets).
 */
#include "push_sign.h"

#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#define SECRET_PREFIX "whsec_"
#define SECRET_PREFIX_LEN (sizeof(SECRET_PREFIX) - 1)
#define SHA256_BYTES 32

/*
 * Decodes the base64 after "whsec_" into key (PUSH_SIGN_KEY_MAX bytes).
 * EVP_DecodeBlock takes whole 4-character groups and counts padding as
 * zero bytes, so the length is checked first and the padding subtracted.
 * Returns the key length, or -1 when secret is not a valid secret.
 */
static int decode_secret(
    const char *secret, unsigned char key[PUSH_SIGN_KEY_MAX + 3])
{
	const char *b64;
	size_t n, pad = 0;
	int got;

	if (secret == NULL ||
	    strncmp(secret, SECRET_PREFIX, SECRET_PREFIX_LEN) != 0)
		return -1;
	b64 = secret + SECRET_PREFIX_LEN;
	n = strlen(b64);
	if (n == 0 || n % 4 != 0 || n / 4 * 3 > PUSH_SIGN_KEY_MAX + 3)
		return -1;
	/* Only the base64 alphabet: EVP_DecodeBlock would skip spaces. */
	if (strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                "0123456789+/=") != n)
		return -1;
	if (b64[n - 1] == '=')
		pad++;
	if (b64[n - 2] == '=')
		pad++;
	/* '=' only as the last one or two characters. */
	if (memchr(b64, '=', n - pad) != NULL)
		return -1;
	got = EVP_DecodeBlock(key, (const unsigned char *)b64, (int)n);
	if (got < 0 || (size_t)got < pad)
		return -1;
	got -= (int)pad;
	if (got < PUSH_SIGN_KEY_MIN || got > PUSH_SIGN_KEY_MAX)
		return -1;
	return got;
}

int push_sign_secret_check(const char *secret, struct pw_error *err)
{
	unsigned char key[PUSH_SIGN_KEY_MAX + 3];

	if (decode_secret(secret, key) < 0)
		return pw_error_set(err,
		    "expected whsec_ followed by the base64 of %d to %d bytes",
		    PUSH_SIGN_KEY_MIN, PUSH_SIGN_KEY_MAX);
	return 0;
}

int push_sign_secret_new(char out[PUSH_SIGN_SECRET_BYTES], struct pw_error *err)
{
	unsigned char raw[PUSH_SIGN_SECRET_RAW];

	if (RAND_bytes(raw, (int)sizeof(raw)) != 1)
		return pw_error_set(err, "cannot draw random bytes");
	memcpy(out, SECRET_PREFIX, SECRET_PREFIX_LEN);
	EVP_EncodeBlock(
	    (unsigned char *)out + SECRET_PREFIX_LEN, raw, (int)sizeof(raw));
	return 0;
}

int push_sign_random_hex(char *out, size_t n, struct pw_error *err)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[64];

	if (n > sizeof(raw) || RAND_bytes(raw, (int)n) != 1)
		return pw_error_set(err, "cannot draw random bytes");
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[raw[i] >> 4];
		out[2 * i + 1] = digits[raw[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}

/* HMAC-SHA256 over the concatenation of the n parts into mac. 0 or -1. */
static int hmac_parts(const void *key, size_t key_len, const void *const *parts,
    const size_t *lens, size_t n, unsigned char mac[SHA256_BYTES])
{
	EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = m != NULL ? EVP_MAC_CTX_new(m) : NULL;
	OSSL_PARAM params[2];
	size_t out_len = 0;
	int rc = -1;

	if (ctx == NULL)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, key, key_len, params) != 1)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (lens[i] > 0 && EVP_MAC_update(ctx, parts[i], lens[i]) != 1)
			goto out;
	if (EVP_MAC_final(ctx, mac, &out_len, SHA256_BYTES) != 1 ||
	    out_len != SHA256_BYTES)
		goto out;
	rc = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	return rc;
}

int push_sign_standard(const char *secret, const char *msg_id,
    int64_t timestamp, const void *body, size_t len,
    char out[PUSH_SIGN_STANDARD_BYTES], struct pw_error *err)
{
	unsigned char key[PUSH_SIGN_KEY_MAX + 3], mac[SHA256_BYTES];
	char ts[24];
	const void *parts[5];
	size_t lens[5];
	int key_len = decode_secret(secret, key);

	if (key_len < 0)
		return push_sign_secret_check(secret, err);
	snprintf(ts, sizeof(ts), "%lld", (long long)timestamp);
	parts[0] = msg_id;
	lens[0] = strlen(msg_id);
	parts[1] = ".";
	lens[1] = 1;
	parts[2] = ts;
	lens[2] = strlen(ts);
	parts[3] = ".";
	lens[3] = 1;
	parts[4] = body;
	lens[4] = len;
	if (hmac_parts(key, (size_t)key_len, parts, lens, 5, mac) != 0)
		return pw_error_set(err, "HMAC-SHA256 failed");
	memcpy(out, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)out + 3, mac, SHA256_BYTES);
	return 0;
}

int push_sign_hex(const void *key, size_t key_len, const void *body, size_t len,
    char out[PUSH_SIGN_HEX_BYTES], struct pw_error *err)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char mac[SHA256_BYTES];
	const void *parts[1] = {body};
	size_t lens[1] = {len};
	char *p;

	if (hmac_parts(key, key_len, parts, lens, 1, mac) != 0)
		return pw_error_set(err, "HMAC-SHA256 failed");
	memcpy(out, "sha256=", 7);
	p = out + 7;
	for (size_t i = 0; i < SHA256_BYTES; i++) {
		*p++ = digits[mac[i] >> 4];
		*p++ = digits[mac[i] & 15];
	}
	*p = '\0';
	return 0;
}
