/*
 * httpstats.h: what each HTTP request cost: its access log line and the
 * HTTP metrics (metrics.h).
 *
 * One log line per request at level info, message "request", fields
 * method, path (the request target with the query; values of parameters
 * that look like credentials, such as token, key, secret or password,
 * replaced by REDACTED; cut at CAP_ACCESSLOG_TARGET_BYTES), status, bytes
 * (body bytes of the response; 0 for HEAD and 304), duration_ms (from
 * dispatch until the last byte was handed to the kernel), route, remote
 * and user_agent. Request headers other than the User-Agent are never
 * logged (so an Authorization header never is). A request whose client
 * went away before its answer was written logs status=0 aborted=true.
 *
 *   paperwire_http_requests_total{route,status}
 *   paperwire_http_response_bytes_total{route}
 *   paperwire_http_request_duration_seconds_total{route}
 *   paperwire_http_responses_not_modified_total{route}   304 answers
 *   paperwire_http_requests_aborted_total{route}
 *   paperwire_http_requests_in_flight
 *   paperwire_http_cache_hits_total{route}, _cache_misses_total{route}
 *
 * route is the route table's pattern ("/feed.", "/feeds/", "/metrics"),
 * or "other" for a path no route takes, so the label's values are few.
 */
#ifndef PAPERWIRE_HTTPSTATS_H
#define PAPERWIRE_HTTPSTATS_H

#include <stdbool.h>
#include <time.h>

#include <event2/http.h>

#include "caps.h"

/* One request being served; filled by httpstats_begin, released by
 * httpstats_end. */
struct httpstats_req {
	const char *route;  /* static */
	const char *method; /* static */
	struct timespec start;
	/* new: the request target, user agent and remote address, each
	 * NUL-terminated, in one block at these offsets; NULL when the
	 * access log is off (a log level above info), so a request then
	 * costs no copy. */
	char *text;
	size_t ua_at, remote_at;
};

/* Registers the families, so /metrics lists them before any request. */
void httpstats_init(void);

/* Notes what the log line needs while req is surely alive. route must
 * be a string with static storage. */
void httpstats_begin(
    struct httpstats_req *r, struct evhttp_request *req, const char *route);

/* The response was written (req, alive during the call) or, with req
 * NULL, the client went away first. Logs, counts and frees r->text. */
void httpstats_end(struct httpstats_req *r, struct evhttp_request *req);

/* A response cache lookup by a route handler. */
void httpstats_cache(const char *route, bool hit);

/* Appends target to out (cap bytes, NUL included) with the values of
 * credential-like query parameters replaced by REDACTED and anything
 * past the cap replaced by "...". Exposed for the unit tests. */
void httpstats_redact(const char *target, char *out, size_t cap);

#endif
