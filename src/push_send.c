/*
 * push_send.c: the sender. It delivers the deliveries queue through the
 * fetcher (libcurl multi on the one event loop), at most
 * CAP_PUSH_INFLIGHT at a time and at most delivery.per_host_concurrency
 * per target host, in queue order.
 *
 * Each attempt is built fresh from the stored row: the body is sent
 * byte for byte as it was queued, with a new webhook-timestamp and
 * signature. What an attempt came to (push_retry.h) is written back in
 * batches, one transaction per batch: a crash between an answer and its
 * batch only makes the delivery pending again, and it is sent once more
 * with the same webhook-id, which receivers use to drop duplicates.
 *
 * The sender wakes when the matcher queued something (push_send_kick),
 * when an attempt finished, and on a timer set to the earliest next
 * attempt (at most a minute away, for housekeeping: done deliveries older
 * than CAP_PUSH_DONE_KEEP are pruned, lapsed WebSub leases removed).
 */
#include "push_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "caps.h"
#include "log.h"
#include "metrics.h"
#include "push_retry.h"

/* Due rows looked at per pass. */
#define DUE_BATCH 256
/* Results written per transaction, and how long one may wait. */
#define FLUSH_BATCH 64
#define FLUSH_DELAY_MS 50
#define HOUSEKEEPING_MS 60000
#define HOST_BYTES 256

struct slot {
	struct push_sender *s;
	bool used;
	struct delivery d;
	char host[HOST_BYTES];
	struct strv headers;
};

struct result {
	int64_t seq;
	enum delivery_kind kind;
	char *sub_id; /* the subscription (webhook or WebSub), or NULL */
	char *url, *topic;
	const char *status; /* "pending", "done" or "dead" (static) */
	int attempts;
	int64_t next_ms;
	long http;
	char *error;
	bool gone; /* 410: end the subscription */
};

struct push_sender {
	struct push *p;
	struct event *tick;  /* flush and pick, after the current callback */
	struct event *timer; /* the earliest next attempt, or housekeeping */
	struct event *flush_timer;
	struct slot slots[CAP_PUSH_INFLIGHT];
	size_t n_inflight;
	struct result results[FLUSH_BATCH];
	size_t n_results;
	int64_t first_result_ms;
	int64_t last_housekeeping_ms;
	/* Due rows read from the queue, dispatched from here in order (a
	 * dispatched one gets seq 0) until none is left or the queue may
	 * hold more: one query per DUE_BATCH attempts, not per attempt. */
	struct delivery_due due[DUE_BATCH];
	size_t n_due, left_due;
	bool refill;
};

static void wake(struct push_sender *s);

