/*
 * subs.h: a webhook subscription: what it is, how it is read from JSON
 * (the config file's "webhooks" array and the admin API's POST body, with
 * the same keys and the same messages), how it is shown, and the filter
 * it follows.
 *
 * A subscription follows a configured feed ("feed"), a filter object with
 * the query parameters' keys ("filter"), or both (the feed's filter
 * narrowed by its own). "sort" and "limit" mean nothing to a push and are
 * refused.
 *
 * Ownership: a struct sub owns every string and the filter JSON in it;
 * subs_clear releases them.
 */
#ifndef PAPERWIRE_SUBS_H
#define PAPERWIRE_SUBS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "filter.h"
#include "push_format.h"

struct config;

/* Where a subscription was declared. */
#define SUBS_ORIGIN_CONFIG "config"
#define SUBS_ORIGIN_API "api"

/* "sub_" + 24 hex digits, or "cfg_" + 24 hex digits, with a NUL. */
#define SUBS_ID_BYTES 32

struct sub {
	char *id;
	char *name;     /* NULL when not given */
	char *url;      /* http or https */
	char *feed;     /* a configured feed's name, or NULL */
	json_t *filter; /* the filter object as given, or NULL */
	enum push_format format;
	char *secret; /* "whsec_...", or NULL (a config entry without one) */
	const char *origin; /* SUBS_ORIGIN_CONFIG or SUBS_ORIGIN_API (static) */
	int backfill;       /* most recent matches sent at creation */
	int64_t created_at;
	bool disabled;
	char *disabled_reason; /* why, when disabled */
};

void subs_init(struct sub *s);
void subs_clear(struct sub *s);
/* Deep copy into an initialized dst (cleared first). 0 or -1. */
int subs_copy(struct sub *dst, const struct sub *src);

/* Called once per problem with "key: message" (key as in the JSON). */
typedef void (*subs_report_fn)(void *arg, const char *msg);

/*
 * Fills the initialized s from a JSON object with the keys url (required),
 * feed, filter, format, secret, name and backfill; every problem is
 * reported, and -1 returned if there was any. A named feed is checked
 * against cfg when cfg is not NULL. id, origin and created_at are left to
 * the caller.
 */
int subs_parse(struct sub *s, const json_t *obj, const struct config *cfg,
    subs_report_fn report, void *arg);

/* The stable id of a subscription declared in the config file: "cfg_"
 * and a hash of what it delivers (url, feed, filter, format), so a
 * restart finds the same subscription and an edited one is new. */
void subs_config_id(const struct sub *s, char out[SUBS_ID_BYTES]);

/* new: the JSON the admin API shows (the secret only when with_secret:
 * it is shown once, at creation). NULL on out of memory. */
json_t *subs_to_json(const struct sub *s, bool with_secret);

/*
 * The filter s follows: the named feed's filter (from cfg) narrowed by
 * its own filter object. f must be filter_init'ed. A feed that is no
 * longer configured makes the filter impossible (it matches nothing).
 * 0 or -1 with err set.
 */
int subs_filter(const struct sub *s, const struct config *cfg, struct filter *f,
    struct pw_error *err);

#endif
