/*
 * filter.h: the filter grammar shared by query parameters, named feeds in
 * the config, and (later) webhook subscriptions.
 *
 * A filter is parsed once (filter_set per key, or filter_from_json) and then
 * evaluated by filter_match, which is the single source of truth for what
 * matches. The store may narrow candidates with indexes first (see
 * store_query) but always confirms with filter_match.
 *
 * Parameters (docs/filters.md is the user-facing description):
 *   q            words AND-ed, case-insensitive whole words; "quoted phrase";
 *                -word or -"phrase" excludes; OR between two terms makes an
 *                alternative (a OR b c  means (a|b) & c). Matched against
 *                title, summary and ai_keywords.
 *   title        case-insensitive substring of the title
 *   author       case-insensitive substring of any author name
 *   keyword      case-insensitive exact match of one ai_keyword
 *   source       name of a configured source that listed the entry
 *                (comma-separated list means any of them)
 *   min_upvotes, min_stars, min_comments   integers 0..1000000000
 *   has_code     true/false (true: a GitHub repo is known)
 *   since        YYYY-MM-DD: first_seen_at at or after that day (UTC)
 *   days         1..3650: first_seen_at within the last N days
 *   sort         first_seen (default, newest first) | published | upvotes
 *   limit        1..500, default 50
 *
 * Ownership: a struct filter owns everything in it; filter_free releases it.
 */
#ifndef PAPERWIRE_FILTER_H
#define PAPERWIRE_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "entry.h"
#include "error.h"

enum filter_sort {
	FILTER_SORT_FIRST_SEEN = 0,
	FILTER_SORT_PUBLISHED,
	FILTER_SORT_UPVOTES,
};

/* One word or phrase: its lowercase tokens (see text_next_token). */
struct filter_term {
	struct strv tokens;
};

/* An alternative of terms (OR), possibly negated (then it has one term). */
struct filter_clause {
	struct filter_term *alts;
	size_t n_alts;
	bool negate;
};

struct filter {
	struct filter_clause *clauses; /* from q; all must hold */
	size_t n_clauses;
	struct strv titles;   /* lowercase substrings, all must hold */
	struct strv authors;  /* lowercase substrings, each in some author */
	struct strv keywords; /* lowercase, each equal to some ai_keyword */
	struct strv sources;  /* any of them (empty: no constraint) */
	bool sources_set; /* a source constraint exists (even if merged to none)
	                   */
	int64_t min_upvotes; /* 0: no constraint (unknown counts as 0) */
	int64_t min_stars;
	int64_t min_comments;
	int has_code;  /* -1 any, 0 without code, 1 with code */
	int64_t since; /* Unix seconds; 0 none */
	int days;      /* 0 none; else first_seen_at >= now - days*86400 */
	enum filter_sort sort;
	bool sort_set;
	int limit; /* 1..CAP_FEED_LIMIT_MAX */
	bool limit_set;
	bool impossible;    /* merged contradictions: matches nothing */
	unsigned int given; /* private to filter.c: keys filter_set applied */
};

/* An empty filter: matches everything, sort first_seen, limit 50. */
void filter_init(struct filter *f);
void filter_free(struct filter *f);

/*
 * Applies one parameter. On a bad key or value returns -1 with err set to
 * a one-line message that starts with the parameter name, for example
 * "min_upvotes: expected an integer from 0 to 1000000000". A key given
 * twice is an error ("limit: given more than once") except for q, title,
 * author and keyword, whose repeats are AND-ed.
 */
int filter_set(
    struct filter *f, const char *key, const char *value, struct pw_error *err);

/*
 * Fills f from a JSON object with the same keys (numbers may be JSON
 * integers, has_code a JSON boolean, others strings). Unknown keys are
 * errors. err starts with the key name.
 */
int filter_from_json(struct filter *f, const json_t *obj, struct pw_error *err);

/*
 * Narrows dst by src (logical AND): clauses and substrings accumulate,
 * thresholds take the larger, since the later, days the smaller, sources
 * intersect; src's sort and limit win when src set them. Contradictions
 * (has_code true and false, disjoint sources) set impossible. 0 or -1.
 */
int filter_merge(struct filter *dst, const struct filter *src);

/* The earliest first_seen_at the filter accepts at time now (0: none). */
int64_t filter_min_first_seen(const struct filter *f, int64_t now);

/* true when e satisfies every constraint at time now (sort and limit play
 * no part). */
bool filter_match(const struct filter *f, const struct entry *e, int64_t now);

/*
 * new: an FTS5 MATCH expression that every entry matching the q clauses
 * also matches (a superset: negated clauses are left out), or NULL when
 * q has no positive clause. Each term is written as a quoted phrase.
 */
char *filter_fts_expr(const struct filter *f);

#endif
