/*
 * store.c: opening the database, transactions, upserts and source state.
 *
 * Every statement but store_query's is prepared once at open and reused;
 * store_stmt hands one out reset and unbound. An upsert reads the stored
 * row, merges in C and writes only on a real change, so updated_at, the
 * full-text triggers and the generation move only when something did.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

/* Parameters ?1..?21 of ST_INSERT and ST_UPDATE (see store_row_bind). */
#define ENTRY_VALUES                                                           \
	"id, title, summary, authors, author_count, published_at,"             \
	" listed_at, first_seen_at, updated_at, upvotes, comments,"            \
	" github_repo, github_stars, project_page, ai_summary,"                \
	" ai_keywords, thumbnail, organization, hf_url, arxiv_url, pdf_url,"   \
	" url, categories, comment"

static const char *const stmt_sql[ST__COUNT] = {
    /* IMMEDIATE takes the write lock now, so a poll never fails half
     * way because another connection started writing first. */
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_BY_ID] = "SELECT " STORE_ENTRY_COLUMNS " FROM entries"
                 " WHERE id = ?1",
    [ST_BY_ROWID] = "SELECT " STORE_ENTRY_COLUMNS " FROM entries"
                    " WHERE rowid = ?1",
    [ST_SOURCES] = "SELECT source FROM entry_sources"
                   " WHERE entry_rowid = ?1 ORDER BY source",
    [ST_INSERT] = "INSERT INTO entries (" ENTRY_VALUES ") VALUES (?1, ?2,"
                  " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                  " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
    /* first_seen_at (?8) is never rewritten. */
    [ST_UPDATE] = "UPDATE entries SET title = ?2, summary = ?3,"
                  " authors = ?4, author_count = ?5, published_at = ?6,"
                  " listed_at = ?7, updated_at = ?9, upvotes = ?10,"
                  " comments = ?11, github_repo = ?12, github_stars = ?13,"
                  " project_page = ?14, ai_summary = ?15,"
                  " ai_keywords = ?16, thumbnail = ?17,"
                  " organization = ?18, hf_url = ?19, arxiv_url = ?20,"
                  " pdf_url = ?21, url = ?22, categories = ?23,"
                  " comment = ?24 WHERE id = ?1",
    [ST_ADD_SOURCE] = "INSERT OR IGNORE INTO entry_sources"
                      " (entry_rowid, source) VALUES (?1, ?2)",
    [ST_COUNT] = "SELECT COUNT(*) FROM entries",
    [ST_COUNT_SOURCE] = "SELECT COUNT(*) FROM entry_sources"
                        " WHERE source = ?1",
    /* A bare MAX() is read off the index; an empty table gives NULL,
     * which reads as 0. */
    [ST_LAST_CHANGE] = "SELECT MAX(updated_at) FROM entries",
    [ST_FTS_HITS] = "SELECT rowid FROM entries_fts"
                    " WHERE entries_fts MATCH ?1 ORDER BY rowid DESC",
    [ST_SOURCE_ROWS] = "SELECT COUNT(*) FROM (SELECT 1 FROM entry_sources"
                       " WHERE source = ?1 LIMIT ?2)",
    [ST_STATE_GET] = "SELECT last_attempt,"
                     " last_success, last_failure, last_error,"
                     " http_status, failures FROM source_state"
                     " WHERE name = ?1",
    [ST_STATE_PUT] = "INSERT INTO source_state (name, last_attempt,"
                     " last_success, last_failure, last_error,"
                     " http_status, failures)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                     " ON CONFLICT (name) DO UPDATE SET"
                     " last_attempt = excluded.last_attempt,"
                     " last_success = excluded.last_success,"
                     " last_failure = excluded.last_failure,"
                     " last_error = excluded.last_error,"
                     " http_status = excluded.http_status,"
                     " failures = excluded.failures",
    [ST_MEMO_GET] = "SELECT etag, last_modified, body_hash, items"
                    " FROM fetch_memo WHERE source = ?1 AND url = ?2",
    [ST_MEMO_PUT] = "INSERT OR REPLACE INTO fetch_memo (source, url, etag,"
                    " last_modified, body_hash, items, saved_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

