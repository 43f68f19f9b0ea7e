/*
 * store_push.h: the SQL of push: webhook subscriptions, the ledger of
 * (subscription, entry) pairs already matched, the deliveries queue (the
 * outbox) and the WebSub hub's subscriptions. Part of the store: only
 * store*.c speak SQL.
 *
 * The ledger is what makes a push happen once: a pair is inserted with
 * INSERT OR IGNORE, and only a pair that was new gets a delivery, in the
 * same transaction (the poll's, when the commit hook runs), so a crash
 * either keeps both or neither. Triggers of this connection keep each
 * entry's state from before the poll (store_push_prev), so the matcher
 * can tell an entry that starts matching from one that matched already.
 * Deliveries are "pending" (with the time of their next attempt, in Unix
 * milliseconds), "done" or "dead".
 *
 * Ownership: struct store_push is new from store_push_new and borrows the
 * store, which must outlive it (free it first: it holds prepared
 * statements of the store's connection). Structs filled here own their
 * strings; their _clear functions release them.
 */
#ifndef PAPERWIRE_STORE_PUSH_H
#define PAPERWIRE_STORE_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "caps.h"
#include "entry.h"
#include "error.h"
#include "filter.h"
#include "store.h"
#include "subs.h"

struct store_push;

struct store_push *store_push_new(struct store *s, struct pw_error *err);
void store_push_free(struct store_push *sp);

/* ---- webhook subscriptions ---- */

/* Inserts s (its id must be new). 0 or -1. */
int store_push_sub_insert(
    struct store_push *sp, const struct sub *s, struct pw_error *err);
/* Inserts a subscription from the config file, or when its id exists
 * updates what may change without changing the id (name, secret,
 * backfill). *created tells which. 0 or -1. */
int store_push_sub_upsert(struct store_push *sp, const struct sub *s,
    bool *created, struct pw_error *err);
/* Loads one subscription into the initialized out; *found false when
 * there is none. 0 or -1. */
int store_push_sub_get(struct store_push *sp, const char *id, struct sub *out,
    bool *found, struct pw_error *err);
/* What the sender needs of a subscription: its secret (new, NULL when
 * unsigned) and whether it is disabled; *found false when it is gone.
 * 0 or -1. */
int store_push_sub_secret(struct store_push *sp, const char *id, char **secret,
    bool *disabled, bool *found, struct pw_error *err);
/* Appends every subscription, oldest first, to *v (realloc'ed, n
 * counted); the caller clears each and frees *v. 0 or -1. */
int store_push_sub_list(
    struct store_push *sp, struct sub **v, size_t *n, struct pw_error *err);
/* Deletes a subscription with its ledger and deliveries; *found false
 * when there was none. 0 or -1. */
int store_push_sub_delete(
    struct store_push *sp, const char *id, bool *found, struct pw_error *err);
/* Disables (reason set) or enables (reason NULL) a subscription. */
int store_push_sub_disable(struct store_push *sp, const char *id,
    const char *reason, struct pw_error *err);
/* Subscriptions in all; -1 on error. */
int64_t store_push_sub_count(struct store_push *sp);

/* What the admin API shows about a subscription's deliveries. */
struct sub_stats {
	int64_t pending, done, dead; /* deliveries in the queue by status */
	int64_t delivered;           /* messages answered 2xx, ever */
	int64_t failures;            /* failed attempts, ever */
	int64_t last_attempt_at, last_success_at; /* Unix seconds, 0 never */
	long last_status;                         /* 0: no HTTP answer */
	char *last_error;                         /* NULL after a success */
};
void sub_stats_clear(struct sub_stats *st);
int store_push_sub_stats(struct store_push *sp, const char *id,
    struct sub_stats *st, struct pw_error *err);
/* ---- the ledger ---- */

/* Records that (key, entry_id) matched; *is_new is true only the first
 * time. key is a subscription id (webhook or WebSub). 0 or -1. */
int store_push_match(struct store_push *sp, const char *key,
    const char *entry_id, int64_t now, bool *is_new, struct pw_error *err);

/*
 * The entry cur as it was before the current transaction first changed
 * it, into *out (new), or *out = NULL when the transaction inserted it
 * (or did not change it). Its sources are cur's minus those added since.
 * Recorded by this connection's triggers from store_push_new on, until
 * store_push_prev_clear. 0 or -1.
 */
int store_push_prev(struct store_push *sp, const struct entry *cur,
    struct entry **out, struct pw_error *err);
/* Forgets the recorded old states (the matcher's last step, inside the
 * transaction). 0 or -1. */
int store_push_prev_clear(struct store_push *sp, struct pw_error *err);

/* The deliveries queue and the WebSub subscribers. */
#include "store_push_queue.h"
#include "store_push_websub.h"

#endif
