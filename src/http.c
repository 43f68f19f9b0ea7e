/*
 * http.c: the evhttp server: limits, routing, shared response helpers,
 * /healthz and the front page.
 */
#include "http.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "caps.h"
#include "gz.h"
#include "log.h"
#include "render/render.h"
#include "timefmt.h"

struct http {
	struct app *app;
	struct evhttp *ev;
};

void http_send_text(
    struct evhttp_request *req, int code, const char *reason, const char *text)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evbuffer *b = evbuffer_new();

	evhttp_add_header(out, "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "Cache-Control", "no-store");
	if (b != NULL) {
		evbuffer_add_printf(b, "%s\n", text);
		if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
			char len[24];

			snprintf(
			    len, sizeof(len), "%zu", evbuffer_get_length(b));
			evhttp_add_header(out, "Content-Length", len);
			evbuffer_drain(b, evbuffer_get_length(b));
		}
	}
	evhttp_send_reply(req, code, reason, b);
	if (b != NULL)
		evbuffer_free(b);
}

static void unref_cb(const void *data, size_t len, void *arg)
{
	cached_unref(arg);
}

/* true when an If-None-Match list names etag (weak comparison) or is *. */
static bool etag_matches(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = inm;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' ' ||
		        p[n] == '\t'))
			return true;
		while (*p != '\0' && *p != ',')
			p++;
	}
	return false;
}

static bool not_modified(struct evhttp_request *req, const struct cached *c)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	const char *inm = evhttp_find_header(in, "If-None-Match");
	const char *ims = evhttp_find_header(in, "If-Modified-Since");
	int64_t t;

	if (inm != NULL)
		return etag_matches(inm, c->etag);
	if (ims != NULL && timefmt_parse_http(ims, &t) == 0)
		return c->last_modified <= t;
	return false;
}

void http_send_cached(
    struct evhttp_request *req, struct cached *c, const char *link_header)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	const struct buf *body = &c->body;
	struct evbuffer *b;
	char date[TIMEFMT_BYTES], len[24];

	evhttp_add_header(out, "ETag", c->etag);
	evhttp_add_header(
	    out, "Last-Modified", timefmt_http(c->last_modified, date));
	evhttp_add_header(out, "Cache-Control", "public, max-age=60");
	evhttp_add_header(out, "Vary", "Accept-Encoding");
	if (link_header != NULL)
		evhttp_add_header(out, "Link", link_header);
	if (not_modified(req, c)) {
		evhttp_send_reply(req, HTTP_NOTMODIFIED, "Not Modified", NULL);
		return;
	}
	evhttp_add_header(out, "Content-Type", c->content_type);
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	if (gz_accepted(evhttp_find_header(in, "Accept-Encoding"))) {
		const struct buf *gz = cached_gzip(c);

		if (gz != NULL) {
			body = gz;
			evhttp_add_header(out, "Content-Encoding", "gzip");
		}
	}
	snprintf(len, sizeof(len), "%zu", body->len);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		evhttp_add_header(out, "Content-Length", len);
		evhttp_send_reply(req, HTTP_OK, "OK", NULL);
		return;
	}
	b = evbuffer_new();
	if (b == NULL) {
		http_send_text(
		    req, 500, "Internal Server Error", "out of memory");
		return;
	}
	/* libevent writes at most 16 KiB per call by default; a feed is
	 * larger, so let one writev carry the whole response. */
	bufferevent_set_max_single_write(
	    evhttp_connection_get_bufferevent(
	        evhttp_request_get_connection(req)),
	    CAP_HTTP_WRITE_BYTES);
	/* The body is sent by reference: no copy, and the cache entry
	 * lives until the last byte has left. */
	cached_ref(c);
	if (evbuffer_add_reference(b, buf_str(body), body->len, unref_cb, c) !=
	    0)
		cached_unref(c);
	evhttp_send_reply(req, HTTP_OK, "OK", b);
	evbuffer_free(b);
}

