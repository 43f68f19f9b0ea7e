/*
 * websub.c: the built-in WebSub hub: subscription requests, their
 * verification of intent, and leases (see websub.h). Distribution is the
 * matcher's and the sender's job.
 *
 * A request being verified lives only in memory: if paperwire stops
 * before the callback answered, nothing was promised yet (the request
 * was only accepted), and the subscriber asks again as WebSub expects.
 */
#include "websub.h"
#include "urlq.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include "caps.h"
#include "feedroute.h"
#include "http.h"
#include "log.h"
#include "push.h"
#include "push_sign.h"

/* The random challenge: 16 bytes as 32 hex digits. */
#define CHALLENGE_RAW 16
/* What a callback may answer to a verification before it is cut. */
#define VERIFY_BODY_BYTES 1024

enum mode { MODE_SUBSCRIBE, MODE_UNSUBSCRIBE };

struct pending {
	struct websub *w;
	enum mode mode;
	char *callback, *topic, *secret;
	int64_t lease;
	char challenge[2 * CHALLENGE_RAW + 1];
	struct pending *prev, *next;
};

struct websub {
	struct app *app;
	struct pending *pending;
	size_t n_pending;
};

struct websub *websub_new(struct app *app, struct pw_error *err)
{
	struct websub *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		pw_error_set(err, "websub: out of memory");
		return NULL;
	}
	w->app = app;
	return w;
}

static void pending_free(struct pending *pv)
{
	struct websub *w = pv->w;

	if (pv->prev != NULL)
		pv->prev->next = pv->next;
	else
		w->pending = pv->next;
	if (pv->next != NULL)
		pv->next->prev = pv->prev;
	w->n_pending--;
	free(pv->callback);
	free(pv->topic);
	free(pv->secret);
	free(pv);
}

void websub_free(struct websub *w)
{
	if (w == NULL)
		return;
	while (w->pending != NULL)
		pending_free(w->pending);
	free(w);
}

/* The host of a URL for logs (never the whole URL: it may hold a
 * token). */
static void host_of(const char *url, char *out, size_t len)
{
	const char *h = strstr(url, "://");
	size_t n = h != NULL ? strcspn(h + 3, "/:?#") : 0;

	snprintf(out, len, "%.*s", (int)n, h != NULL ? h + 3 : "");
}

static void on_verified(const struct fetch_result *res, void *arg)
{
	struct pending *pv = arg;
	struct websub *w = pv->w;
	struct app *app = w->app;
	const char *mode =
	    pv->mode == MODE_SUBSCRIBE ? "subscribe" : "unsubscribe";
	size_t clen = strlen(pv->challenge);
	char host[256], status[24];
	struct pw_error err;
	int rc;

	host_of(pv->callback, host, sizeof(host));
	snprintf(status, sizeof(status), "%ld", res->status);
	if (res->status < 200 || res->status > 299 || res->body.len != clen ||
	    memcmp(res->body.data, pv->challenge, clen) != 0) {
		log_event(LOG_INFO, "WebSub intent not verified", "mode", mode,
		    "callback_host", host, "topic", pv->topic, "status", status,
		    "error",
		    res->error != NULL ? res->error
		                       : "the answer is not the challenge",
		    LOG_END);
		pending_free(pv);
		return;
	}
	if (pv->mode == MODE_SUBSCRIBE) {
		struct websub_sub ws;
		char hex[25], id[32];
		int64_t now = (int64_t)time(NULL);

		memset(&ws, 0, sizeof(ws));
		if (push_sign_random_hex(hex, 12, &err) != 0) {
			rc = -1;
		} else {
			snprintf(id, sizeof(id), "ws_%s", hex);
			ws.id = strdup(id);
			ws.callback = pv->callback;
			ws.topic = pv->topic;
			ws.secret = pv->secret;
			ws.lease_seconds = pv->lease;
			ws.lease_expires = now + pv->lease;
			ws.created_at = now;
			rc = ws.id != NULL
			         ? push_websub_activate(app->push, &ws, &err)
			         : pw_error_set(&err, "out of memory");
			free(ws.id);
		}
	} else {
		rc = push_websub_remove(
		    app->push, pv->callback, pv->topic, &err);
	}
	if (rc != 0)
		log_event(LOG_ERROR, "cannot save a WebSub subscription",
		    "error", err.msg, LOG_END);
	else
		log_event(LOG_INFO, "WebSub intent verified", "mode", mode,
		    "callback_host", host, "topic", pv->topic, LOG_END);
	pending_free(pv);
}

