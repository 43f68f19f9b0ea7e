/*
 * poller.c: per-source timers, the request walk of one poll, back-off,
 * and the one transaction that stores what a poll gathered.
 */
#include "poller.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caps.h"
#include "digest.h"
#include "hostgate.h"
#include "httpstats.h"
#include "log.h"
#include "metrics.h"
#include "pollstats.h"
#include "timefmt.h"

/* A memo to write in the poll's transaction. */
struct pending_memo {
	char *url;
	struct fetch_memo memo;
};

struct psource {
	struct poller *p;
	const struct source_cfg *cfg;
	struct event *timer;
	struct source_state st;
	bool busy;
	unsigned step, page, requests;
	struct entry_list gathered;
	size_t items, skipped, unchanged;
	char *url;                  /* the request in flight */
	struct fetch_memo memo;     /* what its last good answer was */
	struct pending_memo *saves; /* memos to store with the entries */
	size_t n_saves;
	int64_t started;
	struct timespec t0;
	char error[PW_ERROR_BYTES]; /* this poll's failure, "" if none */
	long status;                /* last HTTP status seen in this poll */
	int64_t retry_after;
	uint64_t polls; /* completed poll attempts */
	int64_t next_poll;
	struct hostgate_wait gate; /* the request's place at its host */
	bool gone;      /* the upstream answered 410 Gone: no more polls */
	char *moved_to; /* the last permanent redirect target logged */
	/* The last completed poll, for /healthz. */
	unsigned last_requests;
	size_t last_items, last_entries, last_inserted, last_updated,
	    last_unchanged;
};

struct poller {
	struct event_base *base;
	const struct config *cfg;
	struct store *store;
	struct fetch *fetch;
	struct hostgate *gate;
	struct psource *src;
	size_t n;
	uint64_t completed; /* poll attempts ended, across reloads */
	poller_commit_fn on_commit;
	void *on_commit_arg;
};

static void request_next(struct psource *ps);

#define LOG_URL_BYTES 1024

/* url for a log line, with credential-like query values (token=, key=,
 * ...) replaced by REDACTED, as the access log does; returns buf. */
static const char *log_url(const char *url, char *buf, size_t cap)
{
	httpstats_redact(url != NULL ? url : "", buf, cap);
	return buf;
}
static void advance(struct psource *ps, size_t items);

static int64_t now_unix(void)
{
	return (int64_t)time(NULL);
}

static void source_params(const struct psource *ps, struct source_params *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->name = ps->cfg->name;
	sp->url = ps->cfg->url;
	sp->options = ps->cfg->options;
	sp->now = ps->started;
}

static void schedule(struct psource *ps, int64_t delay)
{
	struct timeval tv = {.tv_sec = (time_t)delay, .tv_usec = 0};

	ps->next_poll = now_unix() + delay;
	evtimer_add(ps->timer, &tv);
}

/* Seconds until the next attempt after this poll's outcome. */
static int64_t next_delay(const struct psource *ps)
{
	int64_t d = CAP_BACKOFF_FIRST;

	if (ps->error[0] == '\0')
		return ps->cfg->interval;
	for (int64_t i = 1; i < ps->st.failures && d < CAP_BACKOFF_MAX; i++)
		d *= 2;
	if (d > CAP_BACKOFF_MAX)
		d = CAP_BACKOFF_MAX;
	/* Up to 10% jitter so many instances do not retry in step. */
	d += d > 10 ? random() % (d / 10) : 0;
	if (ps->retry_after > d)
		d = ps->retry_after;
	return d;
}

static void fail(struct psource *ps, const char *prefix, const char *msg)
{
	snprintf(ps->error, sizeof(ps->error), "%s%s", prefix, msg);
}

static void clear_saves(struct psource *ps)
{
	for (size_t i = 0; i < ps->n_saves; i++) {
		free(ps->saves[i].url);
		fetch_memo_clear(&ps->saves[i].memo);
	}
	free(ps->saves);
	ps->saves = NULL;
	ps->n_saves = 0;
}

/* Remembers the answer to the request in flight, to be saved with the
 * poll's entries. A memo that cannot be kept only costs a re-parse. */
