/*
 * feedroute.c: one feed request, from query string to cached bytes.
 *
 * A cache hit costs a lookup. A miss parses the query into a filter
 * (named feeds start from their configured filter and are narrowed by the
 * query), queries the store, renders, and caches the bytes until the
 * store changes (or, for days= filters, for at most a minute).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>

#include "caps.h"
#include "filter.h"
#include "feedroute.h"
#include "http.h"
#include "httpstats.h"
#include "log.h"
#include "render/render.h"

#define CACHE_TTL_SECONDS 3600      /* upper bound even when nothing changes */
#define CACHE_TTL_MOVING_SECONDS 60 /* filters whose window moves with time */

/*
 * Applies a raw query string ("a=1&b=2") to f. Keys and values are
 * percent-decoded with evhttp_uridecode ('+' is a space); a decoded NUL is
 * refused. 0 or -1 with err naming the parameter.
 */
static int apply_query(
    struct filter *f, const char *query, struct pw_error *err)
{
	const char *p = query;

	while (p != NULL && *p != '\0') {
		const char *amp = strchr(p, '&');
		size_t n = amp != NULL ? (size_t)(amp - p) : strlen(p);
		char *pair = strndup(p, n), *eq, *key = NULL, *val = NULL;
		size_t klen = 0, vlen = 0;
		int rc = 0;

		if (pair == NULL)
			return pw_error_set(err, "query: out of memory");
		if (n > 0) {
			eq = strchr(pair, '=');
			if (eq != NULL)
				*eq = '\0';
			key = evhttp_uridecode(pair, 1, &klen);
			val = evhttp_uridecode(
			    eq != NULL ? eq + 1 : "", 1, &vlen);
			if (key == NULL || val == NULL)
				rc = pw_error_set(err, "query: out of memory");
			else if (klen != strlen(key))
				rc = pw_error_set(err,
				    "query: parameter name holds a NUL byte");
			else if (vlen != strlen(val))
				rc = pw_error_set(
				    err, "%.64s: value holds a NUL byte", key);
			else
				rc = filter_set(f, key, val, err);
		}
		free(key);
		free(val);
		free(pair);
		if (rc != 0)
			return -1;
		p = amp != NULL ? amp + 1 : NULL;
	}
	return 0;
}

/* new: the decoded name of the longest key=value pair of a query, so an
 * over-long query is refused naming the culprit; NULL if none. */
static char *longest_param(const char *query)
{
	const char *best = NULL, *p = query;
	size_t best_len = 0, klen;
	char *raw, *name;

	while (p != NULL && *p != '\0') {
		const char *amp = strchr(p, '&');
		size_t n = amp != NULL ? (size_t)(amp - p) : strlen(p);

		if (n > best_len) {
			best = p;
			best_len = n;
		}
		p = amp != NULL ? amp + 1 : NULL;
	}
	if (best == NULL)
		return NULL;
	klen = strcspn(best, "=&");
	raw = strndup(best, klen > 256 ? 256 : klen);
	if (raw == NULL)
		return NULL;
	name = evhttp_uridecode(raw, 1, NULL);
	free(raw);
	return name;
}

/* The freshest date among the entries, else the store's, else start-up. */
static int64_t last_modified(struct app *app, const struct entry_list *l)
{
	int64_t t = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i]->updated_at > t)
			t = l->v[i]->updated_at;
		if (l->v[i]->first_seen_at > t)
			t = l->v[i]->first_seen_at;
	}
	if (t == 0)
		t = store_last_change(app->store);
	return t > 0 ? t : app->started_at;
}

const char *feedroute_hub_url(const struct config *cfg, char *out, size_t len)
{
	if (cfg->websub.mode == WEBSUB_EXTERNAL)
		return cfg->websub.hub_url;
	if (cfg->websub.mode == WEBSUB_OFF)
		return NULL;
	/* A base_url too long for out advertises no hub rather than a cut
	 * one. */
	if ((size_t)snprintf(out, len, "%s/websub", cfg->base_url) >= len)
		return NULL;
	return out;
}

/*
 * Queries the entries of filter f at now and renders them with ops into
 * body, as the feed at path?query (its self link) advertising the hub;
 * *updated is the feed's date. 0 or -1 with err set.
 */
