/*
 * page.c: the human front page at /.
 *
 * What it shows: every feed (all papers and each named feed) with its
 * RSS, Atom and JSON links and how many entries match it; a filter
 * builder that composes a feed URL from the filter parameters and
 * previews the first matching entries (page_assets.c, the only part that
 * needs JavaScript); the sources with their last poll; and <link
 * rel="alternate"> tags so browsers and readers discover the feeds.
 *
 * Every dynamic string goes through render_html_escape. Links are
 * relative to the page ("feed.rss"), so the page works behind a proxy
 * that serves it under a path prefix; the <link> tags and the URL the
 * builder shows for copying are absolute, from base_url. The page is
 * cached like a feed until the store changes, for CAP_PAGE_TTL_SECONDS at
 * most (source status and windowed counts move without the store), and
 * until a reload empties the cache.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/keyvalq_struct.h>
#include <openssl/evp.h>

#include "caps.h"
#include "http.h"
#include "httpstats.h"
#include "log.h"
#include "page_assets.h"
#include "reload.h"
#include "render/render.h"
#include "timefmt.h"

#define PAGE_KEY "page|/"

static const char *const exts[] = {"rss", "atom", "json"};
static const char *const ext_names[] = {"RSS", "Atom", "JSON"};

/* The page being written; rc turns -1 at the first append that fails. */
struct page {
	struct buf b;
	int rc;
};

static void put(struct page *pg, const char *s)
{
	pg->rc |= buf_puts(&pg->b, s);
}

