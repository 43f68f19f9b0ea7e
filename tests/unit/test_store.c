/* test_store.c: schema, upsert merge rules, transactions, queries and
 * source state of the SQLite store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "entry.h"
#include "filter.h"
#include "store.h"

#define DAY 86400
/* 2025-06-15T00:00:00Z and noon of that day. */
#define DAY0 1749945600
#define NOW (DAY0 + 12 * 3600)

/* ---- helpers ---- */

static struct entry *mk(const char *id, const char *title)
{
	struct entry *e = entry_new();

	assert_non_null(e);
	e->id = strdup(id);
	e->title = strdup(title);
	return e;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v != NULL ? strdup(v) : NULL;
}

/* Pushes a NULL-terminated list of strings. */
static void push_all(struct strv *sv, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, sv);
	while ((s = va_arg(ap, const char *)) != NULL)
		assert_int_equal(strv_push(sv, s), 0);
	va_end(ap);
}

static enum store_outcome upsert_one(
    struct store *s, const struct entry *e, int64_t now)
{
	struct pw_error err = {{0}};
	enum store_outcome out = (enum store_outcome) - 1;

	assert_int_equal(store_begin(s, &err), 0);
	if (store_upsert(s, e, now, &out, &err) != 0)
		fail_msg("upsert: %s", err.msg);
	assert_int_equal(store_commit(s, &err), 0);
	return out;
}

static struct entry *get(struct store *s, const char *id)
{
	struct pw_error err = {{0}};
	struct entry *e = (struct entry *)1;

	if (store_get(s, id, &e, &err) != 0)
		fail_msg("get: %s", err.msg);
	return e;
}

static struct store *open_memory(void)
{
	struct pw_error err = {{0}};
	struct store *s = store_open(":memory:", &err);

	if (s == NULL)
		fail_msg("open: %s", err.msg);
	return s;
}

/* Builds a filter from key/value pairs ending with NULL. */
static void make_filter(struct filter *f, ...)
{
	struct pw_error err = {{0}};
	va_list ap;
	const char *k;

	filter_init(f);
	va_start(ap, f);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);

		if (filter_set(f, k, v, &err) != 0)
			fail_msg("filter %s=%s: %s", k, v, err.msg);
	}
	va_end(ap);
}

/* Runs f and compares the ids of the result, in order, with the
 * NULL-terminated expected list. */
static void expect_ids(
    struct store *s, const struct filter *f, int64_t now, ...)
{
	struct pw_error err = {{0}};
	struct entry_list l;
	const char *want[64];
	size_t n = 0;
	va_list ap;

