/*
 * adminapi.c: /api/subscriptions, webhook subscriptions managed at run
 * time, behind a bearer token.
 *
 *   POST   /api/subscriptions              create (201, secret shown once)
 *   GET    /api/subscriptions              list
 *   GET    /api/subscriptions/{id}         one, with delivery counters,
 *                                          the last error and the dead
 *                                          deliveries
 *   DELETE /api/subscriptions/{id}         delete (204)
 *   POST   /api/subscriptions/{id}/replay  queue its dead deliveries again
 *
 * Without a configured token the whole API answers 404, as if it did not
 * exist; a missing or wrong token is a 401. The token is compared in
 * constant time (CRYPTO_memcmp over SHA-256 digests, so not even its
 * length leaks). Answers are JSON; errors are {"error": "<field>:
 * <message>", "field": "<field>"}. Request bodies are capped by the
 * server (CAP_HTTP_BODY_BYTES, 413 beyond).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "caps.h"
#include "http.h"
#include "log.h"
#include "push.h"
#include "push_sign.h"
#include "timefmt.h"

#define API_PREFIX "/api/subscriptions"
#define ID_MAX 64

/* Sends a JSON answer (stolen); HEAD gets the headers only. */
static void send_json(
    struct evhttp_request *req, int code, const char *reason, json_t *o)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	char *text = o != NULL
	                 ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
	                 : NULL;
	struct evbuffer *b;

	json_decref(o);
	if (text == NULL) {
		http_send_text(
		    req, 500, "Internal Server Error", "out of memory");
		return;
	}
	evhttp_add_header(
	    out, "Content-Type", "application/json; charset=utf-8");
	evhttp_add_header(out, "Cache-Control", "no-store");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	b = evbuffer_new();
	if (b != NULL && evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		evbuffer_add(b, text, strlen(text));
		evbuffer_add(b, "\n", 1);
	}
	evhttp_send_reply(req, code, reason, b);
	if (b != NULL)
		evbuffer_free(b);
	free(text);
}

/* {"error": msg, "field": the part of msg before ": "}. */
static void send_error(
    struct evhttp_request *req, int code, const char *reason, const char *msg)
{
	json_t *o = json_object();
	const char *colon = strstr(msg, ": ");

	json_object_set_new(o, "error", json_string(msg));
	if (colon != NULL)
		json_object_set_new(
		    o, "field", json_stringn(msg, (size_t)(colon - msg)));
	send_json(req, code, reason, o);
}

static void not_allowed(struct evhttp_request *req, const char *allow)
{
	char msg[96];

	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "Allow", allow);
	snprintf(msg, sizeof(msg), "method: use %s", allow);
	send_error(req, 405, "Method Not Allowed", msg);
}

/* true when the request carries "Authorization: Bearer <token>". */
static bool authorized(struct evhttp_request *req, const char *token)
{
	const char *h = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization");
	unsigned char want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
	unsigned int n1 = 0, n2 = 0;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	while (*h == ' ')
		h++;
	if (EVP_Digest(token, strlen(token), want, &n1, EVP_sha256(), NULL) !=
	        1 ||
	    EVP_Digest(h, strlen(h), got, &n2, EVP_sha256(), NULL) != 1 ||
	    n1 != n2)
		return false;
	return CRYPTO_memcmp(want, got, n1) == 0;
}

static void list(struct app *app, struct evhttp_request *req)
{
	struct sub *v = NULL;
	size_t n = 0;
	struct pw_error err;
	json_t *o = json_object(), *arr = json_array();

	json_object_set_new(o, "subscriptions", arr);
	if (store_push_sub_list(push_store(app->push), &v, &n, &err) != 0) {
		json_decref(o);
		log_event(LOG_ERROR, "cannot list subscriptions", "error",
		    err.msg, LOG_END);
		send_error(req, 500, "Internal Server Error", "internal error");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(arr, subs_to_json(&v[i], false));
		subs_clear(&v[i]);
	}
	free(v);
	send_json(req, 200, "OK", o);
}

/* Keeps the first problem subs_parse reports. */
static void first_problem(void *arg, const char *msg)
{
	char *first = arg;

	if (first[0] == '\0')
		snprintf(first, PW_ERROR_BYTES, "%s", msg);
}

