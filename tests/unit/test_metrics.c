/* test_metrics.c: the metrics registry and its text exposition, and the
 * access log's redaction of credentials in request targets.
 *
 * Expected texts are written out by hand from the exposition format's
 * rules (https://prometheus.io/docs/instrumenting/exposition_formats/). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "caps.h"
#include "httpstats.h"
#include "metrics.h"

static struct metrics_family plain = {
    .type = METRICS_COUNTER,
    .name = "paperwire_test_events_total",
    .help = "Events.",
};
static struct metrics_family by_source = {
    .type = METRICS_COUNTER,
    .name = "paperwire_test_polls_total",
    .help = "Polls\\per source\nsecond line.",
    .labels = {"source", "outcome"},
};
static struct metrics_family gauge = {
    .type = METRICS_GAUGE,
    .name = "paperwire_test_depth",
    .help = "Depth.",
    .labels = {"source"},
};
static struct metrics_family bad_name = {
    .type = METRICS_GAUGE,
    .name = "1bad-name",
    .help = "Bad.",
};
static struct metrics_family bad_label = {
    .type = METRICS_GAUGE,
    .name = "paperwire_test_bad_label",
    .help = "Bad.",
    .labels = {"__reserved"},
};

static int reset(void **state)
{
	metrics_reset();
	return 0;
}

/* The rendered registry (static storage, valid until the next call). */
static const char *render(void)
{
	static char text[65536];
	struct buf b;

	buf_init(&b, sizeof(text) - 1);
	assert_int_equal(metrics_render(&b), 0);
	snprintf(text, sizeof(text), "%s", buf_str(&b));
	buf_free(&b);
	return text;
}

static void test_unlabelled_shows_zero(void **state)
{
	assert_int_equal(metrics_register(&plain), 0);
	assert_string_equal(render(),
	    "# HELP paperwire_test_events_total Events.\n"
	    "# TYPE paperwire_test_events_total counter\n"
	    "paperwire_test_events_total 0\n");
	assert_int_equal(metrics_add(&plain, NULL, 2), 0);
	assert_int_equal(metrics_add(&plain, NULL, 0.5), 0);
	assert_true(metrics_get(&plain, NULL) == 2.5);
	assert_string_equal(render(),
	    "# HELP paperwire_test_events_total Events.\n"
	    "# TYPE paperwire_test_events_total counter\n"
	    "paperwire_test_events_total 2.5\n");
}

static void test_labels_and_escaping(void **state)
{
	assert_int_equal(
	    metrics_add(&by_source, METRICS_LABELS("hf-daily", "ok"), 3), 0);
	assert_int_equal(
	    metrics_add(&by_source, METRICS_LABELS("we\"ird\\na\nme", "ok"), 1),
	    0);
	assert_int_equal(
	    metrics_add(&by_source, METRICS_LABELS("hf-daily", "ok"), 4), 0);
	assert_string_equal(render(),
	    "# HELP paperwire_test_polls_total Polls\\\\per source\\nsecond "
	    "line.\n"
	    "# TYPE paperwire_test_polls_total counter\n"
	    "paperwire_test_polls_total{source=\"hf-daily\",outcome=\"ok\"} 7\n"
	    "paperwire_test_polls_total{source=\"we\\\"ird\\\\na\\nme\","
	    "outcome=\"ok\"} 1\n");
}

static void test_refusals(void **state)
{
	/* Wrong number of label values. */
	assert_int_equal(metrics_add(&by_source, METRICS_LABELS("x"), 1), -1);
	assert_int_equal(
	    metrics_add(&by_source, METRICS_LABELS("x", "y", "z"), 1), -1);
	assert_int_equal(metrics_add(&by_source, NULL, 1), -1);
	assert_int_equal(metrics_add(&plain, METRICS_LABELS("x"), 1), -1);
	/* A counter only goes up, and is never set. */
	assert_int_equal(metrics_add(&plain, NULL, -1), -1);
	assert_int_equal(metrics_add(&plain, NULL, NAN), -1);
	assert_int_equal(metrics_set(&plain, NULL, 5), -1);
	assert_true(metrics_get(&plain, NULL) == 0);
	/* Bad names: refused, and never rendered. */
	assert_int_equal(metrics_register(&bad_name), -1);
	assert_int_equal(metrics_set(&bad_name, NULL, 1), -1);
	assert_int_equal(metrics_set(&bad_label, METRICS_LABELS("x"), 1), -1);
	assert_null(strstr(render(), "bad"));
}

