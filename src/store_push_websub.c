/*
 * store_push_websub.c: the WebSub hub's subscribers in SQL: subscribe and
 * renew, unsubscribe, the live ones, and lapsed leases.
 */
#include "store_push_int.h"

#include <stdlib.h>
#include <string.h>

void websub_sub_clear(struct websub_sub *w)
{
	free(w->id);
	free(w->callback);
	free(w->topic);
	free(w->secret);
	memset(w, 0, sizeof(*w));
}

int store_push_websub_put(struct store_push *sp, struct websub_sub *w,
    bool *created, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_WS_FIND);
	char *old = NULL;
	int rc;

	sqlite3_bind_text(st, 1, w->callback, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->topic, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && store_push_col_str(st, 0, &old) != 0)
		rc = SQLITE_NOMEM;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(sp->s, err, "find WebSub subscription");
	*created = old == NULL;
	if (old != NULL) {
		free(w->id);
		w->id = old;
		st = store_push_stmt(sp, PS_WS_RENEW);
	} else {
		st = store_push_stmt(sp, PS_WS_INSERT);
		sqlite3_bind_text(st, 2, w->callback, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, w->topic, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, w->created_at);
	}
	sqlite3_bind_text(st, 1, w->id, -1, SQLITE_STATIC);
	store_push_bind_opt(st, old != NULL ? 2 : 4, w->secret);
	sqlite3_bind_int64(st, old != NULL ? 3 : 5, w->lease_seconds);
	sqlite3_bind_int64(st, old != NULL ? 4 : 6, w->lease_expires);
	return store_push_run(sp, st, "save WebSub subscription", err);
}

/* Deletes a WebSub subscription by id with its ledger and deliveries. */
static int websub_delete_id(
    struct store_push *sp, const char *id, struct pw_error *err)
{
	if (store_push_run_id(
	        sp, PS_WS_DELETE, id, "delete WebSub subscription", err) ||
	    store_push_forget(sp, id, err))
		return -1;
	return 0;
}

int store_push_websub_delete(struct store_push *sp, const char *callback,
    const char *topic, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_WS_FIND);
	char *id = NULL;
	int rc;

	sqlite3_bind_text(st, 1, callback, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, topic, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && store_push_col_str(st, 0, &id) != 0)
		rc = SQLITE_NOMEM;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(sp->s, err, "find WebSub subscription");
	rc = id != NULL ? websub_delete_id(sp, id, err) : 0;
	free(id);
	return rc;
}

static int read_ws(sqlite3_stmt *st, struct websub_sub *w)
{
	w->lease_seconds = sqlite3_column_int64(st, 4);
	w->lease_expires = sqlite3_column_int64(st, 5);
	w->created_at = sqlite3_column_int64(st, 6);
	if (store_push_col_str(st, 0, &w->id) ||
	    store_push_col_str(st, 1, &w->callback) ||
	    store_push_col_str(st, 2, &w->topic) ||
	    store_push_col_str(st, 3, &w->secret))
		return -1;
	return 0;
}

int store_push_websub_get(struct store_push *sp, const char *id,
    struct websub_sub *w, bool *found, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_WS_GET);
	int rc;

	*found = false;
	websub_sub_clear(w);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		if (read_ws(st, w) != 0) {
			websub_sub_clear(w);
			rc = SQLITE_NOMEM;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(sp->s, err, "load WebSub subscription");
	return 0;
}

int store_push_websub_list(struct store_push *sp, int64_t now,
    struct websub_sub **v, size_t *n, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_WS_LIST);
	int rc;

	sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct websub_sub *nv = realloc(*v, (*n + 1) * sizeof(**v));

		if (nv == NULL)
			break;
		*v = nv;
		memset(&nv[*n], 0, sizeof(nv[*n]));
		if (read_ws(st, &nv[*n]) != 0) {
			websub_sub_clear(&nv[*n]);
			break;
		}
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_ROW)
		return pw_error_set(err, "store: out of memory");
	return store_db_error(sp->s, err, "list WebSub subscriptions");
}

int store_push_websub_expire(
    struct store_push *sp, int64_t now, int64_t *n, struct pw_error *err)
{
	struct strv ids = {0};
	sqlite3_stmt *st = store_push_stmt(sp, PS_WS_EXPIRED);
	int rc;

	*n = 0;
	sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);

		if (id == NULL || strv_push(&ids, id) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		strv_free(&ids);
		return store_db_error(sp->s, err, "find expired leases");
	}
	for (size_t i = 0; i < ids.n; i++) {
		if (websub_delete_id(sp, ids.v[i], err) != 0) {
			strv_free(&ids);
			return -1;
		}
		(*n)++;
	}
	strv_free(&ids);
	return 0;
}

int64_t store_push_websub_count(struct store_push *sp, int64_t now)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_WS_COUNT);

	sqlite3_bind_int64(st, 1, now);
	return store_push_scalar(st);
}