static void remember(struct psource *ps, const struct fetch_result *res,
    const char *hash, int64_t items)
{
	struct pending_memo *n, *pm;

	n = realloc(ps->saves, (ps->n_saves + 1) * sizeof(*n));
	if (n == NULL)
		return;
	ps->saves = n;
	pm = &ps->saves[ps->n_saves];
	fetch_memo_init(&pm->memo);
	pm->url = strdup(ps->url);
	pm->memo.body_hash = strdup(hash);
	pm->memo.etag = res->etag != NULL ? strdup(res->etag) : NULL;
	pm->memo.last_modified =
	    res->last_modified != NULL ? strdup(res->last_modified) : NULL;
	pm->memo.items = items;
	if (pm->url == NULL || pm->memo.body_hash == NULL) {
		free(pm->url);
		fetch_memo_clear(&pm->memo);
		return;
	}
	ps->n_saves++;
}

/* Writes the gathered entries and memos in one transaction. */
static void commit(struct psource *ps, size_t *inserted, size_t *updated)
{
	struct store *store = ps->p->store;
	struct pw_error err;
	enum store_outcome oc;
	const char **changed = NULL;
	size_t n_changed = 0;

	*inserted = *updated = 0;
	if (ps->gathered.n == 0 && ps->n_saves == 0)
		return;
	changed = calloc(ps->gathered.n + 1, sizeof(*changed));
	if (changed == NULL) {
		pw_error_set(&err, "poller: out of memory");
		goto fail;
	}
	if (store_begin(store, &err) != 0)
		goto fail;
	for (size_t i = 0; i < ps->gathered.n; i++) {
		if (store_upsert(store, ps->gathered.v[i], ps->started, &oc,
		        &err) != 0) {
			store_rollback(store);
			goto fail;
		}
		*inserted += oc == STORE_INSERTED;
		*updated += oc == STORE_UPDATED;
		if (oc != STORE_UNCHANGED)
			changed[n_changed++] = ps->gathered.v[i]->id;
	}
	if (n_changed > 0 && ps->p->on_commit != NULL &&
	    ps->p->on_commit(ps->p->on_commit_arg, store, changed, n_changed,
	        ps->started, &err) != 0) {
		store_rollback(store);
		goto fail;
	}
	for (size_t i = 0; i < ps->n_saves; i++) {
		if (store_memo_put(store, ps->cfg->name, ps->saves[i].url,
		        &ps->saves[i].memo, ps->started, &err) != 0) {
			store_rollback(store);
			goto fail;
		}
	}
	if (store_commit(store, &err) == 0) {
		free(changed);
		return;
	}
	store_rollback(store);
fail:
	free(changed);
	*inserted = *updated = 0;
	fail(ps, "", err.msg);
}

