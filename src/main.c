/*
 * main.c: command line, start-up order, signals and shutdown.
 *
 * Start-up: configuration (defaults, file, environment, flags), then the
 * store, the fetcher, the poller and the HTTP server on one event_base.
 * SIGINT/SIGTERM stop gracefully: the listener closes, responses being
 * written finish (CAP_SHUTDOWN_DRAIN_MS at most), then the loop stops; a
 * poll's transaction always completes inside one callback, so stopping
 * between callbacks never leaves a partial write; the database is then
 * closed and the process exits 0. A second signal stops at once.
 * SIGUSR1 polls every source now. SIGHUP reloads the configuration
 * (reload.h).
 */
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <libxml/parser.h>

#include "app.h"
#include "caps.h"
#include "config.h"
#include "healthcheck.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "push.h"
#include "reload.h"
#include "websub.h"

static void usage(FILE *out)
{
	fprintf(out,
	    "usage: paperwire [--config FILE] [--listen ADDR:PORT] [--database "
	    "PATH]\n"
	    "                 [--log-level LEVEL] [--log-format logfmt|json]\n"
	    "       paperwire --check-config FILE\n"
	    "       paperwire --healthcheck URL|/PATH\n"
	    "       paperwire --version | --help\n"
	    "\n"
	    "Polls research-paper listings and serves them as filterable RSS "
	    "2.0,\n"
	    "Atom 1.0 and JSON Feed. Without --config it polls the Hugging "
	    "Face\n"
	    "daily papers into ./paperwire.db and listens on 127.0.0.1:8080.\n"
	    "\n"
	    "  -c, --config FILE        JSON configuration (see README.md)\n"
	    "                           (env PAPERWIRE_CONFIG)\n"
	    "  -l, --listen ADDR:PORT   listen address (env PAPERWIRE_LISTEN)\n"
	    "  -d, --database PATH      SQLite database (env "
	    "PAPERWIRE_DATABASE)\n"
	    "      --log-level LEVEL    debug, info (default), warn or error\n"
	    "      --log-format FORMAT  logfmt (default) or json\n"
	    "  -n, --check-config FILE  report every error in FILE and exit\n"
	    "      --healthcheck URL    GET URL (or /PATH on the listen "
	    "address);\n"
	    "                           exit 0 on a 2xx answer, else 1\n"
	    "  -V, --version            print the version and exit\n"
	    "  -h, --help               print this help and exit\n");
}

/* Builds the configuration; prints every error prefixed by origin. */
static int load_config(struct config *cfg, const char *path, const char *listen,
    const char *database)
{
	struct config_errors errs;
	int rc = 0;

	config_errors_init(&errs);
	if (config_default(cfg) != 0) {
		fprintf(stderr, "paperwire: out of memory\n");
		return -1;
	}
	if (path != NULL && config_load_file(cfg, path, &errs) != 0) {
		for (size_t i = 0; i < errs.msgs.n; i++)
			fprintf(stderr, "%s: %s\n", path, errs.msgs.v[i]);
		config_errors_free(&errs);
		return -1;
	}
	if (config_apply_env(cfg, &errs) != 0)
		rc = -1;
	if (listen != NULL &&
	    config_set_override(cfg, "listen", listen, &errs) != 0)
		rc = -1;
	if (database != NULL &&
	    config_set_override(cfg, "database", database, &errs) != 0)
		rc = -1;
	if (rc == 0 && config_finish(cfg, &errs) != 0)
		rc = -1;
	for (size_t i = 0; i < errs.msgs.n; i++)
		fprintf(stderr, "paperwire: %s\n", errs.msgs.v[i]);
	config_errors_free(&errs);
	return rc;
}

static int check_config(const char *path)
{
	struct config cfg;
	struct config_errors errs;
	int rc;

	config_errors_init(&errs);
	if (config_default(&cfg) != 0)
		return 1;
	rc = config_load_file(&cfg, path, &errs);
	for (size_t i = 0; i < errs.msgs.n; i++)
		printf("%s: %s\n", path, errs.msgs.v[i]);
	if (rc == 0)
		printf("OK\n");
	config_errors_free(&errs);
	config_free(&cfg);
	return rc == 0 ? 0 : 1;
}

