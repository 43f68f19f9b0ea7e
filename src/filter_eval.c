/*
 * filter_eval.c: using parsed filters: narrowing one by another
 * (filter_merge), deciding whether an entry matches (filter_match, the
 * single source of truth), and the FTS5 expression the store narrows
 * candidates with (filter_fts_expr). Parsing lives in filter.c.
 */
#include "filter.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

/* Room for the FTS5 expression of any filter whose q values respect
 * CAP_QUERY_VALUE_BYTES and CAP_QUERY_TERMS, with a wide margin for merged
 * filters. A longer expression is simply not produced (see
 * filter_fts_expr). */
#define FILTER_FTS_EXPR_BYTES (64 * 1024)

/* Deep-copies src into dst (uninitialized). On failure dst holds what was
 * copied so far, which filter_free releases. */
static int copy_clause(
    struct filter_clause *dst, const struct filter_clause *src)
{
	dst->negate = src->negate;
	dst->n_alts = 0;
	dst->alts = NULL;
	if (src->n_alts == 0)
		return 0;
	dst->alts = calloc(src->n_alts, sizeof(*dst->alts));
	if (dst->alts == NULL)
		return -1;
	for (size_t j = 0; j < src->n_alts; j++) {
		dst->n_alts = j + 1;
		if (strv_copy(&dst->alts[j].tokens, &src->alts[j].tokens) != 0)
			return -1;
	}
	return 0;
}

/* Appends deep copies of src's clauses to dst. */
static int copy_clauses(struct filter *dst, const struct filter *src)
{
	struct filter_clause *c;

	if (src->n_clauses == 0)
		return 0;
	c = realloc(
	    dst->clauses, (dst->n_clauses + src->n_clauses) * sizeof(*c));
	if (c == NULL)
		return -1;
	dst->clauses = c;
	for (size_t i = 0; i < src->n_clauses; i++)
		if (copy_clause(
		        &dst->clauses[dst->n_clauses++], &src->clauses[i]) != 0)
			return -1;
	return 0;
}

/* Appends to dst the strings of src it does not already hold. */
static int union_strv(struct strv *dst, const struct strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (!strv_contains(dst, src->v[i]) &&
		    strv_push(dst, src->v[i]) != 0)
			return -1;
	return 0;
}

/* Keeps in dst only the names src also has. */
static void intersect_strv(struct strv *dst, const struct strv *src)
{
	size_t o = 0;

	for (size_t i = 0; i < dst->n; i++) {
		if (strv_contains(src, dst->v[i]))
			dst->v[o++] = dst->v[i];
		else
			free(dst->v[i]);
	}
	dst->n = o;
}

#define MAX_OF(a, b) ((a) > (b) ? (a) : (b))

/* On failure (out of memory) dst is valid but only partly narrowed; the
 * caller should discard it. */
int filter_merge(struct filter *dst, const struct filter *src)
{
	if (copy_clauses(dst, src) != 0 ||
	    union_strv(&dst->titles, &src->titles) != 0 ||
	    union_strv(&dst->authors, &src->authors) != 0 ||
	    union_strv(&dst->keywords, &src->keywords) != 0)
		return -1;
	if (src->sources_set) {
		if (!dst->sources_set) {
			if (strv_copy(&dst->sources, &src->sources) != 0)
				return -1;
			dst->sources_set = true;
		} else {
			intersect_strv(&dst->sources, &src->sources);
		}
		if (dst->sources.n == 0)
			dst->impossible = true;
	}
	dst->min_upvotes = MAX_OF(dst->min_upvotes, src->min_upvotes);
	dst->min_stars = MAX_OF(dst->min_stars, src->min_stars);
	dst->min_comments = MAX_OF(dst->min_comments, src->min_comments);
	if (src->has_code != -1) {
		if (dst->has_code == -1)
			dst->has_code = src->has_code;
		else if (dst->has_code != src->has_code)
			dst->impossible = true;
	}
	dst->since = MAX_OF(dst->since, src->since);
	if (src->days != 0 && (dst->days == 0 || src->days < dst->days))
		dst->days = src->days;
	if (src->sort_set) {
		dst->sort = src->sort;
		dst->sort_set = true;
	}
	if (src->limit_set) {
		dst->limit = src->limit;
		dst->limit_set = true;
	}
	dst->impossible = dst->impossible || src->impossible;
	return 0;
}

int64_t filter_min_first_seen(const struct filter *f, int64_t now)
{
	int64_t m = f->since;

	if (f->days > 0)
		m = MAX_OF(m, now - (int64_t)f->days * 86400);
	return m > 0 ? m : 0;
}

/* true when the token s[0..len) equals tok (lowercase), ignoring ASCII
 * case. */
static bool token_eq(const char *s, size_t len, const char *tok)
{
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (tok[i] == '\0' || c != (unsigned char)tok[i])
			return false;
	}
	return tok[len] == '\0';
}

/* true when the tokens of term occur consecutively in field. */
static bool field_has_term(const char *field, const struct strv *term)
{
	size_t pos = 0, start, len;

	if (field == NULL || term->n == 0)
		return false;
	while (text_next_token(field, &pos, &start, &len)) {
		size_t p2 = pos, k;

		if (!token_eq(field + start, len, term->v[0]))
			continue;
		for (k = 1; k < term->n; k++)
			if (!text_next_token(field, &p2, &start, &len) ||
			    !token_eq(field + start, len, term->v[k]))
				break;
		if (k == term->n)
			return true;
	}
	return false;
}

