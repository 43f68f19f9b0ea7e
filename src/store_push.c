/*
 * store_push.c: the push tables' statements (prepared once, at
 * store_push_new, on the store's connection, for all three store_push
 * files), the subscriptions, the ledger and the entries' old states.
 */
#include "store_push_int.h"

#include <stdlib.h>
#include <string.h>

#define SUB_COLUMNS                                                            \
	"id, name, url, feed, filter, format, secret, origin, backfill,"       \
	" created_at, disabled, disabled_reason"
#define DELIVERY_COLUMNS                                                       \
	"seq, id, kind, subscription_id, entry_id, url, topic, content_type,"  \
	" body, attempts, next_attempt_at, created_at"
#define WS_COLUMNS                                                             \
	"id, callback, topic, secret, lease_seconds, lease_expires, "          \
	"created_at"

static const char *const push_sql[PS__COUNT] = {
    [PS_SUB_INSERT] = "INSERT INTO subscriptions (" SUB_COLUMNS ")"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                      " ?11, ?12)",
    /* The id of a config subscription hashes what it delivers; the rest
     * may change between runs without making it a new subscription. */
    [PS_SUB_UPDATE_CONFIG] = "UPDATE subscriptions SET name = ?2,"
                             " secret = ?7, backfill = ?9 WHERE id = ?1",
    [PS_SUB_GET] = "SELECT " SUB_COLUMNS " FROM subscriptions WHERE id = ?1",
    [PS_SUB_SECRET] = "SELECT secret, disabled FROM subscriptions"
                      " WHERE id = ?1",
    [PS_SUB_LIST] = "SELECT " SUB_COLUMNS " FROM subscriptions"
                    " ORDER BY created_at, id",
    [PS_SUB_DELETE] = "DELETE FROM subscriptions WHERE id = ?1",
    [PS_SUB_DELETE_MATCHES] = "DELETE FROM matches WHERE"
                              " subscription_id = ?1",
    [PS_SUB_DELETE_DELIVERIES] = "DELETE FROM deliveries WHERE"
                                 " subscription_id = ?1",
    [PS_SUB_DISABLE] = "UPDATE subscriptions SET disabled = ?2,"
                       " disabled_reason = ?3 WHERE id = ?1",
    [PS_SUB_COUNT] = "SELECT COUNT(*) FROM subscriptions",
    [PS_SUB_STATS] = "SELECT delivered, failures, last_attempt_at,"
                     " last_success_at, last_status, last_error"
                     " FROM subscriptions WHERE id = ?1",
    [PS_SUB_QUEUE] = "SELECT status, COUNT(*) FROM deliveries"
                     " WHERE subscription_id = ?1 GROUP BY status",
    [PS_DEAD_LIST] = "SELECT id, entry_id, attempts, last_status,"
                     " last_error, updated_at FROM deliveries"
                     " WHERE subscription_id = ?1 AND status = 'dead'"
                     " ORDER BY seq DESC LIMIT ?2",
    [PS_REPLAY] = "UPDATE deliveries SET status = 'pending', attempts = 0,"
                  " next_attempt_at = ?2, updated_at = ?3"
                  " WHERE subscription_id = ?1 AND status = 'dead'",
    [PS_MATCH] = "INSERT OR IGNORE INTO matches (subscription_id,"
                 " entry_id, matched_at) VALUES (?1, ?2, ?3)",
    /* The temporary tables of TEMP_SQL: entries as they were before the
     * transaction first changed them, and sources added since. */
    [PS_PREV] = "SELECT " STORE_ENTRY_COLUMNS " FROM temp.push_prev"
                " WHERE id = ?1",
    [PS_PREV_SOURCES] = "SELECT source FROM temp.push_added_sources"
                        " WHERE entry_rowid = ?1",
    [PS_PREV_CLEAR] = "DELETE FROM temp.push_prev",
    [PS_PREV_CLEAR_SOURCES] = "DELETE FROM temp.push_added_sources",
    [PS_ENQUEUE] = "INSERT INTO deliveries (id, kind, subscription_id,"
                   " entry_id, url, topic, content_type, body,"
                   " next_attempt_at, created_at, updated_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    [PS_DUE] = "SELECT seq, url FROM deliveries INDEXED BY deliveries_due"
               " WHERE status = 'pending' AND next_attempt_at <= ?1"
               " ORDER BY seq LIMIT ?2",
    [PS_NEXT_DUE] = "SELECT MIN(next_attempt_at) FROM deliveries"
                    " WHERE status = 'pending' AND next_attempt_at > ?1",
    [PS_LOAD] = "SELECT " DELIVERY_COLUMNS " FROM deliveries"
                " WHERE seq = ?1 AND status = 'pending'",
    [PS_RESULT] = "UPDATE deliveries SET status = ?2, attempts = ?3,"
                  " next_attempt_at = ?4, last_status = ?5,"
                  " last_error = ?6, updated_at = ?7 WHERE seq = ?1",
    [PS_RESULT_SUB] = "UPDATE subscriptions SET"
                      " delivered = delivered + (?2 = 'done'),"
                      " failures = failures + (?2 != 'done'),"
                      " last_attempt_at = ?3,"
                      " last_success_at = CASE WHEN ?2 = 'done' THEN ?3"
                      " ELSE last_success_at END,"
                      " last_status = ?4, last_error = ?5 WHERE id = ?1",
    [PS_PRUNE] = "DELETE FROM deliveries WHERE status = 'done'"
                 " AND updated_at < ?1",
    [PS_PENDING] = "SELECT COUNT(*), MIN(created_at) FROM deliveries"
                   " INDEXED BY deliveries_due WHERE status = 'pending'",
    [PS_WS_FIND] = "SELECT id FROM websub_subscriptions"
                   " WHERE callback = ?1 AND topic = ?2",
    [PS_WS_INSERT] = "INSERT INTO websub_subscriptions (" WS_COLUMNS ")"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [PS_WS_RENEW] = "UPDATE websub_subscriptions SET secret = ?2,"
                    " lease_seconds = ?3, lease_expires = ?4 WHERE id = ?1",
    [PS_WS_GET] = "SELECT " WS_COLUMNS " FROM websub_subscriptions"
                  " WHERE id = ?1",
    [PS_WS_LIST] = "SELECT " WS_COLUMNS " FROM websub_subscriptions"
                   " WHERE lease_expires > ?1 ORDER BY created_at, id",
    [PS_WS_EXPIRED] = "SELECT id FROM websub_subscriptions"
                      " WHERE lease_expires <= ?1",
    [PS_WS_DELETE] = "DELETE FROM websub_subscriptions WHERE id = ?1",
    [PS_WS_COUNT] = "SELECT COUNT(*) FROM websub_subscriptions"
                    " WHERE lease_expires > ?1",
};