static void putf(struct page *pg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void putf(struct page *pg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg->rc |= buf_vprintf(&pg->b, fmt, ap);
	va_end(ap);
}

/* Text and attribute values alike: &, <, >, " and ' escaped. */
static void esc(struct page *pg, const char *s)
{
	pg->rc |= render_html_escape(&pg->b, s != NULL ? s : "");
}

/* "2026-06-12 08:30 UTC", or "never" for 0. */
static void put_time(struct page *pg, json_int_t t)
{
	char iso[TIMEFMT_BYTES];

	if (t <= 0) {
		put(pg, "<span class=\"muted\">never</span>");
		return;
	}
	timefmt_rfc3339((int64_t)t, iso);
	putf(pg, "<time datetime=\"%s\">%.10s %.5s UTC</time>", iso, iso,
	    iso + 11);
}

static void alternates(struct page *pg, const struct config *cfg)
{
	for (size_t f = 0; f <= cfg->n_feeds; f++) {
		const struct feed_cfg *feed = f > 0 ? &cfg->feeds[f - 1] : NULL;

		for (size_t i = 0; i < 3; i++) {
			const char *type = render_find(exts[i])->content_type;

			/* The media type without its charset parameter, the
			 * form feed discovery matches on. */
			putf(pg,
			    "<link rel=\"alternate\" type=\"%.*s\" title=\"",
			    (int)strcspn(type, ";"), type);
			if (feed != NULL)
				esc(pg, feed->title);
			else {
				esc(pg, cfg->title);
				put(pg, ": all papers");
			}
			putf(pg, " (%s)\" href=\"", ext_names[i]);
			esc(pg, cfg->base_url);
			if (feed != NULL) {
				put(pg, "/feeds/");
				esc(pg, feed->name);
			} else {
				put(pg, "/feed");
			}
			putf(pg, ".%s\">\n", exts[i]);
		}
	}
	put(pg, "<link rel=\"alternate\" type=\"text/x-opml\" title=\"");
	esc(pg, cfg->title);
	put(pg, " (OPML)\" href=\"");
	esc(pg, cfg->base_url);
	put(pg, "/opml\">\n");
}

/* How many entries match a named feed's filter, counted up to
 * CAP_PAGE_COUNT_MAX (*capped then); -1 on error. */
static long feed_count(
    struct app *app, const struct feed_cfg *feed, int64_t now, bool *capped)
{
	struct filter f;
	struct entry_list l;
	struct pw_error err;
	long n = -1;

	filter_init(&f);
	entry_list_init(&l);
	if (filter_merge(&f, &feed->filter) != 0)
		goto out;
	f.limit = CAP_PAGE_COUNT_MAX;
	f.limit_set = true;
	if (store_query(app->store, &f, now, &l, &err) != 0) {
		log_event(LOG_WARN, "cannot count a feed's entries", "feed",
		    feed->name, "error", err.msg, LOG_END);
		goto out;
	}
	n = (long)l.n;
	*capped = l.n >= CAP_PAGE_COUNT_MAX;
out:
	entry_list_free(&l);
	filter_free(&f);
	return n;
}

static void feed_row(struct page *pg, const char *name, const char *title,
    const char *description, long count, bool capped)
{
	put(pg, "<tr><td><strong>");
	esc(pg, title);
	put(pg, "</strong>");
	if (description != NULL) {
		put(pg, "<div class=\"desc\">");
		esc(pg, description);
		put(pg, "</div>");
	}
	put(pg, "</td><td class=\"num\">");
	if (count < 0)
		put(pg, "?");
	else
		putf(pg, "%ld%s", count, capped ? "+" : "");
	put(pg, "</td><td class=\"links\">");
	for (size_t i = 0; i < 3; i++) {
		if (name != NULL) {
			put(pg, "<a href=\"feeds/");
			esc(pg, name);
		} else {
			put(pg, "<a href=\"feed");
		}
		putf(pg, ".%s\">%s</a>", exts[i], ext_names[i]);
	}
	put(pg, "</td></tr>\n");
}

static void feeds(struct page *pg, struct app *app, int64_t now)
{
	const struct config *cfg = app->cfg;
	int64_t total = store_count(app->store, NULL);

	put(pg, "<section id=\"feeds\"><h2>Feeds</h2>\n"
	        "<table class=\"feeds\"><thead><tr><th>Feed</th>"
	        "<th class=\"num\">Entries</th><th>Subscribe</th></tr></thead>"
	        "<tbody>\n");
	feed_row(pg, NULL, "All papers", "Every entry, newest first.",
	    (long)total, false);
	for (size_t i = 0; i < cfg->n_feeds; i++) {
		const struct feed_cfg *f = &cfg->feeds[i];
		bool capped = false;
		long n = feed_count(app, f, now, &capped);

		feed_row(pg, f->name, f->title, f->description, n, capped);
	}
	put(pg, "</tbody></table>\n<p class=\"small\">Every feed takes the "
	        "filter parameters below as a query string. "
	        "<a href=\"opml\">OPML</a> lists them all for a one-step "
	        "import.</p></section>\n");
}

static void text_field(struct page *pg, const char *name, const char *label,
    const char *placeholder, const char *extra)
{
	putf(pg,
	    "<label>%s<input name=\"%s\" placeholder=\"%s\" "
	    "autocomplete=\"off\"%s></label>\n",
	    label, name, placeholder, extra);
}

static void builder(struct page *pg, const struct config *cfg)
{
	put(pg,
	    "<section id=\"builder\" hidden><h2>Build a feed</h2>\n"
	    "<form id=\"builder-form\" action=\"feed.rss\" method=\"get\">\n"
	    "<label>Start from<select id=\"b-feed\">"
	    "<option value=\"\">All papers</option>");
	for (size_t i = 0; i < cfg->n_feeds; i++) {
		put(pg, "<option value=\"");
		esc(pg, cfg->feeds[i].name);
		put(pg, "\">");
		esc(pg, cfg->feeds[i].title);
		put(pg, "</option>");
	}
	put(pg, "</select></label>\n"
	        "<label>Format<select id=\"b-format\">"
	        "<option value=\"rss\">RSS 2.0</option>"
	        "<option value=\"atom\">Atom 1.0</option>"
	        "<option value=\"json\">JSON Feed 1.1</option>"
	        "</select></label>\n");
	put(pg, "<label class=\"wide\">Words (q): all required; \"a phrase\", "
	        "-exclude, a OR b<input name=\"q\" placeholder=\"diffusion "
	        "-video\" autocomplete=\"off\"></label>\n");
	text_field(pg, "title", "Title contains", "transformer", "");
	text_field(pg, "author", "Author contains", "Hinton", "");
	text_field(pg, "keyword", "AI keyword", "reinforcement learning", "");
	put(pg, "<label>Source<select name=\"source\">"
	        "<option value=\"\">any</option>");
	for (size_t i = 0; i < cfg->n_sources; i++) {
		put(pg, "<option>");
		esc(pg, cfg->sources[i].name);
		put(pg, "</option>");
	}
	put(pg, "</select></label>\n");
	text_field(pg, "min_upvotes", "Min upvotes", "20",
	    " type=\"number\" min=\"0\"");
	text_field(pg, "min_stars", "Min GitHub stars", "100",
	    " type=\"number\" min=\"0\"");
	text_field(pg, "min_comments", "Min comments", "1",
	    " type=\"number\" min=\"0\"");
	put(pg, "<label>Code<select name=\"has_code\">"
	        "<option value=\"\">any</option>"
	        "<option value=\"true\">with code</option>"
	        "<option value=\"false\">without code</option>"
	        "</select></label>\n");
	text_field(
	    pg, "since", "First seen since", "YYYY-MM-DD", " type=\"date\"");
	text_field(pg, "days", "Within days", "7",
	    " type=\"number\" min=\"1\" max=\"3650\"");
	put(pg, "<label>Sort<select name=\"sort\">"
	        "<option value=\"\">first seen</option>"
	        "<option value=\"published\">published</option>"
	        "<option value=\"upvotes\">upvotes</option>"
	        "</select></label>\n");
	text_field(pg, "limit", "Limit", "50",
	    " type=\"number\" min=\"1\" max=\"500\"");
	put(pg, "</form>\n<div class=\"url\"><code><a id=\"feed-url\" "
	        "href=\"feed.rss\"></a></code><button id=\"copy-url\" "
	        "type=\"button\">Copy</button></div>\n"
	        "<p id=\"preview-status\" class=\"muted\"></p>"
	        "<ol id=\"preview-list\"></ol></section>\n"
	        "<noscript><p class=\"small\">The feed builder needs "
	        "JavaScript. Without it, add the filter parameters to a "
	        "feed URL by hand, e.g. "
	        "<code>feed.atom?q=diffusion&amp;min_upvotes=20</code>."
	        "</p></noscript>\n");
}

/* One row of the source table from a poller_status object. */
static void source_row(struct page *pg, json_t *s)
{
	const char *err = json_string_value(json_object_get(s, "last_error"));
	json_int_t failures =
	    json_integer_value(json_object_get(s, "failures"));
	const char *last =
	    json_string_value(json_object_get(s, "last_success"));
	const char *next = json_string_value(json_object_get(s, "next_poll"));
	const char *disabled =
	    json_string_value(json_object_get(s, "disabled"));
	int64_t t;

	put(pg, "<tr><td><strong>");
	esc(pg, json_string_value(json_object_get(s, "name")));
	put(pg, "</strong><div class=\"desc\">");
	esc(pg, json_string_value(json_object_get(s, "type")));
	put(pg, "</div></td><td>");
	if (!json_is_true(json_object_get(s, "enabled")))
		put(pg, "<span class=\"muted\">disabled</span>");
	else if (disabled != NULL)
		putf(pg, "<span class=\"bad\">stopped (%s)</span>",
		    strcmp(disabled, "gone") == 0 ? "410 Gone" : "disabled");
	else if (json_is_true(json_object_get(s, "polling")))
		put(pg, "<span class=\"muted\">polling now</span>");
	else if (failures > 0) {
		putf(pg, "<span class=\"bad\">failing (%lld in a row)</span>",
		    (long long)failures);
		if (err != NULL) {
			put(pg, "<div class=\"desc\">");
			esc(pg, err);
			put(pg, "</div>");
		}
	} else if (last != NULL)
		put(pg, "<span class=\"ok\">ok</span>");
	else
		put(pg, "<span class=\"muted\">waiting for the first "
		        "poll</span>");
	put(pg, "</td><td>");
	put_time(pg, last != NULL && timefmt_parse_rfc3339(last, &t) == 0
	                 ? (json_int_t)t
	                 : 0);
	put(pg, "</td><td class=\"num\">");
	putf(pg, "%lld",
	    (long long)json_integer_value(json_object_get(s, "entries")));
	put(pg, "</td><td>");
	if (next != NULL && timefmt_parse_rfc3339(next, &t) == 0)
		put_time(pg, (json_int_t)t);
	else
		put(pg, "<span class=\"muted\">&ndash;</span>");
	put(pg, "</td></tr>\n");
}

static void sources(struct page *pg, struct app *app)
{
	json_t *arr = poller_status(app->poller), *s;
	size_t i;

	put(pg, "<section id=\"sources\"><h2>Sources</h2>\n");
	if (arr == NULL || json_array_size(arr) == 0) {
		put(pg, "<p class=\"muted\">No source is configured.</p>");
	} else {
		put(pg, "<table class=\"sources\"><thead><tr><th>Source</th>"
		        "<th>Status</th><th>Last success</th>"
		        "<th class=\"num\">Entries</th><th>Next poll</th></tr>"
		        "</thead><tbody>\n");
		json_array_foreach(arr, i, s)
		{
			source_row(pg, s);
		}
		put(pg, "</tbody></table>\n");
	}
	put(pg, "</section>\n");
	json_decref(arr);
}

/* "'sha256-<base64>'" of text, the CSP source allowing exactly it. */
static void csp_hash(const char *text, char *out, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE], b64[2 * EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL) != 1) {
		snprintf(out, len, "'none'");
		return;
	}
	EVP_EncodeBlock(b64, md, (int)n);
	snprintf(out, len, "'sha256-%s'", (const char *)b64);
}