static bool entry_has_term(const struct entry *e, const struct strv *term)
{
	if (field_has_term(e->title, term) || field_has_term(e->summary, term))
		return true;
	for (size_t i = 0; i < e->ai_keywords.n; i++)
		if (field_has_term(e->ai_keywords.v[i], term))
			return true;
	return false;
}

static bool clause_holds(const struct filter_clause *c, const struct entry *e)
{
	bool any = false;

	for (size_t i = 0; i < c->n_alts && !any; i++)
		any = entry_has_term(e, &c->alts[i].tokens);
	return c->negate ? !any : any;
}

static bool any_contains(const struct strv *hay, const char *needle)
{
	for (size_t i = 0; i < hay->n; i++)
		if (text_contains_ci(hay->v[i], needle))
			return true;
	return false;
}

static bool any_equals(const struct strv *hay, const char *needle)
{
	for (size_t i = 0; i < hay->n; i++)
		if (strlen(hay->v[i]) == strlen(needle) &&
		    text_contains_ci(hay->v[i], needle))
			return true;
	return false;
}

/* A counter meets a threshold; unknown (-1) counts as 0. */
static bool at_least(int64_t value, int64_t min)
{
	return (value < 0 ? 0 : value) >= min;
}

bool filter_match(const struct filter *f, const struct entry *e, int64_t now)
{
	int64_t min_seen;

	if (f->impossible)
		return false;
	if (!at_least(e->upvotes, f->min_upvotes) ||
	    !at_least(e->github_stars, f->min_stars) ||
	    !at_least(e->comments, f->min_comments))
		return false;
	if (f->has_code != -1 && (e->github_repo != NULL) != (f->has_code == 1))
		return false;
	min_seen = filter_min_first_seen(f, now);
	if (min_seen != 0 && e->first_seen_at < min_seen)
		return false;
	if (f->sources_set) {
		bool any = false;

		for (size_t i = 0; i < f->sources.n && !any; i++)
			any = strv_contains(&e->sources, f->sources.v[i]);
		if (!any)
			return false;
	}
	for (size_t i = 0; i < f->titles.n; i++)
		if (e->title == NULL ||
		    !text_contains_ci(e->title, f->titles.v[i]))
			return false;
	for (size_t i = 0; i < f->authors.n; i++)
		if (!any_contains(&e->authors, f->authors.v[i]))
			return false;
	for (size_t i = 0; i < f->keywords.n; i++)
		if (!any_equals(&e->ai_keywords, f->keywords.v[i]))
			return false;
	for (size_t i = 0; i < f->n_clauses; i++)
		if (!clause_holds(&f->clauses[i], e))
			return false;
	return true;
}

/*
 * FTS5's unicode61 tokenizer splits on Unicode punctuation and symbols,
 * which our tokens keep when they are non-ASCII ("—" is a token here). A
 * phrase FTS5 sees as empty matches nothing, so a term without an ASCII
 * letter or digit cannot be trusted to stay a superset; its clause is left
 * out of the expression (filter_match still applies it).
 */
static bool term_is_fts_safe(const struct strv *term)
{
	for (size_t i = 0; i < term->n; i++)
		for (const char *p = term->v[i]; *p != '\0'; p++)
			if ((*p >= '0' && *p <= '9') ||
			    (*p >= 'a' && *p <= 'z'))
				return true;
	return false;
}

static bool clause_is_fts_safe(const struct filter_clause *c)
{
	if (c->negate)
		return false;
	for (size_t i = 0; i < c->n_alts; i++)
		if (!term_is_fts_safe(&c->alts[i].tokens))
			return false;
	return true;
}

/* Writes term as one FTS5 string: "tok1 tok2", with quotes doubled. */
static int fts_phrase(struct buf *b, const struct strv *term)
{
	if (buf_puts(b, "\"") != 0)
		return -1;
	for (size_t i = 0; i < term->n; i++) {
		if (i > 0 && buf_puts(b, " ") != 0)
			return -1;
		for (const char *p = term->v[i]; *p != '\0'; p++)
			if (buf_append(b, p, 1) != 0 ||
			    (*p == '"' && buf_append(b, p, 1) != 0))
				return -1;
	}
	return buf_puts(b, "\"");
}

/* NULL also when memory runs out or the expression exceeds
 * FILTER_FTS_EXPR_BYTES: the store then scans without the index, and
 * filter_match keeps the result exact. */
char *filter_fts_expr(const struct filter *f)
{
	struct buf b;
	bool first = true;
	char *expr = NULL;

	buf_init(&b, FILTER_FTS_EXPR_BYTES);
	for (size_t i = 0; i < f->n_clauses; i++) {
		const struct filter_clause *c = &f->clauses[i];

		if (!clause_is_fts_safe(c))
			continue;
		if (!first && buf_puts(&b, " AND ") != 0)
			goto out;
		first = false;
		if (buf_puts(&b, "(") != 0)
			goto out;
		for (size_t j = 0; j < c->n_alts; j++) {
			if (j > 0 && buf_puts(&b, " OR ") != 0)
				goto out;
			if (fts_phrase(&b, &c->alts[j].tokens) != 0)
				goto out;
		}
		if (buf_puts(&b, ")") != 0)
			goto out;
	}
	if (!first)
		expr = buf_steal(&b);
out:
	buf_free(&b);
	return expr;
}