static void route_healthz(struct http *h, struct evhttp_request *req)
{
	struct app *app = h->app;
	json_t *o = json_object();
	char *text;
	struct evbuffer *b;
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);

	json_object_set_new(o, "status", json_string("ok"));
	json_object_set_new(o, "version", json_string(PAPERWIRE_VERSION));
	json_object_set_new(
	    o, "entries", json_integer(store_count(app->store, NULL)));
	json_object_set_new(o, "sources", poller_status(app->poller));
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL) {
		http_send_text(
		    req, 500, "Internal Server Error", "out of memory");
		return;
	}
	evhttp_add_header(
	    out, "Content-Type", "application/json; charset=utf-8");
	evhttp_add_header(out, "Cache-Control", "no-store");
	b = evbuffer_new();
	if (evhttp_request_get_command(req) != EVHTTP_REQ_HEAD && b != NULL) {
		evbuffer_add(b, text, strlen(text));
		evbuffer_add(b, "\n", 1);
	}
	evhttp_send_reply(req, HTTP_OK, "OK", b);
	if (b != NULL)
		evbuffer_free(b);
	free(text);
}

/* Appends text HTML-escaped. */
static void html_text(struct buf *b, const char *s)
{
	render_html_escape(b, s);
}

static void route_index(struct http *h, struct evhttp_request *req)
{
	const struct config *cfg = h->app->cfg;
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
	c->last_modified = h->app->started_at;
	cached_set_etag(c);
	http_send_cached(req, c, NULL);
	cached_unref(c);
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

static void dispatch(struct evhttp_request *req, void *arg)
{
	struct http *h = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	char name[CAP_NAME_BYTES + 1];
	const char *ext;
	bool known;

	if (path == NULL || path[0] == '\0')
		path = "/";
	known = strcmp(path, "/") == 0 || strcmp(path, "/healthz") == 0 ||
	        parse_feed_path(path, name, sizeof(name), &ext);
	if (!known) {
		http_send_text(req, HTTP_NOTFOUND, "Not Found", "not found");
		return;
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		http_send_text(req, 405, "Method Not Allowed",
		    "method not allowed: use GET or HEAD");
		return;
	}
	if (strcmp(path, "/") == 0)
		route_index(h, req);
	else if (strcmp(path, "/healthz") == 0)
		route_healthz(h, req);
	else
		feedroute_handle(
		    h->app, req, name[0] != '\0' ? name : NULL, ext);
}

struct http *http_new(struct app *app, struct pw_error *err)
{
	struct http *h = calloc(1, sizeof(*h));
	struct evhttp_bound_socket *bound;
	evutil_socket_t fd;
	char *host = NULL;
	int port, one = 1;

	if (h == NULL) {
		pw_error_set(err, "http: out of memory");
		return NULL;
	}
	h->app = app;
	h->ev = evhttp_new(app->base);
	if (h->ev == NULL) {
		pw_error_set(err, "http: cannot create the server");
		goto fail;
	}
	evhttp_set_max_headers_size(h->ev, CAP_HTTP_HEADERS_BYTES);
	evhttp_set_max_body_size(h->ev, CAP_HTTP_BODY_BYTES);
	evhttp_set_timeout(h->ev, CAP_HTTP_TIMEOUT_SECONDS);
	evhttp_set_allowed_methods(
	    h->ev, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
	               EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH |
	               EVHTTP_REQ_OPTIONS);
	evhttp_set_gencb(h->ev, dispatch, h);
	if (config_split_listen(app->cfg->listen, &host, &port) != 0) {
		pw_error_set(
		    err, "http: bad listen address %s", app->cfg->listen);
		goto fail;
	}
	bound = evhttp_bind_socket_with_handle(h->ev, host, (ev_uint16_t)port);
	if (bound == NULL) {
		pw_error_set(err, "http: cannot listen on %s: %s",
		    app->cfg->listen,
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		goto fail;
	}
	/* Responses go out as headers then body; without TCP_NODELAY the
	 * second write can wait for a delayed ACK (40 ms). Linux copies
	 * this option from the listener to every accepted socket. */
	fd = evhttp_bound_socket_get_fd(bound);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	free(host);
	return h;
fail:
	free(host);
	http_free(h);
	return NULL;
}

void http_free(struct http *h)
{
	if (h == NULL)
		return;
	if (h->ev != NULL)
		evhttp_free(h->ev);
	free(h);
}