	va_start(ap, now);
	while ((want[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	entry_list_init(&l);
	if (store_query(s, f, now, &l, &err) != 0)
		fail_msg("query: %s", err.msg);
	for (size_t i = 0; i < l.n && i < n; i++)
		if (strcmp(l.v[i]->id, want[i]) != 0)
			fail_msg("result %zu is %s, expected %s", i, l.v[i]->id,
			    want[i]);
	if (l.n != n)
		fail_msg("%zu results, expected %zu", l.n, n);
	entry_list_free(&l);
}

/* Same as expect_ids for a filter given as one key=value pair. */
#define EXPECT1(s, k, v, ...)                                                  \
	do {                                                                   \
		struct filter f_;                                              \
		make_filter(&f_, k, v, NULL);                                  \
		expect_ids(s, &f_, NOW, __VA_ARGS__, NULL);                    \
		filter_free(&f_);                                              \
	} while (0)

static int user_version_of(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

struct tmpdb {
	char dir[64];
	char path[128];
};

static void tmpdb_make(struct tmpdb *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/pw.db", t->dir);
}

static void tmpdb_remove(struct tmpdb *t)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[160];

	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, suffix[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

/* ---- opening and schema ---- */

static void test_open_memory_is_empty(void **state)
{
	struct store *s = open_memory();
	struct entry *e;

	assert_int_equal(store_count(s, NULL), 0);
	assert_int_equal(store_count(s, "hf_daily"), 0);
	assert_int_equal(store_last_change(s), 0);
	assert_int_equal(store_generation(s), 1);
	e = get(s, "arxiv:0000.0000");
	assert_null(e);
	store_close(s);
}

static void test_file_reopen_is_idempotent(void **state)
{
	struct pw_error err = {{0}};
	struct tmpdb t;
	struct store *s;
	struct entry *e = mk("arxiv:1", "One");
	struct entry *got;
	int v1;

	tmpdb_make(&t);
	s = store_open(t.path, &err);
	if (s == NULL)
		fail_msg("open: %s", err.msg);
	assert_int_equal(upsert_one(s, e, NOW), STORE_INSERTED);
	store_close(s);
	v1 = user_version_of(t.path);
	assert_true(v1 > 0);

	s = store_open(t.path, &err);
	if (s == NULL)
		fail_msg("reopen: %s", err.msg);
	assert_int_equal(store_count(s, NULL), 1);
	got = get(s, "arxiv:1");
	assert_non_null(got);
	assert_string_equal(got->title, "One");
	assert_int_equal(store_generation(s), 1);
	store_close(s);
	assert_int_equal(user_version_of(t.path), v1);

	entry_free(got);
	entry_free(e);
	tmpdb_remove(&t);
}

static void test_file_uses_wal(void **state)
{
	struct pw_error err = {{0}};
	struct tmpdb t;
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *st;

	tmpdb_make(&t);
	s = store_open(t.path, &err);
	assert_non_null(s);
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
	store_close(s);
	tmpdb_remove(&t);
}

static void test_newer_schema_is_refused(void **state)
{
	struct pw_error err = {{0}};
	struct tmpdb t;
	sqlite3 *db;

	tmpdb_make(&t);
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "PRAGMA user_version = 9999", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(t.path, &err));
	assert_non_null(strstr(err.msg,
	    "database schema version 9999 is newer than this paperwire"));
	/* Refusing does not touch the file. */
	assert_int_equal(user_version_of(t.path), 9999);
	tmpdb_remove(&t);
}

static void test_open_bad_path_fails(void **state)
{
	struct pw_error err = {{0}};

	assert_null(store_open("/nonexistent-dir/x/pw.db", &err));
	assert_non_null(
	    strstr(err.msg, "store: open /nonexistent-dir/x/pw.db"));
}

/* ---- upsert ---- */

static void test_upsert_outcomes(void **state)
{
	struct store *s = open_memory();
	struct entry *e = mk("arxiv:2306.03091", "A Paper");

	e->upvotes = 3;
	assert_int_equal(upsert_one(s, e, NOW), STORE_INSERTED);
	assert_int_equal(upsert_one(s, e, NOW + 10), STORE_UNCHANGED);
	e->upvotes = 4;
	assert_int_equal(upsert_one(s, e, NOW + 20), STORE_UPDATED);
	assert_int_equal(store_count(s, NULL), 1);
	store_close(s);
	entry_free(e);
}

static void test_round_trip_every_field(void **state)
{
	struct store *s = open_memory();
	struct entry *e = mk("arxiv:2401.00001", "Tëst \"quoted\" title");
	struct entry *g;

	set_str(
	    &e->summary, "An abstract with UTF-8: 李雷 and a \\ backslash.");
	push_all(&e->authors, "José Núñez", "A \"Quote\" Person", "李雷", NULL);
	e->published_at = DAY0 - 3 * DAY;
	e->listed_at = DAY0 - DAY;
	e->upvotes = 42;
	e->comments = 0;
	e->github_stars = 7;
	set_str(&e->github_repo, "https://github.com/o/r");
	set_str(&e->project_page, "https://example.org/p");
	set_str(&e->ai_summary, "Short AI summary.");
	push_all(&e->ai_keywords, "diffusion", "text-to-video", NULL);
	set_str(&e->thumbnail, "https://cdn.example/t.png");
	set_str(&e->organization, "Example Lab");
	push_all(&e->sources, "hf_trending", "hf_daily", NULL);
	set_str(&e->hf_url, "https://huggingface.co/papers/2401.00001");
	set_str(&e->arxiv_url, "https://arxiv.org/abs/2401.00001");
	set_str(&e->pdf_url, "https://arxiv.org/pdf/2401.00001");
	set_str(&e->url, "https://example.org/post/1");
	push_all(&e->categories, "cs.CL", "cs.AI", NULL);
	set_str(&e->comment, "12 pages, 3 figures");
	assert_int_equal(upsert_one(s, e, NOW), STORE_INSERTED);

	g = get(s, e->id);
	assert_non_null(g);
	assert_string_equal(g->id, e->id);
	assert_string_equal(g->title, e->title);
	assert_string_equal(g->summary, e->summary);
	assert_int_equal(g->authors.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(g->authors.v[i], e->authors.v[i]);
	assert_int_equal(g->published_at, DAY0 - 3 * DAY);
	assert_int_equal(g->listed_at, DAY0 - DAY);
	assert_int_equal(g->first_seen_at, NOW);
	assert_int_equal(g->updated_at, NOW);
	assert_int_equal(g->upvotes, 42);
	assert_int_equal(g->comments, 0);
	assert_int_equal(g->github_stars, 7);
	assert_string_equal(g->github_repo, e->github_repo);
	assert_string_equal(g->project_page, e->project_page);
	assert_string_equal(g->ai_summary, e->ai_summary);
	assert_int_equal(g->ai_keywords.n, 2);
	assert_string_equal(g->ai_keywords.v[0], "diffusion");
	assert_string_equal(g->ai_keywords.v[1], "text-to-video");
	assert_string_equal(g->thumbnail, e->thumbnail);
	assert_string_equal(g->organization, e->organization);
	assert_string_equal(g->hf_url, e->hf_url);
	assert_string_equal(g->arxiv_url, e->arxiv_url);
	assert_string_equal(g->pdf_url, e->pdf_url);
	assert_string_equal(g->url, e->url);
	assert_int_equal(g->categories.n, 2);
	assert_string_equal(g->categories.v[0], "cs.CL");
	assert_string_equal(g->categories.v[1], "cs.AI");
	assert_string_equal(g->comment, e->comment);
	/* Sources come back sorted by name. */
	assert_int_equal(g->sources.n, 2);
	assert_string_equal(g->sources.v[0], "hf_daily");
	assert_string_equal(g->sources.v[1], "hf_trending");
	entry_free(g);
	entry_free(e);
	store_close(s);
}

static void test_unknown_values_stay_unknown(void **state)
{
	struct store *s = open_memory();
	struct entry *e = mk("x:1", "Bare");
	struct entry *g;

	assert_int_equal(upsert_one(s, e, NOW), STORE_INSERTED);
	g = get(s, "x:1");
	assert_non_null(g);
	assert_null(g->summary);
	assert_int_equal(g->authors.n, 0);
	assert_int_equal(g->published_at, 0);
	assert_int_equal(g->listed_at, 0);
	assert_int_equal(g->upvotes, -1);
	assert_int_equal(g->comments, -1);
	assert_int_equal(g->github_stars, -1);
	assert_null(g->github_repo);
	assert_int_equal(g->ai_keywords.n, 0);
	assert_int_equal(g->sources.n, 0);
	assert_null(g->pdf_url);
	entry_free(g);
	entry_free(e);
	store_close(s);
}

static void test_merge_rules(void **state)
{
	struct store *s = open_memory();
	struct entry *e = mk("arxiv:1", "Title v1");
	struct entry *n, *g;

	set_str(&e->summary, "Summary v1");
	set_str(&e->github_repo, "https://github.com/a/b");
	push_all(&e->authors, "Ann", "Bob", NULL);
	push_all(&e->ai_keywords, "k1", NULL);
	push_all(&e->sources, "a", NULL);
	e->upvotes = 5;
	e->comments = 2;
	e->github_stars = 10;
	e->published_at = DAY0 - 9 * DAY;
	e->listed_at = DAY0 - 2 * DAY;
	assert_int_equal(upsert_one(s, e, NOW), STORE_INSERTED);

	/* A later sighting that knows less, with new counters, an earlier
	 * list date and another source. */
	n = mk("arxiv:1", "Title v1");
	n->upvotes = 7;
	n->listed_at = DAY0 - 4 * DAY;
	push_all(&n->sources, "b", NULL);
	assert_int_equal(upsert_one(s, n, NOW + DAY), STORE_UPDATED);
	g = get(s, "arxiv:1");
	assert_string_equal(g->summary, "Summary v1");
	assert_string_equal(g->github_repo, "https://github.com/a/b");
	assert_int_equal(g->authors.n, 2);
	assert_int_equal(g->ai_keywords.n, 1);
	assert_int_equal(g->upvotes, 7);
	assert_int_equal(g->comments, 2);
	assert_int_equal(g->github_stars, 10);
	assert_int_equal(g->published_at, DAY0 - 9 * DAY);
	assert_int_equal(g->listed_at, DAY0 - 4 * DAY);
	assert_int_equal(g->first_seen_at, NOW);
	assert_int_equal(g->updated_at, NOW + DAY);
	assert_int_equal(g->sources.n, 2);
	assert_string_equal(g->sources.v[0], "a");
	assert_string_equal(g->sources.v[1], "b");
	entry_free(g);

	/* A later list date changes nothing, so nothing moves. */
	entry_clear(n);
	n->id = strdup("arxiv:1");
	n->title = strdup("Title v1");
	n->listed_at = DAY0;
	push_all(&n->sources, "a", NULL);
	assert_int_equal(upsert_one(s, n, NOW + 2 * DAY), STORE_UNCHANGED);
	g = get(s, "arxiv:1");
	assert_int_equal(g->listed_at, DAY0 - 4 * DAY);
	assert_int_equal(g->updated_at, NOW + DAY);
	assert_int_equal(g->first_seen_at, NOW);
	entry_free(g);

	/* A new source alone is a change. */
	entry_clear(n);
	n->id = strdup("arxiv:1");
	n->title = strdup("Title v1");
	push_all(&n->sources, "c", NULL);
	assert_int_equal(upsert_one(s, n, NOW + 3 * DAY), STORE_UPDATED);
	g = get(s, "arxiv:1");
	assert_int_equal(g->sources.n, 3);
	assert_string_equal(g->sources.v[2], "c");
	assert_int_equal(g->updated_at, NOW + 3 * DAY);
	assert_int_equal(store_count(s, "c"), 1);
	entry_free(g);

	/* Given fields replace, lists included; first_seen_at never moves,
	 * even when seen "earlier". */
	entry_clear(n);
	n->id = strdup("arxiv:1");
	n->title = strdup("Title v2");
	set_str(&n->summary, "Summary v2");
	push_all(&n->authors, "Cy", NULL);
	n->github_stars = 0;
	n->published_at = DAY0 - 8 * DAY;
	assert_int_equal(upsert_one(s, n, NOW - 30 * DAY), STORE_UPDATED);
	g = get(s, "arxiv:1");
	assert_string_equal(g->title, "Title v2");
	assert_string_equal(g->summary, "Summary v2");
	assert_int_equal(g->authors.n, 1);
	assert_string_equal(g->authors.v[0], "Cy");
	assert_int_equal(g->github_stars, 0);
	assert_int_equal(g->upvotes, 7);
	assert_int_equal(g->published_at, DAY0 - 8 * DAY);
	assert_int_equal(g->first_seen_at, NOW);
	assert_int_equal(g->updated_at, NOW - 30 * DAY);
	assert_int_equal(store_last_change(s), NOW - 30 * DAY);
	entry_free(g);

	entry_free(n);
	entry_free(e);
	store_close(s);
}

static void test_listed_at_fills_unknown(void **state)
{
	struct store *s = open_memory();
	struct entry *e = mk("x:1", "T");
	struct entry *g;

	assert_int_equal(upsert_one(s, e, NOW), STORE_INSERTED);
	e->listed_at = DAY0;
	assert_int_equal(upsert_one(s, e, NOW + 1), STORE_UPDATED);
	g = get(s, "x:1");
	assert_int_equal(g->listed_at, DAY0);
	entry_free(g);
	entry_free(e);
	store_close(s);
}

static void test_full_text_follows_updates(void **state)
{
	struct store *s = open_memory();
	struct entry *e = mk("x:1", "Wombat paper");
	struct filter f;

	assert_int_equal(upsert_one(s, e, NOW), STORE_INSERTED);
	make_filter(&f, "q", "wombat", NULL);
	expect_ids(s, &f, NOW, "x:1", NULL);
	filter_free(&f);

	set_str(&e->title, "Platypus paper");
	assert_int_equal(upsert_one(s, e, NOW + 1), STORE_UPDATED);
	make_filter(&f, "q", "wombat", NULL);
	expect_ids(s, &f, NOW, NULL);
	filter_free(&f);
	make_filter(&f, "q", "platypus", NULL);
	expect_ids(s, &f, NOW, "x:1", NULL);
	filter_free(&f);

	/* Keywords are indexed too; a counter update keeps the index. */
	push_all(&e->ai_keywords, "echidna", NULL);
	e->upvotes = 9;
	assert_int_equal(upsert_one(s, e, NOW + 2), STORE_UPDATED);
	e->upvotes = 10;
	assert_int_equal(upsert_one(s, e, NOW + 3), STORE_UPDATED);
	make_filter(&f, "q", "echidna", NULL);
	expect_ids(s, &f, NOW, "x:1", NULL);
	filter_free(&f);
	make_filter(&f, "q", "platypus", NULL);
	expect_ids(s, &f, NOW, "x:1", NULL);
	filter_free(&f);

	entry_free(e);
	store_close(s);
}

static void test_upsert_needs_transaction_and_fields(void **state)
{
	struct pw_error err = {{0}};
	struct store *s = open_memory();
	struct entry *e = mk("x:1", "T");
	struct entry *bad = entry_new();

	assert_int_equal(store_upsert(s, e, NOW, NULL, &err), -1);
	assert_string_equal(err.msg, "store: upsert outside a transaction");
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_upsert(s, bad, NOW, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "store: "));
	/* outcome may be NULL */
	assert_int_equal(store_upsert(s, e, NOW, NULL, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_count(s, NULL), 1);
	entry_free(bad);
	entry_free(e);
	store_close(s);
}

static void test_sqlite_errors_are_reported(void **state)
{
	struct pw_error err = {{0}};
	struct store *s = open_memory();

	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_begin(s, &err), -1);
	assert_non_null(strstr(err.msg, "store: begin: "));
	assert_non_null(strstr(err.msg, "transaction"));
	store_rollback(s);
	store_close(s);
}

/* ---- transactions and generation ---- */

static void test_generation_counts_changing_commits(void **state)
{
	struct pw_error err = {{0}};
	struct store *s = open_memory();
	struct entry *e = mk("x:1", "T");
	enum store_outcome out;

	assert_int_equal(store_generation(s), 1);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_generation(s), 1);

	assert_int_equal(upsert_one(s, e, NOW), STORE_INSERTED);
	assert_int_equal(store_generation(s), 2);
	assert_int_equal(upsert_one(s, e, NOW), STORE_UNCHANGED);
	assert_int_equal(store_generation(s), 2);
	e->comments = 1;
	assert_int_equal(upsert_one(s, e, NOW), STORE_UPDATED);
	assert_int_equal(store_generation(s), 3);

	/* A transaction with a change and unchanged upserts counts once;
	 * the generation only moves at commit. */
	assert_int_equal(store_begin(s, &err), 0);
	e->comments = 2;
	assert_int_equal(store_upsert(s, e, NOW, &out, &err), 0);
	assert_int_equal(out, STORE_UPDATED);
	assert_int_equal(store_upsert(s, e, NOW, &out, &err), 0);
	assert_int_equal(out, STORE_UNCHANGED);
	assert_int_equal(store_generation(s), 3);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_generation(s), 4);

	/* Source state is not an entry change. */
	struct source_state st;
	source_state_init(&st);
	st.failures = 1;
	assert_int_equal(store_source_put(s, "a", &st, &err), 0);
	assert_int_equal(store_generation(s), 4);

	entry_free(e);
	store_close(s);
}

static void test_rollback_leaves_nothing(void **state)
{
	struct pw_error err = {{0}};
	struct store *s = open_memory();
	struct entry *e = mk("x:1", "Kangaroo");
	struct entry *g;
	struct filter f;

	push_all(&e->sources, "a", NULL);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_upsert(s, e, NOW, NULL, &err), 0);
	store_rollback(s);
	assert_int_equal(store_count(s, NULL), 0);
	assert_int_equal(store_count(s, "a"), 0);
	assert_int_equal(store_last_change(s), 0);
	assert_null(get(s, "x:1"));
	make_filter(&f, "q", "kangaroo", NULL);
	expect_ids(s, &f, NOW, NULL);
	filter_free(&f);
	/* A rolled back change does not bump the generation either. */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_generation(s), 1);

