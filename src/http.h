/*
 * http.h: the evhttp server, its router and the response helpers the
 * routes share.
 *
 * Routes: GET/HEAD /feed.{rss,atom,json}, /feeds/{name}.{rss,atom,json}
 * (feedroute.c), /healthz and / (here). Anything else is a 404; a method
 * other than GET or HEAD on these is a 405 with an Allow header.
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

/* feedroute.c: answers one feed request (name NULL: all entries). */
void feedroute_handle(struct app *app, struct evhttp_request *req,
    const char *name, const char *ext);

#endif