static int render_feed(struct app *app, const struct feed_cfg *feed,
    const struct render_ops *ops, const char *path, const char *query,
    const struct filter *f, int64_t now, struct buf *body, int64_t *updated,
    struct pw_error *err)
{
	struct entry_list list;
	struct feed_meta meta;
	char self[CAP_QUERY_BYTES + 512], home[512], title[512], gen[64],
	    hub[FEEDROUTE_HUB_BYTES];
	int rc = -1;

	entry_list_init(&list);
	if (store_query(app->store, f, now, &list, err) != 0)
		goto out;
	snprintf(self, sizeof(self), "%s%s%s%s", app->cfg->base_url, path,
	    query[0] != '\0' ? "?" : "", query);
	snprintf(home, sizeof(home), "%s/", app->cfg->base_url);
	snprintf(gen, sizeof(gen), "paperwire %s", PAPERWIRE_VERSION);
	if (feed != NULL)
		snprintf(title, sizeof(title), "%s", feed->title);
	else
		snprintf(title, sizeof(title), "%s: %s", app->cfg->title,
		    query[0] != '\0' ? "filtered papers" : "all papers");
	memset(&meta, 0, sizeof(meta));
	meta.title = title;
	meta.description = feed != NULL ? feed->description : NULL;
	meta.self_url = self;
	meta.home_url = home;
	meta.hub_url = feedroute_hub_url(app->cfg, hub, sizeof(hub));
	meta.generator = gen;
	meta.updated = last_modified(app, &list);
	*updated = meta.updated;
	rc = ops->render(&meta, list.v, list.n, body, err);
out:
	entry_list_free(&list);
	return rc;
}

/* Renders the feed for (name, ext, query) into a new cache entry. */
static struct cached *build(struct app *app, struct evhttp_request *req,
    const struct feed_cfg *feed, const struct render_ops *ops, const char *path,
    const char *query, const char *key, int *status, struct pw_error *err)
{
	struct filter qf, f;
	struct buf body;
	struct cached *c = NULL;
	int64_t now = (int64_t)time(NULL), ttl, updated;

	filter_init(&qf);
	filter_init(&f);
	buf_init(&body, CAP_RESPONSE_BYTES);
	*status = 400;
	if (apply_query(&qf, query, err) != 0)
		goto out;
	*status = 500;
	if ((feed != NULL && filter_merge(&f, &feed->filter) != 0) ||
	    filter_merge(&f, &qf) != 0) {
		pw_error_set(err, "out of memory");
		goto out;
	}
	if (render_feed(app, feed, ops, path, query, &f, now, &body, &updated,
	        err) != 0)
		goto out;

	ttl = f.days > 0 ? CACHE_TTL_MOVING_SECONDS : CACHE_TTL_SECONDS;
	c = respcache_put(app->cache, key, store_generation(app->store),
	    now + ttl, &body, ops->content_type, updated);
	if (c == NULL)
		pw_error_set(err, "out of memory");
	*status = 200;
out:
	buf_free(&body);
	filter_free(&f);
	filter_free(&qf);
	return c;
}

/* Splits "/feeds/{name}.{ext}" or "/feed.{ext}"; false if not a feed path. */
static bool parse_feed_path(
    const char *path, char *name, size_t name_len, const char **ext)
{
	const char *base, *dot;
	size_t n;

	if (strncmp(path, "/feed.", 6) == 0) {
		name[0] = '\0';
		*ext = path + 6;
		return render_find(*ext) != NULL;
	}
	if (strncmp(path, "/feeds/", 7) != 0)
		return false;
	base = path + 7;
	dot = strrchr(base, '.');
	if (dot == NULL || strchr(base, '/') != NULL)
		return false;
	n = (size_t)(dot - base);
	if (n == 0 || n >= name_len)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = base[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		        ch == '-' || ch == '_'))
			return false;
	}
	memcpy(name, base, n);
	name[n] = '\0';
	*ext = dot + 1;
	return render_find(*ext) != NULL;
}

