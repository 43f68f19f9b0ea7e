/*
 * feed_date.h: dates as syndication feeds write them, read leniently.
 * Internal to src/sources/. Pure functions.
 */
#ifndef PAPERWIRE_SOURCES_FEED_DATE_H
#define PAPERWIRE_SOURCES_FEED_DATE_H

#include <stdint.h>

/*
 * Parses s into Unix seconds: RFC 3339 and its common variants
 * ("2024-11-28 10:00", no seconds, no zone meaning UTC, "+0000" or
 * "+00" offsets, a fraction), and RFC 822 / RFC 1123 dates with or
 * without the weekday or the seconds, with full month or day names, with
 * "+05:30" offsets, with military or North American zone names, or with
 * 2-digit years (these through curl_getdate). A calendar date that does
 * not exist ("31 Jun") is rejected, never rolled over.
 * 0 and *out, or -1.
 */
int feed_date_parse(const char *s, int64_t *out);

#endif