/* The Content-Security-Policy: nothing but the page's own style sheet and
 * script, and fetches of its own feeds. */
static const char *csp(void)
{
	static char policy[512];
	char css[96], js[96];

	if (policy[0] != '\0')
		return policy;
	csp_hash(page_assets_css, css, sizeof(css));
	csp_hash(page_assets_js, js, sizeof(js));
	snprintf(policy, sizeof(policy),
	    "default-src 'none'; style-src %s; script-src %s; "
	    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
	    "form-action 'self'; frame-ancestors 'none'",
	    css, js);
	return policy;
}

static int build(struct app *app, struct buf *out)
{
	const struct config *cfg = app->cfg;
	struct page pg = {.b = *out, .rc = 0};
	int64_t now = (int64_t)time(NULL);

	put(&pg, "<!doctype html>\n<html lang=\"en\"><head>"
	         "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	         "content=\"width=device-width, initial-scale=1\">\n<title>");
	esc(&pg, cfg->title);
	put(&pg, "</title>\n");
	alternates(&pg, cfg);
	/* No favicon: an empty one spares browsers a request for a 404. */
	put(&pg, "<link rel=\"icon\" href=\"data:,\">\n");
	putf(&pg, "<style>%s</style>\n</head>\n<body data-base=\"",
	    page_assets_css);
	esc(&pg, cfg->base_url);
	put(&pg, "\">\n<header><h1>");
	esc(&pg, cfg->title);
	put(&pg, "</h1><p class=\"lead\">Research-paper feeds: subscribe in "
	         "any feed reader, or build a filtered feed below.</p>"
	         "</header>\n<main>\n");
	feeds(&pg, app, now);
	builder(&pg, cfg);
	sources(&pg, app);
	putf(&pg,
	    "</main>\n<footer>paperwire %s &middot; "
	    "<a href=\"healthz\">status</a> &middot; "
	    "<a href=\"metrics\">metrics</a> &middot; "
	    "<a href=\"opml\">OPML</a></footer>\n<script>%s</script>\n"
	    "</body></html>\n",
	    PAPERWIRE_VERSION, page_assets_js);
	*out = pg.b;
	return pg.rc;
}