int store_db_error(struct store *s, struct pw_error *err, const char *what)
{
	return pw_error_set(err, "store: %s: %s", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *store_stmt(struct store *s, enum store_stmt id)
{
	sqlite3_stmt *st = s->st[id];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

/* Steps a statement that returns no row and resets it. 0 or -1. */
static int run(
    struct store *s, sqlite3_stmt *st, const char *what, struct pw_error *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE)
		store_db_error(s, err, what);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Steps a statement that returns one integer and resets it; a NULL reads
 * as 0. -1 on error. */
static int64_t scalar(sqlite3_stmt *st)
{
	int64_t v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

static int exec(
    struct store *s, const char *sql, const char *what, struct pw_error *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(s, err, what);
	return 0;
}

struct store *store_open(const char *path, struct pw_error *err)
{
	struct store *s = calloc(1, sizeof(*s));
	int rc;

	if (s == NULL) {
		pw_error_set(err, "store: out of memory");
		return NULL;
	}
	s->generation = 1;
	rc = sqlite3_open_v2(path, &s->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	    NULL);
	if (rc != SQLITE_OK) {
		pw_error_set(err, "store: open %s: %s", path,
		    s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	/*
	 * WAL lets readers run during a poll's write transaction and
	 * survives kill -9. synchronous=FULL also makes each commit durable
	 * across power loss (in WAL mode NORMAL may lose the last commits):
	 * webhook deliveries are queued in the same transaction as the
	 * entries, and a committed delivery must not vanish. The price is
	 * one fsync per poll.
	 */
	if (strcmp(path, ":memory:") != 0 &&
	    exec(s, "PRAGMA journal_mode = WAL", "enable WAL", err) != 0)
		goto fail;
	/* Reads go through a 64 MiB memory map (no read() copy per page) and a
	 * 16 MiB page cache; both are upper bounds, not allocations. */
	if (exec(s,
	        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
	        " PRAGMA mmap_size = 67108864; PRAGMA cache_size = -16384",
	        "set pragmas", err) != 0)
		goto fail;
	if (store_schema_migrate(s->db, err) != 0)
		goto fail;
	for (int i = 0; i < ST__COUNT; i++)
		if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
		        SQLITE_PREPARE_PERSISTENT, &s->st[i],
		        NULL) != SQLITE_OK) {
			store_db_error(s, err, "prepare");
			goto fail;
		}
	return s;
fail:
	store_close(s);
	return NULL;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->st[i]);
	/* The last connection to close checkpoints the WAL into the
	 * database file and removes it. */
	sqlite3_close(s->db);
	free(s);
}

int store_begin(struct store *s, struct pw_error *err)
{
	s->changed = false;
	return run(s, store_stmt(s, ST_BEGIN), "begin", err);
}

int store_commit(struct store *s, struct pw_error *err)
{
	if (run(s, store_stmt(s, ST_COMMIT), "commit", err) != 0)
		return -1;
	if (s->changed)
		s->generation++;
	s->changed = false;
	return 0;
}

void store_rollback(struct store *s)
{
	run(s, store_stmt(s, ST_ROLLBACK), "rollback", NULL);
	s->changed = false;
}

uint64_t store_generation(const struct store *s)
{
	return s->generation;
}

static bool str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool strv_eq(const struct strv *a, const struct strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

/* true when every stored column of a and b is equal (first_seen_at,
 * updated_at and sources aside). */
static bool entry_same(const struct entry *a, const struct entry *b)
{
	return str_eq(a->title, b->title) && str_eq(a->summary, b->summary) &&
	       strv_eq(&a->authors, &b->authors) &&
	       a->published_at == b->published_at &&
	       a->listed_at == b->listed_at && a->upvotes == b->upvotes &&
	       a->comments == b->comments &&
	       str_eq(a->github_repo, b->github_repo) &&
	       a->github_stars == b->github_stars &&
	       str_eq(a->project_page, b->project_page) &&
	       str_eq(a->ai_summary, b->ai_summary) &&
	       strv_eq(&a->ai_keywords, &b->ai_keywords) &&
	       str_eq(a->thumbnail, b->thumbnail) &&
	       str_eq(a->organization, b->organization) &&
	       str_eq(a->hf_url, b->hf_url) &&
	       str_eq(a->arxiv_url, b->arxiv_url) &&
	       str_eq(a->pdf_url, b->pdf_url) && str_eq(a->url, b->url) &&
	       strv_eq(&a->categories, &b->categories) &&
	       str_eq(a->comment, b->comment);
}

/* Replaces *dst by a copy of given when given is set. 0 or -1. */
static int take_str(char **dst, const char *given)
{
	char *copy;

	if (given == NULL)
		return 0;
	copy = strdup(given);
	if (copy == NULL)
		return -1;
	free(*dst);
	*dst = copy;
	return 0;
}

/* Replaces *dst by a copy of given when given is not empty. 0 or -1. */
static int take_strv(struct strv *dst, const struct strv *given)
{
	struct strv copy = {0};

	if (given->n == 0)
		return 0;
	if (strv_copy(&copy, given) != 0) {
		strv_free(&copy);
		return -1;
	}
	strv_free(dst);
	*dst = copy;
	return 0;
}

/* Applies the merge rules of store_upsert: m holds the stored entry and
 * takes what n gives. 0 or -1 (out of memory). */
static int merge_into(struct entry *m, const struct entry *n)
{
	if (n->published_at != 0)
		m->published_at = n->published_at;
	if (n->listed_at != 0 &&
	    (m->listed_at == 0 || n->listed_at < m->listed_at))
		m->listed_at = n->listed_at;
	if (n->upvotes >= 0)
		m->upvotes = n->upvotes;
	if (n->comments >= 0)
		m->comments = n->comments;
	if (n->github_stars >= 0)
		m->github_stars = n->github_stars;
	if (take_str(&m->title, n->title) ||
	    take_str(&m->summary, n->summary) ||
	    take_strv(&m->authors, &n->authors) ||
	    take_str(&m->github_repo, n->github_repo) ||
	    take_str(&m->project_page, n->project_page) ||
	    take_str(&m->ai_summary, n->ai_summary) ||
	    take_strv(&m->ai_keywords, &n->ai_keywords) ||
	    take_str(&m->thumbnail, n->thumbnail) ||
	    take_str(&m->organization, n->organization) ||
	    take_str(&m->hf_url, n->hf_url) ||
	    take_str(&m->arxiv_url, n->arxiv_url) ||
	    take_str(&m->pdf_url, n->pdf_url) || take_str(&m->url, n->url) ||
	    take_strv(&m->categories, &n->categories) ||
	    take_str(&m->comment, n->comment))
		return -1;
	return 0;
}

/* Inserts or updates (by id) the row of e. 0 or -1. */
static int write_entry(struct store *s, enum store_stmt id,
    const struct entry *e, int64_t first_seen_at, int64_t updated_at,
    struct pw_error *err)
{
	sqlite3_stmt *st = store_stmt(s, id);
	int rc;

	if (store_row_bind(st, e, first_seen_at, updated_at) != SQLITE_OK) {
		sqlite3_clear_bindings(st);
		return pw_error_set(err,
		    "store: cannot encode entry %s (a list that is not UTF-8, "
		    "or out of memory)",
		    e->id);
	}
	rc = run(s, st, id == ST_INSERT ? "insert" : "update", err);
	/* The bound strings belong to the caller. */
	sqlite3_clear_bindings(st);
	return rc;
}

/* Adds e's sources to the entry at rowid; *added tells whether one was
 * new. 0 or -1. */
static int add_sources(struct store *s, int64_t rowid, const struct entry *e,
    bool *added, struct pw_error *err)
{
	*added = false;
	for (size_t i = 0; i < e->sources.n; i++) {
		sqlite3_stmt *st = store_stmt(s, ST_ADD_SOURCE);

		sqlite3_bind_int64(st, 1, rowid);
		sqlite3_bind_text(st, 2, e->sources.v[i], -1, SQLITE_STATIC);
		if (run(s, st, "add source", err) != 0)
			return -1;
		if (sqlite3_changes(s->db) > 0)
			*added = true;
	}
	return 0;
}

int store_upsert(struct store *s, const struct entry *e, int64_t now,
    enum store_outcome *outcome, struct pw_error *err)
{
	sqlite3_stmt *st;
	struct entry *old = NULL;
	struct entry merged;
	enum store_outcome result = STORE_UNCHANGED;
	int64_t rowid = 0;
	bool added;
	int rc = -1;

	if (e->id == NULL || e->title == NULL)
		return pw_error_set(err, "store: entry without id or title");
	if (sqlite3_get_autocommit(s->db))
		return pw_error_set(err, "store: upsert outside a transaction");
	entry_init(&merged);
	st = store_stmt(s, ST_BY_ID);
	sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
	if (store_row_load(s, st, false, &old, &rowid, err) != 0)
		goto done;
	if (old == NULL) {
		if (write_entry(s, ST_INSERT, e, now, now, err) != 0)
			goto done;
		rowid = sqlite3_last_insert_rowid(s->db);
		if (add_sources(s, rowid, e, &added, err) != 0)
			goto done;
		result = STORE_INSERTED;
	} else {
		if (entry_copy(&merged, old) != 0 ||
		    merge_into(&merged, e) != 0) {
			pw_error_set(err, "store: out of memory");
			goto done;
		}
		if (add_sources(s, rowid, e, &added, err) != 0)
			goto done;
		if (added || !entry_same(&merged, old)) {
			if (write_entry(s, ST_UPDATE, &merged,
			        old->first_seen_at, now, err) != 0)
				goto done;
			result = STORE_UPDATED;
		}
	}
	if (result != STORE_UNCHANGED)
		s->changed = true;
	if (outcome != NULL)
		*outcome = result;
	rc = 0;
done:
	entry_free(old);
	entry_clear(&merged);
	return rc;
}

int store_get(
    struct store *s, const char *id, struct entry **out, struct pw_error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_BY_ID);
	int64_t rowid;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return store_row_load(s, st, true, out, &rowid, err);
}

int64_t store_count(struct store *s, const char *source)
{
	sqlite3_stmt *st;

	if (source == NULL)
		return scalar(store_stmt(s, ST_COUNT));
	st = store_stmt(s, ST_COUNT_SOURCE);
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	return scalar(st);
}

int64_t store_last_change(struct store *s)
{
	int64_t v = scalar(store_stmt(s, ST_LAST_CHANGE));

	return v > 0 ? v : 0;
}

void source_state_init(struct source_state *st)
{
	memset(st, 0, sizeof(*st));
}

void source_state_clear(struct source_state *st)
{
	free(st->last_error);
	source_state_init(st);
}

/* Copies a text column (NULL stays NULL). 0 or -1. */
static int col_text(sqlite3_stmt *st, int i, char **out)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	*out = NULL;
	if (v == NULL)
		return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : -1;
	*out = strdup((const char *)v);
	return *out != NULL ? 0 : -1;
}

int store_source_get(struct store *s, const char *name, struct source_state *st,
    struct pw_error *err)
{
	sqlite3_stmt *q = store_stmt(s, ST_STATE_GET);
	int rc;

	source_state_clear(st);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(q);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		store_db_error(s, err, "load source state");
		sqlite3_reset(q);
		return -1;
	}
	st->last_attempt = sqlite3_column_int64(q, 0);
	st->last_success = sqlite3_column_int64(q, 1);
	st->last_failure = sqlite3_column_int64(q, 2);
	st->http_status = (long)sqlite3_column_int64(q, 4);
	st->failures = sqlite3_column_int64(q, 5);
	if (col_text(q, 3, &st->last_error)) {
		sqlite3_reset(q);
		source_state_clear(st);
		return pw_error_set(err, "store: out of memory");
	}
	sqlite3_reset(q);
	return 0;
}

int store_source_put(struct store *s, const char *name,
    const struct source_state *st, struct pw_error *err)
{
	sqlite3_stmt *q = store_stmt(s, ST_STATE_PUT);
	int rc;

	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, st->last_attempt);
	sqlite3_bind_int64(q, 3, st->last_success);
	sqlite3_bind_int64(q, 4, st->last_failure);
	if (st->last_error != NULL)
		sqlite3_bind_text(q, 5, st->last_error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, st->http_status);
	sqlite3_bind_int64(q, 7, st->failures);
	rc = run(s, q, "save source state", err);
	sqlite3_clear_bindings(q);
	return rc;
}