static void test_gauge_values(void **state)
{
	assert_int_equal(metrics_set(&gauge, METRICS_LABELS("a"), 5), 0);
	assert_int_equal(metrics_add(&gauge, METRICS_LABELS("a"), -7), 0);
	assert_int_equal(metrics_set(&gauge, METRICS_LABELS("b"), 0.25), 0);
	assert_int_equal(metrics_set(&gauge, METRICS_LABELS("c"), NAN), 0);
	assert_int_equal(metrics_set(&gauge, METRICS_LABELS("d"), INFINITY), 0);
	assert_int_equal(
	    metrics_set(&gauge, METRICS_LABELS("e"), 1795788294.0), 0);
	assert_int_equal(
	    metrics_set(&gauge, METRICS_LABELS("f"), 9007199254740993.0), 0);
	assert_string_equal(render(),
	    "# HELP paperwire_test_depth Depth.\n"
	    "# TYPE paperwire_test_depth gauge\n"
	    "paperwire_test_depth{source=\"a\"} -2\n"
	    "paperwire_test_depth{source=\"b\"} 0.25\n"
	    "paperwire_test_depth{source=\"c\"} NaN\n"
	    "paperwire_test_depth{source=\"d\"} +Inf\n"
	    "paperwire_test_depth{source=\"e\"} 1795788294\n"
	    "paperwire_test_depth{source=\"f\"} 9.00719925474099e+15\n");
}

static void test_forget(void **state)
{
	metrics_add(&by_source, METRICS_LABELS("gone", "ok"), 1);
	metrics_add(&by_source, METRICS_LABELS("kept", "ok"), 1);
	metrics_add(&by_source, METRICS_LABELS("gone", "failed"), 1);
	metrics_set(&gauge, METRICS_LABELS("gone"), 1);
	metrics_add(&plain, NULL, 1);
	metrics_forget("source", "gone");
	assert_string_equal(render(),
	    "# HELP paperwire_test_polls_total Polls\\\\per source\\nsecond "
	    "line.\n"
	    "# TYPE paperwire_test_polls_total counter\n"
	    "paperwire_test_polls_total{source=\"kept\",outcome=\"ok\"} 1\n"
	    "# HELP paperwire_test_depth Depth.\n"
	    "# TYPE paperwire_test_depth gauge\n"
	    "# HELP paperwire_test_events_total Events.\n"
	    "# TYPE paperwire_test_events_total counter\n"
	    "paperwire_test_events_total 1\n");
}

static void test_series_cap(void **state)
{
	char name[32];

	for (int i = 0; i < CAP_METRICS_SERIES; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_equal(
		    metrics_set(&gauge, METRICS_LABELS(name), i), 0);
	}
	assert_int_equal(
	    metrics_set(&gauge, METRICS_LABELS("one-more"), 1), -1);
	/* An existing series still updates. */
	assert_int_equal(metrics_set(&gauge, METRICS_LABELS("s7"), 70), 0);
	assert_true(metrics_get(&gauge, METRICS_LABELS("s7")) == 70);
}

static int collected;

static void collect(void *arg)
{
	collected++;
	metrics_set(&gauge, METRICS_LABELS("queue"), *(double *)arg);
}

static void test_collectors(void **state)
{
	double depth = 12;

	assert_int_equal(metrics_collector_add(collect, &depth), 0);
	collected = 0;
	assert_non_null(strstr(render(), "{source=\"queue\"} 12\n"));
	depth = 3;
	assert_non_null(strstr(render(), "{source=\"queue\"} 3\n"));
	assert_int_equal(collected, 2);
	metrics_collector_remove(collect, &depth);
	render();
	assert_int_equal(collected, 2);
}