static void poll_end(struct psource *ps)
{
	struct pw_error err;
	struct timespec t1;
	size_t inserted, updated;
	char n_req[24], n_items[24], n_entries[24], n_ins[24], n_upd[24],
	    n_skip[24], n_same[24], ms[24], status[24], delay_s[24];
	int64_t delay, now;

	commit(ps, &inserted, &updated);
	now = now_unix();
	ps->st.http_status = ps->status;
	free(ps->st.last_error);
	ps->st.last_error = NULL;
	if (ps->error[0] != '\0') {
		ps->st.failures++;
		ps->st.last_failure = now;
		ps->st.last_error = strdup(ps->error);
	} else {
		ps->st.failures = 0;
		ps->st.last_success = now;
	}
	if (store_source_put(ps->p->store, ps->cfg->name, &ps->st, &err) != 0)
		log_event(LOG_ERROR, "cannot save source state", "source",
		    ps->cfg->name, "error", err.msg, LOG_END);
	ps->polls++;
	ps->p->completed++;
	pollstats_poll_end(ps->cfg->name, ps->error[0] == '\0', inserted,
	    updated, ps->gathered.n - inserted - updated, &ps->st);
	ps->busy = false;
	delay = next_delay(ps);

	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(ms, sizeof(ms), "%ld",
	    (long)((t1.tv_sec - ps->t0.tv_sec) * 1000 +
	           (t1.tv_nsec - ps->t0.tv_nsec) / 1000000));
	snprintf(n_req, sizeof(n_req), "%u", ps->requests);
	snprintf(n_items, sizeof(n_items), "%zu", ps->items);
	snprintf(n_entries, sizeof(n_entries), "%zu", ps->gathered.n);
	snprintf(n_ins, sizeof(n_ins), "%zu", inserted);
	snprintf(n_upd, sizeof(n_upd), "%zu", updated);
	snprintf(n_skip, sizeof(n_skip), "%zu", ps->skipped);
	snprintf(n_same, sizeof(n_same), "%zu", ps->unchanged);
	snprintf(status, sizeof(status), "%ld", ps->status);
	snprintf(delay_s, sizeof(delay_s), "%lld", (long long)delay);
	if (ps->gone)
		snprintf(delay_s, sizeof(delay_s), "never");
	if (ps->error[0] != '\0')
		log_event(LOG_WARN, "poll failed", "source", ps->cfg->name,
		    "error", ps->error, "status", status, "requests", n_req,
		    "inserted", n_ins, "updated", n_upd, "retry_in_s", delay_s,
		    "duration_ms", ms, LOG_END);
	else
		log_event(LOG_INFO, "poll finished", "source", ps->cfg->name,
		    "status", status, "requests", n_req, "items", n_items,
		    "entries", n_entries, "inserted", n_ins, "updated", n_upd,
		    "skipped", n_skip, "unchanged", n_same, "duration_ms", ms,
		    "next_in_s", delay_s, LOG_END);
	ps->last_requests = ps->requests;
	ps->last_items = ps->items;
	ps->last_entries = ps->gathered.n;
	ps->last_inserted = inserted;
	ps->last_updated = updated;
	ps->last_unchanged = ps->unchanged;
	if (ps->gone) {
		char shown[LOG_URL_BYTES];

		log_event(LOG_ERROR,
		    "source disabled: the upstream answered 410 Gone", "source",
		    ps->cfg->name, "url",
		    log_url(ps->url, shown, sizeof(shown)), "hint",
		    "remove the source or fix its url, then reload", LOG_END);
	}
	entry_list_free(&ps->gathered);
	clear_saves(ps);
	free(ps->url);
	ps->url = NULL;
	fetch_memo_clear(&ps->memo);
	if (ps->gone)
		ps->next_poll = 0;
	else
		schedule(ps, delay);
}

/* Logs a permanent redirect once per new address (the request still
 * follows it every time; the configured url is the operator's to change). */
static void note_moved(struct psource *ps, const char *to)
{
	char *copy, shown[LOG_URL_BYTES], shown_to[LOG_URL_BYTES];

	if (ps->moved_to != NULL && strcmp(ps->moved_to, to) == 0)
		return;
	if ((copy = strdup(to)) == NULL)
		return;
	free(ps->moved_to);
	ps->moved_to = copy;
	log_event(LOG_WARN, "upstream moved permanently", "source",
	    ps->cfg->name, "url", log_url(ps->url, shown, sizeof(shown)),
	    "new_url", log_url(to, shown_to, sizeof(shown_to)), "hint",
	    "update the source's url", LOG_END);
}

/* Moves to the next page when this one was full, else to the next step,
 * and starts that request. */
static void advance(struct psource *ps, size_t items)
{
	const struct source_ops *ops = ps->cfg->ops;

	if (ops->page_size > 0 && items >= (size_t)ops->page_size &&
	    ps->page + 1 < CAP_POLL_PAGES) {
		ps->page++;
	} else {
		ps->step++;
		ps->page = 0;
	}
	request_next(ps);
}

