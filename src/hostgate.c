/*
 * hostgate.c: per-host request spacing (see hostgate.h). Each host that
 * gated requests have gone to keeps a small record: whether a request is
 * in flight, when the last one started and with what interval, a FIFO of
 * waiting requests and one timer that wakes the head of that queue.
 * Records live until hostgate_free; there is one per distinct host of
 * the configured sources.
 */
#include "hostgate.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "caps.h"

enum { WAIT_IDLE = 0, WAIT_QUEUED, WAIT_HELD };

struct hostgate_host {
	struct hostgate *g;
	char *name; /* lower case */
	bool busy;  /* a gated request is in flight */
	bool started;
	int64_t last_start_ms;
	int64_t last_interval_ms;
	struct hostgate_wait *head, *tail;
	struct event *timer;
	struct hostgate_host *next;
};

struct hostgate {
	struct event_base *base;
	struct hostgate_host *hosts;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* new: url's host name in lower case, or NULL (no host, or no memory). */
static char *host_of(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *copy = NULL;

	if (u == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    host[0] != '\0' && (copy = strdup(host)) != NULL) {
		for (char *c = copy; *c != '\0'; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
	}
	curl_free(host);
	curl_url_cleanup(u);
	return copy;
}

/* When a request with interval_ms may start at the earliest. */
static int64_t ready_at(const struct hostgate_host *h, int64_t interval_ms)
{
	int64_t gap = h->last_interval_ms > interval_ms ? h->last_interval_ms
	                                                : interval_ms;

	return h->started ? h->last_start_ms + gap : 0;
}

static void hold(struct hostgate_host *h, struct hostgate_wait *w, int64_t t)
{
	h->busy = true;
	h->started = true;
	h->last_start_ms = t;
	h->last_interval_ms = w->interval_ms;
	w->host = h;
	w->state = WAIT_HELD;
}

/* Arms the host's timer for the head of its queue, if it can go at all. */
static void arm(struct hostgate_host *h)
{
	struct timeval tv;
	int64_t delay;

	if (h->busy || h->head == NULL) {
		evtimer_del(h->timer);
		return;
	}
	delay = ready_at(h, h->head->interval_ms) - now_ms();
	if (delay < 0)
		delay = 0;
	tv.tv_sec = (time_t)(delay / 1000);
	tv.tv_usec = (suseconds_t)(delay % 1000) * 1000;
	evtimer_add(h->timer, &tv);
}

static void wake(evutil_socket_t fd, short what, void *arg)
{
	struct hostgate_host *h = arg;
	struct hostgate_wait *w = h->head;
	int64_t t = now_ms();

	if (h->busy || w == NULL)
		return;
	if (t < ready_at(h, w->interval_ms)) {
		arm(h); /* woken early (clock granularity): wait the rest */
		return;
	}
	h->head = w->next;
	if (h->head == NULL)
		h->tail = NULL;
	w->next = NULL;
	hold(h, w, t);
	/* fn may start the request, or fail and leave at once. */
	w->fn(w->arg);
}

static struct hostgate_host *host_get(struct hostgate *g, char *name)
{
	struct hostgate_host *h;

	for (h = g->hosts; h != NULL; h = h->next)
		if (strcmp(h->name, name) == 0) {
			free(name);
			return h;
		}
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		goto fail;
	h->g = g;
	h->name = name;
	h->timer = evtimer_new(g->base, wake, h);
	if (h->timer == NULL)
		goto fail;
	h->next = g->hosts;
	g->hosts = h;
	return h;
fail:
	free(h);
	free(name);
	return NULL;
}

struct hostgate *hostgate_new(struct event_base *base)
{
	struct hostgate *g = calloc(1, sizeof(*g));

	if (g != NULL)
		g->base = base;
	return g;
}

void hostgate_free(struct hostgate *g)
{
	if (g == NULL)
		return;
	while (g->hosts != NULL) {
		struct hostgate_host *h = g->hosts;

		g->hosts = h->next;
		for (struct hostgate_wait *w = h->head; w != NULL;) {
			struct hostgate_wait *next = w->next;

			memset(w, 0, sizeof(*w));
			w = next;
		}
		event_free(h->timer);
		free(h->name);
		free(h);
	}
	free(g);
}

int hostgate_enter(struct hostgate *g, struct hostgate_wait *w, const char *url,
    int64_t interval_ms, hostgate_fn fn, void *arg)
{
	struct hostgate_host *h;
	char *name;

	memset(w, 0, sizeof(*w));
	if (interval_ms <= 0)
		return 0;
	if ((name = host_of(url)) == NULL)
		return 0; /* no host to be polite to (file://) */
	if ((h = host_get(g, name)) == NULL)
		return -1;
	w->interval_ms = interval_ms;
	w->fn = fn;
	w->arg = arg;
	if (!h->busy && h->head == NULL &&
	    now_ms() >= ready_at(h, interval_ms)) {
		hold(h, w, now_ms());
		return 0;
	}
	w->host = h;
	w->state = WAIT_QUEUED;
	if (h->tail != NULL)
		h->tail->next = w;
	else
		h->head = w;
	h->tail = w;
	arm(h);
	return 1;
}

void hostgate_leave(struct hostgate *g, struct hostgate_wait *w)
{
	struct hostgate_host *h = w->host;

	if (h == NULL)
		return;
	if (w->state == WAIT_QUEUED) {
		struct hostgate_wait **pp = &h->head, *prev = NULL;

		while (*pp != NULL && *pp != w) {
			prev = *pp;
			pp = &(*pp)->next;
		}
		if (*pp == w) {
			*pp = w->next;
			if (h->tail == w)
				h->tail = prev;
		}
	} else if (w->state == WAIT_HELD) {
		h->busy = false;
	}
	memset(w, 0, sizeof(*w));
	arm(h);
}

int64_t hostgate_delay_ms(
    const struct hostgate *g, const struct hostgate_wait *w)
{
	int64_t d;

	if (w->host == NULL || w->state != WAIT_QUEUED)
		return 0;
	d = ready_at(w->host, w->interval_ms) - now_ms();
	return d > 0 ? d : 0;
}

int hostgate_default_interval(const char *url)
{
	static const char domain[] = "arxiv.org";
	const size_t dn = sizeof(domain) - 1;
	char *host = host_of(url);
	size_t n;
	int interval = 0;

	if (host == NULL)
		return 0;
	n = strlen(host);
	/* arxiv.org itself, or a name ending in ".arxiv.org" (a trailing
	 * dot, the DNS root, counts the same). */
	if (n > 0 && host[n - 1] == '.')
		host[--n] = '\0';
	if ((n == dn && strcmp(host, domain) == 0) ||
	    (n > dn && host[n - dn - 1] == '.' &&
	        strcmp(host + n - dn, domain) == 0))
		interval = CAP_HOST_INTERVAL_ARXIV;
	free(host);
	return interval;
}
