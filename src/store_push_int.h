/*
 * store_push_int.h: what the store_push files share with each other; no
 * other module includes it. store_push.c holds every statement of the
 * push tables (push_sql[]) and the subscriptions and ledger;
 * store_push_queue.c the deliveries; store_push_websub.c the WebSub
 * subscribers.
 */
#ifndef PAPERWIRE_STORE_PUSH_INT_H
#define PAPERWIRE_STORE_PUSH_INT_H

#include "store_int.h"
#include "store_push.h"

enum push_stmt {
	PS_SUB_INSERT,
	PS_SUB_UPDATE_CONFIG,
	PS_SUB_GET,
	PS_SUB_SECRET,
	PS_SUB_LIST,
	PS_SUB_DELETE,
	PS_SUB_DELETE_MATCHES,
	PS_SUB_DELETE_DELIVERIES,
	PS_SUB_DISABLE,
	PS_SUB_COUNT,
	PS_SUB_STATS,
	PS_SUB_QUEUE,
	PS_DEAD_LIST,
	PS_REPLAY,
	PS_MATCH,
	PS_PREV,
	PS_PREV_SOURCES,
	PS_PREV_CLEAR,
	PS_PREV_CLEAR_SOURCES,
	PS_ENQUEUE,
	PS_DUE,
	PS_NEXT_DUE,
	PS_LOAD,
	PS_RESULT,
	PS_RESULT_SUB,
	PS_PRUNE,
	PS_PENDING,
	PS_WS_FIND,
	PS_WS_INSERT,
	PS_WS_RENEW,
	PS_WS_GET,
	PS_WS_LIST,
	PS_WS_EXPIRED,
	PS_WS_DELETE,
	PS_WS_COUNT,
	PS__COUNT
};

struct store_push {
	struct store *s;
	sqlite3_stmt *st[PS__COUNT];
};

/* A statement reset, unbound and ready (borrowed). */
sqlite3_stmt *store_push_stmt(struct store_push *sp, enum push_stmt id);
/* Binds v as text, or NULL. */
void store_push_bind_opt(sqlite3_stmt *st, int i, const char *v);
/* Steps a statement that returns no row, then resets it. 0 or -1. */
int store_push_run(struct store_push *sp, sqlite3_stmt *st, const char *what,
    struct pw_error *err);
/* Runs the statement which with id bound as ?1. 0 or -1. */
int store_push_run_id(struct store_push *sp, enum push_stmt which,
    const char *id, const char *what, struct pw_error *err);
/* Steps a statement that returns one integer (-1 on error). */
int64_t store_push_scalar(sqlite3_stmt *st);
/* Copies a text column (NULL stays NULL). 0 or -1 (out of memory). */
int store_push_col_str(sqlite3_stmt *st, int i, char **out);
/* Deletes the ledger rows and the deliveries of a subscription (webhook
 * or WebSub). 0 or -1. */
int store_push_forget(
    struct store_push *sp, const char *id, struct pw_error *err);

#endif
