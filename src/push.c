/*
 * push.c: start-up and shutdown of push, the config file's subscriptions,
 * the matcher's view of every subscription, and the changes the admin
 * API and the WebSub hub make.
 *
 * A new subscription is not sent the backlog: the matcher pushes an
 * entry when a poll adds it or changes it from not matching to matching
 * (push_match.c), so what matched before the subscription began stays
 * unsent unless it asked for a backfill.
 */
#include "push_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "caps.h"
#include "digest.h"
#include "feedroute.h"
#include "log.h"
#include "push_sign.h"
#include "reload.h"

int64_t push_now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

void push_msg_id(const char *sub_id, const char *entry_id, char *out)
{
	char hex[DIGEST_HEX_BYTES];
	char pair[2 * CAP_FIELD_BYTES + 8];
	int n = snprintf(pair, sizeof(pair), "%s\n%s", sub_id, entry_id);

	if (n < 0 || (size_t)n >= sizeof(pair))
		n = (int)sizeof(pair) - 1;
	digest_sha256_hex("paperwire webhook-id", pair, (size_t)n, hex);
	snprintf(out, PUSH_MSG_ID_BYTES, "msg_%.32s", hex);
}

int push_msg_id_random(char *out, struct pw_error *err)
{
	char hex[33];

	if (push_sign_random_hex(hex, 16, err) != 0)
		return -1;
	snprintf(out, PUSH_MSG_ID_BYTES, "msg_%s", hex);
	return 0;
}

struct store_push *push_store(struct push *p)
{
	return p->sp;
}

static void free_lists(struct push *p)
{
	for (size_t i = 0; i < p->n_subs; i++) {
		subs_clear(&p->subs[i].sub);
		filter_free(&p->subs[i].filter);
	}
	free(p->subs);
	p->subs = NULL;
	p->n_subs = 0;
	for (size_t i = 0; i < p->n_ws; i++) {
		websub_sub_clear(&p->ws[i].ws);
		filter_free(&p->ws[i].filter);
		free(p->ws[i].path);
		free(p->ws[i].query);
	}
	free(p->ws);
	p->ws = NULL;
	p->n_ws = 0;
}

int push_topic_split(
    const char *base_url, const char *topic, char **path, char **query)
{
	size_t n = strlen(base_url);
	const char *rest, *q;

	*path = *query = NULL;
	if (strncmp(topic, base_url, n) != 0 || topic[n] != '/')
		return -1;
	rest = topic + n;
	if (strchr(rest, '#') != NULL)
		return -1;
	q = strchr(rest, '?');
	*path = strndup(rest, q != NULL ? (size_t)(q - rest) : strlen(rest));
	*query = strdup(q != NULL ? q + 1 : "");
	if (*path == NULL || *query == NULL) {
		free(*path);
		free(*query);
		*path = *query = NULL;
		return -1;
	}
	return 0;
}

/* The filter a WebSub topic shows into the initialized f. 0 or -1. */
static int topic_filter(struct push *p, const char *topic, struct filter *f,
    char **path, char **query, struct pw_error *err)
{
	const struct render_ops *ops;
	const struct feed_cfg *feed;
	int status;

	if (push_topic_split(p->app->cfg->base_url, topic, path, query) != 0)
		return pw_error_set(err, "not a feed of this server");
	if (feedroute_resolve(
	        p->app, *path, *query, f, &ops, &feed, &status, err) != 0) {
		free(*path);
		free(*query);
		*path = *query = NULL;
		return -1;
	}
	return 0;
}

