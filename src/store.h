/*
 * store.h: the only module that speaks SQL.
 *
 * One SQLite database in WAL mode holds entries, the full-text index and
 * per-source fetch state. The schema is created and upgraded by numbered
 * migrations (PRAGMA user_version). Entries are only ever added or updated,
 * never removed by a poll. Each poll's writes go in one transaction
 * (store_begin .. store_commit).
 *
 * Ownership: struct store is new from store_open and freed by store_close.
 * Entries returned in lists are new and owned by the list.
 * Not thread-safe: one event loop owns it.
 */
#ifndef PAPERWIRE_STORE_H
#define PAPERWIRE_STORE_H

#include <stdint.h>

#include "entry.h"
#include "error.h"
#include "filter.h"

struct store;

/* Opens (creating if needed) and migrates the database at path.
 * ":memory:" works for tests. NULL on failure with err set. */
struct store *store_open(const char *path, struct pw_error *err);
/* Closes the database (checkpointing the WAL); NULL is fine. */
void store_close(struct store *s);

/* One write transaction. store_commit bumps the generation if any upsert
 * in it changed a row. 0 or -1. */
int store_begin(struct store *s, struct pw_error *err);
int store_commit(struct store *s, struct pw_error *err);
void store_rollback(struct store *s);

enum store_outcome {
	STORE_UNCHANGED = 0,
	STORE_INSERTED,
	STORE_UPDATED,
};

/*
 * Inserts or merges e (keyed by e->id; e->id and e->title must be set).
 * Merge rules: a field the new entry leaves NULL (or -1 for counters)
 * keeps its stored value; a given field replaces the stored one; sources
 * are unioned; listed_at keeps the earliest non-zero date; first_seen_at
 * is set to now on insert and never changed; updated_at becomes now when
 * anything changed. e->first_seen_at/updated_at are ignored.
 * Must run inside store_begin/store_commit. *outcome may be NULL.
 */
int store_upsert(struct store *s, const struct entry *e, int64_t now,
    enum store_outcome *outcome, struct pw_error *err);

/*
 * Appends to out the entries matching f at time now, in f's sort order,
 * at most f->limit of them. Indexes (FTS5 for q via filter_fts_expr,
 * columns for thresholds, since/days and sources) narrow the candidates;
 * filter_match confirms each one. Order ties break by id, so the
 * result is deterministic. 0 or -1.
 */
int store_query(struct store *s, const struct filter *f, int64_t now,
    struct entry_list *out, struct pw_error *err);

/* One entry by id into *out (new), or *out = NULL when absent. 0 or -1. */
int store_get(
    struct store *s, const char *id, struct entry **out, struct pw_error *err);

/* Number of entries; with source != NULL, of entries listed by it. -1 on error.
 */
int64_t store_count(struct store *s, const char *source);

/* Largest updated_at over all entries (0 when empty). */
int64_t store_last_change(struct store *s);

/* Increments on every commit that changed a row; starts at 1 each open. */
uint64_t store_generation(const struct store *s);

/* What paperwire remembers about one source between polls and restarts. */
struct source_state {
	int64_t last_attempt;
	int64_t last_success;
	int64_t last_failure;
	char *last_error; /* NULL after a success */
	long http_status; /* of the last attempt; 0 when no HTTP answer */
	int64_t failures; /* consecutive failed polls */
};

void source_state_init(struct source_state *st);
void source_state_clear(struct source_state *st);

/* Loads the state of source name (all zero/NULL when unknown). 0 or -1. */
int store_source_get(struct store *s, const char *name, struct source_state *st,
    struct pw_error *err);
/* Saves it (insert or replace). May run inside or outside a transaction. */
int store_source_put(struct store *s, const char *name,
    const struct source_state *st, struct pw_error *err);

/*
 * What the last successfully ingested answer for one request URL of a
 * source was: its validators (sent back as If-None-Match and
 * If-Modified-Since), a hash of its body (an identical body is not parsed
 * again), and how many items it held (so paging goes on after a 304).
 */
struct fetch_memo {
	char *etag;
	char *last_modified;
	char *body_hash;
	int64_t items;
};

void fetch_memo_init(struct fetch_memo *m);
void fetch_memo_clear(struct fetch_memo *m);

/* Loads the memo of (source, url); all NULL/0 when unknown. 0 or -1. */
int store_memo_get(struct store *s, const char *source, const char *url,
    struct fetch_memo *m, struct pw_error *err);
/* Saves it; call inside the poll's transaction, so a memo never claims a
 * body whose entries were not stored. 0 or -1. */
int store_memo_put(struct store *s, const char *source, const char *url,
    const struct fetch_memo *m, int64_t now, struct pw_error *err);

#endif
