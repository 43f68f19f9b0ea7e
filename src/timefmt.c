/*
 * timefmt.c: RFC 3339, RFC 822 and HTTP dates.
 *
 * Names of days and months come from tables here, never from the process
 * locale, so a daemon started under LC_ALL=de_DE still writes "Jun".
 * Times outside years 0000..9999 are clamped before formatting, so every
 * output has the fixed shape the formats require.
 */
#include "timefmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#define SECONDS_PER_DAY 86400
#define TIME_MIN (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define TIME_MAX (253402300799LL) /* 9999-12-31T23:59:59Z */
#define HTTP_DATE_MAX_BYTES 64    /* the longest form is 29 bytes */

static const char wday_names[7][4] = {
    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Breaks t (clamped to years 0000..9999) into UTC fields. */
static void to_tm(int64_t t, struct tm *tm)
{
	time_t tt;

	if (t < TIME_MIN)
		t = TIME_MIN;
	if (t > TIME_MAX)
		t = TIME_MAX;
	tt = (time_t)t;
	if (gmtime_r(&tt, tm) == NULL)
		memset(tm, 0, sizeof(*tm));
}

/* Table lookups reduce the index so that even a struct tm that gmtime_r
 * left zeroed can never read outside the tables. */
static const char *wday_name(const struct tm *tm)
{
	return wday_names[(unsigned)tm->tm_wday % 7];
}

static const char *month_name(const struct tm *tm)
{
	return month_names[(unsigned)tm->tm_mon % 12];
}

char *timefmt_rfc3339(int64_t t, char *out)
{
	struct tm tm;

	to_tm(t, &tm);
	snprintf(out, TIMEFMT_BYTES, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	return out;
}

/* "Fri, 12 Jun 2026 08:30:00 " followed by zone. */
static char *format_822(int64_t t, char *out, const char *zone)
{
	struct tm tm;

	to_tm(t, &tm);
	snprintf(out, TIMEFMT_BYTES, "%s, %02d %s %04d %02d:%02d:%02d %s",
	    wday_name(&tm), tm.tm_mday, month_name(&tm), tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
	return out;
}

char *timefmt_rfc822(int64_t t, char *out)
{
	return format_822(t, out, "+0000");
}

char *timefmt_http(int64_t t, char *out)
{
	return format_822(t, out, "GMT");
}

char *timefmt_day(int64_t t, char *out)
{
	struct tm tm;

	to_tm(t, &tm);
	snprintf(out, TIMEFMT_BYTES, "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
	return out;
}

int64_t timefmt_day_start(int64_t t)
{
	int64_t r = t % SECONDS_PER_DAY;

	return r < 0 ? t - r - SECONDS_PER_DAY : t - r;
}

/* Reads exactly n ASCII digits at *p into *v and advances *p. n is small
 * enough (at most 4) that the value cannot overflow. */
static bool digits(const char **p, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		x = x * 10 + (c - '0');
	}
	*p += n;
	*v = x;
	return true;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int mdays[12] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/* Parses "YYYY-MM-DD" at *p into a validated calendar date. */
static bool parse_date(const char **p, struct tm *tm)
{
	int y, m, d;

	if (!digits(p, 4, &y) || **p != '-')
		return false;
	(*p)++;
	if (!digits(p, 2, &m) || **p != '-')
		return false;
	(*p)++;
	if (!digits(p, 2, &d))
		return false;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return true;
}

int timefmt_parse_day(const char *s, int64_t *out)
{
	struct tm tm;
	const char *p = s;

	if (s == NULL || !parse_date(&p, &tm) || *p != '\0')
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* Parses "Z" or "+hh:mm" / "-hh:mm" at *p into seconds east of UTC. */
static bool parse_zone(const char **p, int *offset)
{
	int sign, h, m;

	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*offset = 0;
		return true;
	}
	if (**p != '+' && **p != '-')
		return false;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!digits(p, 2, &h) || **p != ':')
		return false;
	(*p)++;
	if (!digits(p, 2, &m) || h > 23 || m > 59)
		return false;
	*offset = sign * (h * 3600 + m * 60);
	return true;
}

int timefmt_parse_rfc3339(const char *s, int64_t *out)
{
	const char *p = s;
	struct tm tm;
	int h, mi, sec, offset;

	if (s == NULL || !parse_date(&p, &tm))
		return -1;
	if (*p == '\0') {
		*out = (int64_t)timegm(&tm);
		return 0;
	}
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) ||
	    *p++ != ':' || !digits(&p, 2, &sec))
		return -1;
	/* 60 is a leap second; it reads as the first second of the next
	 * minute. */
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (!parse_zone(&p, &offset) || *p != '\0')
		return -1;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (int64_t)timegm(&tm) - offset;
	return 0;
}

/* The first run of digits in s, which is the day of the month in all
 * three HTTP-date forms; -1 when there is none or it is too long. */
static int first_number(const char *s)
{
	int v = 0, n = 0;

	while (*s != '\0' && (*s < '0' || *s > '9'))
		s++;
	for (; *s >= '0' && *s <= '9' && n < 3; s++, n++)
		v = v * 10 + (*s - '0');
	return n >= 1 && n <= 2 ? v : -1;
}

int timefmt_parse_http(const char *s, int64_t *out)
{
	struct tm tm;
	time_t t;

	if (s == NULL || s[0] == '\0' || strlen(s) > HTTP_DATE_MAX_BYTES)
		return -1;
	t = curl_getdate(s, NULL);
	if (t == (time_t)-1)
		return -1;
	/* curl_getdate rolls "30 Feb" over into March; a day that changed
	 * on the way is a date that does not exist. */
	if (gmtime_r(&t, &tm) == NULL || tm.tm_mday != first_number(s))
		return -1;
	*out = (int64_t)t;
	return 0;
}