static void on_fetched(const struct fetch_result *res, void *arg)
{
	struct psource *ps = arg;
	const struct source_ops *ops = ps->cfg->ops;
	struct source_params sp;
	struct pw_error err;
	size_t items = 0, skipped = 0;
	char what[64], hash[DIGEST_HEX_BYTES];
	const char *body = res->body.data != NULL ? res->body.data : "";

	hostgate_leave(ps->p->gate, &ps->gate);
	ps->requests++;
	ps->status = res->status;
	if (res->moved_to != NULL)
		note_moved(ps, res->moved_to);
	if (!res->ok) {
		fail(ps, "", res->error);
		poll_end(ps);
		return;
	}
	if (res->status == 304 && ps->memo.body_hash != NULL) {
		/* Not modified: nothing to parse; page on as last time. */
		ps->unchanged++;
		advance(ps, (size_t)ps->memo.items);
		return;
	}
	if (res->status == 410) {
		/* Gone is permanent: polling again would only repeat it. */
		ps->gone = true;
		fail(
		    ps, "upstream answered HTTP 410 Gone: ", "source disabled");
		poll_end(ps);
		return;
	}
	if (res->status < 200 || res->status > 299) {
		snprintf(what, sizeof(what), "%ld", res->status);
		fail(ps, "upstream answered HTTP ", what);
		ps->retry_after = res->retry_after;
		poll_end(ps);
		return;
	}
	/* The version salts the hash, so a new paperwire that reads more
	 * fields re-ingests bodies an older one had seen. */
	digest_sha256_hex(PAPERWIRE_VERSION, body, res->body.len, hash);
	if (ps->memo.body_hash != NULL &&
	    strcmp(ps->memo.body_hash, hash) == 0) {
		ps->unchanged++;
		remember(ps, res, hash, ps->memo.items);
		advance(ps, (size_t)ps->memo.items);
		return;
	}
	source_params(ps, &sp);
	sp.content_type = res->content_type;
	if (ops->parse(&sp, body, res->body.len, &ps->gathered, &items,
	        &skipped, &err) != 0) {
		fail(ps, "unusable response: ", err.msg);
		poll_end(ps);
		return;
	}
	ps->items += items;
	ps->skipped += skipped;
	if (items > 0 && skipped >= items) {
		/* A document none of whose items is usable is an upstream
		 * change or fault, not an empty listing: say so. */
		snprintf(what, sizeof(what), "%zu", items);
		fail(ps, "unusable response: no usable item among ", what);
		poll_end(ps);
		return;
	}
	remember(ps, res, hash, (int64_t)items);
	advance(ps, items);
}

/* Starts the request for ps->url, whose host let it go (hostgate). */
static void request_start(void *arg)
{
	struct psource *ps = arg;
	struct fetch_request req;
	struct pw_error err;
	const char *url = ps->url;

	memset(&req, 0, sizeof(req));
	req.url = url;
	req.allow_file = true;
	req.headers = (const char *const *)ps->cfg->headers.v;
	req.n_headers = ps->cfg->headers.n;
	/* Validators only count with a memo of what they validate. */
	if (ps->memo.body_hash != NULL) {
		req.if_none_match = ps->memo.etag;
		req.if_modified_since = ps->memo.last_modified;
	}
	if (log_enabled(LOG_DEBUG)) {
		char shown[LOG_URL_BYTES];

		log_event(LOG_DEBUG, "fetching", "source", ps->cfg->name, "url",
		    log_url(url, shown, sizeof(shown)), LOG_END);
	}
	if (fetch_start(ps->p->fetch, &req, on_fetched, ps, &err) != 0) {
		hostgate_leave(ps->p->gate, &ps->gate);
		fail(ps, "", err.msg);
		poll_end(ps);
	}
}

static void request_next(struct psource *ps)
{
	struct source_params sp;
	struct pw_error err;
	int64_t interval;
	char *url, wait_ms[24];

	source_params(ps, &sp);
	url = ps->cfg->ops->request_url(&sp, ps->step, ps->page);
	free(ps->url);
	ps->url = url;
	if (url == NULL) {
		poll_end(ps);
		return;
	}
	if (store_memo_get(ps->p->store, ps->cfg->name, url, &ps->memo, &err) !=
	    0)
		log_event(LOG_WARN, "cannot load fetch memo", "source",
		    ps->cfg->name, "error", err.msg, LOG_END);
	/* The upstream's requested spacing (hostgate.h); without memory for
	 * the gate the request goes anyway. */
	interval = ps->cfg->min_request_interval >= 0
	               ? ps->cfg->min_request_interval
	               : hostgate_default_interval(url);
	if (hostgate_enter(ps->p->gate, &ps->gate, url, interval * 1000,
	        request_start, ps) == 1) {
		snprintf(wait_ms, sizeof(wait_ms), "%lld",
		    (long long)hostgate_delay_ms(ps->p->gate, &ps->gate));
		char shown[LOG_URL_BYTES];

		log_event(LOG_DEBUG, "waiting for the host's request interval",
		    "source", ps->cfg->name, "url",
		    log_url(url, shown, sizeof(shown)), "wait_ms", wait_ms,
		    LOG_END);
		return;
	}
	request_start(ps);
}

