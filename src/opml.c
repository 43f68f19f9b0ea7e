/*
 * opml.c: GET /opml, every feed the configuration serves (all papers and
 * each named feed, as RSS) as an OPML 2.0 subscription list.
 *
 * The document depends on the configuration only; it is cached like a
 * feed (ETag, 304, gzip) and the cache is emptied by a reload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caps.h"
#include "http.h"
#include "httpstats.h"
#include "log.h"
#include "reload.h"
#include "render/render.h"

#define OPML_KEY "opml|"
#define OPML_TTL_SECONDS 3600

/* Appends the OPML document for app's configuration to out. 0 or -1. */
static int build(struct app *app, struct buf *out, struct pw_error *err)
{
	const struct config *cfg = app->cfg;
	struct render_outline *v = calloc(cfg->n_feeds + 1, sizeof(*v));
	char **urls = calloc(cfg->n_feeds + 1, sizeof(*urls));
	char title[512], home[512], all_title[512];
	size_t n = 0, len;
	int rc = -1;

	if (v == NULL || urls == NULL) {
		pw_error_set(err, "out of memory");
		goto out;
	}
	snprintf(title, sizeof(title), "%s feeds", cfg->title);
	snprintf(home, sizeof(home), "%s/", cfg->base_url);
	snprintf(all_title, sizeof(all_title), "%s: all papers", cfg->title);
	for (size_t i = 0; i <= cfg->n_feeds; i++, n++) {
		const struct feed_cfg *f = i > 0 ? &cfg->feeds[i - 1] : NULL;

		len = strlen(cfg->base_url) + CAP_NAME_BYTES + 32;
		urls[i] = malloc(len);
		if (urls[i] == NULL) {
			pw_error_set(err, "out of memory");
			goto out;
		}
		if (f == NULL)
			snprintf(urls[i], len, "%s/feed.rss", cfg->base_url);
		else
			snprintf(urls[i], len, "%s/feeds/%s.rss", cfg->base_url,
			    f->name);
		v[i].title = f != NULL ? f->title : all_title;
		v[i].description = f != NULL ? f->description : NULL;
		v[i].xml_url = urls[i];
		v[i].html_url = home;
	}
	rc = render_opml(title, v, n, out, err);
out:
	for (size_t i = 0; urls != NULL && i <= cfg->n_feeds; i++)
		free(urls[i]);
	free(urls);
	free(v);
	return rc;
}

void opml_handle(struct app *app, struct evhttp_request *req, const char *path)
{
	uint64_t gen = store_generation(app->store);
	int64_t now = (int64_t)time(NULL);
	int64_t modified = reload_loaded_at();
	struct pw_error err;
	struct cached *c;
	struct buf body;

	c = respcache_get(app->cache, OPML_KEY, gen, now);
	httpstats_cache("/opml", c != NULL);
	if (c == NULL) {
		buf_init(&body, CAP_RESPONSE_BYTES);
		if (build(app, &body, &err) == 0)
			c = respcache_put(app->cache, OPML_KEY, gen,
			    now + OPML_TTL_SECONDS, &body,
			    "text/x-opml; charset=utf-8",
			    modified > 0 ? modified : app->started_at);
		else
			log_event(LOG_ERROR, "cannot build /opml", "error",
			    err.msg, LOG_END);
		buf_free(&body);
	}
	if (c == NULL) {
		http_send_text(req, 500, "Internal Server Error",
		    "internal error: see the server log");
		return;
	}
	http_send_cached(req, c, NULL);
}
