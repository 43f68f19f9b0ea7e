/*
 * push_match.c: the poller's commit hook. Inside the poll's transaction,
 * with the ids of the entries the poll inserted or updated, it decides
 * what each subscription gained and queues it:
 *
 * An entry is gained by a filter when the poll added it and it matches,
 * or changed it from not matching to matching (its upvotes, stars or
 * comments grew past a threshold, its abstract arrived): the state before
 * the poll comes from store_push_prev. So a subscription never receives
 * what already matched when it began (the backlog), without any list of
 * old entries being kept for it.
 *
 * - a webhook subscription gets one message per entry it gains, the
 *   first time only (the ledger of pushed pairs says which are new);
 * - a WebSub subscriber gets its topic's feed, rendered now, once per
 *   poll in which the topic gained an entry it was not sent before;
 * - with an external hub, the hub gets a publish ping for each feed URL
 *   (the three formats of the all-entries feed and of every named feed)
 *   that gained an entry.
 *
 * Messages are queued in first_seen order (then in the order the poll
 * listed them), so a batch reaches each subscriber oldest first.
 */
#include "push_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "caps.h"
#include "feedroute.h"
#include "log.h"

static const char *const feed_exts[] = {"rss", "atom", "json"};

/* A changed entry, as it is and as it was, and where the poll listed
 * it. */
struct changed {
	const char *id;
	size_t idx;
	struct entry *e;
	struct entry *prev; /* NULL: added by this poll */
};

/* true when the poll made c match f (see the top of the file). */
static bool gained(const struct filter *f, const struct changed *c, int64_t now)
{
	return filter_match(f, c->e, now) &&
	       (c->prev == NULL || !filter_match(f, c->prev, now));
}

static void changed_free(struct changed *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		entry_free(v[i].e);
		entry_free(v[i].prev);
	}
	free(v);
}

