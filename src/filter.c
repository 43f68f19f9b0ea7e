/*
 * filter.c: building filters from query parameters and JSON. Merging and
 * evaluating them is filter_eval.c's job.
 *
 * Every parameter is described once in the params[] table (name, kind,
 * bounds, whether it may repeat); filter_set and filter_from_json both
 * read it, so the two front ends accept the same values and report the
 * same messages.
 *
 * The q grammar, as implemented:
 *   - words are separated by spaces; a word is turned into its tokens
 *     (text_next_token), so "gpt-4" is the phrase gpt 4 and a word made
 *     only of punctuation is ignored;
 *   - "a quoted phrase" is one term; a quote left open runs to the end;
 *   - a leading "-" negates the word or phrase it is attached to;
 *   - the bare word OR (upper case) between two positive terms makes them
 *     alternatives of one clause, and chains (a OR b OR c). A negated term
 *     is never joined: an OR next to one is ignored, so "-a OR b" is the
 *     two clauses -a and b. A leading or trailing OR is ignored too.
 */
#include "filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "caps.h"
#include "text.h"
#include "timefmt.h"

/* The largest accepted min_upvotes, min_stars and min_comments. */
#define FILTER_THRESHOLD_MAX 1000000000LL
/* How much of an unknown key an error message repeats. */
#define FILTER_KEY_ECHO_BYTES 64

enum param_kind {
	P_Q,
	P_TITLE,
	P_AUTHOR,
	P_KEYWORD,
	P_SOURCE,
	P_MIN_UPVOTES,
	P_MIN_STARS,
	P_MIN_COMMENTS,
	P_HAS_CODE,
	P_SINCE,
	P_DAYS,
	P_SORT,
	P_LIMIT,
};

struct param {
	const char *name;
	enum param_kind kind;
	bool is_int;     /* an integer from min to max */
	bool repeatable; /* repeats are AND-ed */
	bool is_text;    /* a string, or in JSON an array of strings */
	long long min, max;
};

static const struct param params[] = {
    {"q", P_Q, false, true, true, 0, 0},
    {"title", P_TITLE, false, true, true, 0, 0},
    {"author", P_AUTHOR, false, true, true, 0, 0},
    {"keyword", P_KEYWORD, false, true, true, 0, 0},
    {"source", P_SOURCE, false, false, false, 0, 0},
    {"min_upvotes", P_MIN_UPVOTES, true, false, false, 0, FILTER_THRESHOLD_MAX},
    {"min_stars", P_MIN_STARS, true, false, false, 0, FILTER_THRESHOLD_MAX},
    {"min_comments", P_MIN_COMMENTS, true, false, false, 0,
        FILTER_THRESHOLD_MAX},
    {"has_code", P_HAS_CODE, false, false, false, 0, 0},
    {"since", P_SINCE, false, false, false, 0, 0},
    {"days", P_DAYS, true, false, false, 1, CAP_DAYS_MAX},
    {"sort", P_SORT, false, false, false, 0, 0},
    {"limit", P_LIMIT, true, false, false, 1, CAP_FEED_LIMIT_MAX},
};

#define N_PARAMS (sizeof(params) / sizeof(params[0]))

static const struct param *param_find(const char *key)
{
	for (size_t i = 0; i < N_PARAMS; i++)
		if (strcmp(params[i].name, key) == 0)
			return &params[i];
	return NULL;
}

/* Reports a bad value with the message that says what p accepts. */
static int param_expected(const struct param *p, struct pw_error *err)
{
	if (p->is_int)
		return pw_error_set(err,
		    "%s: expected an integer from %lld to %lld", p->name,
		    p->min, p->max);
	switch (p->kind) {
	case P_HAS_CODE:
		return pw_error_set(err, "%s: expected true or false", p->name);
	case P_SINCE:
		return pw_error_set(
		    err, "%s: expected a date YYYY-MM-DD", p->name);
	case P_SORT:
		return pw_error_set(err,
		    "%s: expected first_seen, published or upvotes", p->name);
	case P_SOURCE:
		return pw_error_set(
		    err, "%s: expected comma-separated source names", p->name);
	default:
		return pw_error_set(err, "%s: expected text", p->name);
	}
}

