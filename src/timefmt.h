/*
 * timefmt.h: the date formats paperwire reads and writes.
 *
 * All times are Unix seconds (int64_t) in UTC. Formatting functions write
 * into a caller buffer of at least TIMEFMT_BYTES and return it. Parsing
 * functions return 0 and set *out, or -1 on anything they do not accept.
 */
#ifndef PAPERWIRE_TIMEFMT_H
#define PAPERWIRE_TIMEFMT_H

#include <stdint.h>

#define TIMEFMT_BYTES 40

/* "2026-06-12T08:30:00Z" (RFC 3339, Atom and JSON Feed). */
char *timefmt_rfc3339(int64_t t, char *out);
/* "Fri, 12 Jun 2026 08:30:00 +0000" (RFC 822 as RSS 2.0 uses it). */
char *timefmt_rfc822(int64_t t, char *out);
/* "Fri, 12 Jun 2026 08:30:00 GMT" (HTTP-date, RFC 9110 IMF-fixdate). */
char *timefmt_http(int64_t t, char *out);
/* "2026-06-12". */
char *timefmt_day(int64_t t, char *out);

/* RFC 3339 / ISO 8601 as Hugging Face sends it: "2026-06-12T00:00:00.000Z",
 * with optional fraction and a Z or ±hh:mm offset; a bare date
 * "2026-06-12" is midnight UTC. */
int timefmt_parse_rfc3339(const char *s, int64_t *out);
/* "YYYY-MM-DD" only, strictly (a real calendar date). */
int timefmt_parse_day(const char *s, int64_t *out);
/* An HTTP-date (any of the three RFC 9110 forms), via curl_getdate. */
int timefmt_parse_http(const char *s, int64_t *out);

/* Midnight UTC of the day containing t. */
int64_t timefmt_day_start(int64_t t);

#endif