/*
 * What the matcher needs to tell a new match from an old one: the state
 * of each entry before the poll's transaction first changed it, kept by
 * triggers of this connection only (TEMP), so the entries table and its
 * writers need not know. SELECT * keeps the copy's columns in step with
 * the entries table through every migration. Temporary tables take part
 * in transactions: a poll rolled back leaves nothing behind. (Trigger
 * bodies may not qualify the tables they write; these exist in temp
 * only.)
 */
static const char TEMP_SQL[] =
    "CREATE TEMP TABLE IF NOT EXISTS push_prev AS"
    " SELECT * FROM main.entries WHERE 0;"
    "CREATE UNIQUE INDEX IF NOT EXISTS temp.push_prev_id ON push_prev (id);"
    "CREATE TEMP TABLE IF NOT EXISTS push_added_sources ("
    " entry_rowid INTEGER NOT NULL, source TEXT NOT NULL);"
    /* BEFORE: the row still holds its old values; only the first change
     * in a transaction is kept (OR IGNORE). */
    "CREATE TEMP TRIGGER IF NOT EXISTS push_prev_keep"
    " BEFORE UPDATE ON main.entries BEGIN"
    " INSERT OR IGNORE INTO push_prev"
    " SELECT * FROM main.entries WHERE rowid = old.rowid;"
    " END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS push_sources_keep"
    " AFTER INSERT ON main.entry_sources BEGIN"
    " INSERT INTO push_added_sources VALUES"
    " (new.entry_rowid, new.source);"
    " END;";

