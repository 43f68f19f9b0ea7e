/*
 * hf_period.h: the week and month names of the Hugging Face daily papers
 * period listings (?week=2026-W24, ?month=2026-06). Internal to
 * src/sources/; pure functions of a Unix time, in UTC.
 *
 * Weeks are ISO 8601 weeks: they start on Monday, and week 1 of a year is
 * the week holding that year's first Thursday, so 2026-01-01 (a Thursday)
 * is in 2026-W01 and 2027-01-01 (a Friday) is in 2026-W53.
 */
#ifndef PAPERWIRE_SOURCES_HF_PERIOD_H
#define PAPERWIRE_SOURCES_HF_PERIOD_H

#include <stddef.h>
#include <stdint.h>

/* "2026-W53" or "2026-06" plus NUL, with room for five-digit years. */
#define HF_PERIOD_BYTES 16

enum hf_period {
	HF_PERIOD_WEEK,
	HF_PERIOD_MONTH,
};

/*
 * Writes into out (size bytes) the name of the period `back` periods
 * before the one holding t: back 0 is t's own week ("2026-W24") or month
 * ("2026-06"), back 1 the one before. Returns 0, or -1 when the year is
 * outside 1..9999 or out is too small.
 */
int hf_period_name(
    enum hf_period kind, int64_t t, unsigned back, char *out, size_t size);

/* Parses "week" or "month"; 0 or -1. */
int hf_period_parse(const char *s, enum hf_period *out);

#endif
