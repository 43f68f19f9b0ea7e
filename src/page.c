/*
 * page.c: the human front page at /: the feeds with their links, and
 * <link rel="alternate"> tags so browsers and readers discover them.
 */
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "http.h"
#include "render/render.h"

/* Appends text HTML-escaped. */
static void html_text(struct buf *b, const char *s)
{
	render_html_escape(b, s);
}

void page_index(struct app *app, struct evhttp_request *req, const char *path)
{
	const struct config *cfg = app->cfg;
	static const char *const exts[] = {"rss", "atom", "json"};
	struct buf b;
	struct cached *c;

	buf_init(&b, CAP_RESPONSE_BYTES);
	buf_puts(&b,
	    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	html_text(&b, cfg->title);
	buf_puts(&b, "</title>\n");
	for (size_t i = 0; i < 3; i++) {
		buf_printf(&b, "<link rel=\"alternate\" type=\"%s\" title=\"",
		    render_find(exts[i])->content_type);
		html_text(&b, cfg->title);
		buf_printf(&b, " (all papers, %s)\" href=\"", exts[i]);
		html_text(&b, cfg->base_url);
		buf_printf(&b, "/feed.%s\">\n", exts[i]);
	}
	buf_puts(&b,
	    "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48em;"
	    "margin:2em auto;padding:0 1em}code{background:#f3f3f3}</style>"
	    "</head><body><h1>");
	html_text(&b, cfg->title);
	buf_puts(&b,
	    "</h1><p>Research-paper feeds. Subscribe in any feed reader; "
	    "add query parameters to filter (see the README).</p>"
	    "<h2>All papers</h2><ul>");
	for (size_t i = 0; i < 3; i++)
		buf_printf(&b, "<li><a href=\"/feed.%s\">/feed.%s</a></li>",
		    exts[i], exts[i]);
	buf_puts(&b, "</ul>");
	if (cfg->n_feeds > 0)
		buf_puts(&b, "<h2>Feeds</h2><ul>");
	for (size_t i = 0; i < cfg->n_feeds; i++) {
		buf_puts(&b, "<li>");
		html_text(&b, cfg->feeds[i].title);
		for (size_t j = 0; j < 3; j++)
			buf_printf(&b, " <a href=\"/feeds/%s.%s\">%s</a>",
			    cfg->feeds[i].name, exts[j], exts[j]);
		buf_puts(&b, "</li>");
	}
	if (cfg->n_feeds > 0)
		buf_puts(&b, "</ul>");
	buf_puts(&b, "<p><a href=\"/healthz\">status</a></p></body></html>\n");

	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		buf_free(&b);
		http_send_text(
		    req, 500, "Internal Server Error", "out of memory");
		return;
	}
	c->refs = 1;
	c->body = b;
	buf_init(&c->gz, CAP_RESPONSE_BYTES);
	c->content_type = "text/html; charset=utf-8";
	c->last_modified = app->started_at;
	cached_set_etag(c);
	http_send_cached(req, c, NULL);
	cached_unref(c);
}