static void poll_begin(struct psource *ps)
{
	if (ps->busy)
		return;
	evtimer_del(ps->timer);
	ps->busy = true;
	ps->step = ps->page = ps->requests = 0;
	ps->items = ps->skipped = ps->unchanged = 0;
	ps->error[0] = '\0';
	ps->status = 0;
	ps->retry_after = 0;
	ps->started = now_unix();
	ps->st.last_attempt = ps->started;
	clock_gettime(CLOCK_MONOTONIC, &ps->t0);
	entry_list_init(&ps->gathered);
	request_next(ps);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	poll_begin(arg);
}

struct poller *poller_new(struct event_base *base, const struct config *cfg,
    struct store *store, struct fetch *fetch, struct pw_error *err)
{
	struct poller *p = calloc(1, sizeof(*p));

	if (p == NULL)
		goto oom;
	p->base = base;
	p->cfg = cfg;
	p->store = store;
	p->fetch = fetch;
	if ((p->gate = hostgate_new(base)) == NULL)
		goto oom;
	p->src = calloc(cfg->n_sources ? cfg->n_sources : 1, sizeof(*p->src));
	if (p->src == NULL)
		goto oom;
	for (size_t i = 0; i < cfg->n_sources; i++, p->n++) {
		struct psource *ps = &p->src[i];

		ps->p = p;
		ps->cfg = &cfg->sources[i];
		source_state_init(&ps->st);
		fetch_memo_init(&ps->memo);
		entry_list_init(&ps->gathered);
		ps->timer = evtimer_new(base, timer_cb, ps);
		if (ps->timer == NULL)
			goto oom;
		if (store_source_get(store, ps->cfg->name, &ps->st, err) != 0) {
			p->n++;
			poller_free(p);
			return NULL;
		}
		pollstats_source(ps->cfg->name, &ps->st);
	}
	return p;
oom:
	pw_error_set(err, "poller: out of memory");
	poller_free(p);
	return NULL;
}

void poller_free(struct poller *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		hostgate_leave(p->gate, &p->src[i].gate);
		free(p->src[i].moved_to);
		if (p->src[i].timer != NULL)
			event_free(p->src[i].timer);
		source_state_clear(&p->src[i].st);
		entry_list_free(&p->src[i].gathered);
		clear_saves(&p->src[i]);
		free(p->src[i].url);
		fetch_memo_clear(&p->src[i].memo);
	}
	hostgate_free(p->gate);
	free(p->src);
	free(p);
}

void poller_set_commit_hook(struct poller *p, poller_commit_fn fn, void *arg)
{
	p->on_commit = fn;
	p->on_commit_arg = arg;
}

void poller_start(struct poller *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->src[i].cfg->enabled)
			schedule(&p->src[i], 0);
}

void poller_poll_all(struct poller *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->src[i].cfg->enabled && !p->src[i].busy &&
		    !p->src[i].gone)
			poll_begin(&p->src[i]);
}

bool poller_ready(const struct poller *p)
{
	if (p->completed > 0)
		return true;
	for (size_t i = 0; i < p->n; i++)
		if (p->src[i].cfg->enabled)
			return false;
	return true;
}

/* true when two source configurations poll alike. options is the whole
 * source object, so it covers every key, the adapter's own included. */
static bool same_source(const struct source_cfg *a, const struct source_cfg *b)
{
	if (strcmp(a->type, b->type) != 0 || strcmp(a->url, b->url) != 0 ||
	    a->interval != b->interval || a->enabled != b->enabled ||
	    a->headers.n != b->headers.n)
		return false;
	for (size_t i = 0; i < a->headers.n; i++)
		if (strcmp(a->headers.v[i], b->headers.v[i]) != 0)
			return false;
	if (a->options == NULL || b->options == NULL)
		return a->options == b->options;
	return json_equal(a->options, b->options);
}

static struct psource *find_source(struct poller *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->src[i].cfg->name, name) == 0)
			return &p->src[i];
	return NULL;
}

