/*
 * source.h: upstream listings, one file per source type behind a const ops
 * table (sources/hf_daily.c, sources/hf_html.c, ...). A new source type is
 * one file plus one line in source_types[] (sources/registry.c).
 *
 * Adapters never do I/O: request_url says what to fetch, parse turns the
 * fetched bytes into normalized entries. Both are pure, so each adapter is
 * tested offline on fixtures and fuzzed.
 */
#ifndef PAPERWIRE_SOURCE_H
#define PAPERWIRE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../entry.h"
#include "../error.h"

/* The per-source settings an adapter reads (from the config). Borrowed. */
struct source_params {
	const char *name; /* configured source name, tagged on every entry */
	const char *url; /* base URL (the type's default when not configured) */
	/* The source's config object: adapters read their own keys from it
	 * (already validated by their check function). May be NULL. */
	const json_t *options;
	/* parse only: the response's Content-Type (may carry a charset), or
	 * NULL. */
	const char *content_type;
	int64_t now; /* the poll's clock */
};

/* Reports one problem with a type-specific config key: key is its name
 * ("days"), msg what is wrong ("expected an integer from 0 to 14"). */
typedef void (*source_report_fn)(void *ctx, const char *key, const char *msg);

struct source_ops {
	const char *type; /* the config's "type" */
	/* The type's own config keys, NULL-terminated (NULL: none), beyond
	 * the common name, type, url, interval, enabled, headers and
	 * min_request_interval. */
	const char *const *keys;
	/* Validates those keys in opts, calling report once per problem;
	 * returns 0 when there was none. NULL: nothing to check. */
	int (*check)(const json_t *opts, source_report_fn report, void *ctx);
	const char *default_url;
	/* Items per page for paging; parse returning this many items asks
	 * for page+1 (up to CAP_POLL_PAGES). 0: no paging. */
	int page_size;
	/*
	 * new: the URL of request `step` (0, 1, ... for each list date or
	 * listing) and `page` (0-based), or NULL when step is past the last
	 * one.
	 */
	char *(*request_url)(
	    const struct source_params *p, unsigned step, unsigned page);
	/*
	 * Parses one response body into entries appended to out (each with
	 * p->name in its sources). Items that lack an id or a title are skipped
	 * and counted in *skipped. A body that is not the expected document at
	 * all (malformed, truncated, wrong shape) is -1 with err set, and out
	 * gains nothing. *items is set to the number of items in the document.
	 */
	int (*parse)(const struct source_params *p, const char *body,
	    size_t len, struct entry_list *out, size_t *items, size_t *skipped,
	    struct pw_error *err);
};

extern const struct source_ops source_hf_daily_ops;
extern const struct source_ops source_hf_html_ops;
extern const struct source_ops source_hf_search_ops;
extern const struct source_ops source_arxiv_ops;
extern const struct source_ops source_feed_ops;

/*
 * Reading options (registry.c). source_opt_int: the integer at key, or
 * def when absent (callers validated the range in check). source_opt_str:
 * the string at key, or def (borrowed). source_check_int and
 * source_check_enum report a bad value and return -1.
 */
long long source_opt_int(const json_t *opts, const char *key, long long def);
const char *source_opt_str(
    const json_t *opts, const char *key, const char *def);
int source_check_int(const json_t *opts, const char *key, long long min,
    long long max, source_report_fn report, void *ctx);
int source_check_enum(const json_t *opts, const char *key,
    const char *const *allowed, source_report_fn report, void *ctx);

/* The adapter for a config type name, or NULL. */
const struct source_ops *source_find(const char *type);

/* "hf_daily, hf_html": the known types, for error messages. Static. */
const char *source_type_names(void);

#endif
