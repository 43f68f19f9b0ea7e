/*
 * test_hf_period.c: ISO week and month names (sources/hf_period.c) and
 * the hf_daily period and trending listings built from them: request
 * URLs and the config checks of the combinations.
 *
 * Expected week names come from python3's datetime.date.isocalendar(),
 * and Unix times from datetime.timestamp(), never from this code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sources/hf_period.h"
#include "sources/source.h"

#define DAILY "https://huggingface.co/api/daily_papers"

static void assert_period(
    enum hf_period kind, int64_t t, unsigned back, const char *want)
{
	char out[HF_PERIOD_BYTES];

	memset(out, 'x', sizeof(out));
	assert_int_equal(hf_period_name(kind, t, back, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void test_iso_weeks(void **state)
{
	(void)state;
	/* 2026-01-01 is a Thursday: week 1 of 2026. */
	assert_period(HF_PERIOD_WEEK, 1767225600, 0, "2026-W01");
	/* 2027-01-01 is a Friday: still the last week of 2026, W53. */
	assert_period(HF_PERIOD_WEEK, 1798761600, 0, "2026-W53");
	assert_period(HF_PERIOD_WEEK, 1798761600 + 86399, 0, "2026-W53");
	/* 2027-01-04 is the Monday that starts 2027-W01. */
	assert_period(HF_PERIOD_WEEK, 1799020800, 0, "2027-W01");
	assert_period(HF_PERIOD_WEEK, 1799020800 - 1, 0, "2026-W53");
	/* A week starts on Monday at 00:00 UTC. */
	assert_period(HF_PERIOD_WEEK, 1798415999, 0, "2026-W52"); /* Sun */
	assert_period(HF_PERIOD_WEEK, 1798416000, 0, "2026-W53"); /* Mon */
	/* 2024-12-30 belongs to 2025-W01; 2021-01-03 to 2020-W53. */
	assert_period(HF_PERIOD_WEEK, 1735516800, 0, "2025-W01");
	assert_period(HF_PERIOD_WEEK, 1609632000, 0, "2020-W53");
	assert_period(HF_PERIOD_WEEK, 1781222400, 0, "2026-W24");
	/* Before 1970 too (1969-12-31 is in 1970-W01). */
	assert_period(HF_PERIOD_WEEK, -86400, 0, "1970-W01");
}

static void test_previous_week(void **state)
{
	(void)state;
	assert_period(HF_PERIOD_WEEK, 1781222400, 1, "2026-W23");
	/* Across a year end, both ways. */
	assert_period(HF_PERIOD_WEEK, 1767225600, 1, "2025-W52");
	assert_period(HF_PERIOD_WEEK, 1799020800, 1, "2026-W53");
	assert_period(HF_PERIOD_WEEK, 1735516800, 1, "2024-W52");
}

static void test_months(void **state)
{
	(void)state;
	assert_period(HF_PERIOD_MONTH, 1781222400, 0, "2026-06");
	assert_period(HF_PERIOD_MONTH, 1781222400, 1, "2026-05");
	/* The last second of January, then February. */
	assert_period(HF_PERIOD_MONTH, 1769903999, 0, "2026-01");
	assert_period(HF_PERIOD_MONTH, 1769904000, 0, "2026-02");
	assert_period(HF_PERIOD_MONTH, 1769904000, 1, "2026-01");
	/* Back across year ends. */
	assert_period(HF_PERIOD_MONTH, 1768435200, 1, "2025-12");
	assert_period(HF_PERIOD_MONTH, 1768435200, 13, "2024-12");
	assert_period(HF_PERIOD_MONTH, 1768435200, 12, "2025-01");
	assert_period(HF_PERIOD_MONTH, -86400, 0, "1969-12");
}

static void test_limits(void **state)
{
	char out[HF_PERIOD_BYTES];
	enum hf_period k;

	(void)state;
	/* Year 10000 has no four-digit name. */
	assert_int_equal(hf_period_name(HF_PERIOD_MONTH, 253402300800LL, 0, out,
	                     sizeof(out)),
	    -1);
	assert_period(HF_PERIOD_MONTH, 253402300799LL, 0, "9999-12");
	assert_period(HF_PERIOD_WEEK, 253402214400LL, 0, "9999-W52");
	/* "2026-W01" needs 9 bytes with its NUL. */
	assert_int_equal(
	    hf_period_name(HF_PERIOD_WEEK, 1767225600, 0, out, 8), -1);
	assert_int_equal(
	    hf_period_name(HF_PERIOD_WEEK, 1767225600, 0, out, 9), 0);
	assert_string_equal(out, "2026-W01");

	assert_int_equal(hf_period_parse("week", &k), 0);
	assert_int_equal(k, HF_PERIOD_WEEK);
	assert_int_equal(hf_period_parse("month", &k), 0);
	assert_int_equal(k, HF_PERIOD_MONTH);
	assert_int_equal(hf_period_parse("Week", &k), -1);
	assert_int_equal(hf_period_parse("year", &k), -1);
	assert_int_equal(hf_period_parse(NULL, &k), -1);
}

