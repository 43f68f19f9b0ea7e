/*
 * test_hostgate.c: per-host request spacing (hostgate.c) on a real
 * libevent loop with intervals of a few hundred milliseconds, and the
 * default interval by host name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "caps.h"
#include "hostgate.h"

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One simulated request: when the gate let it go, and whether it ends as
 * soon as it starts (leaving the gate from inside the callback). */
struct req {
	struct hostgate *g;
	struct hostgate_wait w;
	int64_t started_ms;
	int calls;
	bool finish_at_once;
};

static void go(void *arg)
{
	struct req *r = arg;

	r->calls++;
	r->started_ms = mono_ms();
	if (r->finish_at_once)
		hostgate_leave(r->g, &r->w);
}

/* Runs the loop for ms milliseconds. */
static void run_for(struct event_base *base, long ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/* Starts r at url: the gate's answer; a request let through at once is
 * stamped like one the loop woke. */
static int enter(struct req *r, const char *url, int64_t interval_ms)
{
	int rc = hostgate_enter(r->g, &r->w, url, interval_ms, go, r);

	if (rc == 0)
		go(r);
	return rc;
}

static void test_default_interval(void **state)
{
	(void)state;
	assert_int_equal(
	    hostgate_default_interval("http://export.arxiv.org/api/query?x=1"),
	    CAP_HOST_INTERVAL_ARXIV);
	assert_int_equal(CAP_HOST_INTERVAL_ARXIV, 3);
	assert_int_equal(
	    hostgate_default_interval("https://rss.arxiv.org/rss/cs.AI"), 3);
	assert_int_equal(
	    hostgate_default_interval("https://arxiv.org/abs/1"), 3);
	assert_int_equal(hostgate_default_interval("https://ARXIV.ORG./"), 3);
	assert_int_equal(
	    hostgate_default_interval("https://Export.ArXiv.Org:8443/x"), 3);
	/* Look-alikes are not arXiv. */
	assert_int_equal(hostgate_default_interval("https://notarxiv.org/"), 0);
	assert_int_equal(
	    hostgate_default_interval("https://arxiv.org.example.com/"), 0);
	assert_int_equal(
	    hostgate_default_interval("https://example.com/arxiv.org"), 0);
	assert_int_equal(hostgate_default_interval(
	                     "https://huggingface.co/api/daily_papers"),
	    0);
	assert_int_equal(hostgate_default_interval("file:///tmp/x.json"), 0);
	assert_int_equal(hostgate_default_interval("not a url"), 0);
}

static void test_ungated(void **state)
{
	struct event_base *base = event_base_new();
	struct hostgate *g = hostgate_new(base);
	struct req a = {.g = g}, b = {.g = g}, c = {.g = g};

	(void)state;
	assert_non_null(g);
	/* Interval 0, or no host: straight through, nothing held. */
	assert_int_equal(enter(&a, "http://127.0.0.1:1/a", 0), 0);
	assert_int_equal(enter(&b, "http://127.0.0.1:1/a", 0), 0);
	assert_int_equal(enter(&c, "file:///tmp/x", 5000), 0);
	assert_int_equal(enter(&c, "file:///tmp/x", 5000), 0);
	assert_int_equal(a.calls + b.calls + c.calls, 4);
	hostgate_leave(g, &a.w);
	hostgate_leave(g, &b.w);
	hostgate_leave(g, &c.w);
	hostgate_free(g);
	event_base_free(base);
}

static void test_spacing(void **state)
{
	struct event_base *base = event_base_new();
	struct hostgate *g = hostgate_new(base);
	struct req r[3] = {{.g = g, .finish_at_once = true},
	    {.g = g, .finish_at_once = true}, {.g = g, .finish_at_once = true}};
	int64_t t0 = mono_ms();

	(void)state;
	assert_int_equal(enter(&r[0], "http://a.example/1", 200), 0);
	/* The same host, by another port and in other letters. */
	assert_int_equal(enter(&r[1], "http://A.Example:81/2", 200), 1);
	assert_int_equal(enter(&r[2], "http://a.example/3", 200), 1);
	assert_true(hostgate_delay_ms(g, &r[1].w) > 100);
	assert_int_equal(r[1].calls + r[2].calls, 0);
	run_for(base, 700);
	for (int i = 0; i < 3; i++)
		assert_int_equal(r[i].calls, 1);
	/* In arrival order, each at least 200 ms after the one before. */
	assert_true(r[1].started_ms - r[0].started_ms >= 200);
	assert_true(r[2].started_ms - r[1].started_ms >= 200);
	assert_true(r[2].started_ms - t0 < 650);

	/* Once the interval has passed, the next request goes at once. */
	assert_int_equal(enter(&r[0], "http://a.example/4", 200), 0);
	assert_int_equal(r[0].calls, 2);
	hostgate_free(g);
	event_base_free(base);
}

static void test_one_in_flight(void **state)
{
	struct event_base *base = event_base_new();
	struct hostgate *g = hostgate_new(base);
	struct req a = {.g = g}, b = {.g = g, .finish_at_once = true};
	int64_t released;

	(void)state;
	assert_int_equal(enter(&a, "http://slow.example/a", 50), 0);
	assert_int_equal(enter(&b, "http://slow.example/b", 50), 1);
	/* a is still in flight long after its interval: b waits. */
	run_for(base, 300);
	assert_int_equal(b.calls, 0);
	released = mono_ms();
	hostgate_leave(g, &a.w);
	run_for(base, 100);
	assert_int_equal(b.calls, 1);
	assert_true(b.started_ms - released < 80);
	hostgate_free(g);
	event_base_free(base);
}

static void test_hosts_independent_and_longest_interval(void **state)
{
	struct event_base *base = event_base_new();
	struct hostgate *g = hostgate_new(base);
	struct req a = {.g = g, .finish_at_once = true},
	           b = {.g = g, .finish_at_once = true},
	           c = {.g = g, .finish_at_once = true};

	(void)state;
	assert_int_equal(enter(&a, "http://x.example/", 300), 0);
	assert_int_equal(enter(&b, "http://y.example/", 300), 0);
	/* c asks for 50 ms, but the previous request to x asked for 300. */
	assert_int_equal(enter(&c, "http://x.example/", 50), 1);
	run_for(base, 500);
	assert_int_equal(c.calls, 1);
	assert_true(c.started_ms - a.started_ms >= 300);
	hostgate_free(g);
	event_base_free(base);
}

static void test_give_up_place(void **state)
{
	struct event_base *base = event_base_new();
	struct hostgate *g = hostgate_new(base);
	struct req a = {.g = g, .finish_at_once = true},
	           b = {.g = g, .finish_at_once = true},
	           c = {.g = g, .finish_at_once = true}, d = {.g = g};

	(void)state;
	assert_int_equal(enter(&a, "http://z.example/", 100), 0);
	assert_int_equal(enter(&b, "http://z.example/", 100), 1);
	assert_int_equal(enter(&c, "http://z.example/", 100), 1);
	hostgate_leave(g, &b.w); /* b gives up: c moves to the head */
	hostgate_leave(g, &b.w); /* twice is harmless */
	run_for(base, 400);
	assert_int_equal(b.calls, 0);
	assert_int_equal(c.calls, 1);
	assert_true(c.started_ms - a.started_ms >= 100);
	assert_true(c.started_ms - a.started_ms < 300);
	/* Freeing with a request still queued calls nobody. */
	assert_int_equal(enter(&d, "http://z.example/", 100), 0);
	assert_int_equal(enter(&a, "http://z.example/", 1000), 1);
	hostgate_free(g);
	assert_int_equal(a.calls, 1);
	assert_int_equal(d.calls, 1);
	event_base_free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_interval),
	    cmocka_unit_test(test_ungated),
	    cmocka_unit_test(test_spacing),
	    cmocka_unit_test(test_one_in_flight),
	    cmocka_unit_test(test_hosts_independent_and_longest_interval),
	    cmocka_unit_test(test_give_up_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
