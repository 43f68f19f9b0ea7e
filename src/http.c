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
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "caps.h"
#include "gz.h"
#include "httpstats.h"
#include "log.h"
#include "render/render.h"
#include "timefmt.h"

struct http {
	struct app *app;
	struct evhttp *ev;
	struct evhttp_bound_socket *bound; /* NULL once shutting down */
	int in_flight; /* requests dispatched and not yet finished */
	bool draining; /* http_shutdown was called */
	struct event *drain_timer;
	void (*drained)(void *arg);
	void *drained_arg;
	LIST_HEAD(, conn) conns; /* every client connection still open */
	int nconns;
	int max_conns;   /* CAP_HTTP_CONNECTIONS, less if descriptors are few */
	bool cap_logged; /* one log line each time the cap is reached */
};

/*
 * One client connection, from accept (evhttp asks the bevcb for its
 * bufferevent) to close. libevent 2.1 has no connection cap and no hook
 * at accept that names the connection, so the bufferevent we create is
 * the handle: we hold a reference on it (its memory outlives evhttp's
 * bufferevent_free) and, one loop turn later, learn the evhttp
 * connection from its callback argument, which evhttp sets to the
 * connection and clears when it frees it. The one timer first runs that
 * step, then serves as the request deadline.
 */
struct conn {
	LIST_ENTRY(conn) link;
	struct http *h;
	struct bufferevent *bev;         /* one reference is ours */
	struct evhttp_connection *evcon; /* NULL until attached */
	struct event *timer;
	bool armed;         /* the timer is (or was) the request deadline */
	struct reqctx *req; /* the request in flight */
};

/* One request from dispatch until its answer was written or its
 * connection closed, whichever comes first. */
struct reqctx {
	struct http *h;
	struct conn *conn; /* NULL when the connection is not tracked */
	struct httpstats_req stats;
};

static void conn_closed(struct evhttp_connection *evcon, void *arg);
static void on_close(struct evhttp_connection *evcon, void *arg);

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

