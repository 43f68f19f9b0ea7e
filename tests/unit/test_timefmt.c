/* test_timefmt.c: formatting and parsing of the dates paperwire uses.
 *
 * Epoch values were computed independently with python3
 * (calendar.timegm on datetime.fromisoformat). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "timefmt.h"

#define T_2026_06_12_0830 1781253000LL /* Fri 2026-06-12 08:30:00 UTC */
#define T_2026_06_12 1781222400LL
#define T_2026_06_11_2300 1781218800LL
#define T_2026_06_12_235959 1781308799LL
#define T_2024_02_29 1709164800LL       /* a Thursday */
#define T_1994_11_06_084937 784111777LL /* RFC 9110's example, a Sunday */
#define T_MAX_9999 253402300799LL

static void test_rfc3339_format(void **state)
{
	char buf[TIMEFMT_BYTES];

	assert_string_equal(
	    timefmt_rfc3339(T_2026_06_12_0830, buf), "2026-06-12T08:30:00Z");
	assert_string_equal(timefmt_rfc3339(0, buf), "1970-01-01T00:00:00Z");
	assert_string_equal(timefmt_rfc3339(-1, buf), "1969-12-31T23:59:59Z");
}

static void test_rfc822_format(void **state)
{
	char buf[TIMEFMT_BYTES];

	assert_string_equal(timefmt_rfc822(T_2026_06_12_0830, buf),
	    "Fri, 12 Jun 2026 08:30:00 +0000");
	assert_string_equal(timefmt_rfc822(T_2024_02_29, buf),
	    "Thu, 29 Feb 2024 00:00:00 +0000");
}

static void test_http_format(void **state)
{
	char buf[TIMEFMT_BYTES];

	assert_string_equal(timefmt_http(T_1994_11_06_084937, buf),
	    "Sun, 06 Nov 1994 08:49:37 GMT");
}

static void test_day_format(void **state)
{
	char buf[TIMEFMT_BYTES];

	assert_string_equal(
	    timefmt_day(T_2026_06_12_235959, buf), "2026-06-12");
	assert_string_equal(timefmt_day(T_2024_02_29, buf), "2024-02-29");
}

static void test_format_ignores_locale(void **state)
{
	char buf[TIMEFMT_BYTES];

	/* Whatever locales exist, names must stay English. */
	setlocale(LC_ALL, "de_DE.UTF-8");
	setlocale(LC_ALL, "fr_FR.UTF-8");
	assert_string_equal(timefmt_http(T_2026_06_12_0830, buf),
	    "Fri, 12 Jun 2026 08:30:00 GMT");
	setlocale(LC_ALL, "C");
}

static void test_format_clamps_huge_times(void **state)
{
	char buf[TIMEFMT_BYTES];

	assert_string_equal(
	    timefmt_rfc3339(INT64_MAX, buf), "9999-12-31T23:59:59Z");
	assert_string_equal(
	    timefmt_rfc3339(INT64_MIN, buf), "0000-01-01T00:00:00Z");
	assert_true(strlen(timefmt_rfc822(INT64_MAX, buf)) < TIMEFMT_BYTES);
}

static void test_day_start(void **state)
{
	assert_int_equal(timefmt_day_start(T_2026_06_12_0830), T_2026_06_12);
	assert_int_equal(timefmt_day_start(T_2026_06_12), T_2026_06_12);
	assert_int_equal(timefmt_day_start(T_2026_06_12_235959), T_2026_06_12);
	assert_int_equal(timefmt_day_start(-1), -86400);
	assert_int_equal(timefmt_day_start(-86400), -86400);
}

static void check_3339(const char *s, int64_t want)
{
	int64_t got = 0;

	assert_int_equal(timefmt_parse_rfc3339(s, &got), 0);
	assert_int_equal(got, want);
}

static void test_parse_rfc3339_forms(void **state)
{
	check_3339("2026-06-12T08:30:00.000Z", T_2026_06_12_0830);
	check_3339("2026-06-12T08:30:00Z", T_2026_06_12_0830);
	check_3339("2026-06-12t08:30:00z", T_2026_06_12_0830);
	check_3339("2026-06-12 08:30:00Z", T_2026_06_12_0830);
	check_3339("2026-06-12T08:30:00.123456789Z", T_2026_06_12_0830);
	check_3339("2026-06-12", T_2026_06_12);
}

static void test_parse_rfc3339_offsets(void **state)
{
	check_3339("2026-06-12T01:00:00+02:00", T_2026_06_11_2300);
	check_3339("2026-06-11T21:00:00-02:00", T_2026_06_11_2300);
	check_3339("2026-06-12T10:30:00.5+02:00", T_2026_06_12_0830);
	check_3339("2026-06-12T08:30:00+00:00", T_2026_06_12_0830);
}

static void test_parse_rfc3339_leap_day_and_second(void **state)
{
	check_3339("2024-02-29T00:00:00Z", T_2024_02_29);
	/* 23:59:60 reads as the next day's first second. */
	check_3339("2026-06-11T23:59:60Z", T_2026_06_12);
}

