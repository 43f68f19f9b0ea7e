/*
 * store_int.h: what the store's files share with each other; no other
 * module includes it.
 *
 * store.c opens the database and owns the cached statements, transactions,
 * upserts and source state; store_schema.c holds the migrations;
 * store_row.c converts between struct entry and SQL rows; store_query.c
 * answers filters.
 */
#ifndef PAPERWIRE_STORE_INT_H
#define PAPERWIRE_STORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

/* The entry columns every loader selects, in the order store_row_read
 * expects. */
#define STORE_ENTRY_COLUMNS                                                    \
	"rowid, id, title, summary, authors, published_at, listed_at,"         \
	" first_seen_at, updated_at, upvotes, comments, github_repo,"          \
	" github_stars, project_page, ai_summary, ai_keywords, thumbnail,"     \
	" organization, hf_url, arxiv_url, pdf_url, url, categories, comment"

/* Statements prepared once at open. */
enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_BY_ID,
	ST_BY_ROWID,
	ST_SOURCES,
	ST_INSERT,
	ST_UPDATE,
	ST_ADD_SOURCE,
	ST_COUNT,
	ST_COUNT_SOURCE,
	ST_LAST_CHANGE,
	ST_FTS_HITS,
	ST_SOURCE_ROWS,
	ST_STATE_GET,
	ST_STATE_PUT,
	ST_MEMO_GET,
	ST_MEMO_PUT,
	ST__COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[ST__COUNT];
	uint64_t generation;
	bool changed; /* an upsert since store_begin changed a row */
};

/* Sets err to "store: <what>: <SQLite's message>"; returns -1. */
int store_db_error(struct store *s, struct pw_error *err, const char *what);

/* A cached statement, reset and with its bindings cleared (borrowed). */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt id);

/* Applies the migrations of store_schema.c. 0 or -1. */
int store_schema_migrate(sqlite3 *db, struct pw_error *err);

/*
 * Binds e to the parameters ?1..?21 of the insert and update statements
 * (the columns of the entries table in declaration order, author_count
 * derived from the authors), with first_seen_at and updated_at given
 * separately. Returns SQLITE_OK or an SQLite error code; SQLite frees the
 * JSON texts it was handed, the other strings stay borrowed from e.
 */
int store_row_bind(sqlite3_stmt *st, const struct entry *e,
    int64_t first_seen_at, int64_t updated_at);

/*
 * Steps st, a bound statement selecting STORE_ENTRY_COLUMNS, and resets
 * it. On a row *out is a new entry (with its sources when with_sources)
 * and *rowid is set; without a row *out is NULL. 0 or -1.
 */
int store_row_load(struct store *s, sqlite3_stmt *st, bool with_sources,
    struct entry **out, int64_t *rowid, struct pw_error *err);

#endif
