/* digest.c: SHA-256 through OpenSSL's EVP digest interface. */
#include "digest.h"

#include <string.h>

#include <openssl/evp.h>

void digest_sha256_hex(
    const char *salt, const void *data, size_t len, char out[DIGEST_HEX_BYTES])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	out[0] = '\0';
	if (ctx == NULL)
		return;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, salt, strlen(salt)) == 1 &&
	    EVP_DigestUpdate(ctx, data, len) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1) {
		for (unsigned int i = 0; i < mdlen && i < 32; i++) {
			out[2 * i] = hex[md[i] >> 4];
			out[2 * i + 1] = hex[md[i] & 15];
		}
		out[2 * (mdlen < 32 ? mdlen : 32)] = '\0';
	}
	EVP_MD_CTX_free(ctx);
}
