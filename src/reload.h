/*
 * reload.h: SIGHUP, the configuration read again without a restart.
 *
 * reload_config builds a whole new configuration the way start-up does
 * (defaults, the file, the environment, the command-line flags) and
 * validates all of it. Any error rejects it: every error is logged and
 * the running configuration stays in force, untouched. Otherwise it takes
 * effect at once:
 *
 * - app->cfg (the same pointer) holds the new configuration;
 * - a new poller takes over (poller_takeover): unchanged sources keep
 *   their schedule, new or changed ones poll now, removed ones stop;
 * - named feeds, the title and base_url change for the next request;
 * - the response cache is emptied (responses being written keep their
 *   own reference);
 * - the reload hooks run (subscriptions from the file, for example).
 *
 * The listener and open connections are not touched, and nothing stored
 * is removed. "listen" and "database" cannot change in a running process:
 * a new value is logged as needing a restart and the running one kept.
 *
 * Ownership: the arguments and hooks are borrowed and must outlive the
 * process's event loop.
 */
#ifndef PAPERWIRE_RELOAD_H
#define PAPERWIRE_RELOAD_H

#include <stdint.h>

#include "app.h"
#include "config.h"

/* What the configuration was built from at start-up (any may be NULL). */
struct reload_args {
	const char *config_path; /* --config */
	const char *listen;      /* --listen */
	const char *database;    /* --database */
};

/*
 * A module whose state follows the configuration (the webhook sender's
 * subscriptions, say) registers a hook. check (optional) runs before
 * anything changes and may refuse the new configuration: it appends
 * "key: message" lines to errs and returns -1. apply (optional) runs
 * after the switch: app->cfg is the new configuration and old the
 * previous one, valid only during the call.
 */
struct reload_hook {
	int (*check)(void *arg, struct app *app, const struct config *next,
	    struct config_errors *errs);
	void (*apply)(void *arg, struct app *app, const struct config *old);
	void *arg;
};

/* Registers a hook (copied). 0, or -1 when 8 are registered already. */
int reload_hook_add(const struct reload_hook *hook);

/* Records the start-up configuration as the last good load (metrics). */
void reload_init(void);

/* Unix time the configuration in force was loaded (start-up or the last
 * successful reload): the Last-Modified of pages built from it. */
int64_t reload_loaded_at(void);

/* Reloads; 0 when the new configuration is in force, -1 when it was
 * rejected (the reasons are logged) and the old one kept. */
int reload_config(struct app *app, const struct reload_args *args);

#endif