static const char TEMP_DROP_SQL[] =
    "DROP TRIGGER IF EXISTS temp.push_prev_keep;"
    "DROP TRIGGER IF EXISTS temp.push_sources_keep;"
    "DROP TABLE IF EXISTS temp.push_prev;"
    "DROP TABLE IF EXISTS temp.push_added_sources;";

struct store_push *store_push_new(struct store *s, struct pw_error *err)
{
	struct store_push *sp = calloc(1, sizeof(*sp));

	if (sp == NULL) {
		pw_error_set(err, "store: out of memory");
		return NULL;
	}
	sp->s = s;
	if (sqlite3_exec(s->db, TEMP_SQL, NULL, NULL, NULL) != SQLITE_OK) {
		store_db_error(s, err, "create the matcher's triggers");
		free(sp);
		return NULL;
	}
	for (int i = 0; i < PS__COUNT; i++)
		if (sqlite3_prepare_v3(s->db, push_sql[i], -1,
		        SQLITE_PREPARE_PERSISTENT, &sp->st[i],
		        NULL) != SQLITE_OK) {
			store_db_error(s, err, "prepare push statement");
			store_push_free(sp);
			return NULL;
		}
	return sp;
}

void store_push_free(struct store_push *sp)
{
	if (sp == NULL)
		return;
	for (int i = 0; i < PS__COUNT; i++)
		sqlite3_finalize(sp->st[i]);
	sqlite3_exec(sp->s->db, TEMP_DROP_SQL, NULL, NULL, NULL);
	free(sp);
}

sqlite3_stmt *store_push_stmt(struct store_push *sp, enum push_stmt id)
{
	sqlite3_reset(sp->st[id]);
	sqlite3_clear_bindings(sp->st[id]);
	return sp->st[id];
}

void store_push_bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int store_push_run(struct store_push *sp, sqlite3_stmt *st, const char *what,
    struct pw_error *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE)
		store_db_error(sp->s, err, what);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int64_t store_push_scalar(sqlite3_stmt *st)
{
	int64_t v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int store_push_col_str(sqlite3_stmt *st, int i, char **out)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	*out = NULL;
	if (v == NULL)
		return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : -1;
	*out = strdup((const char *)v);
	return *out != NULL ? 0 : -1;
}

int store_push_run_id(struct store_push *sp, enum push_stmt which,
    const char *id, const char *what, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, which);

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return store_push_run(sp, st, what, err);
}

int store_push_forget(
    struct store_push *sp, const char *id, struct pw_error *err)
{
	if (store_push_run_id(
	        sp, PS_SUB_DELETE_MATCHES, id, "delete matches", err) ||
	    store_push_run_id(
	        sp, PS_SUB_DELETE_DELIVERIES, id, "delete deliveries", err))
		return -1;
	return 0;
}

/* ---- subscriptions ---- */

static int bind_sub(sqlite3_stmt *st, const struct sub *s, char **filter)
{
	*filter =
	    s->filter != NULL ? json_dumps(s->filter, JSON_COMPACT) : NULL;
	if (s->filter != NULL && *filter == NULL)
		return -1;
	sqlite3_bind_text(st, 1, s->id, -1, SQLITE_STATIC);
	store_push_bind_opt(st, 2, s->name);
	sqlite3_bind_text(st, 3, s->url, -1, SQLITE_STATIC);
	store_push_bind_opt(st, 4, s->feed);
	store_push_bind_opt(st, 5, *filter);
	sqlite3_bind_text(
	    st, 6, push_format_name(s->format), -1, SQLITE_STATIC);
	store_push_bind_opt(st, 7, s->secret);
	sqlite3_bind_text(st, 8, s->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 9, s->backfill);
	sqlite3_bind_int64(st, 10, s->created_at);
	sqlite3_bind_int(st, 11, s->disabled);
	store_push_bind_opt(st, 12, s->disabled_reason);
	return 0;
}

