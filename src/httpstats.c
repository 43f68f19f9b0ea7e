/*
 * httpstats.c: the access log line and the HTTP metrics of each request;
 * see httpstats.h.
 */
#include "httpstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "log.h"
#include "metrics.h"

static struct metrics_family m_requests = {
    .type = METRICS_COUNTER,
    .name = "paperwire_http_requests_total",
    .help = "HTTP requests answered, by route and status code.",
    .labels = {"route", "status"},
};
static struct metrics_family m_bytes = {
    .type = METRICS_COUNTER,
    .name = "paperwire_http_response_bytes_total",
    .help = "HTTP response body bytes written, by route.",
    .labels = {"route"},
};
static struct metrics_family m_seconds = {
    .type = METRICS_COUNTER,
    .name = "paperwire_http_request_duration_seconds_total",
    .help = "Time spent answering HTTP requests, by route (divide by "
            "paperwire_http_requests_total for the mean).",
    .labels = {"route"},
};
static struct metrics_family m_not_modified = {
    .type = METRICS_COUNTER,
    .name = "paperwire_http_responses_not_modified_total",
    .help = "HTTP 304 Not Modified answers, by route.",
    .labels = {"route"},
};
static struct metrics_family m_aborted = {
    .type = METRICS_COUNTER,
    .name = "paperwire_http_requests_aborted_total",
    .help = "HTTP requests whose client went away before the answer was "
            "written, by route.",
    .labels = {"route"},
};
static struct metrics_family m_in_flight = {
    .type = METRICS_GAUGE,
    .name = "paperwire_http_requests_in_flight",
    .help = "HTTP requests being answered.",
};
static struct metrics_family m_cache_hits = {
    .type = METRICS_COUNTER,
    .name = "paperwire_http_cache_hits_total",
    .help = "Responses served from the rendered-response cache, by route.",
    .labels = {"route"},
};
static struct metrics_family m_cache_misses = {
    .type = METRICS_COUNTER,
    .name = "paperwire_http_cache_misses_total",
    .help = "Responses rendered because the cache had none, by route.",
    .labels = {"route"},
};

void httpstats_init(void)
{
	static struct metrics_family *const all[] = {&m_requests, &m_bytes,
	    &m_seconds, &m_not_modified, &m_aborted, &m_in_flight,
	    &m_cache_hits, &m_cache_misses};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		metrics_register(all[i]);
}

/* Query parameter names whose values are credentials in common APIs. */
static bool secret_name(const char *name)
{
	static const char *const exact[] = {"key", "apikey", "api_key", "auth",
	    "authorization", "sig", "signature", "code", "pass", "session",
	    "credentials", NULL};
	static const char *const suffix[] = {"token", "secret", "password",
	    "passwd", "_key", ".key", "-key", NULL};
	size_t n = strlen(name);

	for (size_t i = 0; exact[i] != NULL; i++)
		if (strcasecmp(name, exact[i]) == 0)
			return true;
	for (size_t i = 0; suffix[i] != NULL; i++) {
		size_t m = strlen(suffix[i]);

		if (n >= m && strcasecmp(name + n - m, suffix[i]) == 0)
			return true;
	}
	return false;
}

/* A writer into a fixed buffer that ends in "..." when it overflows. */
struct out {
	char *p;
	size_t len, cap; /* cap counts the NUL */
	bool cut;
};

static void put(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n && !o->cut; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o->len + 4 >= o->cap) {
			memcpy(o->p + o->len, "...", 3);
			o->len += 3;
			o->cut = true;
			break;
		}
		/* evhttp refuses such bytes in a request line; be sure. */
		o->p[o->len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	o->p[o->len] = '\0';
}

void httpstats_redact(const char *target, char *buf, size_t cap)
{
	struct out o = {buf, 0, cap, false};
	const char *q = strchr(target, '?'), *p;

	if (cap < 8) {
		if (cap > 0)
			buf[0] = '\0';
		return;
	}
	buf[0] = '\0';
	put(&o, target, q != NULL ? (size_t)(q - target) : strlen(target));
	if (q == NULL)
		return;
	put(&o, "?", 1);
	for (p = q + 1; p != NULL && !o.cut;) {
		const char *amp = strchr(p, '&');
		size_t n = amp != NULL ? (size_t)(amp - p) : strlen(p);
		size_t klen = strcspn(p, "=&");
		char *raw = strndup(p, klen < 256 ? klen : 256);
		char *name =
		    raw != NULL ? evhttp_uridecode(raw, 1, NULL) : NULL;

		if (klen < n && (name == NULL || secret_name(name))) {
			put(&o, p, klen);
			put(&o, "=REDACTED", 9);
		} else {
			put(&o, p, n);
		}
		free(name);
		free(raw);
		if (amp != NULL)
			put(&o, "&", 1);
		p = amp != NULL ? amp + 1 : NULL;
	}
}