void page_index(struct app *app, struct evhttp_request *req, const char *path)
{
	struct evkeyvalq *hdrs = evhttp_request_get_output_headers(req);
	uint64_t gen = store_generation(app->store);
	int64_t now = (int64_t)time(NULL), modified;
	struct cached *c;
	struct buf b;

	c = respcache_get(app->cache, PAGE_KEY, gen, now);
	httpstats_cache("/", c != NULL);
	if (c == NULL) {
		modified = store_last_change(app->store);
		if (reload_loaded_at() > modified)
			modified = reload_loaded_at();
		if (app->started_at > modified)
			modified = app->started_at;
		buf_init(&b, CAP_RESPONSE_BYTES);
		if (build(app, &b) == 0)
			c = respcache_put(app->cache, PAGE_KEY, gen,
			    now + CAP_PAGE_TTL_SECONDS, &b,
			    "text/html; charset=utf-8", modified);
		buf_free(&b);
	}
	if (c == NULL) {
		log_event(LOG_ERROR, "cannot build the front page", LOG_END);
		http_send_text(req, 500, "Internal Server Error",
		    "internal error: see the server log");
		return;
	}
	evhttp_add_header(hdrs, "Content-Security-Policy", csp());
	evhttp_add_header(hdrs, "Referrer-Policy", "no-referrer");
	http_send_cached(req, c, NULL);
}