int store_push_sub_insert(
    struct store_push *sp, const struct sub *s, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_SUB_INSERT);
	char *filter;
	int rc;

	if (bind_sub(st, s, &filter) != 0)
		return pw_error_set(err, "store: out of memory");
	rc = store_push_run(sp, st, "insert subscription", err);
	free(filter);
	return rc;
}

int store_push_sub_upsert(struct store_push *sp, const struct sub *s,
    bool *created, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_SUB_GET);
	char *filter;
	int rc;

	sqlite3_bind_text(st, 1, s->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(sp->s, err, "find subscription");
	*created = rc == SQLITE_DONE;
	if (*created)
		return store_push_sub_insert(sp, s, err);
	st = store_push_stmt(sp, PS_SUB_UPDATE_CONFIG);
	if (bind_sub(st, s, &filter) != 0)
		return pw_error_set(err, "store: out of memory");
	rc = store_push_run(sp, st, "update subscription", err);
	free(filter);
	return rc;
}

/* Reads a row of SUB_COLUMNS into the initialized s. 0 or -1. */
static int read_sub(sqlite3_stmt *st, struct sub *s)
{
	const char *format = (const char *)sqlite3_column_text(st, 5);
	const char *origin = (const char *)sqlite3_column_text(st, 7);
	char *filter = NULL;
	int rc = -1;

	if (store_push_col_str(st, 0, &s->id) ||
	    store_push_col_str(st, 1, &s->name) ||
	    store_push_col_str(st, 2, &s->url) ||
	    store_push_col_str(st, 3, &s->feed) ||
	    store_push_col_str(st, 4, &filter) ||
	    store_push_col_str(st, 6, &s->secret) ||
	    store_push_col_str(st, 11, &s->disabled_reason))
		goto out;
	if (format == NULL || push_format_parse(format, &s->format) != 0)
		s->format = PUSH_FORMAT_STANDARD;
	s->origin = origin != NULL && strcmp(origin, SUBS_ORIGIN_CONFIG) == 0
	                ? SUBS_ORIGIN_CONFIG
	                : SUBS_ORIGIN_API;
	s->backfill = sqlite3_column_int(st, 8);
	s->created_at = sqlite3_column_int64(st, 9);
	s->disabled = sqlite3_column_int(st, 10) != 0;
	if (filter != NULL && (s->filter = json_loads(filter,
	                           JSON_REJECT_DUPLICATES, NULL)) == NULL)
		goto out;
	rc = 0;
out:
	free(filter);
	return rc;
}

int store_push_sub_get(struct store_push *sp, const char *id, struct sub *out,
    bool *found, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_SUB_GET);
	int rc;

	*found = false;
	subs_clear(out);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		if (read_sub(st, out) != 0) {
			sqlite3_reset(st);
			subs_clear(out);
			return pw_error_set(
			    err, "store: cannot load subscription %s", id);
		}
	} else if (rc != SQLITE_DONE) {
		store_db_error(sp->s, err, "load subscription");
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_push_sub_secret(struct store_push *sp, const char *id, char **secret,
    bool *disabled, bool *found, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_SUB_SECRET);
	int rc;

	*secret = NULL;
	*found = *disabled = false;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		*disabled = sqlite3_column_int(st, 1) != 0;
		if (store_push_col_str(st, 0, secret) != 0)
			rc = SQLITE_NOMEM;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(sp->s, err, "load subscription secret");
	return 0;
}

int store_push_sub_list(
    struct store_push *sp, struct sub **v, size_t *n, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_SUB_LIST);
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sub *nv = realloc(*v, (*n + 1) * sizeof(**v));

		if (nv == NULL)
			break;
		*v = nv;
		subs_init(&nv[*n]);
		if (read_sub(st, &nv[*n]) != 0) {
			subs_clear(&nv[*n]);
			break;
		}
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_ROW)
		return pw_error_set(err, "store: cannot load subscriptions");
	return store_db_error(sp->s, err, "list subscriptions");
}