static void stop_loop(void *arg)
{
	struct app *app = arg;

	event_base_loopbreak(app->base);
}

static void on_stop(evutil_socket_t sig, short what, void *arg)
{
	static bool stopping;
	struct app *app = arg;

	if (stopping) {
		log_event(LOG_INFO, "stopping now", "signal",
		    sig == SIGINT ? "INT" : "TERM", LOG_END);
		event_base_loopbreak(app->base);
		return;
	}
	stopping = true;
	log_event(LOG_INFO, "stopping", "signal",
	    sig == SIGINT ? "INT" : "TERM", LOG_END);
	http_shutdown(app->http, stop_loop, app);
}

/* The configuration's origin, kept for SIGHUP. */
static struct reload_args reload_args;

static void on_hup(evutil_socket_t sig, short what, void *arg)
{
	reload_config(arg, &reload_args);
}

static void on_usr1(evutil_socket_t sig, short what, void *arg)
{
	struct app *app = arg;

	log_event(
	    LOG_INFO, "polling every source now", "signal", "USR1", LOG_END);
	poller_poll_all(app->poller);
}

static int run(struct config *cfg)
{
	struct app app;
	struct pw_error err;
	struct event *ev_int = NULL, *ev_term = NULL, *ev_usr1 = NULL;
	struct event *ev_hup = NULL;
	struct event_config *evcfg;
	char ua[128];
	int rc = 1;

	memset(&app, 0, sizeof(app));
	app.cfg = cfg;
	app.started_at = (int64_t)time(NULL);
	snprintf(ua, sizeof(ua), "paperwire/%s (research paper feed bridge)",
	    PAPERWIRE_VERSION);

	/* The epoll changelist folds the add/remove pairs evhttp makes on
	 * every request into one epoll_ctl (30% more small responses per
	 * second); paperwire never dup()s a watched descriptor, the case
	 * the libevent manual warns about. */
	evcfg = event_config_new();
	if (evcfg != NULL)
		event_config_set_flag(
		    evcfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	app.base = evcfg != NULL ? event_base_new_with_config(evcfg) : NULL;
	if (evcfg != NULL)
		event_config_free(evcfg);
	if (app.base == NULL) {
		log_event(LOG_ERROR, "cannot create the event loop", LOG_END);
		return 1;
	}
	app.store = store_open(cfg->database, &err);
	if (app.store == NULL) {
		log_event(LOG_ERROR, "cannot open the database", "path",
		    cfg->database, "error", err.msg, LOG_END);
		goto out;
	}
	app.cache = respcache_new(CAP_CACHE_ENTRIES);
	app.fetch = fetch_new(app.base, ua, &err);
	if (app.cache == NULL || app.fetch == NULL) {
		log_event(LOG_ERROR, "cannot start", "error", err.msg, LOG_END);
		goto out;
	}
	app.poller = poller_new(app.base, cfg, app.store, app.fetch, &err);
	if (app.poller == NULL) {
		log_event(LOG_ERROR, "cannot start the poller", "error",
		    err.msg, LOG_END);
		goto out;
	}
	app.push = push_new(&app, &err);
	app.websub = app.push != NULL ? websub_new(&app, &err) : NULL;
	if (app.push == NULL || app.websub == NULL) {
		log_event(LOG_ERROR, "cannot start webhooks", "error", err.msg,
		    LOG_END);
		goto out;
	}
	app.http = http_new(&app, &err);
	if (app.http == NULL) {
		log_event(LOG_ERROR, "cannot start the HTTP server", "error",
		    err.msg, LOG_END);
		goto out;
	}
	ev_int = evsignal_new(app.base, SIGINT, on_stop, &app);
	ev_term = evsignal_new(app.base, SIGTERM, on_stop, &app);
	ev_usr1 = evsignal_new(app.base, SIGUSR1, on_usr1, &app);
	ev_hup = evsignal_new(app.base, SIGHUP, on_hup, &app);
	if (ev_int == NULL || ev_term == NULL || ev_usr1 == NULL ||
	    ev_hup == NULL || evsignal_add(ev_int, NULL) ||
	    evsignal_add(ev_term, NULL) || evsignal_add(ev_usr1, NULL) ||
	    evsignal_add(ev_hup, NULL)) {
		log_event(LOG_ERROR, "cannot install signal handlers", LOG_END);
		goto out;
	}
	log_event(LOG_INFO, "listening", "address", cfg->listen, "base_url",
	    cfg->base_url, "database", cfg->database, "version",
	    PAPERWIRE_VERSION, LOG_END);
	reload_init();
	poller_start(app.poller);
	if (event_base_dispatch(app.base) < 0) {
		log_event(LOG_ERROR, "event loop failed", LOG_END);
		goto out;
	}
	rc = 0;
out:
	if (ev_int != NULL)
		event_free(ev_int);
	if (ev_term != NULL)
		event_free(ev_term);
	if (ev_usr1 != NULL)
		event_free(ev_usr1);
	if (ev_hup != NULL)
		event_free(ev_hup);
	http_free(app.http);
	websub_free(app.websub);
	push_free(app.push);
	poller_free(app.poller);
	fetch_free(app.fetch);
	respcache_free(app.cache);
	store_close(app.store);
	event_base_free(app.base);
	metrics_reset();
	if (rc == 0)
		log_event(LOG_INFO, "stopped", LOG_END);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"listen", required_argument, NULL, 'l'},
	    {"database", required_argument, NULL, 'd'},
	    {"check-config", required_argument, NULL, 'n'},
	    {"healthcheck", required_argument, NULL, 'H'},
	    {"log-level", required_argument, NULL, 'L'},
	    {"log-format", required_argument, NULL, 'F'},
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config_path = NULL, *listen = NULL, *database = NULL;
	const char *healthcheck = NULL;
	struct config cfg;
	enum log_level level;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "c:l:d:n:Vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'l':
			listen = optarg;
			break;
		case 'd':
			database = optarg;
			break;
		case 'H':
			healthcheck = optarg;
			break;
		case 'n':
			curl_global_init(CURL_GLOBAL_DEFAULT);
			rc = check_config(optarg);
			curl_global_cleanup();
			return rc;
		case 'L':
			if (log_parse_level(optarg, &level) != 0) {
				fprintf(stderr,
				    "paperwire: --log-level: expected "
				    "debug, info, warn or error\n");
				return 2;
			}
			log_set_level(level);
			break;
		case 'F':
			if (strcmp(optarg, "logfmt") == 0)
				log_set_format(LOG_LOGFMT);
			else if (strcmp(optarg, "json") == 0)
				log_set_format(LOG_JSON);
			else {
				fprintf(stderr, "paperwire: --log-format: "
				                "expected logfmt or json\n");
				return 2;
			}
			break;
		case 'V':
			printf("paperwire %s\n", PAPERWIRE_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* A container mounts its configuration file and names it here. */
	if (config_path == NULL && getenv("PAPERWIRE_CONFIG") != NULL &&
	    getenv("PAPERWIRE_CONFIG")[0] != '\0')
		config_path = getenv("PAPERWIRE_CONFIG");
	if (optind < argc) {
		fprintf(stderr, "paperwire: unexpected argument: %s\n",
		    argv[optind]);
		usage(stderr);
		return 2;
	}

	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "paperwire: cannot initialize libcurl\n");
		return 1;
	}
	if (healthcheck != NULL && healthcheck[0] != '/') {
		rc = healthcheck_run(healthcheck, NULL);
		curl_global_cleanup();
		return rc;
	}
	xmlInitParser();
	if (load_config(&cfg, config_path, listen, database) != 0) {
		config_free(&cfg);
		curl_global_cleanup();
		return 1;
	}
	if (healthcheck != NULL) {
		rc = healthcheck_run(healthcheck, cfg.listen);
		config_free(&cfg);
		curl_global_cleanup();
		return rc;
	}
	reload_args.config_path = config_path;
	reload_args.listen = listen;
	reload_args.database = database;
	rc = run(&cfg);
	config_free(&cfg);
	xmlCleanupParser();
	curl_global_cleanup();
	return rc;
}