static void test_parse_rfc3339_round_trip(void **state)
{
	const int64_t times[] = {0, T_2026_06_12_0830, T_2024_02_29,
	    T_1994_11_06_084937, T_MAX_9999, -1};
	char buf[TIMEFMT_BYTES];

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		check_3339(timefmt_rfc3339(times[i], buf), times[i]);
}

static void test_parse_rfc3339_rejects(void **state)
{
	static const char *bad[] = {"", "garbage", "2026-13-01", "2026-00-10",
	    "2026-06-32", "2026-02-30", "2025-02-29", "1900-02-29",
	    "2026-06-00", "2026-06-12T24:00:00Z", "2026-06-12T08:60:00Z",
	    "2026-06-12T08:30:61Z", "2026-06-12T08:30:00", "2026-06-12T08:30Z",
	    "2026-06-12T08:30:00.Z", "2026-06-12T08:30:00+2:00",
	    "2026-06-12T08:30:00+0200", "2026-06-12T08:30:00+24:00",
	    "2026-06-12T08:30:00+02:60", "2026-06-12T08:30:00Zjunk",
	    "2026-06-12junk", " 2026-06-12", "2026-06-12 ", "26-06-12",
	    "2026-6-12", "+2026-06-12", "99999999999999999999-01-01",
	    "2026-06-12X08:30:00Z", "2026-06-12T", "2026-06-12T08:30:0Z"};
	int64_t out = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (timefmt_parse_rfc3339(bad[i], &out) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(out, 42);
	assert_int_equal(timefmt_parse_rfc3339(NULL, &out), -1);
}

static void test_parse_day(void **state)
{
	int64_t out = 0;

	assert_int_equal(timefmt_parse_day("2026-06-12", &out), 0);
	assert_int_equal(out, T_2026_06_12);
	assert_int_equal(timefmt_parse_day("2024-02-29", &out), 0);
	assert_int_equal(out, T_2024_02_29);
}

static void test_parse_day_rejects(void **state)
{
	static const char *bad[] = {"", "2026-06-12T00:00:00Z", "2026-02-29",
	    "2026-02-30", "2026-13-01", "2026-06-32", "2026/06/12", "2026-06-1",
	    "2026-06-12 ", "today", "100000-01-01", "-2026-06-12"};
	int64_t out = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (timefmt_parse_day(bad[i], &out) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(out, 42);
}

static void test_parse_http_three_forms(void **state)
{
	int64_t out = 0;

	/* RFC 9110 section 5.6.7: IMF-fixdate, RFC 850 and asctime. */
	assert_int_equal(
	    timefmt_parse_http("Sun, 06 Nov 1994 08:49:37 GMT", &out), 0);
	assert_int_equal(out, T_1994_11_06_084937);
	out = 0;
	assert_int_equal(
	    timefmt_parse_http("Sunday, 06-Nov-94 08:49:37 GMT", &out), 0);
	assert_int_equal(out, T_1994_11_06_084937);
	out = 0;
	assert_int_equal(
	    timefmt_parse_http("Sun Nov  6 08:49:37 1994", &out), 0);
	assert_int_equal(out, T_1994_11_06_084937);
}

static void test_parse_http_round_trip(void **state)
{
	char buf[TIMEFMT_BYTES];
	int64_t out = 0;

	assert_int_equal(
	    timefmt_parse_http(timefmt_http(T_2026_06_12_0830, buf), &out), 0);
	assert_int_equal(out, T_2026_06_12_0830);
}

static void test_parse_http_rejects(void **state)
{
	static const char *bad[] = {"", "garbage", "not a date at all",
	    "Sun, 32 Nov 1994 08:49:37 GMT", "Mon, 30 Feb 2026 00:00:00 GMT",
	    "Tue, 31 Jun 2026 00:00:00 GMT"};
	char longer[200];
	int64_t out = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (timefmt_parse_http(bad[i], &out) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	memset(longer, ' ', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	memcpy(longer, "Sun, 06 Nov 1994 08:49:37 GMT", 29);
	assert_int_equal(timefmt_parse_http(longer, &out), -1);
	assert_int_equal(timefmt_parse_http(NULL, &out), -1);
	assert_int_equal(out, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc3339_format),
	    cmocka_unit_test(test_rfc822_format),
	    cmocka_unit_test(test_http_format),
	    cmocka_unit_test(test_day_format),
	    cmocka_unit_test(test_format_ignores_locale),
	    cmocka_unit_test(test_format_clamps_huge_times),
	    cmocka_unit_test(test_day_start),
	    cmocka_unit_test(test_parse_rfc3339_forms),
	    cmocka_unit_test(test_parse_rfc3339_offsets),
	    cmocka_unit_test(test_parse_rfc3339_leap_day_and_second),
	    cmocka_unit_test(test_parse_rfc3339_round_trip),
	    cmocka_unit_test(test_parse_rfc3339_rejects),
	    cmocka_unit_test(test_parse_day),
	    cmocka_unit_test(test_parse_day_rejects),
	    cmocka_unit_test(test_parse_http_three_forms),
	    cmocka_unit_test(test_parse_http_round_trip),
	    cmocka_unit_test(test_parse_http_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