static void test_render_cap_keeps_whole_families(void **state)
{
	struct buf b;

	metrics_add(&plain, NULL, 1);
	metrics_set(&gauge, METRICS_LABELS("a"), 1);
	/* Room for the first family (96 bytes) but not the second. */
	buf_init(&b, 120);
	assert_int_equal(metrics_render(&b), -1);
	assert_string_equal(buf_str(&b),
	    "# HELP paperwire_test_events_total Events.\n"
	    "# TYPE paperwire_test_events_total counter\n"
	    "paperwire_test_events_total 1\n");
	buf_free(&b);
}

static void test_webhook_families(void **state)
{
	assert_int_equal(metrics_add(&metrics_webhook_deliveries,
	                     METRICS_LABELS("delivered"), 1),
	    0);
	assert_int_equal(metrics_set(&metrics_webhook_queue_depth, NULL, 4), 0);
	assert_int_equal(
	    metrics_set(&metrics_webhook_oldest_pending_age, NULL, 30), 0);
	assert_string_equal(render(),
	    "# HELP paperwire_webhook_deliveries_total Webhook delivery "
	    "attempts, by outcome.\n"
	    "# TYPE paperwire_webhook_deliveries_total counter\n"
	    "paperwire_webhook_deliveries_total{outcome=\"delivered\"} 1\n"
	    "# HELP paperwire_webhook_queue_depth Webhook deliveries waiting "
	    "to be sent or retried.\n"
	    "# TYPE paperwire_webhook_queue_depth gauge\n"
	    "paperwire_webhook_queue_depth 4\n"
	    "# HELP paperwire_webhook_oldest_pending_age_seconds Age of the "
	    "oldest webhook delivery still pending.\n"
	    "# TYPE paperwire_webhook_oldest_pending_age_seconds gauge\n"
	    "paperwire_webhook_oldest_pending_age_seconds 30\n");
}

static void redact(const char *in, size_t cap, const char *want)
{
	char out[256];

	assert_true(cap <= sizeof(out));
	httpstats_redact(in, out, cap);
	assert_string_equal(out, want);
}

static void test_redact(void **state)
{
	redact("/feed.rss", 64, "/feed.rss");
	redact("/feed.rss?q=llm&limit=5", 64, "/feed.rss?q=llm&limit=5");
	redact("/x?token=abc&q=1", 64, "/x?token=REDACTED&q=1");
	redact("/x?access_token=abc", 64, "/x?access_token=REDACTED");
	redact("/x?hub.secret=abc&API_KEY=k", 64,
	    "/x?hub.secret=REDACTED&API_KEY=REDACTED");
	/* Percent-encoded names are decoded before the check. */
	redact("/x?%74oken=abc", 64, "/x?%74oken=REDACTED");
	/* keyword is not a key; a bare name has no value to hide. */
	redact("/x?keyword=k&token", 64, "/x?keyword=k&token");
	redact("/x?password=&a=b", 64, "/x?password=REDACTED&a=b");
	/* Cut at the cap, with a visible mark. */
	redact("/feed.rss?q=abcdefghijklmnop", 16, "/feed.rss?q=...");
	redact("/x?token=abcdefghijklmnopqrstuvwxyz", 16, "/x?token=RED...");
	/* Control bytes never reach a log line. */
	redact("/a\nb", 64, "/a?b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_unlabelled_shows_zero, reset),
	    cmocka_unit_test_setup(test_labels_and_escaping, reset),
	    cmocka_unit_test_setup(test_refusals, reset),
	    cmocka_unit_test_setup(test_gauge_values, reset),
	    cmocka_unit_test_setup(test_forget, reset),
	    cmocka_unit_test_setup(test_series_cap, reset),
	    cmocka_unit_test_setup(test_collectors, reset),
	    cmocka_unit_test_setup(test_render_cap_keeps_whole_families, reset),
	    cmocka_unit_test_setup(test_webhook_families, reset),
	    cmocka_unit_test(test_redact),
	};

	return cmocka_run_group_tests(tests, NULL, reset);
}
