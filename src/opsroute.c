/*
 * opsroute.c: the operator's endpoints besides /healthz: /readyz (may
 * this instance take traffic?) and /metrics (Prometheus text format).
 *
 * /healthz stays the liveness answer: the loop runs. /readyz is 200 once
 * the database answers and at least one poll has ended (succeeded or
 * failed cleanly; a configuration without enabled sources is ready at
 * once), else 503: a load balancer then holds traffic back from an
 * instance that would serve empty feeds.
 */
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include "caps.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "store_stats.h"

static struct metrics_family m_build = {
    .type = METRICS_GAUGE,
    .name = "paperwire_build_info",
    .help = "Always 1; the version is in the label.",
    .labels = {"version"},
};
static struct metrics_family m_start = {
    .type = METRICS_GAUGE,
    .name = "paperwire_start_time_seconds",
    .help = "Unix time the process started.",
};
static struct metrics_family m_ready = {
    .type = METRICS_GAUGE,
    .name = "paperwire_ready",
    .help = "1 when /readyz answers 200, else 0.",
};
static struct metrics_family m_entries = {
    .type = METRICS_GAUGE,
    .name = "paperwire_store_entries",
    .help = "Entries in the store.",
};
static struct metrics_family m_db_bytes = {
    .type = METRICS_GAUGE,
    .name = "paperwire_store_database_bytes",
    .help = "Size of the SQLite database (pages times page size).",
};
static struct metrics_family m_wal_bytes = {
    .type = METRICS_GAUGE,
    .name = "paperwire_store_wal_bytes",
    .help = "Size of the SQLite write-ahead log file.",
};
static struct metrics_family m_cache = {
    .type = METRICS_GAUGE,
    .name = "paperwire_response_cache_entries",
    .help = "Rendered responses held in the memory cache.",
};

/* NULL when ready, else why not. */
static const char *not_ready(struct app *app)
{
	if (app->store == NULL || store_count(app->store, NULL) < 0)
		return "the database does not answer";
	if (app->poller == NULL || !poller_ready(app->poller))
		return "no poll has ended yet";
	return NULL;
}

void opsroute_readyz(
    struct app *app, struct evhttp_request *req, const char *path)
{
	const char *why = not_ready(app);
	char msg[128];

	if (why == NULL) {
		http_send_text(req, 200, "OK", "ready");
		return;
	}
	snprintf(msg, sizeof(msg), "not ready: %s", why);
	http_send_text(req, 503, "Service Unavailable", msg);
}

/* Sets the gauges that are read rather than kept: the store's size and
 * the like cost a query, so they are taken at scrape time. */
static void collect(struct app *app)
{
	struct store_stats ss;
	struct pw_error err;

	metrics_set(&m_build, METRICS_LABELS(PAPERWIRE_VERSION), 1);
	metrics_set(&m_start, NULL, (double)app->started_at);
	metrics_set(&m_ready, NULL, not_ready(app) == NULL ? 1 : 0);
	metrics_set(&m_cache, NULL, (double)respcache_size(app->cache));
	if (store_stats_get(app->store, &ss, &err) != 0) {
		log_event(LOG_WARN, "cannot read the store's size", "error",
		    err.msg, LOG_END);
		return;
	}
	metrics_set(&m_entries, NULL, (double)ss.entries);
	metrics_set(&m_db_bytes, NULL, (double)ss.database_bytes);
	metrics_set(&m_wal_bytes, NULL, (double)ss.wal_bytes);
}

void opsroute_metrics(
    struct app *app, struct evhttp_request *req, const char *path)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evbuffer *b;
	struct buf text;
	char len[24];

	buf_init(&text, CAP_METRICS_BYTES);
	collect(app);
	if (metrics_render(&text) != 0 || (b = evbuffer_new()) == NULL) {
		buf_free(&text);
		log_event(LOG_ERROR, "cannot render /metrics", LOG_END);
		http_send_text(req, 500, "Internal Server Error",
		    "internal error: see the server log");
		return;
	}
	evhttp_add_header(
	    out, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	evhttp_add_header(out, "Cache-Control", "no-store");
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		snprintf(len, sizeof(len), "%zu", text.len);
		evhttp_add_header(out, "Content-Length", len);
	} else {
		evbuffer_add(b, buf_str(&text), text.len);
	}
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	buf_free(&text);
}
