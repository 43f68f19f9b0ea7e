/*
 * hf_period.c: ISO 8601 week and calendar month names for the Hugging Face
 * period listings. The calendar arithmetic is Howard Hinnant's
 * days-from-civil algorithm on the proleptic Gregorian calendar, so it
 * needs neither gmtime nor a time zone.
 */
#include "hf_period.h"

#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of the civil date y-m-d (m 1..12, d 1..31). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The civil date of day z (days since 1970-01-01). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Floor division of t by 86400: the day of t, also before 1970 (and
 * without negating t, which could overflow). */
static int64_t day_of(int64_t t)
{
	return t / 86400 - (t % 86400 < 0);
}

/* The ISO week of day z: its ISO year and week number (1..53). */
static void iso_week(int64_t z, int64_t *year, unsigned *week)
{
	/* 1970-01-01 was a Thursday: Monday is 0. */
	int64_t wd = ((z + 3) % 7 + 7) % 7;
	int64_t thursday = z - wd + 3;
	unsigned m, d;

	/* A week belongs to the year of its Thursday. */
	civil_from_days(thursday, year, &m, &d);
	*week = (unsigned)((thursday - days_from_civil(*year, 1, 1)) / 7 + 1);
}

int hf_period_name(
    enum hf_period kind, int64_t t, unsigned back, char *out, size_t size)
{
	int64_t z = day_of(t), year;
	unsigned month, day, week;
	int n;

	if (kind == HF_PERIOD_WEEK) {
		iso_week(z - 7 * (int64_t)back, &year, &week);
		if (year < 1 || year > 9999)
			return -1;
		n = snprintf(out, size, "%04lld-W%02u", (long long)year, week);
	} else {
		int64_t months;

		civil_from_days(z, &year, &month, &day);
		months = year * 12 + (month - 1) - (int64_t)back;
		year = months >= 0 ? months / 12 : -((-months + 11) / 12);
		month = (unsigned)(months - year * 12) + 1;
		if (year < 1 || year > 9999)
			return -1;
		n = snprintf(out, size, "%04lld-%02u", (long long)year, month);
	}
	return n > 0 && (size_t)n < size ? 0 : -1;
}

int hf_period_parse(const char *s, enum hf_period *out)
{
	if (s != NULL && strcmp(s, "week") == 0)
		*out = HF_PERIOD_WEEK;
	else if (s != NULL && strcmp(s, "month") == 0)
		*out = HF_PERIOD_MONTH;
	else
		return -1;
	return 0;
}