	/* And the store is usable afterwards. */
	assert_int_equal(upsert_one(s, e, NOW), STORE_INSERTED);
	g = get(s, "x:1");
	assert_non_null(g);
	entry_free(g);
	entry_free(e);
	store_close(s);
}

/* ---- queries over a small hand-made set ---- */

/*
 * id  first_seen  upvotes comments stars repo published  sources
 * A   NOW-5d      120     10       500   yes  NOW-10d    hf_daily
 * B   NOW-4d      40      2        -     no   NOW-3d     hf_daily,hf_trending
 * C   NOW-3d      -       -        50    yes  -          hf_trending
 * D   NOW-2d      120     0        -     no   NOW-1d     hf_daily
 * E   NOW-1d      5       30       2000  yes  NOW-20d    arxiv_cs
 * F   NOW-5d      120     5        -     no   NOW-2d     hf_daily
 */
static struct store *small_set(void)
{
	struct store *s = open_memory();
	struct entry *e;

	e = mk("A", "Diffusion Models for Video Generation");
	set_str(
	    &e->summary, "We train a large diffusion model on video clips.");
	push_all(&e->authors, "Alice Zhang", "Bob Li", NULL);
	push_all(&e->ai_keywords, "video generation", "diffusion", NULL);
	e->upvotes = 120, e->comments = 10, e->github_stars = 500;
	set_str(&e->github_repo, "https://github.com/a/a");
	e->published_at = NOW - 10 * DAY;
	push_all(&e->sources, "hf_daily", NULL);
	upsert_one(s, e, NOW - 5 * DAY);
	entry_free(e);