/* Sends the verification GET of pv. 0 or -1. */
static int verify(struct pending *pv, struct pw_error *err)
{
	CURLU *u = curl_url();
	char *url = NULL, lease[24];
	struct fetch_request req;
	int rc = -1;

	snprintf(lease, sizeof(lease), "%lld", (long long)pv->lease);
	if (u == NULL ||
	    curl_url_set(u, CURLUPART_URL, pv->callback, 0) != CURLUE_OK ||
	    urlq_append(u, "hub.mode",
	        pv->mode == MODE_SUBSCRIBE ? "subscribe" : "unsubscribe") ||
	    urlq_append(u, "hub.topic", pv->topic) ||
	    urlq_append(u, "hub.challenge", pv->challenge) ||
	    (pv->mode == MODE_SUBSCRIBE &&
	        urlq_append(u, "hub.lease_seconds", lease)) ||
	    curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
		pw_error_set(err, "cannot build the verification URL");
		goto out;
	}
	memset(&req, 0, sizeof(req));
	req.url = url;
	req.max_bytes = VERIFY_BODY_BYTES;
	req.timeout_ms = (long)pv->w->app->cfg->delivery.timeout_ms;
	req.no_redirects = true;
	req.guard = push_guard(pv->w->app->push);
	rc = fetch_start(pv->w->app->fetch, &req, on_verified, pv, err);
out:
	curl_free(url);
	curl_url_cleanup(u);
	return rc;
}

/* 0 when url is an absolute http(s) URL within the length cap. */
static int check_callback(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = -1;

	if (u != NULL && strlen(url) <= CAP_PUSH_URL_BYTES &&
	    curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0))
		rc = 0;
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

/* The granted lease for a requested one ("" or NULL: the default). */
static int lease_of(const struct websub_cfg *c, const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || s[0] == '\0') {
		*out = c->lease_seconds;
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		return -1;
	*out = v < c->min_lease_seconds   ? c->min_lease_seconds
	       : v > c->max_lease_seconds ? c->max_lease_seconds
	                                  : v;
	return 0;
}

/* 0 when topic is a feed this server serves; else -1 with err. */
static int check_topic(struct app *app, const char *topic, struct pw_error *err)
{
	const struct render_ops *ops;
	const struct feed_cfg *feed;
	char *path = NULL, *query = NULL;
	struct filter f;
	int status, rc;

	if (strlen(topic) > CAP_PUSH_URL_BYTES + CAP_QUERY_BYTES ||
	    push_topic_split(app->cfg->base_url, topic, &path, &query) != 0)
		return pw_error_set(err, "hub.topic: not a feed of this hub "
		                         "(use a feed's rel=\"self\" URL)");
	filter_init(&f);
	rc = feedroute_resolve(app, path, query, &f, &ops, &feed, &status, err);
	if (rc != 0)
		pw_error_prefix(err, "hub.topic");
	filter_free(&f);
	free(path);
	free(query);
	return rc;
}

static void bad(struct evhttp_request *req, const char *msg)
{
	char text[PW_ERROR_BYTES + 32];

	snprintf(text, sizeof(text), "bad request: %s", msg);
	http_send_text(req, 400, "Bad Request", text);
}

/* Validates a request into a new pending verification; NULL when it
 * answered the request itself (400, or 500 on out of memory). */
static struct pending *parse(
    struct app *app, struct evhttp_request *req, struct evkeyvalq *q)
{
	const char *mode = evhttp_find_header(q, "hub.mode");
	const char *callback = evhttp_find_header(q, "hub.callback");
	const char *topic = evhttp_find_header(q, "hub.topic");
	const char *secret = evhttp_find_header(q, "hub.secret");
	struct pending *pv;
	struct pw_error err;
	int64_t lease;

