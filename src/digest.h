/*
 * digest.h: SHA-256 in hex, from OpenSSL's EVP interface.
 */
#ifndef PAPERWIRE_DIGEST_H
#define PAPERWIRE_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_BYTES 65 /* 64 hex digits and a NUL */

/* Writes the lowercase hex SHA-256 of salt (a string, may be "") followed
 * by data[0..len) into out. */
void digest_sha256_hex(
    const char *salt, const void *data, size_t len, char out[DIGEST_HEX_BYTES]);

#endif