	e = mk("B", "Reinforcement Learning from Human Feedback");
	set_str(&e->summary, "Policy optimization with a reward model.");
	push_all(&e->authors, "Carol White", NULL);
	push_all(&e->ai_keywords, "rlhf", "alignment", NULL);
	e->upvotes = 40, e->comments = 2;
	e->published_at = NOW - 3 * DAY;
	push_all(&e->sources, "hf_daily", "hf_trending", NULL);
	upsert_one(s, e, NOW - 4 * DAY);
	entry_free(e);

	e = mk("C", "Large Language Models Can Reason");
	set_str(&e->summary, "Chain of thought prompting elicits reasoning in "
	                     "large language models.");
	push_all(&e->authors, "Dan Brown", "Alice Zhang", NULL);
	push_all(&e->ai_keywords, "reasoning", "large language models", NULL);
	e->github_stars = 50;
	set_str(&e->github_repo, "https://github.com/c/c");
	push_all(&e->sources, "hf_trending", NULL);
	upsert_one(s, e, NOW - 3 * DAY);
	entry_free(e);

	e = mk("D", "Video Language Models");
	set_str(&e->summary,
	    "A video model that answers questions; no diffusion here.");
	push_all(&e->authors, "Eve Black", NULL);
	push_all(&e->ai_keywords, "video understanding", NULL);
	e->upvotes = 120, e->comments = 0;
	e->published_at = NOW - 1 * DAY;
	push_all(&e->sources, "hf_daily", NULL);
	upsert_one(s, e, NOW - 2 * DAY);
	entry_free(e);

