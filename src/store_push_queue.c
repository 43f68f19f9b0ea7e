/*
 * store_push_queue.c: the deliveries queue in SQL: queueing, the due
 * rows in queue order, loading one for an attempt, its result, dead
 * deliveries and their replay, pruning.
 */
#include "store_push_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
    [DELIVERY_WEBHOOK] = "webhook",
    [DELIVERY_WEBSUB] = "websub",
    [DELIVERY_PING] = "ping",
};

json_t *store_push_queue_dead_json(
    struct store_push *sp, const char *sub_id, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_DEAD_LIST);
	json_t *arr = json_array();
	int rc = SQLITE_DONE;

	sqlite3_bind_text(st, 1, sub_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, CAP_PUSH_DEAD_LISTED);
	while (arr != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		const char *e = (const char *)sqlite3_column_text(st, 4);
		const char *entry = (const char *)sqlite3_column_text(st, 1);

		json_array_append_new(arr, o);
		json_object_set_new(o, "id",
		    json_string((const char *)sqlite3_column_text(st, 0)));
		json_object_set_new(
		    o, "entry_id", entry ? json_string(entry) : json_null());
		json_object_set_new(
		    o, "attempts", json_integer(sqlite3_column_int(st, 2)));
		json_object_set_new(o, "last_status",
		    json_integer(sqlite3_column_int64(st, 3)));
		json_object_set_new(
		    o, "last_error", e != NULL ? json_string(e) : json_null());
		json_object_set_new(
		    o, "updated_at", json_integer(sqlite3_column_int64(st, 5)));
	}
	sqlite3_reset(st);
	if (arr == NULL || rc != SQLITE_DONE) {
		json_decref(arr);
		store_db_error(sp->s, err, "list dead deliveries");
		return NULL;
	}
	return arr;
}

int store_push_queue_replay(struct store_push *sp, const char *sub_id,
    int64_t now_ms, int64_t *n, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_REPLAY);

	sqlite3_bind_text(st, 1, sub_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_int64(st, 3, now_ms / 1000);
	if (store_push_run(sp, st, "replay deliveries", err) != 0)
		return -1;
	*n = sqlite3_changes(sp->s->db);
	return 0;
}

void delivery_init(struct delivery *d)
{
	memset(d, 0, sizeof(*d));
}

void delivery_clear(struct delivery *d)
{
	free(d->id);
	free(d->sub_id);
	free(d->entry_id);
	free(d->url);
	free(d->topic);
	free(d->content_type);
	free(d->body);
	delivery_init(d);
}

int store_push_queue_add(
    struct store_push *sp, const struct delivery *d, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_ENQUEUE);

	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind_names[d->kind], -1, SQLITE_STATIC);
	store_push_bind_opt(st, 3, d->sub_id);
	store_push_bind_opt(st, 4, d->entry_id);
	sqlite3_bind_text(st, 5, d->url, -1, SQLITE_STATIC);
	store_push_bind_opt(st, 6, d->topic);
	sqlite3_bind_text(st, 7, d->content_type, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 8, d->body, d->body_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, d->next_attempt_ms);
	sqlite3_bind_int64(st, 10, d->created_at);
	return store_push_run(sp, st, "queue delivery", err);
}

int store_push_queue_due(struct store_push *sp, int64_t now_ms,
    struct delivery_due *out, size_t max, size_t *n, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_DUE);
	int rc = SQLITE_DONE;

	*n = 0;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *url = (const char *)sqlite3_column_text(st, 1);

		out[*n].seq = sqlite3_column_int64(st, 0);
		snprintf(out[*n].url, sizeof(out[*n].url), "%s",
		    url != NULL ? url : "");
		(*n)++;
	}
	if (*n < max && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return store_db_error(sp->s, err, "due deliveries");
	}
	sqlite3_reset(st);
	return 0;
}

int64_t store_push_queue_next(struct store_push *sp, int64_t now_ms)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_NEXT_DUE);
	int64_t v;

	sqlite3_bind_int64(st, 1, now_ms);
	v = store_push_scalar(st);
	return v > 0 ? v : 0;
}

int store_push_queue_load(struct store_push *sp, int64_t seq,
    struct delivery *d, bool *found, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_LOAD);
	const char *kind;
	int rc;

	*found = false;
	delivery_clear(d);
	sqlite3_bind_int64(st, 1, seq);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE
		           ? 0
		           : store_db_error(sp->s, err, "load delivery");
	}
	d->seq = sqlite3_column_int64(st, 0);
	kind = (const char *)sqlite3_column_text(st, 2);
	d->kind = DELIVERY_WEBHOOK;
	for (size_t i = 0; kind != NULL && i < 3; i++)
		if (strcmp(kind, kind_names[i]) == 0)
			d->kind = (enum delivery_kind)i;
	d->attempts = sqlite3_column_int(st, 9);
	d->next_attempt_ms = sqlite3_column_int64(st, 10);
	d->created_at = sqlite3_column_int64(st, 11);
	d->body_len = (size_t)sqlite3_column_bytes(st, 8);
	d->body = malloc(d->body_len + 1);
	if (d->body == NULL || store_push_col_str(st, 1, &d->id) ||
	    store_push_col_str(st, 3, &d->sub_id) ||
	    store_push_col_str(st, 4, &d->entry_id) ||
	    store_push_col_str(st, 5, &d->url) ||
	    store_push_col_str(st, 6, &d->topic) ||
	    store_push_col_str(st, 7, &d->content_type) || d->id == NULL ||
	    d->url == NULL) {
		sqlite3_reset(st);
		delivery_clear(d);
		return pw_error_set(err, "store: out of memory");
	}
	if (d->body_len > 0)
		memcpy(d->body, sqlite3_column_blob(st, 8), d->body_len);
	d->body[d->body_len] = '\0';
	sqlite3_reset(st);
	*found = true;
	return 0;
}

int store_push_queue_result(struct store_push *sp,
    const struct delivery_result *r, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_RESULT);

	sqlite3_bind_int64(st, 1, r->seq);
	sqlite3_bind_text(st, 2, r->status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, r->attempts);
	sqlite3_bind_int64(st, 4, r->next_attempt_ms);
	sqlite3_bind_int64(st, 5, r->http_status);
	store_push_bind_opt(st, 6, r->error);
	sqlite3_bind_int64(st, 7, r->now);
	if (store_push_run(sp, st, "record delivery result", err) != 0)
		return -1;
	if (r->sub_id == NULL)
		return 0;
	st = store_push_stmt(sp, PS_RESULT_SUB);
	sqlite3_bind_text(st, 1, r->sub_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->now);
	sqlite3_bind_int64(st, 4, r->http_status);
	store_push_bind_opt(st, 5, r->error);
	return store_push_run(sp, st, "count delivery result", err);
}

int store_push_queue_prune(
    struct store_push *sp, int64_t before, struct pw_error *err)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_PRUNE);

	sqlite3_bind_int64(st, 1, before);
	return store_push_run(sp, st, "prune deliveries", err);
}

int store_push_queue_pending(
    struct store_push *sp, int64_t *count, int64_t *oldest)
{
	sqlite3_stmt *st = store_push_stmt(sp, PS_PENDING);
	int rc = sqlite3_step(st);

	*count = *oldest = 0;
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		*oldest = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}
