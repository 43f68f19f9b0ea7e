/*
 * fetch.h: all of paperwire's outbound HTTP, on the one event loop.
 *
 * libcurl's multi interface is driven by libevent (the socket and timer
 * callbacks of curl's multi-event.c example): no blocking calls, no
 * threads. Every transfer has connect and total timeouts, a low-speed
 * limit, a redirect cap, a protocol allow-list and a cap on the body
 * counted after decompression (caps.h).
 *
 * Ownership: struct fetch is new from fetch_new and freed by fetch_free,
 * which aborts in-flight transfers without calling their callbacks.
 * The result handed to a callback is borrowed for the call's duration.
 */
#ifndef PAPERWIRE_FETCH_H
#define PAPERWIRE_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "buf.h"
#include "error.h"
#include "netguard.h"

struct fetch;

struct fetch_request {
	const char *url;
	bool allow_file; /* file:// allowed (operator-configured sources) */
	const char *if_none_match; /* validators to send, or NULL */
	const char *if_modified_since;
	const char *const *headers; /* extra "Name: value" lines (secret) */
	size_t n_headers;
	long max_bytes;  /* 0: CAP_FETCH_BODY_BYTES */
	long timeout_ms; /* 0: CAP_FETCH_TOTAL_TIMEOUT_MS */
	/* Push deliveries: a body makes the request a POST (the bytes are
	 * copied at fetch_start); no_redirects answers a 3xx as it is. */
	const void *body;
	size_t body_len;
	bool no_redirects;
	/* A user-supplied URL: connect only to addresses this guard allows
	 * (checked on the address actually connected to, for every
	 * connection of the transfer). NULL: unguarded (operator-configured
	 * sources). Copied at fetch_start. */
	const struct netguard *guard;
};

struct fetch_result {
	bool ok;     /* transport succeeded (any HTTP status) */
	long status; /* HTTP status, 0 without an HTTP answer (200 for file://)
	              */
	struct buf body;  /* the (decompressed) body */
	const char *etag; /* response validators, or NULL */
	const char *last_modified;
	const char *content_type;
	int64_t retry_after; /* seconds from Retry-After, 0 if none */
	const char
	    *error;     /* one line when !ok or the body was cut, else NULL */
	double seconds; /* total transfer time */
	long redirects; /* redirects followed */
	/* The URL finally fetched when every redirect followed was permanent
	 * (301 or 308): the upstream's new address. NULL when there was no
	 * redirect or one of them was temporary (302, 303, 307). */
	const char *moved_to;
};

typedef void (*fetch_done_fn)(const struct fetch_result *res, void *arg);

/* new: a fetcher on base with this User-Agent. NULL on failure. */
struct fetch *fetch_new(
    struct event_base *base, const char *user_agent, struct pw_error *err);
void fetch_free(struct fetch *f);

/* Starts a transfer; done is called exactly once, later, from the loop
 * (never from inside fetch_start). 0 or -1. */
int fetch_start(struct fetch *f, const struct fetch_request *req,
    fetch_done_fn done, void *arg, struct pw_error *err);

/* Transfers in flight. */
int fetch_active(const struct fetch *f);

/*
 * Aborts every transfer in flight whose callback argument is arg; their
 * callbacks are never called, so arg may be freed afterwards. Returns how
 * many were aborted. Meant for callbacks other than fetch's own (a signal
 * or timer callback); a transfer whose done callback is running is never
 * touched.
 */
int fetch_cancel(struct fetch *f, const void *arg);

#endif
