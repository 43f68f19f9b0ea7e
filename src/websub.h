/*
 * websub.h: paperwire's built-in WebSub hub (W3C WebSub Recommendation),
 * at /websub, for the feeds paperwire serves.
 *
 * A subscriber POSTs hub.mode (subscribe or unsubscribe), hub.callback,
 * hub.topic (one of this server's feed URLs, as its feeds advertise them
 * in rel="self"), and optionally hub.lease_seconds and hub.secret. A
 * request that cannot be honoured is answered 400 naming the parameter;
 * any other is answered 202 and verified afterwards: a GET to the
 * callback with hub.mode, hub.topic, hub.challenge (random) and, for a
 * subscription, hub.lease_seconds. Only a 2xx answer whose body is
 * exactly the challenge confirms it. Leases are clamped to the
 * configured bounds and lapse unless renewed.
 *
 * When a topic gains entries, the matcher (push_match.c) queues the
 * feed's new body for each subscriber: distributions go through the same
 * durable queue and retry rules as webhooks, with rel="hub" and rel="self"
 * Link headers and, when a secret was given, X-Hub-Signature:
 * sha256=<hex HMAC of the body>.
 *
 * Ownership: struct websub is new from websub_new, freed by websub_free
 * (verifications still in flight are dropped: the subscriber asks again).
 * It borrows the app; free it before the fetcher and the push module.
 */
#ifndef PAPERWIRE_WEBSUB_H
#define PAPERWIRE_WEBSUB_H

#include "app.h"
#include "error.h"

struct websub;

struct websub *websub_new(struct app *app, struct pw_error *err);
void websub_free(struct websub *w);

/* The route itself, websub_handle, is declared in http.h. */

#endif