static int by_id(const void *a, const void *b)
{
	const struct changed *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static int by_first_seen(const void *a, const void *b)
{
	const struct changed *x = a, *y = b;

	if (x->e->first_seen_at != y->e->first_seen_at)
		return (x->e->first_seen_at > y->e->first_seen_at) -
		       (x->e->first_seen_at < y->e->first_seen_at);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Loads each distinct id once (the hook may see an id twice), in queue
 * order, into *out (new; *n set). 0 or -1. */
static int load_changed(struct push *p, const char *const *ids, size_t n,
    struct changed **out, size_t *m, struct pw_error *err)
{
	struct changed *v = calloc(n ? n : 1, sizeof(*v));
	size_t k = 0;

	*out = NULL;
	*m = 0;
	if (v == NULL)
		return pw_error_set(err, "push: out of memory");
	for (size_t i = 0; i < n; i++) {
		v[i].id = ids[i];
		v[i].idx = i;
	}
	qsort(v, n, sizeof(*v), by_id);
	for (size_t i = 0; i < n; i++) {
		struct entry *e = NULL;

		if (k > 0 && strcmp(v[k - 1].id, v[i].id) == 0)
			continue;
		if (store_get(p->app->store, v[i].id, &e, err) != 0) {
			changed_free(v, k);
			return -1;
		}
		if (e == NULL)
			continue;
		v[k] = v[i];
		v[k++].e = e;
		if (store_push_prev(p->sp, e, &v[k - 1].prev, err) != 0) {
			changed_free(v, k);
			return -1;
		}
	}
	qsort(v, k, sizeof(*v), by_first_seen);
	*out = v;
	*m = k;
	return 0;
}

int push_match_enqueue(struct push *p, const struct sub *s,
    const struct entry *e, int64_t now, struct pw_error *err)
{
	struct push_context ctx = {s->id, s->name, s->feed, p->app->cfg->title};
	struct pw_error why;
	struct delivery d;
	char id[PUSH_MSG_ID_BYTES];
	size_t len;
	char *body = push_format_body(s->format, &ctx, e, now, &len, &why);
	int rc;

	if (body == NULL) {
		log_event(LOG_ERROR, "cannot format a webhook message; skipped",
		    "subscription", s->id, "entry", e->id, "error", why.msg,
		    LOG_END);
		return 0;
	}
	push_msg_id(s->id, e->id, id);
	delivery_init(&d);
	d.id = id;
	d.kind = DELIVERY_WEBHOOK;
	d.sub_id = s->id;
	d.entry_id = e->id;
	d.url = s->url;
	d.content_type = "application/json";
	d.body = body;
	d.body_len = len;
	d.next_attempt_ms = push_now_ms();
	d.created_at = now;
	rc = store_push_queue_add(p->sp, &d, err);
	free(body);
	return rc;
}

/* A rendered topic, kept for the other subscribers of the same topic
 * within one poll. */
struct rendered {
	const char *path, *query;
	struct buf body;
	const char *content_type;
	bool failed;
};

/* Queues topic's feed for one WebSub subscriber. 0 or -1 (store). */
static int distribute(struct push *p, const struct push_ws *pw,
    struct rendered *cache, size_t *n_cache, int64_t now, struct pw_error *err)
{
	struct rendered *r = NULL;
	struct delivery d;
	char id[PUSH_MSG_ID_BYTES];

	for (size_t i = 0; i < *n_cache && r == NULL; i++)
		if (strcmp(cache[i].path, pw->path) == 0 &&
		    strcmp(cache[i].query, pw->query) == 0)
			r = &cache[i];
	if (r == NULL) {
		struct pw_error why;

		r = &cache[(*n_cache)++];
		r->path = pw->path;
		r->query = pw->query;
		buf_init(&r->body, CAP_WEBSUB_BODY_BYTES);
		if (feedroute_render(p->app, pw->path, pw->query, &r->body,
		        &r->content_type, &why) != 0) {
			log_event(LOG_ERROR, "cannot render a WebSub topic",
			    "topic", pw->ws.topic, "error", why.msg, LOG_END);
			r->failed = true;
		}
	}
	if (r->failed)
		return 0;
	if (push_msg_id_random(id, err) != 0)
		return -1;
	delivery_init(&d);
	d.id = id;
	d.kind = DELIVERY_WEBSUB;
	d.sub_id = pw->ws.id;
	d.url = pw->ws.callback;
	d.topic = pw->ws.topic;
	d.content_type = (char *)r->content_type;
	d.body = (char *)buf_str(&r->body);
	d.body_len = r->body.len;
	d.next_attempt_ms = push_now_ms();
	d.created_at = now;
	return store_push_queue_add(p->sp, &d, err);
}

/* Queues publish pings for the three formats of a feed path prefix
 * ("/feed" or "/feeds/<name>"). 0 or -1. */
static int ping(struct push *p, const char *prefix, int64_t now, size_t *queued,
    struct pw_error *err)
{
	const struct config *cfg = p->app->cfg;

	for (size_t i = 0; i < 3; i++) {
		char topic[CAP_PUSH_URL_BYTES + 256], id[PUSH_MSG_ID_BYTES];
		char *esc;
		struct buf body;
		struct delivery d;
		int rc;

		snprintf(topic, sizeof(topic), "%s%s.%s", cfg->base_url, prefix,
		    feed_exts[i]);
		esc = curl_easy_escape(NULL, topic, 0);
		buf_init(&body, CAP_PUSH_URL_BYTES * 4);
		if (esc == NULL ||
		    buf_printf(&body, "hub.mode=publish&hub.url=%s", esc) !=
		        0 ||
		    push_msg_id_random(id, err) != 0) {
			curl_free(esc);
			buf_free(&body);
			return pw_error_set(err, "push: out of memory");
		}
		curl_free(esc);
		delivery_init(&d);
		d.id = id;
		d.kind = DELIVERY_PING;
		d.url = cfg->websub.hub_url;
		d.topic = topic;
		d.content_type = "application/x-www-form-urlencoded";
		d.body = (char *)buf_str(&body);
		d.body_len = body.len;
		d.next_attempt_ms = push_now_ms();
		d.created_at = now;
		rc = store_push_queue_add(p->sp, &d, err);
		buf_free(&body);
		if (rc != 0)
			return -1;
		(*queued)++;
	}
	return 0;
}

static int match_webhooks(struct push *p, struct changed *v, size_t m,
    int64_t now, size_t *queued, struct pw_error *err)
{
	bool is_new;

	for (size_t i = 0; i < m; i++) {
		for (size_t j = 0; j < p->n_subs; j++) {
			const struct push_sub *ps = &p->subs[j];

			if (!gained(&ps->filter, &v[i], now))
				continue;
			if (store_push_match(p->sp, ps->sub.id, v[i].e->id, now,
			        &is_new, err) != 0)
				return -1;
			if (!is_new)
				continue;
			if (push_match_enqueue(p, &ps->sub, v[i].e, now, err) !=
			    0)
				return -1;
			(*queued)++;
		}
	}
	return 0;
}

static int match_websub(struct push *p, struct changed *v, size_t m,
    int64_t now, size_t *queued, struct pw_error *err)
{
	struct rendered *cache = calloc(p->n_ws ? p->n_ws : 1, sizeof(*cache));
	size_t n_cache = 0;
	bool is_new;
	int rc = -1;

	if (cache == NULL)
		return pw_error_set(err, "push: out of memory");
	for (size_t j = 0; j < p->n_ws; j++) {
		const struct push_ws *pw = &p->ws[j];
		bool fresh = false;

		if (pw->ws.lease_expires <= now)
			continue;
		for (size_t i = 0; i < m; i++) {
			if (!gained(&pw->filter, &v[i], now))
				continue;
			if (store_push_match(p->sp, pw->ws.id, v[i].e->id, now,
			        &is_new, err) != 0)
				goto out;
			fresh = fresh || is_new;
		}
		if (!fresh)
			continue;
		if (distribute(p, pw, cache, &n_cache, now, err) != 0)
			goto out;
		(*queued)++;
	}
	rc = 0;
out:
	for (size_t i = 0; i < n_cache; i++)
		buf_free(&cache[i].body);
	free(cache);
	return rc;
}

static int match_pings(struct push *p, struct changed *v, size_t m, int64_t now,
    size_t *queued, struct pw_error *err)
{
	const struct config *cfg = p->app->cfg;
	char prefix[CAP_NAME_BYTES + 16];

	struct filter all;
	bool any = false;

	/* Every entry is in the all-entries feed: it gains the added ones. */
	filter_init(&all);
	for (size_t i = 0; i < m && !any; i++)
		any = gained(&all, &v[i], now);
	filter_free(&all);
	if (any && ping(p, "/feed", now, queued, err) != 0)
		return -1;
	for (size_t j = 0; j < cfg->n_feeds; j++) {
		any = false;
		for (size_t i = 0; i < m && !any; i++)
			any = gained(&cfg->feeds[j].filter, &v[i], now);
		if (!any)
			continue;
		snprintf(
		    prefix, sizeof(prefix), "/feeds/%s", cfg->feeds[j].name);
		if (ping(p, prefix, now, queued, err) != 0)
			return -1;
	}
	return 0;
}

int push_match_hook(void *arg, struct store *store,
    const char *const *changed_ids, size_t n, int64_t now, struct pw_error *err)
{
	struct push *p = arg;
	bool external = p->app->cfg->websub.mode == WEBSUB_EXTERNAL;
	struct changed *v = NULL;
	size_t m = 0, queued = 0;
	char count[24];
	int rc = -1;

	if (push_refresh(p, now, err) != 0)
		return -1;
	/* The old states are forgotten at the end of every poll, matched or
	 * not, so each poll compares with the state just before it. */
	if (p->n_subs == 0 && p->n_ws == 0 && !external)
		return store_push_prev_clear(p->sp, err);
	if (load_changed(p, changed_ids, n, &v, &m, err) != 0)
		return -1;
	if (match_webhooks(p, v, m, now, &queued, err) != 0 ||
	    match_websub(p, v, m, now, &queued, err) != 0 ||
	    (external && match_pings(p, v, m, now, &queued, err) != 0) ||
	    store_push_prev_clear(p->sp, err) != 0)
		goto out;
	if (queued > 0) {
		snprintf(count, sizeof(count), "%zu", queued);
		log_event(
		    LOG_INFO, "deliveries queued", "count", count, LOG_END);
		push_send_kick(p->sender);
	}
	rc = 0;
out:
	changed_free(v, m);
	return rc;
}