	e = mk("E", "Speech Synthesis at Scale");
	set_str(&e->summary, "Audio generation with a language model.");
	push_all(&e->authors, "Frank Green", NULL);
	push_all(&e->ai_keywords, "speech", "audio", NULL);
	e->upvotes = 5, e->comments = 30, e->github_stars = 2000;
	set_str(&e->github_repo, "https://github.com/e/e");
	e->published_at = NOW - 20 * DAY;
	push_all(&e->sources, "arxiv_cs", NULL);
	upsert_one(s, e, NOW - 1 * DAY);
	entry_free(e);

	e = mk("F", "Diffusion Transformers");
	set_str(&e->summary, "Scalable diffusion with transformers.");
	push_all(&e->authors, "Bob Li", NULL);
	push_all(&e->ai_keywords, "diffusion", NULL);
	e->upvotes = 120, e->comments = 5;
	e->published_at = NOW - 2 * DAY;
	push_all(&e->sources, "hf_daily", NULL);
	upsert_one(s, e, NOW - 5 * DAY);
	entry_free(e);
	return s;
}

static int small_setup(void **state)
{
	*state = small_set();
	return 0;
}

static int small_teardown(void **state)
{
	store_close(*state);
	return 0;
}

static void test_sort_orders(void **state)
{
	struct store *s = *state;
	struct filter f;

	/* first_seen desc; A and F tie on first_seen and upvotes: by id. */
	make_filter(&f, NULL);
	expect_ids(s, &f, NOW, "E", "D", "C", "B", "A", "F", NULL);
	filter_free(&f);
	/* published (first_seen when unknown) desc; B and C tie at NOW-3d. */
	EXPECT1(s, "sort", "published", "D", "F", "B", "C", "A", "E");
	/* upvotes desc (unknown as 0), then first_seen desc, then id. */
	EXPECT1(s, "sort", "upvotes", "D", "A", "F", "B", "E", "C");
}

static void test_limit(void **state)
{
	struct store *s = *state;

	EXPECT1(s, "limit", "2", "E", "D");
	EXPECT1(s, "limit", "1", "E");
}

static void test_q_filters(void **state)
{
	struct store *s = *state;

	EXPECT1(s, "q", "diffusion", "D", "A", "F");
	EXPECT1(s, "q", "DIFFUSION", "D", "A", "F");
	EXPECT1(s, "q", "\"language models\"", "D", "C");
	EXPECT1(s, "q", "diffusion -video", "F");
	EXPECT1(s, "q", "speech OR reinforcement", "E", "B");
	EXPECT1(s, "q", "video OR speech language", "E", "D");
	/* "model" is a whole word: "models" does not count. */
	EXPECT1(s, "q", "model", "E", "D", "B", "A");
	/* A keyword-only word ("rlhf") is searched too. */
	EXPECT1(s, "q", "rlhf", "B");
	EXPECT1(s, "q", "nonexistentword", NULL);
	EXPECT1(s, "q", "-diffusion", "E", "C", "B");
}

static void test_text_filters(void **state)
{
	struct store *s = *state;

	EXPECT1(s, "title", "video", "D", "A");
	EXPECT1(s, "title", "DIFFUSION", "A", "F");
	EXPECT1(s, "author", "alice", "C", "A");
	/* Substrings: "li" is in "Alice" and in "Bob Li". */
	EXPECT1(s, "author", "li", "C", "A", "F");
	EXPECT1(s, "keyword", "diffusion", "A", "F");
	EXPECT1(s, "keyword", "Large Language Models", "C");
	/* Exact keywords: "video" is only part of two. */
	EXPECT1(s, "keyword", "video", NULL);
	/* LIKE wildcards in a value are plain characters. */
	EXPECT1(s, "title", "%", NULL);
	EXPECT1(s, "author", "_", NULL);
}