/* Reports an unknown key, repeating at most a clean prefix of it. */
static int unknown_key(const char *key, const char *what, struct pw_error *err)
{
	char *echo = text_clean(key, strlen(key), FILTER_KEY_ECHO_BYTES);

	pw_error_set(err, "%s: %s", echo != NULL ? echo : "?", what);
	free(echo);
	return -1;
}

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
	f->has_code = -1;
	f->sort = FILTER_SORT_FIRST_SEEN;
	f->limit = CAP_FEED_LIMIT_DEFAULT;
}

static void clause_free(struct filter_clause *c)
{
	for (size_t i = 0; i < c->n_alts; i++)
		strv_free(&c->alts[i].tokens);
	free(c->alts);
	c->alts = NULL;
	c->n_alts = 0;
}

void filter_free(struct filter *f)
{
	for (size_t i = 0; i < f->n_clauses; i++)
		clause_free(&f->clauses[i]);
	free(f->clauses);
	strv_free(&f->titles);
	strv_free(&f->authors);
	strv_free(&f->keywords);
	strv_free(&f->sources);
	filter_init(f);
}

static size_t count_terms(const struct filter *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n_clauses; i++)
		n += f->clauses[i].n_alts;
	return n;
}

/* Adds a term (stealing *tokens, which is left empty) as a new clause, or
 * as one more alternative of the last clause when join is set. */
static int add_term(
    struct filter *f, struct strv *tokens, bool negate, bool join)
{
	struct filter_clause *c;
	struct filter_term *alts;

	if (!join) {
		c = realloc(f->clauses, (f->n_clauses + 1) * sizeof(*c));
		if (c == NULL)
			return -1;
		f->clauses = c;
		c = &f->clauses[f->n_clauses++];
		c->alts = NULL;
		c->n_alts = 0;
		c->negate = negate;
	} else {
		c = &f->clauses[f->n_clauses - 1];
	}
	alts = realloc(c->alts, (c->n_alts + 1) * sizeof(*alts));
	if (alts == NULL) {
		/* A clause left without alternatives would match nothing. */
		if (c->n_alts == 0)
			f->n_clauses--;
		return -1;
	}
	c->alts = alts;
	c->alts[c->n_alts++].tokens = *tokens;
	tokens->v = NULL;
	tokens->n = 0;
	return 0;
}

/* Appends the lowercase tokens of s[0..len) to out. 0 or -1. */
static int tokenize(const char *s, size_t len, struct strv *out)
{
	size_t pos = 0, start, tlen;
	char *word, *tok;
	int rc = -1;

	word = strndup(s, len);
	if (word == NULL)
		return -1;
	while (text_next_token(word, &pos, &start, &tlen)) {
		tok = strndup(word + start, tlen);
		if (tok == NULL || strv_push_owned(out, text_lower_ascii(tok)))
			goto out;
	}
	rc = 0;
out:
	free(word);
	return rc;
}

/* Parses one q value (already cleaned: single spaces, no controls) into
 * clauses; see the grammar at the top of this file. */
static int parse_q(struct filter *f, const char *s, struct pw_error *err)
{
	struct strv tokens = {NULL, 0};
	bool pending_or = false, last_positive = false;
	size_t pos = 0, start, end;
	int rc = -1;

	while (s[pos] != '\0') {
		bool negate = false, join;

		if (s[pos] == ' ') {
			pos++;
			continue;
		}
		if (s[pos] == '-' && s[pos + 1] != ' ' && s[pos + 1] != '\0') {
			negate = true;
			pos++;
		}
		if (s[pos] == '"') {
			const char *close = strchr(s + pos + 1, '"');

			start = pos + 1;
			end = close != NULL ? (size_t)(close - s) : strlen(s);
			pos = close != NULL ? end + 1 : end;
		} else {
			start = pos;
			while (s[pos] != '\0' && s[pos] != ' ' && s[pos] != '"')
				pos++;
			end = pos;
			if (!negate && end - start == 2 &&
			    memcmp(s + start, "OR", 2) == 0) {
				pending_or = true;
				continue;
			}
		}
		if (tokenize(s + start, end - start, &tokens) != 0) {
			pw_error_set(err, "q: out of memory");
			goto out;
		}
		if (tokens.n == 0)
			continue;
		if (count_terms(f) >= CAP_QUERY_TERMS) {
			pw_error_set(err, "q: too many terms");
			goto out;
		}
		join = pending_or && last_positive && !negate;
		if (add_term(f, &tokens, negate, join) != 0) {
			pw_error_set(err, "q: out of memory");
			goto out;
		}
		last_positive = !negate;
		pending_or = false;
	}
	rc = 0;
out:
	strv_free(&tokens);
	return rc;
}

