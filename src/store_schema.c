/*
 * store_schema.c: the database schema as numbered migrations.
 *
 * PRAGMA user_version records how many migrations a database has had.
 * Each migration runs in its own transaction together with the version
 * bump, so a crash leaves the database at one version or the next.
 */
#include "store_int.h"

#include <stdio.h>

/*
 * Schema migrations, applied in order; migrations[i] takes the database
 * from user_version i to i + 1. Append only: a released migration never
 * changes.
 */
static const char *const migrations[] = {
    /* 1: entries, sources per entry, full-text index, fetch state. */
    "CREATE TABLE entries ("
    " rowid INTEGER PRIMARY KEY,"
    " id TEXT UNIQUE NOT NULL,"
    " title TEXT NOT NULL,"
    " summary TEXT,"
    " authors TEXT," /* JSON array of names */
    " author_count INTEGER,"
    " published_at INTEGER,"
    " listed_at INTEGER,"
    " first_seen_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " upvotes INTEGER,"
    " comments INTEGER,"
    " github_repo TEXT,"
    " github_stars INTEGER,"
    " project_page TEXT,"
    " ai_summary TEXT,"
    " ai_keywords TEXT," /* JSON array */
    " thumbnail TEXT,"
    " organization TEXT,"
    " hf_url TEXT,"
    " arxiv_url TEXT,"
    " pdf_url TEXT,"
    " url TEXT,"
    " categories TEXT," /* JSON array */
    " comment TEXT);"
    /* One index per sort order, holding the whole ORDER BY so a scan
     * yields rows already in order and stops after f->limit matches.
     * The expressions are the ones store_query writes, so the planner
     * recognizes them (thresholds are ranges on them too). */
    "CREATE INDEX entries_by_first_seen ON entries"
    " (first_seen_at DESC, COALESCE(upvotes, 0) DESC, id);"
    "CREATE INDEX entries_by_published ON entries"
    " (COALESCE(published_at, first_seen_at) DESC, id);"
    "CREATE INDEX entries_by_upvotes ON entries"
    " (COALESCE(upvotes, 0) DESC, first_seen_at DESC, id);"
    /* store_last_change is asked for on every feed request. */
    "CREATE INDEX entries_by_updated ON entries (updated_at);"
    "CREATE TABLE entry_sources ("
    " entry_rowid INTEGER NOT NULL REFERENCES entries(rowid),"
    " source TEXT NOT NULL,"
    " PRIMARY KEY (source, entry_rowid)) WITHOUT ROWID;"
    "CREATE INDEX entry_sources_by_entry ON entry_sources (entry_rowid);"
    /* The ascii tokenizer cuts text exactly where text_next_token does
     * (runs of ASCII letters and digits and of non-ASCII bytes, ASCII
     * case folded), so a phrase of filter tokens is a phrase here too. */
    "CREATE VIRTUAL TABLE entries_fts USING fts5("
    " title, summary, ai_keywords,"
    " content='entries', content_rowid='rowid', tokenize='ascii');"
    /* The external-content triggers from the FTS5 documentation. An
     * update reindexes only when an indexed column changed: most updates
     * are counters. */
    "CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN"
    " INSERT INTO entries_fts (rowid, title, summary, ai_keywords)"
    " VALUES (new.rowid, new.title, new.summary, new.ai_keywords);"
    " END;"
    "CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN"
    " INSERT INTO entries_fts (entries_fts, rowid, title, summary,"
    " ai_keywords) VALUES ('delete', old.rowid, old.title, old.summary,"
    " old.ai_keywords);"
    " END;"
    "CREATE TRIGGER entries_fts_update AFTER UPDATE ON entries"
    " WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary"
    " OR old.ai_keywords IS NOT new.ai_keywords BEGIN"
    " INSERT INTO entries_fts (entries_fts, rowid, title, summary,"
    " ai_keywords) VALUES ('delete', old.rowid, old.title, old.summary,"
    " old.ai_keywords);"
    " INSERT INTO entries_fts (rowid, title, summary, ai_keywords)"
    " VALUES (new.rowid, new.title, new.summary, new.ai_keywords);"
    " END;"
    "CREATE TABLE source_state ("
    " name TEXT PRIMARY KEY,"
    " last_attempt INTEGER NOT NULL DEFAULT 0,"
    " last_success INTEGER NOT NULL DEFAULT 0,"
    " last_failure INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " http_status INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0);"
    /* What the last good answer for each (source, URL) was, so the
     * next poll can ask conditionally and skip an unchanged body. */
    "CREATE TABLE fetch_memo ("
    " source TEXT NOT NULL,"
    " url TEXT NOT NULL,"
    " etag TEXT,"
    " last_modified TEXT,"
    " body_hash TEXT,"
    " items INTEGER NOT NULL DEFAULT 0,"
    " saved_at INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (source, url)) WITHOUT ROWID;",
    /* 2 (push): webhook subscriptions, the ledger of matched pairs, the
     * deliveries queue (the outbox) and the WebSub hub's subscribers. */
    "CREATE TABLE subscriptions ("
    " id TEXT PRIMARY KEY,"
    " name TEXT,"
    " url TEXT NOT NULL,"
    " feed TEXT,"
    " filter TEXT," /* JSON object as given */
    " format TEXT NOT NULL,"
    " secret TEXT,"
    " origin TEXT NOT NULL," /* config | api */
    " backfill INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " disabled_reason TEXT,"
    " delivered INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " last_attempt_at INTEGER NOT NULL DEFAULT 0,"
    " last_success_at INTEGER NOT NULL DEFAULT 0,"
    " last_status INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT);"
    /* One row per (subscription, entry) ever matched: pushed once. */
    "CREATE TABLE matches ("
    " subscription_id TEXT NOT NULL,"
    " entry_id TEXT NOT NULL,"
    " matched_at INTEGER NOT NULL,"
    " PRIMARY KEY (subscription_id, entry_id)) WITHOUT ROWID;"
    "CREATE TABLE deliveries ("
    " seq INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE," /* webhook-id, stable across attempts */
    " kind TEXT NOT NULL,"      /* webhook | websub | ping */
    " subscription_id TEXT,"
    " entry_id TEXT,"
    " url TEXT NOT NULL,"
    " topic TEXT,"
    " content_type TEXT NOT NULL,"
    " body BLOB NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'pending'," /* pending | done | dead */
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt_at INTEGER NOT NULL," /* Unix milliseconds */
    " last_status INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    "CREATE INDEX deliveries_due ON deliveries (next_attempt_at, seq)"
    " WHERE status = 'pending';"
    "CREATE INDEX deliveries_by_sub ON deliveries (subscription_id, status);"
    "CREATE INDEX deliveries_done ON deliveries (updated_at)"
    " WHERE status = 'done';"
    "CREATE TABLE websub_subscriptions ("
    " id TEXT PRIMARY KEY,"
    " callback TEXT NOT NULL,"
    " topic TEXT NOT NULL,"
    " secret TEXT,"
    " lease_seconds INTEGER NOT NULL,"
    " lease_expires INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " UNIQUE (callback, topic));"
    "CREATE INDEX websub_by_expiry ON websub_subscriptions (lease_expires);",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Reads user_version; -1 on error. */