void fetch_memo_init(struct fetch_memo *m)
{
	memset(m, 0, sizeof(*m));
}

void fetch_memo_clear(struct fetch_memo *m)
{
	free(m->etag);
	free(m->last_modified);
	free(m->body_hash);
	fetch_memo_init(m);
}

int store_memo_get(struct store *s, const char *source, const char *url,
    struct fetch_memo *m, struct pw_error *err)
{
	sqlite3_stmt *q = store_stmt(s, ST_MEMO_GET);
	int rc;

	fetch_memo_clear(m);
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, url, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		m->items = sqlite3_column_int64(q, 3);
		if (col_text(q, 0, &m->etag) ||
		    col_text(q, 1, &m->last_modified) ||
		    col_text(q, 2, &m->body_hash)) {
			sqlite3_reset(q);
			fetch_memo_clear(m);
			return pw_error_set(err, "store: out of memory");
		}
	} else if (rc != SQLITE_DONE) {
		store_db_error(s, err, "load fetch memo");
		sqlite3_reset(q);
		return -1;
	}
	sqlite3_reset(q);
	return 0;
}

int store_memo_put(struct store *s, const char *source, const char *url,
    const struct fetch_memo *m, int64_t now, struct pw_error *err)
{
	sqlite3_stmt *q = store_stmt(s, ST_MEMO_PUT);
	int rc;

	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, url, -1, SQLITE_STATIC);
	if (m->etag != NULL)
		sqlite3_bind_text(q, 3, m->etag, -1, SQLITE_STATIC);
	if (m->last_modified != NULL)
		sqlite3_bind_text(q, 4, m->last_modified, -1, SQLITE_STATIC);
	if (m->body_hash != NULL)
		sqlite3_bind_text(q, 5, m->body_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, m->items);
	sqlite3_bind_int64(q, 7, now);
	rc = run(s, q, "save fetch memo", err);
	sqlite3_clear_bindings(q);
	return rc;
}