static void result_clear(struct result *r)
{
	free(r->sub_id);
	free(r->url);
	free(r->topic);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

/* Writes the batch of results in one transaction and applies 410s. */
static void flush(struct push_sender *s)
{
	struct push *p = s->p;
	struct pw_error err;
	bool gone = false;
	int64_t now = (int64_t)time(NULL);
	size_t i;

	if (s->n_results == 0)
		return;
	evtimer_del(s->flush_timer);
	if (store_begin(p->app->store, &err) != 0)
		goto fail;
	for (i = 0; i < s->n_results; i++) {
		struct result *r = &s->results[i];
		struct delivery_result dr = {r->seq,
		    r->kind == DELIVERY_WEBHOOK ? r->sub_id : NULL, r->status,
		    r->attempts, r->next_ms, r->http, r->error, now};

		if (store_push_queue_result(p->sp, &dr, &err) != 0)
			goto rollback;
		if (!r->gone || r->sub_id == NULL)
			continue;
		gone = true;
		if (r->kind == DELIVERY_WEBHOOK &&
		    store_push_sub_disable(p->sp, r->sub_id,
		        "the receiver answered 410 Gone", &err) != 0)
			goto rollback;
		if (r->kind == DELIVERY_WEBSUB &&
		    store_push_websub_delete(p->sp, r->url, r->topic, &err) !=
		        0)
			goto rollback;
	}
	if (store_commit(p->app->store, &err) != 0)
		goto rollback;
	if (gone)
		p->stale = true;
	goto out;
rollback:
	store_rollback(p->app->store);
fail:
	/* The deliveries stay pending in the database and are tried again:
	 * a duplicate at worst, with the same webhook-id. */
	log_event(LOG_ERROR, "cannot record delivery results", "error", err.msg,
	    LOG_END);
out:
	for (i = 0; i < s->n_results; i++)
		result_clear(&s->results[i]);
	s->n_results = 0;
}

/* true when seq is in flight or has a result not yet written. */
static bool busy(const struct push_sender *s, int64_t seq)
{
	for (size_t i = 0; i < CAP_PUSH_INFLIGHT; i++)
		if (s->slots[i].used && s->slots[i].d.seq == seq)
			return true;
	for (size_t i = 0; i < s->n_results; i++)
		if (s->results[i].seq == seq)
			return true;
	return false;
}

static int host_load(const struct push_sender *s, const char *host)
{
	int n = 0;

	for (size_t i = 0; i < CAP_PUSH_INFLIGHT; i++)
		n +=
		    s->slots[i].used && strcasecmp(s->slots[i].host, host) == 0;
	return n;
}

/* The host of url into out ("" when it has none). */
static void host_of(const char *url, char out[HOST_BYTES])
{
	CURLU *u = curl_url();
	char *host = NULL;

	out[0] = '\0';
	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		snprintf(out, HOST_BYTES, "%s", host);
	curl_free(host);
	curl_url_cleanup(u);
}

/* Records an outcome; takes copies of what it keeps. */
static void add_result(struct push_sender *s, const struct delivery *d,
    const char *status, int attempts, int64_t next_ms, long http,
    const char *error, bool gone)
{
	struct result *r;

	if (s->n_results == FLUSH_BATCH)
		flush(s);
	r = &s->results[s->n_results++];
	r->seq = d->seq;
	r->kind = d->kind;
	r->sub_id = d->sub_id != NULL ? strdup(d->sub_id) : NULL;
	r->url = strdup(d->url);
	r->topic = d->topic != NULL ? strdup(d->topic) : NULL;
	r->status = status;
	r->attempts = attempts;
	r->next_ms = next_ms;
	r->http = http;
	r->error = error != NULL ? strdup(error) : NULL;
	r->gone = gone;
	if (s->n_results == 1)
		s->first_result_ms = push_now_ms();
	metrics_add(&metrics_webhook_deliveries,
	    METRICS_LABELS(gone                          ? "rejected"
	                   : strcmp(status, "done") == 0 ? "delivered"
	                   : strcmp(status, "dead") == 0 ? "dead"
	                                                 : "failed"),
	    1);
}

static void slot_release(struct slot *sl)
{
	delivery_clear(&sl->d);
	strv_free(&sl->headers);
	sl->used = false;
	sl->s->n_inflight--;
}

static void on_done(const struct fetch_result *res, void *arg)
{
	struct slot *sl = arg;
	struct push_sender *s = sl->s;
	const struct push_policy *pol = &s->p->app->cfg->delivery;
	const struct delivery *d = &sl->d;
	int attempts = d->attempts + 1;
	enum push_outcome oc =
	    res->status != 0 ? push_retry_classify(res->status) : PUSH_RETRY;
	int64_t now_ms = push_now_ms(), next = 0;
	char why[PW_ERROR_BYTES], status[24], n_att[24], in_ms[24];
	const char *state = "done";

	snprintf(status, sizeof(status), "%ld", res->status);
	snprintf(n_att, sizeof(n_att), "%d", attempts);
	if (res->status >= 300 && res->status <= 399)
		snprintf(why, sizeof(why),
		    "HTTP %ld (redirects are not followed)", res->status);
	else if (res->status != 0)
		snprintf(why, sizeof(why), "HTTP %ld", res->status);
	else
		snprintf(why, sizeof(why), "%s",
		    res->error != NULL ? res->error : "no answer");
	if (oc == PUSH_RETRY) {
		next = push_retry_next(pol, attempts, res->status,
		    res->retry_after, now_ms, (uint32_t)random());
		state = next < 0 ? "dead" : "pending";
	} else if (oc == PUSH_GONE) {
		state = "dead";
	}
	if (oc == PUSH_DONE) {
		log_event(LOG_DEBUG, "delivered", "id", d->id, "host", sl->host,
		    "status", status, "attempt", n_att, LOG_END);
	} else if (next > 0) {
		snprintf(
		    in_ms, sizeof(in_ms), "%lld", (long long)(next - now_ms));
		log_event(LOG_WARN, "delivery failed", "id", d->id,
		    "subscription", d->sub_id != NULL ? d->sub_id : "", "host",
		    sl->host, "error", why, "attempt", n_att, "retry_in_ms",
		    in_ms, LOG_END);
	} else {
		log_event(LOG_WARN,
		    oc == PUSH_GONE ? "receiver is gone; subscription ended"
		                    : "delivery dead after its last attempt",
		    "id", d->id, "subscription",
		    d->sub_id != NULL ? d->sub_id : "", "host", sl->host,
		    "error", why, "attempt", n_att, LOG_END);
	}
	add_result(s, d, state, attempts, next > 0 ? next : now_ms, res->status,
	    oc == PUSH_DONE ? NULL : why, oc == PUSH_GONE);
	slot_release(sl);
	wake(s);
}

/* Starts one attempt of the delivery seq in a free slot. */
static void dispatch(struct push_sender *s, int64_t seq, const char *host)
{
	struct slot *sl = NULL;
	struct fetch_request req;
	struct pw_error err = {{0}};
	const char *why;
	bool found;

	for (size_t i = 0; i < CAP_PUSH_INFLIGHT && sl == NULL; i++)
		if (!s->slots[i].used)
			sl = &s->slots[i];
	if (sl == NULL)
		return;
	if (store_push_queue_load(s->p->sp, seq, &sl->d, &found, &err) != 0 ||
	    !found) {
		if (!found && err.msg[0] == '\0')
			return;
		log_event(LOG_ERROR, "cannot load a delivery", "error", err.msg,
		    LOG_END);
		return;
	}
	sl->used = true;
	s->n_inflight++;
	snprintf(sl->host, sizeof(sl->host), "%s", host);
	if (push_headers_build(s->p, &sl->d, &sl->headers, &why, &err) != 0) {
		log_event(LOG_ERROR, "cannot prepare a delivery", "id",
		    sl->d.id, "error", err.msg, LOG_END);
		slot_release(sl);
		return;
	}
	if (why != NULL) {
		add_result(s, &sl->d, "dead", sl->d.attempts, push_now_ms(), 0,
		    why, false);
		slot_release(sl);
		return;
	}
	memset(&req, 0, sizeof(req));
	req.url = sl->d.url;
	req.headers = (const char *const *)sl->headers.v;
	req.n_headers = sl->headers.n;
	req.max_bytes = CAP_PUSH_RESPONSE_BYTES;
	req.timeout_ms = (long)s->p->app->cfg->delivery.timeout_ms;
	req.body = sl->d.body;
	req.body_len = sl->d.body_len;
	req.no_redirects = true;
	req.guard = s->p->guard;
	if (fetch_start(s->p->app->fetch, &req, on_done, sl, &err) != 0) {
		struct fetch_result res;

		memset(&res, 0, sizeof(res));
		res.error = err.msg;
		on_done(&res, sl);
	}
}

/* Reads the due rows into the buffer, leaving out those in flight or
 * with a result not yet written. */
static void refill(struct push_sender *s)
{
	struct pw_error err;
	size_t n;

	s->refill = false;
	s->n_due = s->left_due = 0;
	if (store_push_queue_due(
	        s->p->sp, push_now_ms(), s->due, DUE_BATCH, &n, &err) != 0) {
		log_event(LOG_ERROR, "cannot read the delivery queue", "error",
		    err.msg, LOG_END);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (busy(s, s->due[i].seq))
			s->due[i].seq = 0;
		else
			s->left_due++;
	s->n_due = n;
}

/* Dispatches buffered rows in order, skipping hosts at their cap.
 * Returns how many were started. */
static size_t drain(struct push_sender *s)
{
	const struct push_policy *pol = &s->p->app->cfg->delivery;
	char host[HOST_BYTES];
	size_t started = 0;

	for (size_t i = 0; i < s->n_due && s->left_due > 0 &&
	                   s->n_inflight < CAP_PUSH_INFLIGHT;
	     i++) {
		if (s->due[i].seq == 0)
			continue;
		host_of(s->due[i].url, host);
		if (host_load(s, host) >= pol->per_host)
			continue;
		dispatch(s, s->due[i].seq, host);
		s->due[i].seq = 0;
		s->left_due--;
		started++;
	}
	return started;
}

/*
 * Starts what is due and allowed, in queue order. The buffer is read
 * again when it is used up, when new rows may have come due (the
 * matcher, the timer, a replay), or when nothing in it could start
 * although there is room (its hosts are at their cap while other hosts
 * wait further down the queue).
 */
static void pick(struct push_sender *s)
{
	bool fresh = false;

	if (s->n_inflight >= CAP_PUSH_INFLIGHT)
		return;
	if (s->refill || s->left_due == 0) {
		refill(s);
		fresh = true;
	}
	if (drain(s) == 0 && !fresh && s->n_inflight < CAP_PUSH_INFLIGHT) {
		refill(s);
		drain(s);
	}
}

static void housekeeping(struct push_sender *s, int64_t now_ms)
{
	struct pw_error err;
	int64_t now = now_ms / 1000, n = 0;
	char count[24];

	if (now_ms - s->last_housekeeping_ms < HOUSEKEEPING_MS)
		return;
	s->last_housekeeping_ms = now_ms;
	if (store_push_queue_prune(s->p->sp, now - CAP_PUSH_DONE_KEEP, &err) !=
	        0 ||
	    store_push_websub_expire(s->p->sp, now, &n, &err) != 0) {
		log_event(LOG_ERROR, "push housekeeping failed", "error",
		    err.msg, LOG_END);
		return;
	}
	if (n > 0) {
		s->p->stale = true;
		snprintf(count, sizeof(count), "%lld", (long long)n);
		log_event(
		    LOG_INFO, "WebSub leases expired", "count", count, LOG_END);
	}
}

/* Sets the timer to the earliest next attempt, a minute at most. */
static void rearm(struct push_sender *s, int64_t now_ms)
{
	int64_t next = store_push_queue_next(s->p->sp, now_ms);
	int64_t wait = next > 0 ? next - now_ms : HOUSEKEEPING_MS;
	struct timeval tv;

	if (wait > HOUSEKEEPING_MS)
		wait = HOUSEKEEPING_MS;
	if (wait < 1)
		wait = 1;
	tv.tv_sec = (time_t)(wait / 1000);
	tv.tv_usec = (suseconds_t)(wait % 1000) * 1000;
	evtimer_add(s->timer, &tv);
}

static void run(struct push_sender *s)
{
	int64_t now_ms = push_now_ms();

	/* Write results in batches: now when the batch is full, nothing is
	 * in flight, or the oldest has waited FLUSH_DELAY_MS; else soon. */
	if (s->n_results > 0) {
		if (s->n_results >= FLUSH_BATCH / 2 || s->n_inflight == 0 ||
		    now_ms - s->first_result_ms >= FLUSH_DELAY_MS) {
			flush(s);
		} else if (!evtimer_pending(s->flush_timer, NULL)) {
			struct timeval tv = {0, FLUSH_DELAY_MS * 1000};

			evtimer_add(s->flush_timer, &tv);
		}
	}
	housekeeping(s, now_ms);
	pick(s);
	rearm(s, now_ms);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	run(arg);
}

/* The timer: a retry may have come due. */
static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct push_sender *s = arg;

	s->refill = true;
	run(s);
}

static void on_flush_timer(evutil_socket_t fd, short what, void *arg)
{
	struct push_sender *s = arg;

	flush(s);
	run(s);
}

/* The queue gauges of /metrics, read when they are scraped. */
static void collect(void *arg)
{
	struct push_sender *s = arg;
	int64_t count, oldest;

	if (store_push_queue_pending(s->p->sp, &count, &oldest) != 0)
		return;
	metrics_set(&metrics_webhook_queue_depth, NULL, (double)count);
	metrics_set(&metrics_webhook_oldest_pending_age, NULL,
	    count > 0 ? (double)(time(NULL) - oldest) : 0.0);
}

/* Runs the sender after the current callback. */
static void wake(struct push_sender *s)
{
	event_active(s->tick, EV_TIMEOUT, 0);
}

void push_send_kick(struct push_sender *s)
{
	if (s == NULL)
		return;
	s->refill = true;
	wake(s);
}

struct push_sender *push_send_new(struct push *p, struct pw_error *err)
{
	struct push_sender *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		pw_error_set(err, "push: out of memory");
		return NULL;
	}
	s->p = p;
	for (size_t i = 0; i < CAP_PUSH_INFLIGHT; i++)
		s->slots[i].s = s;
	s->tick = event_new(p->app->base, -1, 0, on_tick, s);
	s->timer = evtimer_new(p->app->base, on_timer, s);
	s->flush_timer = evtimer_new(p->app->base, on_flush_timer, s);
	if (s->tick == NULL || s->timer == NULL || s->flush_timer == NULL) {
		pw_error_set(err, "push: cannot create timers");
		push_send_free(s);
		return NULL;
	}
	metrics_register(&metrics_webhook_deliveries);
	metrics_register(&metrics_webhook_queue_depth);
	metrics_register(&metrics_webhook_oldest_pending_age);
	if (metrics_collector_add(collect, s) != 0)
		log_event(LOG_WARN,
		    "webhook queue gauges unavailable (too many "
		    "metrics collectors)",
		    LOG_END);
	return s;
}

void push_send_free(struct push_sender *s)
{
	if (s == NULL)
		return;
	metrics_collector_remove(collect, s);
	flush(s);
	/* Transfers still in flight are aborted by fetch_free without their
	 * callbacks; their deliveries stay pending for the next run. */
	for (size_t i = 0; i < CAP_PUSH_INFLIGHT; i++)
		if (s->slots[i].used)
			slot_release(&s->slots[i]);
	if (s->tick != NULL)
		event_free(s->tick);
	if (s->timer != NULL)
		event_free(s->timer);
	if (s->flush_timer != NULL)
		event_free(s->flush_timer);
	free(s);
}