/* Parses a plain non-negative decimal integer within [min, max]: no sign,
 * no spaces, no empty string. */
static int parse_int(
    const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* ASCII case-insensitive equality of two NUL-terminated strings. */
static bool ascii_eq_ci(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		int ca = (unsigned char)*a, cb = (unsigned char)*b;

		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return false;
	}
	return *a == *b;
}

/* Parses a comma-separated list of source names into f->sources. */
static int parse_sources(struct filter *f, const char *s)
{
	const char *p = s;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		char *name = text_clean(p, len, 0);

		if (name == NULL || name[0] == '\0') {
			free(name);
			return -1;
		}
		if (strv_contains(&f->sources, name))
			free(name);
		else if (strv_push_owned(&f->sources, name) != 0)
			return -1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	f->sources_set = true;
	return 0;
}

/* Applies a value of a text parameter (q, title, author, keyword). An
 * empty value adds no constraint. */
static int set_text(struct filter *f, const struct param *p, const char *value,
    struct pw_error *err)
{
	struct strv *sv = NULL;
	char *clean;
	int rc = -1;

	clean = text_clean(value, strlen(value), 0);
	if (clean == NULL)
		return pw_error_set(err, "%s: out of memory", p->name);
	/* q keeps its case until tokenized: OR is an operator only in
	 * upper case. */
	if (p->kind == P_Q) {
		rc = parse_q(f, clean, err);
		goto out;
	}
	text_lower_ascii(clean);
	if (p->kind == P_TITLE)
		sv = &f->titles;
	else if (p->kind == P_AUTHOR)
		sv = &f->authors;
	else
		sv = &f->keywords;
	if (clean[0] == '\0' || strv_contains(sv, clean)) {
		rc = 0;
		goto out;
	}
	if (strv_push_owned(sv, clean) != 0)
		return pw_error_set(err, "%s: out of memory", p->name);
	return 0;
out:
	free(clean);
	return rc;
}

/* Applies a value of any other parameter. */
static int set_other(struct filter *f, const struct param *p, const char *value,
    struct pw_error *err)
{
	long long n = 0;
	int64_t t;

	if (p->is_int && parse_int(value, p->min, p->max, &n) != 0)
		return param_expected(p, err);
	switch (p->kind) {
	case P_MIN_UPVOTES:
		f->min_upvotes = n;
		break;
	case P_MIN_STARS:
		f->min_stars = n;
		break;
	case P_MIN_COMMENTS:
		f->min_comments = n;
		break;
	case P_DAYS:
		f->days = (int)n;
		break;
	case P_LIMIT:
		f->limit = (int)n;
		f->limit_set = true;
		break;
	case P_HAS_CODE:
		if (ascii_eq_ci(value, "true") || ascii_eq_ci(value, "yes") ||
		    strcmp(value, "1") == 0)
			f->has_code = 1;
		else if (ascii_eq_ci(value, "false") ||
		         ascii_eq_ci(value, "no") || strcmp(value, "0") == 0)
			f->has_code = 0;
		else
			return param_expected(p, err);
		break;
	case P_SINCE:
		if (timefmt_parse_day(value, &t) != 0)
			return param_expected(p, err);
		f->since = t;
		break;
	case P_SORT:
		if (strcmp(value, "first_seen") == 0)
			f->sort = FILTER_SORT_FIRST_SEEN;
		else if (strcmp(value, "published") == 0)
			f->sort = FILTER_SORT_PUBLISHED;
		else if (strcmp(value, "upvotes") == 0)
			f->sort = FILTER_SORT_UPVOTES;
		else
			return param_expected(p, err);
		f->sort_set = true;
		break;
	case P_SOURCE:
		if (parse_sources(f, value) != 0)
			return param_expected(p, err);
		break;
	default:
		return param_expected(p, err);
	}
	return 0;
}

