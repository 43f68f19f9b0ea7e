/*
 * hostgate.h: polite spacing of requests to one host.
 *
 * Some upstreams ask for a minimum interval between requests (arXiv: one
 * request every 3 seconds, one connection at a time). A request that
 * passes through the gate with an interval of N ms, to a host H, starts
 * only when no other gated request to H is in flight and at least N ms
 * (or the previous request's own interval, if longer) have passed since
 * the previous gated request to H started. Waiting requests go in
 * arrival order. Requests with an interval of 0, or URLs without a host
 * (file://), pass straight through and are not counted.
 *
 * Hosts are compared by name, case-insensitively, without the port.
 * Times come from CLOCK_MONOTONIC; waits are libevent timers on the base
 * given to hostgate_new, so nothing here blocks.
 *
 * Ownership: struct hostgate is new from hostgate_new and freed by
 * hostgate_free, which drops waiting requests without calling them (leave
 * the gate with every request still in flight before freeing it).
 * struct hostgate_wait is the caller's (zeroed before first use, usually
 * embedded in the caller's state) and must stay put while it is in the
 * gate, that is from hostgate_enter until hostgate_leave.
 */
#ifndef PAPERWIRE_HOSTGATE_H
#define PAPERWIRE_HOSTGATE_H

#include <stdint.h>

#include <event2/event.h>

struct hostgate;
struct hostgate_host;

typedef void (*hostgate_fn)(void *arg);

/* One request's place in the gate. The fields are private. */
struct hostgate_wait {
	struct hostgate_host *host; /* NULL: not in the gate */
	int state;
	int64_t interval_ms;
	hostgate_fn fn;
	void *arg;
	struct hostgate_wait *next; /* in the host's queue */
};

/* new: a gate on base, or NULL when memory ran out. */
struct hostgate *hostgate_new(struct event_base *base);
void hostgate_free(struct hostgate *g);

/*
 * Asks to start a request to url. Returns 0 when it may start now (the
 * caller starts it and calls hostgate_leave when it ends), 1 when it was
 * queued (fn(arg) is called later from the event loop, once, when it may
 * start; the caller still calls hostgate_leave when it ends, or to give up
 * its place), or -1 when memory ran out (the caller may go ungated).
 */
int hostgate_enter(struct hostgate *g, struct hostgate_wait *w, const char *url,
    int64_t interval_ms, hostgate_fn fn, void *arg);

/* The request of w ended, or gives up its place in the queue. Safe to
 * call when w is not in the gate. */
void hostgate_leave(struct hostgate *g, struct hostgate_wait *w);

/* Milliseconds w has to wait from now (0 when it may go, or is not
 * queued); for log lines. */
int64_t hostgate_delay_ms(
    const struct hostgate *g, const struct hostgate_wait *w);

/* The default minimum interval in seconds for requests to url's host:
 * CAP_HOST_INTERVAL_ARXIV for arxiv.org and its subdomains, else 0. */
int hostgate_default_interval(const char *url);

#endif
