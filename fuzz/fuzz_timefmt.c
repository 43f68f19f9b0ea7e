/* Fuzzes the date parsers (RFC 3339, day, HTTP-date) and formats back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[TIMEFMT_BYTES];
	int64_t t;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (timefmt_parse_rfc3339(s, &t) == 0) {
		timefmt_rfc3339(t, out);
		timefmt_rfc822(t, out);
	}
	if (timefmt_parse_day(s, &t) == 0)
		timefmt_day(t, out);
	if (timefmt_parse_http(s, &t) == 0)
		timefmt_http(t, out);
	free(s);
	return 0;
}