int filter_set(
    struct filter *f, const char *key, const char *value, struct pw_error *err)
{
	const struct param *p;
	unsigned int bit;
	size_t len;

	if (key == NULL)
		return pw_error_set(err, "(null): unknown parameter");
	p = param_find(key);
	if (p == NULL)
		return unknown_key(key, "unknown parameter", err);
	if (value == NULL)
		value = "";
	len = strlen(value);
	if (len > CAP_QUERY_VALUE_BYTES)
		return pw_error_set(err, "%s: longer than %d bytes", p->name,
		    CAP_QUERY_VALUE_BYTES);
	if (!text_is_clean_utf8(value, len))
		return pw_error_set(err, "%s: not valid UTF-8", p->name);
	bit = 1u << (unsigned)(p - params);
	if (!p->repeatable && (f->given & bit) != 0)
		return pw_error_set(err, "%s: given more than once", p->name);
	if ((p->is_text ? set_text(f, p, value, err)
	                : set_other(f, p, value, err)) != 0)
		return -1;
	f->given |= bit;
	return 0;
}

/* Applies one JSON value of a text parameter: a string or an array of
 * strings, each AND-ed. */
static int json_text(struct filter *f, const struct param *p, const json_t *v,
    struct pw_error *err)
{
	size_t i;
	json_t *item;

	if (json_is_string(v))
		return filter_set(f, p->name, json_string_value(v), err);
	if (!json_is_array(v))
		return pw_error_set(err,
		    "%s: expected a string or an array of strings", p->name);
	json_array_foreach(v, i, item)
	{
		if (!json_is_string(item))
			return pw_error_set(err,
			    "%s: expected a string or an array of strings",
			    p->name);
		if (filter_set(f, p->name, json_string_value(item), err) != 0)
			return -1;
	}
	return 0;
}

/* Applies source given as an array of names: the same as the names joined
 * with commas. */
static int json_sources(struct filter *f, const struct param *p,
    const json_t *v, struct pw_error *err)
{
	struct buf b;
	size_t i;
	json_t *item;
	int rc = -1;

	buf_init(&b, CAP_QUERY_VALUE_BYTES);
	json_array_foreach(v, i, item)
	{
		const char *name = json_string_value(item);

		if (name == NULL || strchr(name, ',') != NULL ||
		    (i > 0 && buf_puts(&b, ",") != 0) ||
		    buf_puts(&b, name) != 0) {
			param_expected(p, err);
			goto out;
		}
	}
	rc = filter_set(f, p->name, buf_str(&b), err);
out:
	buf_free(&b);
	return rc;
}

int filter_from_json(struct filter *f, const json_t *obj, struct pw_error *err)
{
	const char *key;
	json_t *v;
	char num[32];

	if (!json_is_object(obj))
		return pw_error_set(err, "filter: expected a JSON object");
	json_object_foreach((json_t *)obj, key, v)
	{
		const struct param *p = param_find(key);
		int rc;

		if (p == NULL)
			return unknown_key(key, "unknown filter key", err);
		if (p->is_text)
			rc = json_text(f, p, v, err);
		else if (p->kind == P_SOURCE && json_is_array(v))
			rc = json_sources(f, p, v, err);
		else if (json_is_string(v))
			rc = filter_set(f, key, json_string_value(v), err);
		else if (p->is_int && json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld",
			    (long long)json_integer_value(v));
			rc = filter_set(f, key, num, err);
		} else if (p->kind == P_HAS_CODE && json_is_boolean(v))
			rc = filter_set(
			    f, key, json_is_true(v) ? "true" : "false", err);
		else
			rc = param_expected(p, err);
		if (rc != 0)
			return -1;
	}
	return 0;
}