static void route_healthz(
    struct app *app, struct evhttp_request *req, const char *path)
{
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

#define GET_HEAD (EVHTTP_REQ_GET | EVHTTP_REQ_HEAD)
/* The admin API checks methods itself, after its token: without a token
 * it answers 404 to everything, as if it did not exist. */
#define API_METHODS                                                            \
	(EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST | EVHTTP_REQ_PUT | \
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS)

/*
 * The routes, first match wins. A path ending in '/' or '.' matches as a
 * prefix; the handler parses the rest and answers 404 itself. A request
 * whose method the route does not take gets a 405 with an Allow header.
 */
static const struct route {
	const char *path;
	unsigned methods;
	const char *allow;
	http_route_fn fn;
} routes[] = {
    {"/", GET_HEAD, "GET, HEAD", page_index},
    {"/healthz", GET_HEAD, "GET, HEAD", route_healthz},
    {"/readyz", GET_HEAD, "GET, HEAD", opsroute_readyz},
    {"/metrics", GET_HEAD, "GET, HEAD", opsroute_metrics},
    {"/opml", GET_HEAD, "GET, HEAD", opml_handle},
    {"/feed.", GET_HEAD, "GET, HEAD", feedroute_handle},
    {"/feeds/", GET_HEAD, "GET, HEAD", feedroute_handle},
    {"/api/subscriptions", API_METHODS, "GET, HEAD, POST", adminapi_handle},
    {"/api/subscriptions/", API_METHODS, "GET, HEAD, POST, DELETE",
        adminapi_handle},
    {"/websub", EVHTTP_REQ_POST, "POST", websub_handle},
};

static bool route_matches(const struct route *r, const char *path)
{
	size_t n = strlen(r->path);
	char last = r->path[n - 1];

	if (n > 1 && (last == '/' || last == '.'))
		return strncmp(path, r->path, n) == 0;
	return strcmp(path, r->path) == 0;
}

static void drain_done(struct http *h)
{
	void (*fn)(void *) = h->drained;

	h->drained = NULL;
	if (h->drain_timer != NULL)
		evtimer_del(h->drain_timer);
	if (fn != NULL)
		fn(h->drained_arg);
}

static void reqctx_end(struct reqctx *ctx, struct evhttp_request *req)
{
	struct http *h = ctx->h;

	httpstats_end(&ctx->stats, req);
	free(ctx);
	h->in_flight--;
	if (h->draining && h->in_flight == 0)
		drain_done(h);
}

/* The answer's last byte went to the kernel; req is freed after this. */
static void on_complete(struct evhttp_request *req, void *arg)
{
	struct reqctx *ctx = arg;
	struct conn *c = ctx->conn;

	if (c != NULL) {
		/* A kept-alive connection reads its next request now, under
		 * a fresh deadline; a closing one cancels it in conn_closed. */
		struct timeval tv = {CAP_HTTP_REQUEST_SECONDS, 0};

		c->req = NULL;
		c->armed = true;
		evtimer_add(c->timer, &tv);
	} else {
		evhttp_connection_set_closecb(
		    evhttp_request_get_connection(req), NULL, NULL);
	}
	reqctx_end(ctx, req);
}

/* The connection closed before the answer was written. */
static void on_close(struct evhttp_connection *evcon, void *arg)
{
	reqctx_end(arg, NULL);
}

/* The connection is gone (closed by either side, or freed by evhttp):
 * the request in flight, if any, ends as aborted. */
static void conn_gone(struct conn *c)
{
	struct http *h = c->h;

	if (c->req != NULL)
		on_close(NULL, c->req);
	LIST_REMOVE(c, link);
	h->nconns--;
	if (h->nconns < h->max_conns)
		h->cap_logged = false;
	event_free(c->timer);
	bufferevent_decref(c->bev);
	free(c);
}

static void conn_closed(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	conn_gone(arg);
}

/* Learns c's evhttp connection; false when evhttp already freed it. */
static bool conn_attach(struct conn *c)
{
	void *cbarg = NULL;

	if (c->evcon != NULL)
		return true;
	bufferevent_getcb(c->bev, NULL, NULL, NULL, &cbarg);
	if (cbarg == NULL)
		return false;
	c->evcon = cbarg;
	evhttp_connection_set_closecb(c->evcon, conn_closed, c);
	return true;
}

static bool conn_still_open(const struct conn *c)
{
	void *cbarg = NULL;

	bufferevent_getcb(c->bev, NULL, NULL, NULL, &cbarg);
	return cbarg != NULL && cbarg == (void *)c->evcon;
}

static void conn_timer(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct timeval tv = {CAP_HTTP_REQUEST_SECONDS, 0};
	char n[24];

	(void)fd;
	(void)what;
	if (!c->armed) {
		c->armed = true;
		if (!conn_attach(c)) {
			conn_gone(c);
			return;
		}
		if (c->h->nconns > c->h->max_conns) {
			snprintf(n, sizeof(n), "%d", c->h->max_conns);
			if (!c->h->cap_logged)
				log_event(LOG_WARN,
				    "http: connection cap reached, new "
				    "connections closed",
				    "cap", n, LOG_END);
			c->h->cap_logged = true;
			evhttp_connection_free(c->evcon); /* conn_closed */
			return;
		}
		evtimer_add(c->timer, &tv);
		return;
	}
	/* The deadline passed before the request was read whole. A
	 * connection evhttp freed without telling us is only forgotten. */
	if (!conn_still_open(c)) {
		conn_gone(c);
		return;
	}
	snprintf(n, sizeof(n), "%d", CAP_HTTP_REQUEST_SECONDS);
	log_event(LOG_INFO, "http: request deadline passed, connection closed",
	    "seconds", n, LOG_END);
	evhttp_connection_free(c->evcon); /* calls conn_closed */
}

/* evhttp's bevcb: a new client connection is being accepted. */
static struct bufferevent *conn_new(struct event_base *base, void *arg)
{
	struct http *h = arg;
	struct conn *c = calloc(1, sizeof(*c));
	struct timeval now = {0, 0};

	if (c == NULL)
		return NULL;
	c->h = h;
	c->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	c->timer = evtimer_new(base, conn_timer, c);
	if (c->bev == NULL || c->timer == NULL ||
	    evtimer_add(c->timer, &now) != 0) {
		if (c->timer != NULL)
			event_free(c->timer);
		if (c->bev != NULL)
			bufferevent_free(c->bev);
		free(c);
		return NULL; /* evhttp makes its own: untracked */
	}
	bufferevent_incref(c->bev);
	LIST_INSERT_HEAD(&h->conns, c, link);
	h->nconns++;
	return c->bev;
}

/* The tracked connection behind evcon (attached now if it was not), or
 * NULL. A linear search: at most CAP_HTTP_CONNECTIONS pointers. */
static struct conn *conn_of(struct http *h, struct evhttp_connection *evcon)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
	struct conn *c;

	LIST_FOREACH(c, &h->conns, link)
	{
		if (c->bev != bev)
			continue;
		if (!conn_attach(c) || c->evcon != evcon)
			return NULL;
		return c;
	}
	return NULL;
}

/* Follows req until it is answered or abandoned: the access log line,
 * the metrics, and the count a graceful shutdown waits for. evhttp
 * answers one request per connection at a time, so the connection's
 * close callback belongs to this request until on_complete clears it. */
static void track(struct http *h, struct evhttp_request *req, const char *route)
{
	struct reqctx *ctx = malloc(sizeof(*ctx));

	if (h->draining)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Connection", "close");
	if (ctx == NULL)
		return;
	ctx->h = h;
	ctx->conn = conn_of(h, evhttp_request_get_connection(req));
	httpstats_begin(&ctx->stats, req, route);
	h->in_flight++;
	evhttp_request_set_on_complete_cb(req, on_complete, ctx);
	if (ctx->conn != NULL)
		ctx->conn->req = ctx;
	else
		evhttp_connection_set_closecb(
		    evhttp_request_get_connection(req), on_close, ctx);
}