void poller_takeover(struct poller *p, struct poller *old)
{
	struct hostgate *gate;
	int64_t now = now_unix();

	if (p->on_commit == NULL) {
		p->on_commit = old->on_commit;
		p->on_commit_arg = old->on_commit_arg;
	}
	p->completed = old->completed;
	/* Nothing of old may run after this: its transfers are aborted
	 * (what a cut poll gathered was never stored, so nothing stored is
	 * lost) and its places at the hosts given up. */
	for (size_t i = 0; i < old->n; i++) {
		fetch_cancel(old->fetch, &old->src[i]);
		hostgate_leave(old->gate, &old->src[i].gate);
		if (find_source(p, old->src[i].cfg->name) == NULL)
			metrics_forget("source", old->src[i].cfg->name);
	}
	/* The old gate remembers when each host was last asked: keep it. */
	gate = p->gate;
	p->gate = old->gate;
	old->gate = gate;

	for (size_t i = 0; i < p->n; i++) {
		struct psource *ps = &p->src[i];
		struct psource *o = find_source(old, ps->cfg->name);
		int64_t delay = 0;

		if (o != NULL) {
			ps->polls = o->polls;
			ps->last_requests = o->last_requests;
			ps->last_items = o->last_items;
			ps->last_entries = o->last_entries;
			ps->last_inserted = o->last_inserted;
			ps->last_updated = o->last_updated;
			ps->last_unchanged = o->last_unchanged;
		}
		if (!ps->cfg->enabled)
			continue;
		/* An unchanged source keeps its schedule (and a 410 keeps it
		 * stopped); a new or changed one, or one whose poll was cut
		 * above, polls now. */
		if (o != NULL && !o->busy && o->cfg->enabled &&
		    same_source(o->cfg, ps->cfg)) {
			if (o->gone) {
				ps->gone = true;
				continue;
			}
			delay = o->next_poll > now ? o->next_poll - now : 0;
		}
		schedule(ps, delay);
	}
	poller_free(old);
}

/* An RFC 3339 string, or JSON null for 0. */
static json_t *json_time(int64_t t)
{
	char b[TIMEFMT_BYTES];

	return t > 0 ? json_string(timefmt_rfc3339(t, b)) : json_null();
}

json_t *poller_status(const struct poller *p)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr != NULL && i < p->n; i++) {
		const struct psource *ps = &p->src[i];
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(ps->cfg->name));
		json_object_set_new(o, "type", json_string(ps->cfg->type));
		json_object_set_new(
		    o, "enabled", json_boolean(ps->cfg->enabled));
		json_object_set_new(o, "polling", json_boolean(ps->busy));
		json_object_set_new(
		    o, "polls", json_integer((json_int_t)ps->polls));
		json_object_set_new(
		    o, "last_attempt", json_time(ps->st.last_attempt));
		json_object_set_new(
		    o, "last_success", json_time(ps->st.last_success));
		json_object_set_new(
		    o, "last_failure", json_time(ps->st.last_failure));
		json_object_set_new(o, "last_error",
		    ps->st.last_error != NULL ? json_string(ps->st.last_error)
		                              : json_null());
		json_object_set_new(
		    o, "http_status", json_integer(ps->st.http_status));
		json_object_set_new(
		    o, "failures", json_integer(ps->st.failures));
		json_object_set_new(o, "entries",
		    json_integer(store_count(p->store, ps->cfg->name)));
		json_object_set_new(o, "next_poll",
		    ps->cfg->enabled && !ps->busy ? json_time(ps->next_poll)
		                                  : json_null());
		/* Why the source is not polled: "config" (enabled: false) or
		 * "gone" (the upstream answered 410); null while it is. */
		json_object_set_new(o, "disabled",
		    !ps->cfg->enabled ? json_string("config")
		    : ps->gone        ? json_string("gone")
		                      : json_null());
		json_object_set_new(o, "moved_to",
		    ps->moved_to != NULL ? json_string(ps->moved_to)
		                         : json_null());
		json_object_set_new(o, "last_poll",
		    ps->polls == 0
		        ? json_null()
		        : json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "requests",
		              (json_int_t)ps->last_requests, "items",
		              (json_int_t)ps->last_items, "entries",
		              (json_int_t)ps->last_entries, "inserted",
		              (json_int_t)ps->last_inserted, "updated",
		              (json_int_t)ps->last_updated, "unchanged",
		              (json_int_t)ps->last_unchanged));
		json_array_append_new(arr, o);
	}
	return arr;
}