static void test_threshold_filters(void **state)
{
	struct store *s = *state;

	EXPECT1(s, "min_upvotes", "100", "D", "A", "F");
	EXPECT1(s, "min_upvotes", "40", "D", "B", "A", "F");
	EXPECT1(s, "min_upvotes", "0", "E", "D", "C", "B", "A", "F");
	EXPECT1(s, "min_stars", "100", "E", "A");
	EXPECT1(s, "min_comments", "5", "E", "A", "F");
	EXPECT1(s, "has_code", "true", "E", "C", "A");
	EXPECT1(s, "has_code", "false", "D", "B", "F");
}

static void test_time_and_source_filters(void **state)
{
	struct store *s = *state;

	/* 2025-06-12 is NOW-3d's day. */
	EXPECT1(s, "since", "2025-06-12", "E", "D", "C");
	EXPECT1(s, "days", "3", "E", "D", "C");
	EXPECT1(s, "days", "2", "E", "D");
	EXPECT1(s, "source", "hf_trending", "C", "B");
	EXPECT1(s, "source", "hf_daily,arxiv_cs", "E", "D", "B", "A", "F");
	EXPECT1(s, "source", "nowhere", NULL);
}

static void test_combined_and_impossible(void **state)
{
	struct store *s = *state;
	struct filter f, g;

	make_filter(&f, "q", "diffusion", "min_upvotes", "100", "sort",
	    "upvotes", NULL);
	expect_ids(s, &f, NOW, "D", "A", "F", NULL);
	filter_free(&f);
	make_filter(
	    &f, "q", "video", "has_code", "true", "author", "bob", NULL);
	expect_ids(s, &f, NOW, "A", NULL);
	filter_free(&f);
	make_filter(&f, "keyword", "diffusion", "source", "hf_daily", "days",
	    "5", "limit", "1", NULL);
	expect_ids(s, &f, NOW, "A", NULL);
	filter_free(&f);

	make_filter(&f, "has_code", "true", NULL);
	make_filter(&g, "has_code", "false", NULL);
	assert_int_equal(filter_merge(&f, &g), 0);
	assert_true(f.impossible);
	expect_ids(s, &f, NOW, NULL);
	filter_free(&f);
	filter_free(&g);

	make_filter(&f, "source", "hf_daily", NULL);
	make_filter(&g, "source", "arxiv_cs", NULL);
	assert_int_equal(filter_merge(&f, &g), 0);
	expect_ids(s, &f, NOW, NULL);
	filter_free(&f);
	filter_free(&g);
}

static void test_counts(void **state)
{
	struct store *s = *state;

	assert_int_equal(store_count(s, NULL), 6);
	assert_int_equal(store_count(s, "hf_daily"), 4);
	assert_int_equal(store_count(s, "hf_trending"), 2);
	assert_int_equal(store_count(s, "arxiv_cs"), 1);
	assert_int_equal(store_count(s, "nowhere"), 0);
	assert_int_equal(store_last_change(s), NOW - 1 * DAY);
}

/* ---- queries against a brute-force oracle ---- */

#define ORACLE_N 1300

static uint32_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

static const char *const words[] = {"beta", "gamma", "delta", "epsilon", "zeta",
    "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron",
    "pi", "rho", "sigma", "tau", "upsilon", "phi"};
static const char *const names[] = {
    "Ann Lee", "Bo Chen", "Cy Diaz", "Di Ng", "Ed Ito", "Flo Roth"};
static const char *const kws[] = {
    "graph learning", "vision", "speech", "robotics", "rare keyword"};
static const char *const srcs[] = {"a", "b", "c"};

/* The text of n words: the first always "alpha" (so a q of it has more
 * hits than any plan threshold), then words weighted towards the start
 * of the list. */
static void gen_text(char *out, size_t size, int n, bool alpha)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *w =
		    (i == 0 && alpha) ? "alpha" : words[rnd(rnd(20) + 1)];

		len += (size_t)snprintf(
		    out + len, size - len, "%s%s", i ? " " : "", w);
	}
}

struct oracle {
	struct store *s;
	struct entry *e[ORACLE_N];
	enum filter_sort sort;
};

static struct oracle *oracle_data;

static int oracle_setup(void **state)
{
	struct oracle *o = calloc(1, sizeof(*o));
	struct pw_error err = {{0}};
	int64_t t = NOW - 100 * DAY;
	char buf[256];

	o->s = open_memory();
	rng_state = 12345;
	assert_int_equal(store_begin(o->s, &err), 0);
	for (int i = 0; i < ORACLE_N; i++) {
		struct entry *e = entry_new();
		int64_t now;

		/* Unique ids in an order unrelated to insertion. */
		snprintf(buf, sizeof(buf), "id:%05d", (i * 7919) % 10007);
		e->id = strdup(buf);
		gen_text(buf, sizeof(buf), 2 + rnd(4), true);
		e->title = strdup(buf);
		gen_text(buf, sizeof(buf), 5 + rnd(10), false);
		e->summary = strdup(buf);
		for (uint32_t k = 0, n = 1 + rnd(2); k < n; k++)
			strv_push(&e->authors, names[rnd(6)]);
		for (uint32_t k = 0, n = rnd(3); k < n; k++) {
			const char *kw = kws[rnd(5)];

			if (!strv_contains(&e->ai_keywords, kw))
				strv_push(&e->ai_keywords, kw);
		}
		e->upvotes = rnd(5) == 0 ? -1 : (int64_t)rnd(200);
		e->comments = rnd(4) == 0 ? -1 : (int64_t)rnd(20);
		if (rnd(3) == 0) {
			e->github_repo = strdup("https://github.com/x/y");
			e->github_stars = rnd(1000);
		}
		e->published_at = rnd(4) == 0 ? 0 : t - (int64_t)rnd(30) * DAY;
		for (int k = 0; k < 3; k++)
			if (rnd(3) == 0)
				strv_push(&e->sources, srcs[k]);
		/* Time mostly moves on, in polls of a few entries, but
		 * sometimes goes back: nothing may rely on row order. */
		if (rnd(5) == 0)
			t += 3600 * (int64_t)rnd(24);
		now = rnd(50) == 0 ? t - (int64_t)rnd(60) * DAY : t;
		if (store_upsert(o->s, e, now, NULL, &err) != 0)
			fail_msg("upsert: %s", err.msg);
		/* The oracle's copy, as the store should hold it. */
		e->first_seen_at = now;
		o->e[i] = e;
	}
	assert_int_equal(store_commit(o->s, &err), 0);
	assert_int_equal(store_count(o->s, NULL), ORACLE_N);
	*state = o;
	return 0;
}