	if (mode == NULL || (strcmp(mode, "subscribe") != 0 &&
	                        strcmp(mode, "unsubscribe") != 0)) {
		bad(req, "hub.mode: expected subscribe or unsubscribe");
		return NULL;
	}
	if (callback == NULL || check_callback(callback) != 0) {
		bad(req, "hub.callback: expected an absolute http(s) URL");
		return NULL;
	}
	if (topic == NULL) {
		bad(req, "hub.topic: required");
		return NULL;
	}
	if (check_topic(app, topic, &err) != 0) {
		bad(req, err.msg);
		return NULL;
	}
	if (lease_of(&app->cfg->websub,
	        evhttp_find_header(q, "hub.lease_seconds"), &lease) != 0) {
		bad(req, "hub.lease_seconds: expected a positive integer");
		return NULL;
	}
	if (strcmp(mode, "subscribe") == 0 &&
	    store_push_websub_count(push_store(app->push),
	        (int64_t)time(NULL)) >= CAP_WEBSUB_SUBSCRIPTIONS) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", "3600");
		http_send_text(req, 503, "Service Unavailable",
		    "this hub has as many subscriptions as it takes");
		return NULL;
	}
	if (secret != NULL &&
	    (secret[0] == '\0' || strlen(secret) > CAP_WEBSUB_SECRET_BYTES)) {
		bad(req, "hub.secret: expected 1 to 199 bytes");
		return NULL;
	}
	pv = calloc(1, sizeof(*pv));
	if (pv == NULL) {
		http_send_text(
		    req, 500, "Internal Server Error", "out of memory");
		return NULL;
	}
	pv->mode =
	    strcmp(mode, "subscribe") == 0 ? MODE_SUBSCRIBE : MODE_UNSUBSCRIBE;
	pv->lease = lease;
	pv->callback = strdup(callback);
	pv->topic = strdup(topic);
	pv->secret = secret != NULL ? strdup(secret) : NULL;
	if (pv->callback == NULL || pv->topic == NULL ||
	    (secret != NULL && pv->secret == NULL) ||
	    push_sign_random_hex(pv->challenge, CHALLENGE_RAW, &err) != 0) {
		free(pv->callback);
		free(pv->topic);
		free(pv->secret);
		free(pv);
		http_send_text(
		    req, 500, "Internal Server Error", "out of memory");
		return NULL;
	}
	return pv;
}

void websub_handle(
    struct app *app, struct evhttp_request *req, const char *path)
{
	struct websub *w = app->websub;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	struct evkeyvalq q;
	struct pending *pv;
	struct pw_error err;
	char *body;

	if (w == NULL || app->push == NULL ||
	    app->cfg->websub.mode != WEBSUB_BUILTIN) {
		http_send_text(req, HTTP_NOTFOUND, "Not Found", "not found");
		return;
	}
	if (w->n_pending >= CAP_WEBSUB_PENDING) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", "10");
		http_send_text(req, 503, "Service Unavailable",
		    "too many verifications in progress; try again later");
		return;
	}
	body = malloc(len + 1);
	if (body == NULL) {
		http_send_text(
		    req, 500, "Internal Server Error", "out of memory");
		return;
	}
	evbuffer_copyout(in, body, len);
	body[len] = '\0';
	TAILQ_INIT(&q);
	if (strlen(body) != len || evhttp_parse_query_str(body, &q) != 0) {
		free(body);
		evhttp_clear_headers(&q);
		bad(req, "(body): expected application/x-www-form-urlencoded "
		         "parameters");
		return;
	}
	free(body);
	pv = parse(app, req, &q);
	evhttp_clear_headers(&q);
	if (pv == NULL)
		return; /* parse answered */
	pv->w = w;
	pv->next = w->pending;
	if (w->pending != NULL)
		w->pending->prev = pv;
	w->pending = pv;
	w->n_pending++;
	if (verify(pv, &err) != 0) {
		log_event(LOG_ERROR, "cannot start a WebSub verification",
		    "error", err.msg, LOG_END);
		pending_free(pv);
		http_send_text(
		    req, 500, "Internal Server Error", "internal error");
		return;
	}
	http_send_text(req, 202, "Accepted",
	    "accepted: the callback will be asked to confirm");
}