static const char *method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	case EVHTTP_REQ_OPTIONS:
		return "OPTIONS";
	default:
		return "OTHER";
	}
}

void httpstats_begin(
    struct httpstats_req *r, struct evhttp_request *req, const char *route)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	const char *uri = evhttp_request_get_uri(req);
	const char *ua = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "User-Agent");
	size_t target_cap = CAP_ACCESSLOG_TARGET_BYTES + 4;
	size_t ua_cap = CAP_ACCESSLOG_UA_BYTES + 4;
	size_t n_uri, n_ua;
	char *addr = NULL;
	ev_uint16_t port = 0;
	struct out o;

	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->route = route;
	r->method = method_name(evhttp_request_get_command(req));
	r->text = NULL;
	metrics_add(&m_in_flight, NULL, 1);
	if (!log_enabled(LOG_INFO))
		return;
	/* One block sized to what it holds: usually a few hundred bytes. */
	uri = uri != NULL ? uri : "";
	ua = ua != NULL ? ua : "";
	/* REDACTED may be longer than the value it replaces. */
	n_uri = strlen(uri) + 8; /* httpstats_redact needs 8 at least */
	for (const char *p = strchr(uri, '='); p != NULL;
	     p = strchr(p + 1, '='))
		n_uri += 8;
	n_ua = strlen(ua) + 4;
	target_cap = n_uri < target_cap ? n_uri : target_cap;
	ua_cap = n_ua < ua_cap ? n_ua : ua_cap;
	r->text = malloc(target_cap + ua_cap + 64);
	if (r->text == NULL)
		return;
	r->ua_at = target_cap;
	r->remote_at = target_cap + ua_cap;
	httpstats_redact(uri, r->text, target_cap);
	o = (struct out){r->text + r->ua_at, 0, ua_cap, false};
	o.p[0] = '\0';
	put(&o, ua, strlen(ua));
	if (evcon != NULL)
		evhttp_connection_get_peer(evcon, &addr, &port);
	snprintf(r->text + r->remote_at, 64, "%s", addr != NULL ? addr : "");
}

/* Body bytes of the response: its Content-Length, but nothing for HEAD
 * and for statuses that carry no body. */
static long long body_bytes(struct evhttp_request *req, int status)
{
	const char *cl = evhttp_find_header(
	    evhttp_request_get_output_headers(req), "Content-Length");
	long long n;
	char *end;

	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD ||
	    status == 304 || status == 204 || (status >= 100 && status < 200) ||
	    cl == NULL)
		return 0;
	n = strtoll(cl, &end, 10);
	return end != cl && *end == '\0' && n > 0 ? n : 0;
}

void httpstats_end(struct httpstats_req *r, struct evhttp_request *req)
{
	struct timespec now;
	int status = req != NULL ? evhttp_request_get_response_code(req) : 0;
	long long bytes = req != NULL ? body_bytes(req, status) : 0;
	const char *target, *ua, *remote;
	double seconds;
	char st[16], n[24], ms[32];

	clock_gettime(CLOCK_MONOTONIC, &now);
	seconds = (double)(now.tv_sec - r->start.tv_sec) +
	          (double)(now.tv_nsec - r->start.tv_nsec) / 1e9;
	snprintf(st, sizeof(st), "%d", status);
	metrics_add(&m_in_flight, NULL, -1);
	metrics_add(&m_seconds, METRICS_LABELS(r->route), seconds);
	if (req == NULL) {
		metrics_add(&m_aborted, METRICS_LABELS(r->route), 1);
	} else {
		metrics_add(&m_requests, METRICS_LABELS(r->route, st), 1);
		metrics_add(&m_bytes, METRICS_LABELS(r->route), (double)bytes);
		if (status == 304)
			metrics_add(
			    &m_not_modified, METRICS_LABELS(r->route), 1);
	}
	if (r->text == NULL)
		return;
	target = r->text;
	ua = r->text + r->ua_at;
	remote = r->text + r->remote_at;
	snprintf(n, sizeof(n), "%lld", bytes);
	snprintf(ms, sizeof(ms), "%.3f", seconds * 1000);
	if (req == NULL)
		log_event(LOG_INFO, "request", "method", r->method, "path",
		    target, "status", st, "bytes", n, "duration_ms", ms,
		    "route", r->route, "remote", remote, "user_agent", ua,
		    "aborted", "true", LOG_END);
	else
		log_event(LOG_INFO, "request", "method", r->method, "path",
		    target, "status", st, "bytes", n, "duration_ms", ms,
		    "route", r->route, "remote", remote, "user_agent", ua,
		    LOG_END);
	free(r->text);
	r->text = NULL;
}

void httpstats_cache(const char *route, bool hit)
{
	metrics_add(
	    hit ? &m_cache_hits : &m_cache_misses, METRICS_LABELS(route), 1);
}