static int load_subs(struct push *p, struct pw_error *err)
{
	struct sub *v = NULL;
	size_t n = 0, k = 0;
	int rc = -1;

	if (store_push_sub_list(p->sp, &v, &n, err) != 0)
		goto out;
	p->subs = calloc(n ? n : 1, sizeof(*p->subs));
	if (p->subs == NULL) {
		pw_error_set(err, "push: out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct push_sub *ps = &p->subs[k];

		if (v[i].disabled)
			continue;
		filter_init(&ps->filter);
		if (subs_filter(&v[i], p->app->cfg, &ps->filter, err) != 0) {
			filter_free(&ps->filter);
			goto out;
		}
		ps->sub = v[i];
		subs_init(&v[i]);
		p->n_subs = ++k;
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		subs_clear(&v[i]);
	free(v);
	return rc;
}

static int load_ws(struct push *p, int64_t now, struct pw_error *err)
{
	struct websub_sub *v = NULL;
	size_t n = 0, k = 0;
	int rc = -1;

	if (store_push_websub_list(p->sp, now, &v, &n, err) != 0)
		goto out;
	p->ws = calloc(n ? n : 1, sizeof(*p->ws));
	if (p->ws == NULL) {
		pw_error_set(err, "push: out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct push_ws *pw = &p->ws[k];
		struct pw_error why;

		filter_init(&pw->filter);
		if (topic_filter(p, v[i].topic, &pw->filter, &pw->path,
		        &pw->query, &why) != 0) {
			/* The feed may come back with the next reload; the
			 * subscription lapses with its lease otherwise. */
			log_event(LOG_WARN, "WebSub topic no longer served",
			    "subscription", v[i].id, "error", why.msg, LOG_END);
			filter_free(&pw->filter);
			continue;
		}
		pw->ws = v[i];
		memset(&v[i], 0, sizeof(v[i]));
		p->n_ws = ++k;
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		websub_sub_clear(&v[i]);
	free(v);
	return rc;
}

int push_refresh(struct push *p, int64_t now, struct pw_error *err)
{
	if (!p->stale)
		return 0;
	free_lists(p);
	if (load_subs(p, err) != 0 || load_ws(p, now, err) != 0) {
		free_lists(p);
		return -1;
	}
	p->stale = false;
	return 0;
}

/*
 * Queues the backfill of s: its s->backfill most recent matches, oldest
 * first, recorded in the ledger. Runs inside the caller's transaction.
 * 0 or -1.
 */
static int backfill(
    struct push *p, const struct sub *s, int64_t now, struct pw_error *err)
{
	struct filter bf;
	struct entry_list list;
	bool is_new;
	int rc = -1;

	if (s->backfill <= 0)
		return 0;
	filter_init(&bf);
	entry_list_init(&list);
	if (subs_filter(s, p->app->cfg, &bf, err) != 0)
		goto out;
	bf.sort = FILTER_SORT_FIRST_SEEN;
	bf.limit = s->backfill;
	if (store_query(p->app->store, &bf, now, &list, err) != 0)
		goto out;
	for (size_t i = list.n; i-- > 0;)
		if (store_push_match(
		        p->sp, s->id, list.v[i]->id, now, &is_new, err) != 0 ||
		    (is_new &&
		        push_match_enqueue(p, s, list.v[i], now, err) != 0))
			goto out;
	rc = 0;
out:
	entry_list_free(&list);
	filter_free(&bf);
	return rc;
}

/* Brings the database in line with the config file's webhooks: new ones
 * start (with their backfill), known ones are updated, ones no longer in
 * the file are deleted with their queue. One transaction. 0 or -1. */
static int sync_config(struct push *p, struct pw_error *err)
{
	const struct config *cfg = p->app->cfg;
	struct sub *v = NULL;
	size_t n = 0, added = 0, removed = 0;
	int64_t now = (int64_t)time(NULL);
	bool created, found;
	char na[24], nr[24], nt[24];

	if (store_begin(p->app->store, err) != 0)
		return -1;
	for (size_t i = 0; i < cfg->n_webhooks; i++) {
		struct sub s;
		int rc;

		subs_init(&s);
		if (subs_copy(&s, &cfg->webhooks[i]) != 0) {
			pw_error_set(err, "push: out of memory");
			goto fail;
		}
		s.created_at = now;
		rc = store_push_sub_upsert(p->sp, &s, &created, err);
		if (rc == 0 && created) {
			added++;
			rc = backfill(p, &s, now, err);
		}
		subs_clear(&s);
		if (rc != 0)
			goto fail;
	}
	if (store_push_sub_list(p->sp, &v, &n, err) != 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		bool keep = strcmp(v[i].origin, SUBS_ORIGIN_CONFIG) != 0;

		for (size_t j = 0; !keep && j < cfg->n_webhooks; j++)
			keep = strcmp(v[i].id, cfg->webhooks[j].id) == 0;
		if (keep)
			continue;
		if (store_push_sub_delete(p->sp, v[i].id, &found, err) != 0)
			goto fail;
		removed++;
	}
	if (store_commit(p->app->store, err) != 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		subs_clear(&v[i]);
	free(v);
	p->stale = true;
	snprintf(na, sizeof(na), "%zu", added);
	snprintf(nr, sizeof(nr), "%zu", removed);
	snprintf(nt, sizeof(nt), "%zu", cfg->n_webhooks);
	log_event(LOG_INFO, "webhook subscriptions from the configuration",
	    "declared", nt, "new", na, "removed", nr, LOG_END);
	return 0;
fail:
	store_rollback(p->app->store);
	for (size_t i = 0; i < n; i++)
		subs_clear(&v[i]);
	free(v);
	return -1;
}

static void on_reload(void *arg, struct app *app, const struct config *old)
{
	struct push *p = arg;
	struct pw_error err;

	struct netguard *g = config_netguard(app->cfg);

	/* Feeds may have changed under every compiled filter. */
	p->stale = true;
	if (g != NULL) {
		netguard_free(p->guard);
		p->guard = g;
	} else {
		log_event(LOG_ERROR,
		    "cannot apply allow_private_networks: out "
		    "of memory; keeping the old setting",
		    LOG_END);
	}
	if (sync_config(p, &err) != 0)
		log_event(LOG_ERROR, "cannot apply the new webhooks", "error",
		    err.msg, LOG_END);
	push_send_kick(p->sender);
}

struct push *push_new(struct app *app, struct pw_error *err)
{
	struct push *p = calloc(1, sizeof(*p));
	struct reload_hook hook = {NULL, on_reload, NULL};

	if (p == NULL) {
		pw_error_set(err, "push: out of memory");
		return NULL;
	}
	p->app = app;
	p->stale = true;
	p->guard = config_netguard(app->cfg);
	if (p->guard == NULL) {
		pw_error_set(err, "push: out of memory");
		goto fail;
	}
	p->sp = store_push_new(app->store, err);
	if (p->sp == NULL || sync_config(p, err) != 0 ||
	    push_refresh(p, (int64_t)time(NULL), err) != 0)
		goto fail;
	p->sender = push_send_new(p, err);
	if (p->sender == NULL)
		goto fail;
	hook.arg = p;
	if (reload_hook_add(&hook) != 0)
		log_event(LOG_WARN,
		    "webhooks will not follow configuration "
		    "reloads (too many reload hooks)",
		    LOG_END);
	poller_set_commit_hook(app->poller, push_match_hook, p);
	push_send_kick(p->sender);
	return p;
fail:
	push_free(p);
	return NULL;
}

void push_free(struct push *p)
{
	if (p == NULL)
		return;
	if (p->app->poller != NULL)
		poller_set_commit_hook(p->app->poller, NULL, NULL);
	push_send_free(p->sender);
	free_lists(p);
	store_push_free(p->sp);
	netguard_free(p->guard);
	free(p);
}

const struct netguard *push_guard(const struct push *p)
{
	return p != NULL ? p->guard : NULL;
}

/* Runs fn inside a transaction of the store; 0 or -1. */
static int in_transaction(struct push *p,
    int (*fn)(struct push *, void *, struct pw_error *), void *arg,
    struct pw_error *err)
{
	if (store_begin(p->app->store, err) != 0)
		return -1;
	if (fn(p, arg, err) != 0 || store_commit(p->app->store, err) != 0) {
		store_rollback(p->app->store);
		return -1;
	}
	p->stale = true;
	push_send_kick(p->sender);
	return 0;
}

static int do_add(struct push *p, void *arg, struct pw_error *err)
{
	const struct sub *s = arg;

	if (store_push_sub_insert(p->sp, s, err) != 0)
		return -1;
	return backfill(p, s, s->created_at, err);
}

int push_sub_add(struct push *p, const struct sub *s, struct pw_error *err)
{
	return in_transaction(p, do_add, (void *)s, err);
}

struct delete_args {
	const char *id;
	bool *found;
	int64_t *n;
};

static int do_delete(struct push *p, void *arg, struct pw_error *err)
{
	struct delete_args *a = arg;

	return store_push_sub_delete(p->sp, a->id, a->found, err);
}

int push_sub_delete(
    struct push *p, const char *id, bool *found, struct pw_error *err)
{
	struct delete_args a = {id, found, NULL};

	return in_transaction(p, do_delete, &a, err);
}

static int do_replay(struct push *p, void *arg, struct pw_error *err)
{
	struct delete_args *a = arg;

	return store_push_queue_replay(
	           p->sp, a->id, push_now_ms(), a->n, err) ||
	       store_push_sub_disable(p->sp, a->id, NULL, err);
}

int push_sub_replay(
    struct push *p, const char *id, int64_t *n, struct pw_error *err)
{
	struct delete_args a = {id, NULL, n};

	return in_transaction(p, do_replay, &a, err);
}

static int do_activate(struct push *p, void *arg, struct pw_error *err)
{
	struct websub_sub *w = arg;
	struct filter f;
	char *path = NULL, *query = NULL;
	bool created;
	int rc = -1;

	/* The topic is checked again: the configuration may have changed
	 * while the callback was being asked. */
	filter_init(&f);
	if (topic_filter(p, w->topic, &f, &path, &query, err) == 0 &&
	    store_push_websub_put(p->sp, w, &created, err) == 0)
		rc = 0;
	free(path);
	free(query);
	filter_free(&f);
	return rc;
}

int push_websub_activate(
    struct push *p, struct websub_sub *w, struct pw_error *err)
{
	return in_transaction(p, do_activate, w, err);
}

struct remove_args {
	const char *callback, *topic;
};

static int do_remove(struct push *p, void *arg, struct pw_error *err)
{
	struct remove_args *a = arg;

	return store_push_websub_delete(p->sp, a->callback, a->topic, err);
}

int push_websub_remove(struct push *p, const char *callback, const char *topic,
    struct pw_error *err)
{
	struct remove_args a = {callback, topic};

	return in_transaction(p, do_remove, &a, err);
}
