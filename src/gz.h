/*
 * gz.h: gzip encoding of response bodies with zlib.
 */
#ifndef PAPERWIRE_GZ_H
#define PAPERWIRE_GZ_H

#include <stddef.h>

#include "buf.h"

/* Appends the gzip (RFC 1952) encoding of data to out. 0 or -1. */
int gz_compress(const void *data, size_t len, struct buf *out);

/* true if an Accept-Encoding header value accepts gzip (a "gzip" or
 * "x-gzip" or "*" coding whose q is not 0). NULL is false. */
int gz_accepted(const char *accept_encoding);

#endif