static void create(struct app *app, struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	char problem[PW_ERROR_BYTES] = "", secret[PUSH_SIGN_SECRET_BYTES],
	     hex[32], id[SUBS_ID_BYTES], host[256];
	struct pw_error err;
	json_error_t jerr;
	json_t *body;
	struct sub s;

	subs_init(&s);
	body = json_loadb((const char *)evbuffer_pullup(in, (ssize_t)len), len,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (body == NULL) {
		snprintf(problem, sizeof(problem),
		    "(body): not JSON: line %d column %d: %s", jerr.line,
		    jerr.column, jerr.text);
		send_error(req, 400, "Bad Request", problem);
		return;
	}
	if (subs_parse(&s, body, app->cfg, first_problem, problem) != 0) {
		send_error(req, 400, "Bad Request", problem);
		goto out;
	}
	if (store_push_sub_count(push_store(app->push)) >=
	    CAP_PUSH_SUBSCRIPTIONS) {
		send_error(req, 409, "Conflict",
		    "(body): too many subscriptions; delete some first");
		goto out;
	}
	if (push_sign_random_hex(hex, 12, &err) != 0 ||
	    (s.secret == NULL && (push_sign_secret_new(secret, &err) != 0 ||
	                             (s.secret = strdup(secret)) == NULL))) {
		send_error(req, 500, "Internal Server Error", "internal error");
		goto out;
	}
	snprintf(id, sizeof(id), "sub_%s", hex);
	s.id = strdup(id);
	s.origin = SUBS_ORIGIN_API;
	s.created_at = (int64_t)time(NULL);
	if (s.id == NULL || push_sub_add(app->push, &s, &err) != 0) {
		log_event(LOG_ERROR, "cannot create a subscription", "error",
		    s.id != NULL ? err.msg : "out of memory", LOG_END);
		send_error(req, 500, "Internal Server Error", "internal error");
		goto out;
	}
	{
		const char *h = strstr(s.url, "://");
		size_t hn = h != NULL ? strcspn(h + 3, "/:?#") : 0;

		snprintf(host, sizeof(host), "%.*s", (int)hn,
		    h != NULL ? h + 3 : "");
	}
	log_event(LOG_INFO, "subscription created", "id", s.id, "host", host,
	    "format", push_format_name(s.format), LOG_END);
	snprintf(problem, sizeof(problem), API_PREFIX "/%s", s.id);
	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "Location", problem);
	send_json(req, 201, "Created", subs_to_json(&s, true));
out:
	json_decref(body);
	subs_clear(&s);
}

static json_t *time_or_null(int64_t t)
{
	char b[TIMEFMT_BYTES];

	return t > 0 ? json_string(timefmt_rfc3339(t, b)) : json_null();
}

static void show(struct app *app, struct evhttp_request *req, const char *id)
{
	struct store_push *sp = push_store(app->push);
	struct sub_stats st = {0};
	struct pw_error err;
	struct sub s;
	json_t *o = NULL, *q, *dead = NULL;
	bool found;

	subs_init(&s);
	if (store_push_sub_get(sp, id, &s, &found, &err) != 0 ||
	    (found && (store_push_sub_stats(sp, id, &st, &err) != 0 ||
	                  (dead = store_push_queue_dead_json(sp, id, &err)) ==
	                      NULL))) {
		log_event(LOG_ERROR, "cannot load a subscription", "error",
		    err.msg, LOG_END);
		send_error(req, 500, "Internal Server Error", "internal error");
		goto out;
	}
	if (!found) {
		send_error(req, 404, "Not Found", "id: no such subscription");
		goto out;
	}
	o = subs_to_json(&s, false);
	q = json_object();
	json_object_set_new(o, "deliveries", q);
	json_object_set_new(q, "pending", json_integer(st.pending));
	json_object_set_new(q, "done", json_integer(st.done));
	json_object_set_new(q, "dead", json_integer(st.dead));
	json_object_set_new(q, "delivered", json_integer(st.delivered));
	json_object_set_new(q, "failed_attempts", json_integer(st.failures));
	json_object_set_new(
	    o, "last_attempt_at", time_or_null(st.last_attempt_at));
	json_object_set_new(
	    o, "last_success_at", time_or_null(st.last_success_at));
	json_object_set_new(o, "last_status", json_integer(st.last_status));
	json_object_set_new(o, "last_error",
	    st.last_error != NULL ? json_string(st.last_error) : json_null());
	json_object_set_new(o, "dead_deliveries", dead);
	dead = NULL;
	send_json(req, 200, "OK", o);
out:
	json_decref(dead);
	sub_stats_clear(&st);
	subs_clear(&s);
}

