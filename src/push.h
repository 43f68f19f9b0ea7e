/*
 * push.h: webhook and WebSub push, the module main.c starts.
 *
 * push_new loads the subscriptions (the config file's are synchronized
 * into the database: new ones start, removed ones go), registers the
 * matcher as the poller's commit hook, so every poll's new matches are
 * queued in the poll's own transaction (push_match.c), and starts the
 * sender (push_send.c), which delivers the queue with retries on the one
 * event loop. Pending deliveries left by an earlier run, crashed or not,
 * are sent at once.
 *
 * The admin API (adminapi.c) and the WebSub hub (websub.c) change
 * subscriptions through the functions below, which keep the matcher's
 * view up to date.
 *
 * Ownership: struct push is new from push_new and borrows the app (its
 * store, fetcher, poller and config, which must outlive it); free it
 * before them. push_store's result is borrowed.
 */
#ifndef PAPERWIRE_PUSH_H
#define PAPERWIRE_PUSH_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "error.h"
#include "store_push.h"
#include "subs.h"

struct push;

struct push *push_new(struct app *app, struct pw_error *err);
/* Records the results of finished attempts and stops; deliveries in
 * flight stay pending and are sent again by the next run. */
void push_free(struct push *p);

/* The push tables, for reading (borrowed). */
struct store_push *push_store(struct push *p);

/*
 * Adds a subscription (id, origin and created_at set by the caller):
 * stores it and queues its backfill (its most recent matches, oldest
 * first). From then on it is pushed the entries that polls add or turn
 * into matches. One transaction. 0 or -1.
 */
int push_sub_add(struct push *p, const struct sub *s, struct pw_error *err);

/* Deletes a subscription with its queue and ledger; *found false when
 * there was none. 0 or -1. */
int push_sub_delete(
    struct push *p, const char *id, bool *found, struct pw_error *err);

/* Queues the subscription's dead deliveries again (and enables it if a
 * 410 had disabled it); *n tells how many. 0 or -1. */
int push_sub_replay(
    struct push *p, const char *id, int64_t *n, struct pw_error *err);

/*
 * A verified WebSub subscription: stores it (a renewal keeps its id);
 * distributions start with the next entry its topic gains. 0 or -1.
 */
int push_websub_activate(
    struct push *p, struct websub_sub *w, struct pw_error *err);
/* A verified unsubscription. 0 or -1. */
int push_websub_remove(struct push *p, const char *callback, const char *topic,
    struct pw_error *err);

/* Splits a WebSub topic URL under base_url into its feed path and raw
 * query string (both new). 0, or -1 when topic is not under base_url. */
int push_topic_split(
    const char *base_url, const char *topic, char **path, char **query);

/* The address guard for user-supplied URLs (borrowed; replaced on
 * reload, so take it per request). NULL when p is NULL. */
const struct netguard *push_guard(const struct push *p);

#endif
