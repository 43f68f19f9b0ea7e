/*
 * config.h: the configuration, loaded from one JSON file (every key
 * optional) over a built-in default, then overridden by environment
 * variables and command-line flags.
 *
 * Loading reports every error, not just the first, as "key: message"
 * lines in a struct config_errors; the caller prefixes the file name.
 * README.md's "Configuration" section documents each key; keep the two in
 * step.
 *
 * Ownership: struct config owns everything in it; config_free releases it.
 */
#ifndef PAPERWIRE_CONFIG_H
#define PAPERWIRE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "entry.h"
#include "netguard.h"
#include "filter.h"
#include "push_retry.h"
#include "subs.h"
#include "sources/source.h"

struct source_cfg {
	char *name;
	char *type;
	const struct source_ops *ops;
	char *url; /* never NULL after loading: the type's default if unset */
	int interval; /* seconds between polls */
	bool enabled;
	struct strv headers; /* extra request headers, "Name: value" (secret) */
	/* Seconds between requests to the url's host (hostgate.h); -1: the
	 * host's default (hostgate_default_interval). */
	int min_request_interval;
	json_t *options; /* the source's config object, for the adapter's
	                  * own keys (validated by ops->check); may be NULL */
};

/* The WebSub hub feeds advertise (config key "websub"). */
enum websub_mode {
	WEBSUB_BUILTIN = 0, /* paperwire's own hub at /websub */
	WEBSUB_EXTERNAL,    /* hub_url; paperwire sends it publish pings */
	WEBSUB_OFF,         /* no hub advertised */
};

struct websub_cfg {
	enum websub_mode mode;
	char *hub_url;     /* WEBSUB_EXTERNAL only */
	int lease_seconds; /* granted when a subscriber asks for none */
	int min_lease_seconds, max_lease_seconds; /* requests are clamped */
};

struct feed_cfg {
	char *name; /* [a-z0-9_-]+, used in /feeds/{name}.{ext} */
	char *title;
	char *description; /* may be NULL */
	struct filter filter;
};

struct config {
	char *listen;   /* "host:port", "[v6]:port" */
	char *database; /* path, or ":memory:" */
	char *base_url; /* absolute http(s) URL without trailing slash */
	char *title;    /* the service's display name */
	struct source_cfg *sources;
	size_t n_sources;
	struct feed_cfg *feeds;
	size_t n_feeds;
	/* Push (config_push.c): the admin API's bearer token (NULL: the API
	 * answers 404), webhooks declared in the file, the delivery
	 * schedule and the WebSub hub. */
	char *admin_token;
	struct sub *webhooks;
	size_t n_webhooks;
	struct push_policy delivery;
	struct websub_cfg websub;
	/* Where user-supplied URLs (webhook targets, WebSub callbacks) may
	 * connect: special-purpose and private ranges are refused unless
	 * allow_private_networks is true or lists the range (netguard.h). */
	bool allow_private_all;
	struct strv allow_cidrs;
};

/* Every problem found, each "key: message". */
struct config_errors {
	struct strv msgs;
};

/* The built-in default: listen 127.0.0.1:8080, database paperwire.db, one
 * hf_daily source named "hf-daily", no named feeds. 0 or -1 (memory). */
int config_default(struct config *c);

/*
 * Replaces c's values by those of the JSON file at path (keys absent from
 * the file keep their defaults). Appends every error to errs. Returns 0 if
 * no error was found, else -1 (c is then unusable and must be freed).
 */
int config_load_file(
    struct config *c, const char *path, struct config_errors *errs);

/* Same as config_load_file for a JSON text already in memory. */
int config_load_json(
    struct config *c, const char *text, size_t len, struct config_errors *errs);

/* Applies PAPERWIRE_LISTEN, PAPERWIRE_DATABASE, PAPERWIRE_BASE_URL and
 * PAPERWIRE_ADMIN_TOKEN, validating each. 0 or -1 with errors appended. */
int config_apply_env(struct config *c, struct config_errors *errs);

/* Sets one deployment key from the command line ("listen", "database"),
 * validating it. 0 or -1 with errors appended. */
int config_set_override(struct config *c, const char *key, const char *value,
    struct config_errors *errs);

/* config_push.c: the push keys ("admin_token", "webhooks", "delivery",
 * "websub"). Defaults, loading from the parsed file (after the feeds,
 * which webhooks may name), the token's check (file and environment),
 * and release. Loading appends every error to errs; 0 or -1. */
void config_push_defaults(struct config *c);
int config_push_load(
    struct config *c, const json_t *root, struct config_errors *errs);
int config_push_token(
    struct config *c, const char *value, struct config_errors *errs);
void config_push_free(struct config *c);
/* new: the address guard for user-supplied URLs that c describes, or
 * NULL (out of memory). */
struct netguard *config_netguard(const struct config *c);

/* Fills base_url from listen when no base_url was given. 0 or -1. */
int config_finish(struct config *c, struct config_errors *errs);

/* The feed named name, or NULL (borrowed). */
const struct feed_cfg *config_feed(const struct config *c, const char *name);

/* Splits "host:port" / "[v6]:port" into host (new) and port. 0 or -1. */
int config_split_listen(const char *listen, char **host, int *port);

void config_free(struct config *c);
void config_errors_init(struct config_errors *e);
/* Appends one "key: message" line to e; returns -1, so a checker can
 * write "return config_error_add(errs, ...);". */
int config_error_add(struct config_errors *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void config_errors_free(struct config_errors *e);

#endif
