/*
 * test_store_push.c: the SQL of push in an in-memory database: the
 * subscriptions table, the ledger that makes a push happen once, the
 * baseline of a new subscription, the deliveries queue (due order,
 * results, replay, pruning) and the WebSub subscribers with their
 * leases.
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

#include "entry.h"
#include "filter.h"
#include "store.h"
#include "store_push.h"
#include "subs.h"

#define NOW 1749988800 /* 2025-06-15T12:00:00Z */
#define NOW_MS ((int64_t)NOW * 1000)

struct fixture {
	struct store *s;
	struct store_push *sp;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct pw_error err;

	f->s = store_open(":memory:", &err);
	assert_non_null(f->s);
	f->sp = store_push_new(f->s, &err);
	assert_non_null(f->sp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_push_free(f->sp);
	store_close(f->s);
	free(f);
	return 0;
}

static void make_sub(struct sub *s, const char *id, const char *origin)
{
	subs_init(s);
	s->id = strdup(id);
	s->url = strdup("http://127.0.0.1:9/hook");
	s->name = strdup("a hook");
	s->filter = json_pack("{s:i}", "min_upvotes", 10);
	s->secret = strdup("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	s->format = PUSH_FORMAT_SLACK;
	s->origin = origin;
	s->backfill = 2;
	s->created_at = NOW;
}

static void insert_sub(struct fixture *f, const char *id)
{
	struct sub s;
	struct pw_error err;

	make_sub(&s, id, SUBS_ORIGIN_API);
	assert_int_equal(store_push_sub_insert(f->sp, &s, &err), 0);
	subs_clear(&s);
}

static void queue(struct fixture *f, const char *id, const char *sub,
    const char *entry, int64_t next_ms)
{
	struct delivery d;
	struct pw_error err;

	delivery_init(&d);
	d.id = (char *)id;
	d.kind = DELIVERY_WEBHOOK;
	d.sub_id = (char *)sub;
	d.entry_id = (char *)entry;
	d.url = "http://127.0.0.1:9/hook";
	d.content_type = "application/json";
	d.body = "{\"a\":1}\0tail";
	d.body_len = 12; /* a NUL inside: stored byte for byte */
	d.next_attempt_ms = next_ms;
	d.created_at = NOW;
	assert_int_equal(store_push_queue_add(f->sp, &d, &err), 0);
}

static void test_subscriptions(void **state)
{
	struct fixture *f = *state;
	struct sub s, got, *v = NULL;
	struct pw_error err;
	size_t n = 0;
	bool found, created;
	char *filter;

	insert_sub(f, "sub_a");
	subs_init(&got);
	assert_int_equal(
	    store_push_sub_get(f->sp, "sub_a", &got, &found, &err), 0);
	assert_true(found);
	assert_string_equal(got.id, "sub_a");
	assert_string_equal(got.name, "a hook");
	assert_string_equal(got.url, "http://127.0.0.1:9/hook");
	assert_null(got.feed);
	assert_int_equal(got.format, PUSH_FORMAT_SLACK);
	assert_string_equal(got.origin, SUBS_ORIGIN_API);
	assert_int_equal(got.backfill, 2);
	assert_int_equal(got.created_at, NOW);
	assert_false(got.disabled);
	filter = json_dumps(got.filter, JSON_COMPACT);
	assert_string_equal(filter, "{\"min_upvotes\":10}");
	free(filter);
	/* Ids are unique. */
	make_sub(&s, "sub_a", SUBS_ORIGIN_API);
	assert_int_equal(store_push_sub_insert(f->sp, &s, &err), -1);
	subs_clear(&s);

	/* A config subscription: inserted once, then updated in place. */
	make_sub(&s, "cfg_b", SUBS_ORIGIN_CONFIG);
	assert_int_equal(store_push_sub_upsert(f->sp, &s, &created, &err), 0);
	assert_true(created);
	free(s.name);
	s.name = strdup("renamed");
	s.created_at = NOW + 99;
	assert_int_equal(store_push_sub_upsert(f->sp, &s, &created, &err), 0);
	assert_false(created);
	assert_int_equal(
	    store_push_sub_get(f->sp, "cfg_b", &got, &found, &err), 0);
	assert_string_equal(got.name, "renamed");
	assert_string_equal(got.origin, SUBS_ORIGIN_CONFIG);
	assert_int_equal(got.created_at, NOW); /* kept */
	subs_clear(&s);

	assert_int_equal(store_push_sub_count(f->sp), 2);
	assert_int_equal(store_push_sub_list(f->sp, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].id, "cfg_b"); /* created_at, then id */
	assert_string_equal(v[1].id, "sub_a");
	for (size_t i = 0; i < n; i++)
		subs_clear(&v[i]);
	free(v);

	assert_int_equal(
	    store_push_sub_disable(f->sp, "sub_a", "gone", &err), 0);
	assert_int_equal(
	    store_push_sub_get(f->sp, "sub_a", &got, &found, &err), 0);
	assert_true(got.disabled);
	assert_string_equal(got.disabled_reason, "gone");
	assert_int_equal(store_push_sub_disable(f->sp, "sub_a", NULL, &err), 0);
	assert_int_equal(
	    store_push_sub_get(f->sp, "sub_a", &got, &found, &err), 0);
	assert_false(got.disabled);
	assert_null(got.disabled_reason);

	assert_int_equal(
	    store_push_sub_get(f->sp, "nope", &got, &found, &err), 0);
	assert_false(found);
	subs_clear(&got);
}

static void test_ledger(void **state)
{
	struct fixture *f = *state;
	struct pw_error err;
	bool is_new;

	assert_int_equal(
	    store_push_match(f->sp, "sub_a", "arxiv:1", NOW, &is_new, &err), 0);
	assert_true(is_new);
	assert_int_equal(
	    store_push_match(f->sp, "sub_a", "arxiv:1", NOW + 5, &is_new, &err),
	    0);
	assert_false(is_new);
	/* Per subscription and per entry. */
	assert_int_equal(
	    store_push_match(f->sp, "sub_b", "arxiv:1", NOW, &is_new, &err), 0);
	assert_true(is_new);
	assert_int_equal(
	    store_push_match(f->sp, "sub_a", "arxiv:2", NOW, &is_new, &err), 0);
	assert_true(is_new);
}

static void add_entry(
    struct fixture *f, const char *id, int64_t upvotes, const char *source)
{
	struct entry *e = entry_new();
	struct pw_error err;

	e->id = strdup(id);
	e->title = strdup(id);
	e->upvotes = upvotes;
	assert_int_equal(strv_push(&e->sources, source), 0);
	assert_int_equal(store_upsert(f->s, e, NOW, NULL, &err), 0);
	entry_free(e);
}

/* The state before the transaction, through store_push_prev. */
static struct entry *prev_of(struct fixture *f, const char *id)
{
	struct entry *cur = NULL, *old = NULL;
	struct pw_error err;

	assert_int_equal(store_get(f->s, id, &cur, &err), 0);
	assert_non_null(cur);
	assert_int_equal(store_push_prev(f->sp, cur, &old, &err), 0);
	entry_free(cur);
	return old;
}

static void test_prev(void **state)
{
	struct fixture *f = *state;
	struct pw_error err;
	struct entry *old;

	assert_int_equal(store_begin(f->s, &err), 0);
	add_entry(f, "arxiv:a", 3, "src");
	add_entry(f, "arxiv:b", 7, "src");
	assert_int_equal(store_commit(f->s, &err), 0);
	/* That poll inserted both: no old state. */
	assert_null(prev_of(f, "arxiv:a"));
	assert_int_equal(store_push_prev_clear(f->sp, &err), 0);

	assert_int_equal(store_begin(f->s, &err), 0);
	add_entry(f, "arxiv:a", 12, "other");   /* grows, new source */
	add_entry(f, "arxiv:a", 40, "other");   /* and again */
	add_entry(f, "arxiv:b", 7, "src");      /* unchanged */
	add_entry(f, "arxiv:new", 50, "other"); /* inserted */
	old = prev_of(f, "arxiv:a");
	assert_non_null(old);
	/* The state before the transaction's first change, with the
	 * sources it had then. */
	assert_string_equal(old->id, "arxiv:a");
	assert_int_equal(old->upvotes, 3);
	assert_int_equal(old->sources.n, 1);
	assert_string_equal(old->sources.v[0], "src");
	entry_free(old);
	assert_null(prev_of(f, "arxiv:b"));
	assert_null(prev_of(f, "arxiv:new"));
	assert_int_equal(store_push_prev_clear(f->sp, &err), 0);
	assert_null(prev_of(f, "arxiv:a"));
	assert_int_equal(store_commit(f->s, &err), 0);

	/* A rolled-back transaction leaves no old state behind. */
	assert_int_equal(store_begin(f->s, &err), 0);
	add_entry(f, "arxiv:b", 8, "src");
	old = prev_of(f, "arxiv:b");
	assert_non_null(old);
	assert_int_equal(old->upvotes, 7);
	entry_free(old);
	store_rollback(f->s);
	assert_null(prev_of(f, "arxiv:b"));

	/* A second store_push on the same store (a reopened push module)
	 * finds the triggers in place and keeps working. */
	store_push_free(f->sp);
	f->sp = store_push_new(f->s, &err);
	assert_non_null(f->sp);
	assert_int_equal(store_begin(f->s, &err), 0);
	add_entry(f, "arxiv:b", 9, "src");
	old = prev_of(f, "arxiv:b");
	assert_non_null(old);
	assert_int_equal(old->upvotes, 7);
	entry_free(old);
	assert_int_equal(store_commit(f->s, &err), 0);
}

static void test_queue(void **state)
{
	struct fixture *f = *state;
	struct delivery_due due[8];
	struct delivery d;
	struct pw_error err;
	struct sub_stats st = {0};
	size_t n;
	bool found;
	int64_t replayed;
	json_t *dead;

	insert_sub(f, "sub_a");
	/* Queued out of time order: due rows come back in queue order. */
	queue(f, "msg_1", "sub_a", "arxiv:1", NOW_MS + 500);
	queue(f, "msg_2", "sub_a", "arxiv:2", NOW_MS - 1000);
	queue(f, "msg_3", "sub_a", "arxiv:3", NOW_MS);
	queue(f, "msg_4", "sub_a", "arxiv:4", NOW_MS + 60000);
	/* webhook-ids are unique. */
	delivery_init(&d);
	d.id = "msg_1";
	d.url = "http://x/";
	d.content_type = "a/b";
	d.body = "";
	assert_int_equal(store_push_queue_add(f->sp, &d, &err), -1);

	assert_int_equal(
	    store_push_queue_due(f->sp, NOW_MS, due, 8, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(due[0].seq, 2);
	assert_int_equal(due[1].seq, 3);
	assert_string_equal(due[0].url, "http://127.0.0.1:9/hook");
	assert_int_equal(
	    store_push_queue_due(f->sp, NOW_MS + 500, due, 8, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(due[0].seq, 1);
	assert_int_equal(
	    store_push_queue_due(f->sp, NOW_MS + 500, due, 1, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_push_queue_next(f->sp, NOW_MS), NOW_MS + 500);
	assert_int_equal(
	    store_push_queue_next(f->sp, NOW_MS + 500), NOW_MS + 60000);
	assert_int_equal(store_push_queue_next(f->sp, NOW_MS + 60000), 0);

	delivery_init(&d);
	assert_int_equal(store_push_queue_load(f->sp, 2, &d, &found, &err), 0);
	assert_true(found);
	assert_string_equal(d.id, "msg_2");
	assert_int_equal(d.kind, DELIVERY_WEBHOOK);
	assert_string_equal(d.sub_id, "sub_a");
	assert_string_equal(d.entry_id, "arxiv:2");
	assert_int_equal(d.body_len, 12);
	assert_memory_equal(d.body, "{\"a\":1}\0tail", 12);
	assert_int_equal(d.attempts, 0);

	/* A failed attempt moves the next one; a success ends it. */
	{
		struct delivery_result r1 = {2, "sub_a", "pending", 1,
		    NOW_MS + 9000, 500, "HTTP 500", NOW};
		struct delivery_result r2 = {
		    3, "sub_a", "done", 1, NOW_MS, 200, NULL, NOW + 1};
		struct delivery_result r3 = {1, "sub_a", "dead", 7, NOW_MS, 302,
		    "HTTP 302 (redirects are not followed)", NOW + 2};

		assert_int_equal(store_push_queue_result(f->sp, &r1, &err), 0);
		assert_int_equal(store_push_queue_result(f->sp, &r2, &err), 0);
		assert_int_equal(store_push_queue_result(f->sp, &r3, &err), 0);
	}
	assert_int_equal(
	    store_push_queue_due(f->sp, NOW_MS + 8999, due, 8, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_push_queue_load(f->sp, 2, &d, &found, &err), 0);
	assert_int_equal(d.attempts, 1);
	/* Done and dead deliveries are not loaded for sending. */
	assert_int_equal(store_push_queue_load(f->sp, 3, &d, &found, &err), 0);
	assert_false(found);

	assert_int_equal(store_push_sub_stats(f->sp, "sub_a", &st, &err), 0);
	assert_int_equal(st.pending, 2);
	assert_int_equal(st.done, 1);
	assert_int_equal(st.dead, 1);
	assert_int_equal(st.delivered, 1);
	assert_int_equal(st.failures, 2);
	assert_int_equal(st.last_attempt_at, NOW + 2);
	assert_int_equal(st.last_success_at, NOW + 1);
	assert_int_equal(st.last_status, 302);
	assert_string_equal(
	    st.last_error, "HTTP 302 (redirects are not followed)");
	sub_stats_clear(&st);

	dead = store_push_queue_dead_json(f->sp, "sub_a", &err);
	assert_int_equal(json_array_size(dead), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(dead, 0), "id")),
	    "msg_1");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_array_get(dead, 0), "last_status")),
	    302);
	json_decref(dead);

	/* Replay: the dead one is pending again, due now, attempts reset. */
	assert_int_equal(store_push_queue_replay(
	                     f->sp, "sub_a", NOW_MS + 1, &replayed, &err),
	    0);
	assert_int_equal(replayed, 1);
	assert_int_equal(store_push_queue_load(f->sp, 1, &d, &found, &err), 0);
	assert_true(found);
	assert_int_equal(d.attempts, 0);
	assert_int_equal(d.next_attempt_ms, NOW_MS + 1);

	/* Pruning drops old done rows only. */
	assert_int_equal(store_push_queue_prune(f->sp, NOW + 2, &err), 0);
	assert_int_equal(store_push_sub_stats(f->sp, "sub_a", &st, &err), 0);
	assert_int_equal(st.done, 0);
	assert_int_equal(st.pending, 3);
	sub_stats_clear(&st);
	delivery_clear(&d);
}

static void test_delete_cascades(void **state)
{
	struct fixture *f = *state;
	struct delivery_due due[4];
	struct pw_error err;
	size_t n;
	bool found, is_new;

	insert_sub(f, "sub_a");
	insert_sub(f, "sub_b");
	queue(f, "msg_a", "sub_a", "arxiv:1", NOW_MS);
	queue(f, "msg_b", "sub_b", "arxiv:1", NOW_MS);
	assert_int_equal(
	    store_push_match(f->sp, "sub_a", "arxiv:1", NOW, &is_new, &err), 0);
	assert_int_equal(
	    store_push_sub_delete(f->sp, "sub_a", &found, &err), 0);
	assert_true(found);
	assert_int_equal(
	    store_push_sub_delete(f->sp, "sub_a", &found, &err), 0);
	assert_false(found);
	/* Its queue and its ledger went with it; the other stays. */
	assert_int_equal(
	    store_push_queue_due(f->sp, NOW_MS, due, 4, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(due[0].seq, 2);
	assert_int_equal(
	    store_push_match(f->sp, "sub_a", "arxiv:1", NOW, &is_new, &err), 0);
	assert_true(is_new);
	assert_int_equal(store_push_sub_count(f->sp), 1);
}

static void test_websub(void **state)
{
	struct fixture *f = *state;
	struct websub_sub w = {0}, *v = NULL, got = {0};
	struct delivery_due due[4];
	struct delivery d;
	struct pw_error err;
	size_t n = 0;
	int64_t expired;
	bool created, found, is_new;

	w.id = strdup("ws_1");
	w.callback = strdup("http://127.0.0.1:9/cb");
	w.topic = strdup("http://127.0.0.1:8/feed.atom");
	w.secret = strdup("s3cret");
	w.lease_seconds = 100;
	w.lease_expires = NOW + 100;
	w.created_at = NOW;
	assert_int_equal(store_push_websub_put(f->sp, &w, &created, &err), 0);
	assert_true(created);
	/* A renewal keeps the id and takes the new lease and secret. */
	free(w.id);
	w.id = strdup("ws_2");
	free(w.secret);
	w.secret = NULL;
	w.lease_expires = NOW + 50;
	assert_int_equal(store_push_websub_put(f->sp, &w, &created, &err), 0);
	assert_false(created);
	assert_string_equal(w.id, "ws_1");
	assert_int_equal(
	    store_push_websub_get(f->sp, "ws_1", &got, &found, &err), 0);
	assert_true(found);
	assert_null(got.secret);
	assert_int_equal(got.lease_expires, NOW + 50);
	assert_string_equal(got.topic, "http://127.0.0.1:8/feed.atom");
	websub_sub_clear(&got);

	assert_int_equal(store_push_websub_count(f->sp, NOW), 1);
	assert_int_equal(
	    store_push_websub_list(f->sp, NOW + 49, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	websub_sub_clear(&v[0]);
	free(v);
	v = NULL;
	n = 0;
	assert_int_equal(
	    store_push_websub_list(f->sp, NOW + 50, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	free(v);

	/* A distribution of it, and its ledger. */
	delivery_init(&d);
	d.id = "msg_ws";
	d.kind = DELIVERY_WEBSUB;
	d.sub_id = "ws_1";
	d.url = w.callback;
	d.topic = w.topic;
	d.content_type = "application/atom+xml; charset=utf-8";
	d.body = "<feed/>";
	d.body_len = 7;
	d.next_attempt_ms = NOW_MS;
	d.created_at = NOW;
	assert_int_equal(store_push_queue_add(f->sp, &d, &err), 0);
	assert_int_equal(
	    store_push_match(f->sp, "ws_1", "arxiv:1", NOW, &is_new, &err), 0);
	delivery_init(&d);
	assert_int_equal(store_push_queue_load(f->sp, 1, &d, &found, &err), 0);
	assert_int_equal(d.kind, DELIVERY_WEBSUB);
	assert_string_equal(d.topic, "http://127.0.0.1:8/feed.atom");
	delivery_clear(&d);

	/* The lease lapses: gone with its queue and ledger. */
	assert_int_equal(
	    store_push_websub_expire(f->sp, NOW + 49, &expired, &err), 0);
	assert_int_equal(expired, 0);
	assert_int_equal(
	    store_push_websub_expire(f->sp, NOW + 50, &expired, &err), 0);
	assert_int_equal(expired, 1);
	assert_int_equal(
	    store_push_websub_get(f->sp, "ws_1", &got, &found, &err), 0);
	assert_false(found);
	assert_int_equal(
	    store_push_queue_due(f->sp, NOW_MS, due, 4, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    store_push_match(f->sp, "ws_1", "arxiv:1", NOW, &is_new, &err), 0);
	assert_true(is_new);

	/* Unsubscribing by (callback, topic). */
	free(w.id);
	w.id = strdup("ws_3");
	assert_int_equal(store_push_websub_put(f->sp, &w, &created, &err), 0);
	assert_true(created);
	assert_int_equal(
	    store_push_websub_delete(f->sp, w.callback, w.topic, &err), 0);
	assert_int_equal(store_push_websub_count(f->sp, NOW), 0);
	websub_sub_clear(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_subscriptions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ledger, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_prev, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_delete_cascades, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_websub, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
