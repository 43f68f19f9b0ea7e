/*
 * reload.c: SIGHUP, the configuration read again; see reload.h.
 *
 * The order matters: everything that can fail (reading, validating, the
 * hooks' checks, the new poller) happens before anything the running
 * daemon uses changes, and a failure after the switch puts the old
 * configuration back.
 */
#include "reload.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "caps.h"
#include "log.h"
#include "metrics.h"
#include "poller.h"
#include "respcache.h"

#define RELOAD_HOOKS_MAX 8

static struct reload_hook hooks[RELOAD_HOOKS_MAX];
static size_t n_hooks;
static int64_t loaded_at;

static struct metrics_family m_reloads = {
    .type = METRICS_COUNTER,
    .name = "paperwire_config_reloads_total",
    .help = "Configuration reloads (SIGHUP), by result (success, failure).",
    .labels = {"result"},
};
static struct metrics_family m_last_ok = {
    .type = METRICS_GAUGE,
    .name = "paperwire_config_last_reload_successful",
    .help = "1 when the last configuration load succeeded, else 0.",
};
static struct metrics_family m_last_ok_time = {
    .type = METRICS_GAUGE,
    .name = "paperwire_config_last_reload_success_timestamp_seconds",
    .help = "Unix time of the last successful configuration load.",
};

int reload_hook_add(const struct reload_hook *hook)
{
	if (n_hooks >= RELOAD_HOOKS_MAX)
		return -1;
	hooks[n_hooks++] = *hook;
	return 0;
}

int64_t reload_loaded_at(void)
{
	return loaded_at;
}

void reload_init(void)
{
	loaded_at = (int64_t)time(NULL);
	metrics_add(&m_reloads, METRICS_LABELS("success"), 0);
	metrics_add(&m_reloads, METRICS_LABELS("failure"), 0);
	metrics_set(&m_last_ok, NULL, 1);
	metrics_set(&m_last_ok_time, NULL, (double)loaded_at);
}

static void log_errors(const char *origin, const struct config_errors *errs)
{
	for (size_t i = 0; i < errs->msgs.n; i++)
		log_event(LOG_ERROR, "configuration error", "file", origin,
		    "error", errs->msgs.v[i], LOG_END);
}

/* Builds next as start-up does (main.c load_config). 0 or -1. */
static int load(struct config *next, const struct reload_args *args,
    struct config_errors *errs)
{
	int rc = 0;

	if (config_default(next) != 0)
		return -1;
	if (args->config_path != NULL &&
	    config_load_file(next, args->config_path, errs) != 0)
		return -1;
	if (config_apply_env(next, errs) != 0)
		rc = -1;
	if (args->listen != NULL &&
	    config_set_override(next, "listen", args->listen, errs) != 0)
		rc = -1;
	if (args->database != NULL &&
	    config_set_override(next, "database", args->database, errs) != 0)
		rc = -1;
	if (rc == 0 && config_finish(next, errs) != 0)
		rc = -1;
	return rc;
}

/* The running process keeps its socket and database: a new value for
 * either is reported and replaced by the one in force. */
static int keep_deploy_keys(
    struct config *next, const struct config *cur, struct config_errors *errs)
{
	static const char *const keys[] = {"listen", "database"};

	for (size_t i = 0; i < 2; i++) {
		const char *was = i == 0 ? cur->listen : cur->database;
		const char *now = i == 0 ? next->listen : next->database;

		if (strcmp(was, now) == 0)
			continue;
		log_event(LOG_WARN, "configuration change needs a restart",
		    "key", keys[i], "running", was, "configured", now, LOG_END);
		if (config_set_override(next, keys[i], was, errs) != 0)
			return -1;
	}
	return 0;
}

static bool has_source(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->n_sources; i++)
		if (strcmp(c->sources[i].name, name) == 0)
			return true;
	return false;
}

static void log_done(const struct config *old, const struct config *cur)
{
	char sources[24], feeds[24], added[24], removed[24];
	size_t n_added = 0, n_removed = 0;

	for (size_t i = 0; i < cur->n_sources; i++)
		n_added += !has_source(old, cur->sources[i].name);
	for (size_t i = 0; i < old->n_sources; i++)
		n_removed += !has_source(cur, old->sources[i].name);
	snprintf(sources, sizeof(sources), "%zu", cur->n_sources);
	snprintf(feeds, sizeof(feeds), "%zu", cur->n_feeds);
	snprintf(added, sizeof(added), "%zu", n_added);
	snprintf(removed, sizeof(removed), "%zu", n_removed);
	log_event(LOG_INFO, "configuration reloaded", "sources", sources,
	    "sources_added", added, "sources_removed", removed, "feeds", feeds,
	    LOG_END);
}

static int rejected(const char *origin, struct config_errors *errs)
{
	log_errors(origin, errs);
	log_event(LOG_ERROR, "configuration rejected: keeping the running one",
	    "file", origin, LOG_END);
	metrics_add(&m_reloads, METRICS_LABELS("failure"), 1);
	metrics_set(&m_last_ok, NULL, 0);
	return -1;
}

int reload_config(struct app *app, const struct reload_args *args)
{
	const char *origin =
	    args->config_path != NULL ? args->config_path : "(defaults)";
	struct config next, old;
	struct config_errors errs;
	struct respcache *cache;
	struct poller *poller;
	struct pw_error err;
	int rc = -1;

	config_errors_init(&errs);
	log_event(
	    LOG_INFO, "reloading the configuration", "file", origin, LOG_END);
	if (load(&next, args, &errs) != 0 ||
	    keep_deploy_keys(&next, app->cfg, &errs) != 0) {
		if (errs.msgs.n == 0)
			strv_push(&errs.msgs, "out of memory");
		goto reject;
	}
	for (size_t i = 0; i < n_hooks; i++)
		if (hooks[i].check != NULL &&
		    hooks[i].check(hooks[i].arg, app, &next, &errs) != 0)
			goto reject;

	/* The switch: app->cfg keeps its address, so every holder of the
	 * pointer sees the new values; the old ones stay alive in old until
	 * the new poller has taken over from the one that borrows them. */
	old = *app->cfg;
	*app->cfg = next;
	poller = poller_new(app->base, app->cfg, app->store, app->fetch, &err);
	cache = respcache_new(CAP_CACHE_ENTRIES);
	if (poller == NULL || cache == NULL) {
		next = *app->cfg;
		*app->cfg = old;
		poller_free(poller);
		respcache_free(cache);
		strv_push(
		    &errs.msgs, poller == NULL ? err.msg : "out of memory");
		goto reject;
	}
	poller_takeover(poller, app->poller);
	app->poller = poller;
	respcache_free(app->cache);
	app->cache = cache;
	for (size_t i = 0; i < n_hooks; i++)
		if (hooks[i].apply != NULL)
			hooks[i].apply(hooks[i].arg, app, &old);
	log_done(&old, app->cfg);
	config_free(&old);
	metrics_add(&m_reloads, METRICS_LABELS("success"), 1);
	metrics_set(&m_last_ok, NULL, 1);
	loaded_at = (int64_t)time(NULL);
	metrics_set(&m_last_ok_time, NULL, (double)loaded_at);
	config_errors_free(&errs);
	return 0;
reject:
	config_free(&next);
	rc = rejected(origin, &errs);
	config_errors_free(&errs);
	return rc;
}
