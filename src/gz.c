/* gz.c: gzip with zlib's deflate (windowBits 15 + 16 selects the gzip wrapper).
 */
#include "gz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

int gz_compress(const void *data, size_t len, struct buf *out)
{
	z_stream zs;
	unsigned char chunk[16384];
	int rc, flush;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return -1;
	zs.next_in = (unsigned char *)data;
	zs.avail_in = 0;
	do {
		/* Feed at most UINT_MAX bytes at a time (avail_in is uInt). */
		if (zs.avail_in == 0 && len > 0) {
			uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;

			zs.avail_in = n;
			len -= n;
		}
		flush = len == 0 ? Z_FINISH : Z_NO_FLUSH;
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		rc = deflate(&zs, flush);
		if (rc == Z_STREAM_ERROR ||
		    buf_append(out, chunk, sizeof(chunk) - zs.avail_out) != 0) {
			deflateEnd(&zs);
			return -1;
		}
	} while (rc != Z_STREAM_END);
	deflateEnd(&zs);
	return 0;
}

/* Parses one coding of an Accept-Encoding list: its name, and q == 0? */
int gz_accepted(const char *ae)
{
	const char *p = ae;

	if (ae == NULL)
		return 0;
	while (*p != '\0') {
		const char *start, *end, *next;
		size_t n;
		bool zero = false;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		start = p;
		while (*p != '\0' && *p != ',' && *p != ';' && *p != ' ' &&
		       *p != '\t')
			p++;
		end = p;
		next = strchr(p, ',');
		/* Parameters: only q matters; q=0, q=0.0 and so on refuse. */
		for (const char *q = p;
		     *q != '\0' && (next == NULL || q < next); q++) {
			if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
				const char *v = q + 2;

				zero = v[0] == '0';
				for (v++; zero && *v != '\0' && *v != ',' &&
				          *v != ' ' && *v != ';';
				     v++)
					if (*v != '.' && *v != '0')
						zero = false;
				break;
			}
		}
		n = (size_t)(end - start);
		if (!zero &&
		    ((n == 4 && strncasecmp(start, "gzip", 4) == 0) ||
		        (n == 6 && strncasecmp(start, "x-gzip", 6) == 0) ||
		        (n == 1 && start[0] == '*')))
			return 1;
		if (next == NULL)
			break;
		p = next + 1;
	}
	return 0;
}