void feedroute_handle(
    struct app *app, struct evhttp_request *req, const char *route_path)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = evhttp_uri_get_query(uri);
	const char *path = route_path, *ext, *name;
	const struct render_ops *ops;
	const struct feed_cfg *feed = NULL;
	char key[CAP_QUERY_BYTES + 128], msg[PW_ERROR_BYTES + 32],
	    link[CAP_QUERY_BYTES + CAP_PUSH_URL_BYTES + 1024],
	    hub[FEEDROUTE_HUB_BYTES];
	const char *hub_url;
	char name_buf[CAP_NAME_BYTES + 1];
	struct pw_error err;
	struct cached *c;
	int status;

	if (!parse_feed_path(path, name_buf, sizeof(name_buf), &ext)) {
		http_send_text(req, HTTP_NOTFOUND, "Not Found", "not found");
		return;
	}
	ops = render_find(ext);
	name = name_buf[0] != '\0' ? name_buf : NULL;
	if (query == NULL)
		query = "";
	if (strlen(query) > CAP_QUERY_BYTES) {
		char *culprit = longest_param(query);

		snprintf(msg, sizeof(msg),
		    "bad request: %.64s: query longer than %d bytes",
		    culprit != NULL ? culprit : "query", CAP_QUERY_BYTES);
		free(culprit);
		http_send_text(req, 400, "Bad Request", msg);
		return;
	}
	if (name != NULL && (feed = config_feed(app->cfg, name)) == NULL) {
		http_send_text(
		    req, 404, "Not Found", "not found: no such feed");
		return;
	}
	snprintf(key, sizeof(key), "%s|%s|%s", name != NULL ? name : "*", ext,
	    query);
	c = respcache_get(
	    app->cache, key, store_generation(app->store), (int64_t)time(NULL));
	httpstats_cache(name != NULL ? "/feeds/" : "/feed.", c != NULL);
	if (c == NULL) {
		c = build(app, req, feed, ops, path, query, key, &status, &err);
		if (c == NULL) {
			if (status == 400) {
				snprintf(msg, sizeof(msg), "bad request: %s",
				    err.msg);
				http_send_text(req, 400, "Bad Request", msg);
			} else {
				log_event(LOG_ERROR, "cannot build feed",
				    "path", path, "error", err.msg, LOG_END);
				http_send_text(req, 500,
				    "Internal Server Error",
				    "internal error: see the server log");
			}
			return;
		}
	}
	hub_url = feedroute_hub_url(app->cfg, hub, sizeof(hub));
	snprintf(link, sizeof(link), "<%s%s%s%s>; rel=\"self\"%s%s%s",
	    app->cfg->base_url, path, query[0] != '\0' ? "?" : "", query,
	    hub_url != NULL ? ", <" : "", hub_url != NULL ? hub_url : "",
	    hub_url != NULL ? ">; rel=\"hub\"" : "");
	http_send_cached(req, c, link);
}

int feedroute_resolve(const struct app *app, const char *path,
    const char *query, struct filter *f, const struct render_ops **ops,
    const struct feed_cfg **feed, int *status, struct pw_error *err)
{
	char name[CAP_NAME_BYTES + 1];
	const char *ext;
	struct filter qf;
	int rc = -1;

	*status = 404;
	*feed = NULL;
	if (!parse_feed_path(path, name, sizeof(name), &ext))
		return pw_error_set(err, "not a feed path");
	*ops = render_find(ext);
	if (name[0] != '\0' && (*feed = config_feed(app->cfg, name)) == NULL)
		return pw_error_set(err, "no such feed");
	*status = 400;
	if (strlen(query) > CAP_QUERY_BYTES)
		return pw_error_set(
		    err, "query longer than %d bytes", CAP_QUERY_BYTES);
	filter_init(&qf);
	if (apply_query(&qf, query, err) != 0)
		goto out;
	*status = 500;
	if ((*feed != NULL && filter_merge(f, &(*feed)->filter) != 0) ||
	    filter_merge(f, &qf) != 0) {
		pw_error_set(err, "out of memory");
		goto out;
	}
	*status = 200;
	rc = 0;
out:
	filter_free(&qf);
	return rc;
}

int feedroute_render(struct app *app, const char *path, const char *query,
    struct buf *out, const char **content_type, struct pw_error *err)
{
	const struct render_ops *ops;
	const struct feed_cfg *feed;
	struct filter f;
	int64_t updated;
	int status, rc = -1;

	filter_init(&f);
	if (feedroute_resolve(
	        app, path, query, &f, &ops, &feed, &status, err) != 0)
		goto out;
	*content_type = ops->content_type;
	rc = render_feed(app, feed, ops, path, query, &f, (int64_t)time(NULL),
	    out, &updated, err);
out:
	filter_free(&f);
	return rc;
}