static int oracle_teardown(void **state)
{
	struct oracle *o = *state;

	for (int i = 0; i < ORACLE_N; i++)
		entry_free(o->e[i]);
	store_close(o->s);
	free(o);
	return 0;
}

static int64_t nz(int64_t v)
{
	return v < 0 ? 0 : v;
}

static int cmp_i64_desc(int64_t a, int64_t b)
{
	return (a < b) - (a > b);
}

static int oracle_cmp(const void *pa, const void *pb)
{
	const struct entry *a = *(struct entry *const *)pa;
	const struct entry *b = *(struct entry *const *)pb;
	int c = 0;

	switch (oracle_data->sort) {
	case FILTER_SORT_FIRST_SEEN:
		c = cmp_i64_desc(a->first_seen_at, b->first_seen_at);
		if (c == 0)
			c = cmp_i64_desc(nz(a->upvotes), nz(b->upvotes));
		break;
	case FILTER_SORT_PUBLISHED:
		c = cmp_i64_desc(
		    a->published_at ? a->published_at : a->first_seen_at,
		    b->published_at ? b->published_at : b->first_seen_at);
		break;
	case FILTER_SORT_UPVOTES:
		c = cmp_i64_desc(nz(a->upvotes), nz(b->upvotes));
		if (c == 0)
			c = cmp_i64_desc(a->first_seen_at, b->first_seen_at);
		break;
	}
	return c != 0 ? c : strcmp(a->id, b->id);
}

/* Compares store_query with a brute force over the oracle's own copies:
 * filter_match on each, sorted by oracle_cmp, cut at the limit. */
static void oracle_check(struct oracle *o, const struct filter *f)
{
	struct pw_error err = {{0}};
	const struct entry *want[ORACLE_N];
	struct entry_list got;
	size_t n = 0;

	for (int i = 0; i < ORACLE_N; i++)
		if (filter_match(f, o->e[i], NOW))
			want[n++] = o->e[i];
	oracle_data = o;
	o->sort = f->sort;
	qsort(want, n, sizeof(want[0]), oracle_cmp);
	if (n > (size_t)f->limit)
		n = (size_t)f->limit;

	entry_list_init(&got);
	if (store_query(o->s, f, NOW, &got, &err) != 0)
		fail_msg("query: %s", err.msg);
	if (got.n != n)
		fail_msg("%zu results, expected %zu", got.n, n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(got.v[i]->id, want[i]->id) != 0)
			fail_msg("result %zu is %s, expected %s", i,
			    got.v[i]->id, want[i]->id);
	entry_list_free(&got);
}

static void test_oracle(void **state)
{
	static const char *const filters[][6] = {
	    {NULL},
	    {"q", "alpha", NULL},
	    {"q", "beta", NULL},
	    {"q", "phi", NULL},
	    {"q", "\"alpha beta\"", NULL},
	    {"q", "alpha -beta", NULL},
	    {"q", "upsilon OR phi", NULL},
	    {"q", "alpha", "min_upvotes", "150", NULL},
	    {"q", "beta gamma", "has_code", "true", NULL},
	    {"q", "vision", NULL},
	    {"min_upvotes", "190", NULL},
	    {"min_stars", "900", NULL},
	    {"min_comments", "18", NULL},
	    {"has_code", "false", NULL},
	    {"title", "ta ga", NULL},
	    {"author", "chen", NULL},
	    {"keyword", "rare keyword", NULL},
	    {"keyword", "graph learning", "q", "alpha", NULL},
	    {"source", "b", NULL},
	    {"source", "a,c", "q", "gamma", NULL},
	    /* More source rows than any plan threshold: walked. */
	    {"source", "a,b,c", NULL},
	    {"source", "a,b,c", "q", "phi", NULL},
	    {"source", "b", "q", "alpha", NULL},
	    {"days", "20", NULL},
	    {"since", "2025-05-01", "q", "alpha", NULL},
	};
	static const char *const sorts[] = {
	    "first_seen", "published", "upvotes"};
	static const char *const limits[] = {"3", "50", "500"};
	struct oracle *o = *state;

	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		for (size_t j = 0; j < 3; j++)
			for (size_t k = 0; k < 3; k++) {
				struct pw_error err = {{0}};
				struct filter f;

				filter_init(&f);
				for (size_t p = 0; filters[i][p] != NULL;
				     p += 2)
					assert_int_equal(
					    filter_set(&f, filters[i][p],
					        filters[i][p + 1], &err),
					    0);
				assert_int_equal(
				    filter_set(&f, "sort", sorts[j], &err), 0);
				assert_int_equal(
				    filter_set(&f, "limit", limits[k], &err),
				    0);
				oracle_check(o, &f);
				filter_free(&f);
			}
}