static void delete (struct app *app, struct evhttp_request *req, const char *id)
{
	struct pw_error err;
	struct sub s;
	bool found;

	subs_init(&s);
	if (store_push_sub_get(push_store(app->push), id, &s, &found, &err) !=
	        0 ||
	    (found && strcmp(s.origin, SUBS_ORIGIN_CONFIG) != 0 &&
	        push_sub_delete(app->push, id, &found, &err) != 0)) {
		log_event(LOG_ERROR, "cannot delete a subscription", "error",
		    err.msg, LOG_END);
		send_error(req, 500, "Internal Server Error", "internal error");
	} else if (!found) {
		send_error(req, 404, "Not Found", "id: no such subscription");
	} else if (strcmp(s.origin, SUBS_ORIGIN_CONFIG) == 0) {
		send_error(req, 409, "Conflict",
		    "id: declared in the configuration file; remove it there");
	} else {
		log_event(LOG_INFO, "subscription deleted", "id", id, LOG_END);
		evhttp_send_reply(req, 204, "No Content", NULL);
	}
	subs_clear(&s);
}

static void replay(struct app *app, struct evhttp_request *req, const char *id)
{
	struct pw_error err;
	struct sub s;
	bool found;
	int64_t n = 0;
	json_t *o;

	subs_init(&s);
	if (store_push_sub_get(push_store(app->push), id, &s, &found, &err) !=
	        0 ||
	    (found && push_sub_replay(app->push, id, &n, &err) != 0)) {
		log_event(LOG_ERROR, "cannot replay deliveries", "error",
		    err.msg, LOG_END);
		send_error(req, 500, "Internal Server Error", "internal error");
	} else if (!found) {
		send_error(req, 404, "Not Found", "id: no such subscription");
	} else {
		char count[24];

		snprintf(count, sizeof(count), "%lld", (long long)n);
		log_event(LOG_INFO, "dead deliveries replayed", "id", id,
		    "count", count, LOG_END);
		o = json_object();
		json_object_set_new(o, "id", json_string(id));
		json_object_set_new(o, "replayed", json_integer(n));
		send_json(req, 200, "OK", o);
	}
	subs_clear(&s);
}

/* Copies the {id} of "/{id}" or "/{id}/replay" into id; *is_replay tells
 * which. false when rest is neither (or the id is not one we make). */
static bool parse_item(const char *rest, char id[ID_MAX + 1], bool *is_replay)
{
	size_t n = strspn(rest, "abcdefghijklmnopqrstuvwxyz0123456789_");

	if (n == 0 || n > ID_MAX)
		return false;
	memcpy(id, rest, n);
	id[n] = '\0';
	*is_replay = strcmp(rest + n, "/replay") == 0;
	return rest[n] == '\0' || *is_replay;
}

void adminapi_handle(
    struct app *app, struct evhttp_request *req, const char *path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const char *token = app->cfg->admin_token;
	char id[ID_MAX + 1];
	bool is_replay;

	if (token == NULL || app->push == NULL) {
		http_send_text(req, HTTP_NOTFOUND, "Not Found", "not found");
		return;
	}
	if (!authorized(req, token)) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "WWW-Authenticate", "Bearer realm=\"paperwire\"");
		send_error(req, 401, "Unauthorized",
		    "Authorization: a valid bearer token is required");
		return;
	}
	if (strcmp(path, API_PREFIX) == 0 ||
	    strcmp(path, API_PREFIX "/") == 0) {
		if (cmd == EVHTTP_REQ_GET || cmd == EVHTTP_REQ_HEAD)
			list(app, req);
		else if (cmd == EVHTTP_REQ_POST)
			create(app, req);
		else
			not_allowed(req, "GET, HEAD, POST");
		return;
	}
	if (!parse_item(path + strlen(API_PREFIX "/"), id, &is_replay)) {
		send_error(req, 404, "Not Found", "id: no such subscription");
		return;
	}
	if (is_replay) {
		if (cmd == EVHTTP_REQ_POST)
			replay(app, req, id);
		else
			not_allowed(req, "POST");
	} else if (cmd == EVHTTP_REQ_GET || cmd == EVHTTP_REQ_HEAD) {
		show(app, req, id);
	} else if (cmd == EVHTTP_REQ_DELETE) {
		delete (app, req, id);
	} else {
		not_allowed(req, "GET, HEAD, DELETE");
	}
}