/* --- hf_daily listings ------------------------------------------------ */

static json_t *opts;

static struct source_params params(const char *json, int64_t now)
{
	struct source_params p;

	json_decref(opts);
	opts = json_loads(json, 0, NULL);
	assert_non_null(opts);
	memset(&p, 0, sizeof(p));
	p.name = "hf-period";
	p.options = opts;
	p.now = now;
	return p;
}

static void assert_url(const struct source_params *p, unsigned step,
    unsigned page, const char *want)
{
	char *url = source_hf_daily_ops.request_url(p, step, page);

	if (want == NULL) {
		assert_null(url);
		return;
	}
	assert_non_null(url);
	assert_string_equal(url, want);
	free(url);
}

static void test_week_urls(void **state)
{
	/* 2027-01-01: the current week is 2026-W53, the one before W52. */
	struct source_params p = params("{\"period\": \"week\"}", 1798761600);

	(void)state;
	assert_url(&p, 0, 0, DAILY "?week=2026-W53&limit=100&p=0");
	assert_url(&p, 0, 3, DAILY "?week=2026-W53&limit=100&p=3");
	assert_url(&p, 1, 0, DAILY "?week=2026-W52&limit=100&p=0");
	assert_url(&p, 2, 0, NULL);

	p = params("{\"period\": \"week\", \"sort\": \"date\"}", 1767225600);
	assert_url(&p, 0, 0, DAILY "?week=2026-W01&limit=100&p=0");
	assert_url(&p, 1, 1, DAILY "?week=2025-W52&limit=100&p=1");
	assert_url(&p, 2, 0, NULL);
}

static void test_month_urls(void **state)
{
	struct source_params p = params("{\"period\": \"month\"}", 1768435200);

	(void)state;
	assert_url(&p, 0, 0, DAILY "?month=2026-01&limit=100&p=0");
	assert_url(&p, 1, 0, DAILY "?month=2025-12&limit=100&p=0");
	assert_url(&p, 1, 9, DAILY "?month=2025-12&limit=100&p=9");
	assert_url(&p, 2, 0, NULL);
	p.url = "http://127.0.0.1:9/api/daily_papers?x=1";
	assert_url(&p, 0, 0,
	    "http://127.0.0.1:9/api/daily_papers?x=1&month=2026-01&limit=100"
	    "&p=0");
}

static void test_trending_unchanged(void **state)
{
	struct source_params p = params("{\"sort\": \"trending\"}", 1798761600);

	(void)state;
	assert_url(&p, 0, 0, DAILY "?sort=trending&limit=100&p=0");
	assert_url(&p, 1, 0, NULL);
}

struct reports {
	char keys[8][64];
	int n;
};

static void collect(void *ctx, const char *key, const char *msg)
{
	struct reports *r = ctx;

	(void)msg;
	if (r->n < 8)
		snprintf(r->keys[r->n], sizeof(r->keys[0]), "%s", key);
	r->n++;
}

static int check(const char *json, struct reports *r)
{
	json_t *o = json_loads(json, 0, NULL);
	int rc;

	assert_non_null(o);
	memset(r, 0, sizeof(*r));
	rc = source_hf_daily_ops.check(o, collect, r);
	json_decref(o);
	return rc;
}

static void test_checks(void **state)
{
	struct reports r;

	(void)state;
	assert_int_equal(check("{\"period\": \"week\"}", &r), 0);
	assert_int_equal(check("{\"period\": \"month\"}", &r), 0);
	assert_int_equal(
	    check("{\"period\": \"week\", \"sort\": \"date\"}", &r), 0);
	assert_int_equal(check("{\"sort\": \"trending\"}", &r), 0);
	assert_int_equal(r.n, 0);
	/* Trending still ignores days, as it always has. */
	assert_int_equal(check("{\"sort\": \"trending\", \"days\": 3}", &r), 0);

	assert_int_equal(check("{\"period\": \"year\"}", &r), -1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.keys[0], "period");
	assert_int_equal(check("{\"period\": 7}", &r), -1);
	assert_string_equal(r.keys[0], "period");
	assert_int_equal(
	    check("{\"period\": \"week\", \"sort\": \"trending\"}", &r), -1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.keys[0], "period");
	assert_int_equal(check("{\"period\": \"month\", \"days\": 2}", &r), -1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.keys[0], "days");
	/* Both problems at once. */
	assert_int_equal(check("{\"period\": \"month\", \"days\": 2, "
	                       "\"sort\": \"trending\"}",
	                     &r),
	    -1);
	assert_int_equal(r.n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_iso_weeks),
	    cmocka_unit_test(test_previous_week),
	    cmocka_unit_test(test_months),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_week_urls),
	    cmocka_unit_test(test_month_urls),
	    cmocka_unit_test(test_trending_unchanged),
	    cmocka_unit_test(test_checks),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	json_decref(opts);
	return rc;
}
