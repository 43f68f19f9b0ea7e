/*
 * http.h: the evhttp server, its router and the response helpers the
 * routes share.
 *
 * Routes live in the routes[] table of http.c, one handler per file:
 * /feed.{rss,atom,json} and /feeds/{name}.{ext} (feedroute.c), / (page.c),
 * /opml (opml.c), /readyz and /metrics (opsroute.c), /healthz (here).
 * Anything else is a 404; a method the route does not take is a 405 with
 * an Allow header. Every request gets an access log line and its metrics
 * (httpstats.h). A path with a dot segment (also %2e) or an encoded slash,
 * backslash or NUL is a 404 before routing. At most CAP_HTTP_CONNECTIONS
 * client connections are open at once (one over is closed), and a request
 * line and headers must arrive whole within CAP_HTTP_REQUEST_SECONDS.
 *
 * Ownership: struct http is new from http_new, freed by http_free (which
 * closes the listener and every connection). It borrows the app.
 */
#ifndef PAPERWIRE_HTTP_H
#define PAPERWIRE_HTTP_H

#include <event2/http.h>

#include "app.h"
#include "error.h"
#include "respcache.h"

struct http;

/* Binds app->cfg->listen. NULL with err set when it cannot. */
struct http *http_new(struct app *app, struct pw_error *err);
void http_free(struct http *h);

/* A short text/plain answer ("bad request: limit: ..."). */
void http_send_text(
    struct evhttp_request *req, int code, const char *reason, const char *text);

/* Sends a cached response, honouring HEAD, If-None-Match,
 * If-Modified-Since and Accept-Encoding: gzip. Takes its own reference. */
void http_send_cached(
    struct evhttp_request *req, struct cached *c, const char *link_header);

/* A route handler: path is the request's path (decoded by nothing). */
typedef void (*http_route_fn)(
    struct app *app, struct evhttp_request *req, const char *path);

/* feedroute.c: /feed.{ext} and /feeds/{name}.{ext}. */
void feedroute_handle(
    struct app *app, struct evhttp_request *req, const char *path);
/* adminapi.c: /api/subscriptions (webhook subscriptions, bearer token). */
void adminapi_handle(
    struct app *app, struct evhttp_request *req, const char *path);
/* websub.c: /websub, the built-in WebSub hub. */
void websub_handle(
    struct app *app, struct evhttp_request *req, const char *path);
/* page.c: the front page. */
void page_index(struct app *app, struct evhttp_request *req, const char *path);
/* opml.c: /opml, every configured feed as OPML 2.0. */
void opml_handle(struct app *app, struct evhttp_request *req, const char *path);
/* opsroute.c: /readyz and /metrics. */
void opsroute_readyz(
    struct app *app, struct evhttp_request *req, const char *path);
void opsroute_metrics(
    struct app *app, struct evhttp_request *req, const char *path);

/*
 * Graceful stop (SIGTERM): stops accepting connections, answers requests
 * still arriving on open ones with "Connection: close", and calls
 * drained(arg) once every request in flight has been written, or after
 * CAP_SHUTDOWN_DRAIN_MS at the latest. Call http_free afterwards.
 */
void http_shutdown(struct http *h, void (*drained)(void *arg), void *arg);

#endif
