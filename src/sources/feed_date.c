/*
 * feed_date.c: lenient feed dates (see feed_date.h).
 *
 * ISO forms are rewritten into strict RFC 3339 for timefmt_parse_rfc3339;
 * everything else is tidied (full month and day names shortened, "+05:30"
 * written "+0530") and handed to curl_getdate, which reads RFC 822, RFC
 * 850 and asctime dates with or without their optional parts.
 */
#include "feed_date.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "../timefmt.h"

#define DATE_MAX_BYTES 80 /* longer strings are not dates */

static const char *const month_names[12] = {"january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october",
    "november", "december"};
static const char *const day_names[7] = {"sunday", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday"};

/* Reads exactly n digits at *p into *v and advances *p. */
static bool digits(const char **p, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return true;
}

/* Reads an ISO zone at p ("", "Z", "UTC", "GMT", "+05:30", "+0530",
 * "+05") into zone (room for "+hh:mm"). false when it is none of these. */
static bool iso_zone(const char *p, char zone[8])
{
	int h, m = 0;
	char sign;

	while (*p == ' ')
		p++;
	if (*p == '\0' || strcasecmp(p, "Z") == 0 ||
	    strcasecmp(p, "UTC") == 0 || strcasecmp(p, "GMT") == 0) {
		snprintf(zone, 8, "Z");
		return true;
	}
	if (*p != '+' && *p != '-')
		return false;
	sign = *p++;
	if (!digits(&p, 2, &h))
		return false;
	if (*p == ':')
		p++;
	if (*p != '\0' && !digits(&p, 2, &m))
		return false;
	if (*p != '\0' || h > 23 || m > 59)
		return false;
	snprintf(zone, 8, "%c%02d:%02d", sign, h, m);
	return true;
}

/* "YYYY-MM-DD" alone or followed by a time: rewritten as RFC 3339. */
static int parse_iso(const char *s, int64_t *out)
{
	const char *p = s + 10;
	char canon[DATE_MAX_BYTES + 16], frac[12] = "", zone[8];
	int h, mi, sec = 0;
	size_t nf = 0;

	if (*p == '\0')
		return timefmt_parse_rfc3339(s, out);
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
		return -1;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &sec))
			return -1;
		if (*p == '.' || *p == ',') {
			p++;
			while (isdigit((unsigned char)*p)) {
				if (nf < sizeof(frac) - 2)
					frac[1 + nf++] = *p;
				p++;
			}
			if (nf == 0)
				return -1;
			frac[0] = '.';
			frac[1 + nf] = '\0';
		}
	}
	if (!iso_zone(p, zone))
		return -1;
	snprintf(canon, sizeof(canon), "%.10sT%02d:%02d:%02d%s%s", s, h, mi,
	    sec, frac, zone);
	return timefmt_parse_rfc3339(canon, out);
}

/* The month (1-12) a word names in full or in 3 letters, else 0. */
static int month_of(const char *w, size_t len)
{
	if (len == 4 && strncasecmp(w, "sept", 4) == 0)
		return 9;
	for (int i = 0; i < 12; i++)
		if ((len == 3 || len == strlen(month_names[i])) &&
		    strncasecmp(w, month_names[i], len) == 0)
			return i + 1;
	return 0;
}

static bool is_day_name(const char *w, size_t len)
{
	for (int i = 0; i < 7; i++)
		if (len == strlen(day_names[i]) &&
		    strncasecmp(w, day_names[i], len) == 0)
			return true;
	return false;
}

static int days_in_month(int y, int m)
{
	static const int mdays[12] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

/* What the RFC 822 tidying learnt about the calendar date. */
struct date_parts {
	int day, month, year; /* 0: not seen */
};

/*
 * Copies s into out (size bytes) word by word: full month and day names
 * become their 3-letter forms and "+hh:mm" zones lose the colon. Notes the
 * first day number, month and 4-digit year in parts. false when out is
 * too small.
 */
static bool tidy_822(
    const char *s, char *out, size_t size, struct date_parts *parts)
{
	size_t o = 0;

	memset(parts, 0, sizeof(*parts));
	while (*s != '\0') {
		size_t len = strcspn(s, " ,\t");
		size_t alpha = 0, num = 0;
		char word[DATE_MAX_BYTES + 1];

		if (len == 0) {
			if (o + 1 >= size)
				return false;
			out[o++] = *s++;
			continue;
		}
		memcpy(word, s, len);
		word[len] = '\0';
		while (alpha < len && isalpha((unsigned char)word[alpha]))
			alpha++;
		while (num < len && isdigit((unsigned char)word[num]))
			num++;
		if (alpha == len && len > 3 &&
		    (month_of(word, len) != 0 || is_day_name(word, len)))
			word[3] = '\0'; /* "September" and "Sept": "Sep" */
		else if (len == 6 && (word[0] == '+' || word[0] == '-') &&
		         isdigit((unsigned char)word[1]) &&
		         isdigit((unsigned char)word[2]) && word[3] == ':')
			memmove(word + 3, word + 4, 3);
		if (alpha == len && parts->month == 0)
			parts->month = month_of(word, strlen(word));
		else if (num == len && len <= 2 && parts->day == 0)
			parts->day = (word[0] - '0') * (len == 2 ? 10 : 1) +
			             (len == 2 ? word[1] - '0' : 0);
		else if (num == len && len == 4 && parts->year == 0)
			parts->year = (word[0] - '0') * 1000 +
			              (word[1] - '0') * 100 +
			              (word[2] - '0') * 10 + (word[3] - '0');
		if (o + strlen(word) >= size)
			return false;
		memcpy(out + o, word, strlen(word));
		o += strlen(word);
		s += len;
	}
	out[o] = '\0';
	return true;
}

static int parse_822(const char *s, int64_t *out)
{
	char tidy[DATE_MAX_BYTES + 1];
	struct date_parts parts;
	time_t t;

	if (!tidy_822(s, tidy, sizeof(tidy), &parts))
		return -1;
	/* curl_getdate rolls "31 Jun" over into July: check first. */
	if (parts.day != 0 && parts.month != 0 && parts.year != 0 &&
	    parts.day > days_in_month(parts.year, parts.month))
		return -1;
	if (parts.day == 0 && parts.month != 0)
		return -1; /* "Jun 2024": no day, not a date */
	t = curl_getdate(tidy, NULL);
	if (t == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int feed_date_parse(const char *s, int64_t *out)
{
	char buf[DATE_MAX_BYTES + 1];
	size_t len;

	if (s == NULL)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len > DATE_MAX_BYTES)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (len >= 10 && isdigit((unsigned char)buf[0]) &&
	    isdigit((unsigned char)buf[3]) && buf[4] == '-' && buf[7] == '-')
		return parse_iso(buf, out);
	return parse_822(buf, out);
}
