/*
 * poller.h: when and how each configured source is polled.
 *
 * Each source has its own timer. A poll walks the adapter's requests (list
 * dates and pages) one after another through fetch, parses each body with
 * the adapter, and writes everything the poll gathered to the store in one
 * transaction. Any failure (network, HTTP status, unparsable body) ends the
 * poll early with one log line; what was gathered before still commits,
 * and nothing stored is ever removed. Failures back off exponentially from
 * CAP_BACKOFF_FIRST to CAP_BACKOFF_MAX, never sooner than a Retry-After.
 *
 * Ownership: struct poller is new from poller_new, freed by poller_free;
 * it borrows the config, store and fetcher, which must outlive it.
 */
#ifndef PAPERWIRE_POLLER_H
#define PAPERWIRE_POLLER_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>
#include <jansson.h>

#include "config.h"
#include "fetch.h"
#include "store.h"

struct poller;

struct poller *poller_new(struct event_base *base, const struct config *cfg,
    struct store *store, struct fetch *fetch, struct pw_error *err);
void poller_free(struct poller *p);

/*
 * Called inside a poll's transaction, after its entries were written, with
 * the ids of the entries the poll inserted or updated (borrowed). The hook
 * may write to the store (the webhook outbox does); returning -1 rolls the
 * whole poll back, and the poll counts as failed with err's message.
 */
typedef int (*poller_commit_fn)(void *arg, struct store *store,
    const char *const *changed_ids, size_t n, int64_t now,
    struct pw_error *err);
void poller_set_commit_hook(struct poller *p, poller_commit_fn fn, void *arg);

/* Schedules every enabled source's first poll now. */
void poller_start(struct poller *p);

/* Polls every enabled source that is not already polling, now, ignoring
 * back-off (the operator asked: SIGUSR1). */
void poller_poll_all(struct poller *p);

/* new: a JSON array describing each source's state, for /healthz. */
json_t *poller_status(const struct poller *p);

/* true once any poll attempt has ended (succeeded or failed cleanly) since
 * start-up, or when no source is enabled: /readyz. */
bool poller_ready(const struct poller *p);

/*
 * Hands over from old to p after a configuration reload; p is new from
 * poller_new and not started. old's polls in progress are cut (fetch_cancel:
 * their callbacks never run, and what they gathered was never stored) and
 * old is freed. In p, a source old polled with the same configuration
 * keeps its schedule and counters; a new or changed source, or one whose
 * poll was cut, polls now. The commit hook, when p has none, is old's.
 */
void poller_takeover(struct poller *p, struct poller *old);

#endif