static int user_version(sqlite3 *db, struct pw_error *err)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	        SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		pw_error_set(
		    err, "store: read schema version: %s", sqlite3_errmsg(db));
	else
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int exec(
    sqlite3 *db, const char *sql, const char *what, struct pw_error *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return pw_error_set(
		    err, "store: %s: %s", what, sqlite3_errmsg(db));
	return 0;
}

int store_schema_migrate(sqlite3 *db, struct pw_error *err)
{
	char bump[64], what[32];
	int v;

	for (;;) {
		if (exec(db, "BEGIN IMMEDIATE", "begin migration", err) != 0)
			return -1;
		/* Read inside the write transaction: another process may
		 * have migrated since we looked. */
		v = user_version(db, err);
		if (v < 0)
			goto fail;
		if (v > N_MIGRATIONS) {
			pw_error_set(err,
			    "database schema version %d is newer than this "
			    "paperwire (%d)",
			    v, N_MIGRATIONS);
			goto fail;
		}
		if (v == N_MIGRATIONS) {
			if (exec(db, "COMMIT", "commit migration", err) != 0)
				goto fail;
			return 0;
		}
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v + 1);
		snprintf(what, sizeof(what), "migration %d", v + 1);
		if (exec(db, migrations[v], what, err) != 0 ||
		    exec(db, bump, what, err) != 0 ||
		    exec(db, "COMMIT", "commit migration", err) != 0)
			goto fail;
	}
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