/* false for a path with a "." or ".." segment (also spelled %2e), an
 * encoded slash, backslash or NUL, or a backslash: no route takes one,
 * and none may ever be mistaken for a file name. */
static bool path_is_clean(const char *path)
{
	const char *p = path;

	while (*p != '\0') {
		size_t dots = 0, len = 0;

		while (*p == '/')
			p++;
		while (*p != '\0' && *p != '/') {
			if (*p == '\\')
				return false;
			if (*p == '%') {
				if (strncasecmp(p, "%2f", 3) == 0 ||
				    strncasecmp(p, "%5c", 3) == 0 ||
				    strncmp(p, "%00", 3) == 0)
					return false;
				if (strncasecmp(p, "%2e", 3) == 0) {
					dots++;
					len++;
					p += 3;
					continue;
				}
			}
			if (*p == '.')
				dots++;
			len++;
			p++;
		}
		if (len > 0 && dots == len && len <= 2)
			return false;
	}
	return true;
}

static void dispatch(struct evhttp_request *req, void *arg)
{
	struct http *h = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	struct conn *c = conn_of(h, evhttp_request_get_connection(req));
	char msg[128];

	/* The request arrived whole: its deadline is met. */
	if (c != NULL) {
		c->armed = true;
		evtimer_del(c->timer);
	}

	if (path == NULL || path[0] == '\0')
		path = "/";
	if (!path_is_clean(path)) {
		track(h, req, "other");
		http_send_text(req, HTTP_NOTFOUND, "Not Found", "not found");
		return;
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *r = &routes[i];

		if (!route_matches(r, path))
			continue;
		track(h, req, r->path);
		if ((r->methods & cmd) == 0) {
			evhttp_add_header(
			    evhttp_request_get_output_headers(req), "Allow",
			    r->allow);
			snprintf(msg, sizeof(msg), "method not allowed: use %s",
			    r->allow);
			http_send_text(req, 405, "Method Not Allowed", msg);
			return;
		}
		r->fn(h->app, req, path);
		return;
	}
	track(h, req, "other");
	http_send_text(req, HTTP_NOTFOUND, "Not Found", "not found");
}

/* CAP_HTTP_CONNECTIONS, after raising the descriptor limit so that it
 * fits (an accept failing for want of descriptors would be retried in a
 * busy loop); less when the hard limit is too low. */
static int conn_cap(void)
{
	struct rlimit rl;
	rlim_t want = CAP_HTTP_CONNECTIONS + CAP_HTTP_FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return CAP_HTTP_CONNECTIONS;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
		                  ? want
		                  : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		long n = (long)rl.rlim_cur - CAP_HTTP_FD_RESERVE;

		return n < 16 ? 16 : (int)n;
	}
	return CAP_HTTP_CONNECTIONS;
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
	evhttp_set_bevcb(h->ev, conn_new, h);
	LIST_INIT(&h->conns);
	h->max_conns = conn_cap();
	httpstats_init();
	if (config_split_listen(app->cfg->listen, &host, &port) != 0) {
		pw_error_set(
		    err, "http: bad listen address %s", app->cfg->listen);
		goto fail;
	}
	bound = evhttp_bind_socket_with_handle(h->ev, host, (ev_uint16_t)port);
	h->bound = bound;
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
	/* Closing the connections finishes (as aborted) whatever is still
	 * in flight; nothing may be called back after this. */
	h->drained = NULL;
	if (h->ev != NULL)
		evhttp_free(h->ev);
	/* evhttp_free closed every attached connection (conn_closed ran);
	 * what is left was accepted but never attached. */
	while (!LIST_EMPTY(&h->conns))
		conn_gone(LIST_FIRST(&h->conns));
	if (h->drain_timer != NULL)
		event_free(h->drain_timer);
	free(h);
}

static void drain_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct http *h = arg;
	char n[24];

	snprintf(n, sizeof(n), "%d", h->in_flight);
	log_event(LOG_WARN, "shutdown: responses still being written are cut",
	    "in_flight", n, LOG_END);
	drain_done(h);
}

void http_shutdown(struct http *h, void (*drained)(void *arg), void *arg)
{
	struct timeval tv = {CAP_SHUTDOWN_DRAIN_MS / 1000,
	    (CAP_SHUTDOWN_DRAIN_MS % 1000) * 1000};

	if (h->bound != NULL) {
		evhttp_del_accept_socket(h->ev, h->bound);
		h->bound = NULL;
	}
	h->draining = true;
	h->drained = drained;
	h->drained_arg = arg;
	if (h->in_flight == 0) {
		drain_done(h);
		return;
	}
	if (h->drain_timer == NULL)
		h->drain_timer = evtimer_new(h->app->base, drain_timeout, h);
	if (h->drain_timer == NULL || evtimer_add(h->drain_timer, &tv) != 0)
		drain_done(h);
}