/* ---- source state ---- */

static void test_source_state_round_trip(void **state)
{
	struct pw_error err = {{0}};
	struct store *s = open_memory();
	struct source_state st, got;

	source_state_init(&got);
	assert_int_equal(store_source_get(s, "hf_daily", &got, &err), 0);
	assert_null(got.last_error);
	assert_int_equal(got.last_attempt, 0);
	assert_int_equal(got.failures, 0);
	assert_int_equal(got.http_status, 0);

	source_state_init(&st);
	st.last_attempt = NOW;
	st.last_success = NOW - 60;
	st.last_failure = NOW - 3600;
	st.last_error = strdup("HTTP 429");
	st.http_status = 429;
	st.failures = 3;
	assert_int_equal(store_source_put(s, "hf_daily", &st, &err), 0);
	assert_int_equal(store_source_get(s, "hf_daily", &got, &err), 0);
	assert_int_equal(got.last_attempt, NOW);
	assert_int_equal(got.last_success, NOW - 60);
	assert_int_equal(got.last_failure, NOW - 3600);
	assert_string_equal(got.last_error, "HTTP 429");
	assert_int_equal(got.http_status, 429);
	assert_int_equal(got.failures, 3);

	/* Replacing inside a transaction, with NULLs. */
	source_state_clear(&st);
	st.last_attempt = NOW + 1;
	st.last_success = NOW + 1;
	st.http_status = 200;
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_source_put(s, "hf_daily", &st, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_source_get(s, "hf_daily", &got, &err), 0);
	assert_null(got.last_error);
	assert_int_equal(got.last_success, NOW + 1);
	assert_int_equal(got.last_failure, 0);
	assert_int_equal(got.http_status, 200);
	assert_int_equal(got.failures, 0);

	/* Other sources are separate. */
	assert_int_equal(store_source_get(s, "other", &got, &err), 0);
	assert_int_equal(got.last_attempt, 0);

	source_state_clear(&st);
	source_state_clear(&got);
	store_close(s);
}

/* ---- fetch memos ---- */

static void test_fetch_memo_round_trip(void **state)
{
	struct pw_error err = {{0}};
	struct store *s = open_memory();
	struct fetch_memo m, got;
	const char *url = "http://127.0.0.1/api?date=2026-06-12&p=0";

	fetch_memo_init(&got);
	assert_int_equal(store_memo_get(s, "hf", url, &got, &err), 0);
	assert_null(got.etag);
	assert_null(got.body_hash);
	assert_int_equal(got.items, 0);

	fetch_memo_init(&m);
	m.etag = strdup("\"abc\"");
	m.last_modified = strdup("Fri, 12 Jun 2026 08:30:00 GMT");
	m.body_hash = strdup("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
	                     "a495991b7852b855");
	m.items = 30;
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_memo_put(s, "hf", url, &m, NOW, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_memo_get(s, "hf", url, &got, &err), 0);
	assert_string_equal(got.etag, m.etag);
	assert_string_equal(got.last_modified, m.last_modified);
	assert_string_equal(got.body_hash, m.body_hash);
	assert_int_equal(got.items, 30);

	/* Keyed by source and URL: another source's memo is separate. */
	assert_int_equal(store_memo_get(s, "other", url, &got, &err), 0);
	assert_null(got.etag);

	/* A rolled-back put leaves the old memo. */
	free(m.etag);
	m.etag = NULL;
	m.items = 7;
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_memo_put(s, "hf", url, &m, NOW + 1, &err), 0);
	store_rollback(s);
	assert_int_equal(store_memo_get(s, "hf", url, &got, &err), 0);
	assert_string_equal(got.etag, "\"abc\"");
	assert_int_equal(got.items, 30);

	fetch_memo_clear(&m);
	fetch_memo_clear(&got);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_memory_is_empty),
	    cmocka_unit_test(test_file_reopen_is_idempotent),
	    cmocka_unit_test(test_file_uses_wal),
	    cmocka_unit_test(test_newer_schema_is_refused),
	    cmocka_unit_test(test_open_bad_path_fails),
	    cmocka_unit_test(test_upsert_outcomes),
	    cmocka_unit_test(test_round_trip_every_field),
	    cmocka_unit_test(test_unknown_values_stay_unknown),
	    cmocka_unit_test(test_merge_rules),
	    cmocka_unit_test(test_listed_at_fills_unknown),
	    cmocka_unit_test(test_full_text_follows_updates),
	    cmocka_unit_test(test_upsert_needs_transaction_and_fields),
	    cmocka_unit_test(test_sqlite_errors_are_reported),
	    cmocka_unit_test(test_generation_counts_changing_commits),
	    cmocka_unit_test(test_rollback_leaves_nothing),
	    cmocka_unit_test_setup_teardown(
	        test_sort_orders, small_setup, small_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_limit, small_setup, small_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_q_filters, small_setup, small_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_text_filters, small_setup, small_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_threshold_filters, small_setup, small_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_time_and_source_filters, small_setup, small_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_combined_and_impossible, small_setup, small_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_counts, small_setup, small_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_oracle, oracle_setup, oracle_teardown),
	    cmocka_unit_test(test_source_state_round_trip),
	    cmocka_unit_test(test_fetch_memo_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