int store_push_sub_delete(
    struct store_push *sp, const char *id, bool *found, struct pw_error *err)
{
	if (store_push_run_id(
	        sp, PS_SUB_DELETE, id, "delete subscription", err) != 0)
		return -1;
	*found = sqlite3_changes(sp->s->db) > 0;
	return store_push_forget(sp, id, err);
}

int store_push_sub_disable(struct store_push *sp, const char *id,
    const char *reason, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_SUB_DISABLE);

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, reason != NULL);
	store_push_bind_opt(st, 3, reason);
	return store_push_run(sp, st, "disable subscription", err);
}

int64_t store_push_sub_count(struct store_push *sp)
{
	return store_push_scalar(store_push_stmt(sp, PS_SUB_COUNT));
}

void sub_stats_clear(struct sub_stats *st)
{
	free(st->last_error);
	memset(st, 0, sizeof(*st));
}

int store_push_sub_stats(struct store_push *sp, const char *id,
    struct sub_stats *out, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_SUB_STATS);
	int rc;

	sub_stats_clear(out);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->delivered = sqlite3_column_int64(st, 0);
		out->failures = sqlite3_column_int64(st, 1);
		out->last_attempt_at = sqlite3_column_int64(st, 2);
		out->last_success_at = sqlite3_column_int64(st, 3);
		out->last_status = (long)sqlite3_column_int64(st, 4);
		if (store_push_col_str(st, 5, &out->last_error) != 0)
			rc = SQLITE_NOMEM;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(sp->s, err, "subscription counters");
	st = store_push_stmt(sp, PS_SUB_QUEUE);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		int64_t n = sqlite3_column_int64(st, 1);

		if (status == NULL)
			continue;
		if (strcmp(status, "pending") == 0)
			out->pending = n;
		else if (strcmp(status, "done") == 0)
			out->done = n;
		else if (strcmp(status, "dead") == 0)
			out->dead = n;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_db_error(sp->s, err, "subscription queue");
	return 0;
}

/* ---- the ledger ---- */

int store_push_match(struct store_push *sp, const char *key,
    const char *entry_id, int64_t now, bool *is_new, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_MATCH);

	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, entry_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (store_push_run(sp, st, "record match", err) != 0)
		return -1;
	*is_new = sqlite3_changes(sp->s->db) > 0;
	return 0;
}

int store_push_prev(struct store_push *sp, const struct entry *cur,
    struct entry **out, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_PREV);
	struct entry *e = NULL;
	struct strv added = {0};
	int64_t rowid = 0;
	int rc;

	*out = NULL;
	sqlite3_bind_text(st, 1, cur->id, -1, SQLITE_STATIC);
	if (store_row_load(sp->s, st, false, &e, &rowid, err) != 0)
		return -1;
	if (e == NULL)
		return 0;
	st = store_push_stmt(sp, PS_PREV_SOURCES);
	sqlite3_bind_int64(st, 1, rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *src = (const char *)sqlite3_column_text(st, 0);

		if (src == NULL || strv_push(&added, src) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(st);
	for (size_t i = 0; rc == SQLITE_DONE && i < cur->sources.n; i++)
		if (!strv_contains(&added, cur->sources.v[i]) &&
		    strv_push(&e->sources, cur->sources.v[i]) != 0)
			rc = SQLITE_NOMEM;
	strv_free(&added);
	if (rc != SQLITE_DONE) {
		entry_free(e);
		return store_db_error(
		    sp->s, err, "load an entry's old sources");
	}
	*out = e;
	return 0;
}

int store_push_prev_clear(struct store_push *sp, struct pw_error *err)
{
	if (store_push_run(sp, store_push_stmt(sp, PS_PREV_CLEAR),
	        "clear old entries", err) != 0 ||
	    store_push_run(sp, store_push_stmt(sp, PS_PREV_CLEAR_SOURCES),
	        "clear old sources", err) != 0)
		return -1;
	return 0;
}
