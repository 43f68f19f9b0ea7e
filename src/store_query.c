/*
 * store_query.c: answering a filter with indexes, then filter_match.
 *
 * The SQL side only has to return a superset of the matching rows in the
 * filter's order; each candidate is then loaded and confirmed with
 * filter_match until f->limit entries matched. User text never becomes
 * SQL text: every value, the FTS5 expression included, is a bound
 * parameter.
 *
 * The plan depends on how many rows the selective parts allow:
 *  - when the full-text hits or the rows of the wanted sources number
 *    fewer than DRIVE_MAX, the smaller of them drives and SQLite sorts;
 *  - otherwise the index of the sort order is walked (it holds the whole
 *    ORDER BY, so there is no sort step) and stops as soon as f->limit
 *    rows matched; full-text hits are then tested in C against a set
 *    read lazily from FTS5 (see struct hits).
 * Without a LIMIT clause SQLite cannot know that we stop early, and would
 * often rather sort every candidate; INDEXED BY and NOT INDEXED pin the
 * plan.
 */
#include "store_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

/*
 * Below this many candidate rows (full-text hits, or rows of the wanted
 * sources) the candidates drive the query. From it on a candidate is at
 * least one row in a hundred (at 100,000 entries), so the sort-order walk
 * meets f->limit matches after a few thousand index entries, which is
 * cheaper than sorting the candidates.
 */
#define DRIVE_MAX 1000

enum drive {
	DRIVE_INDEX,   /* walk the sort index */
	DRIVE_FTS,     /* start from the full-text hits */
	DRIVE_SOURCES, /* start from the rows of the wanted sources */
};

/* Longest SQL text and FTS5 expression store_query writes. */
#define QUERY_SQL_BYTES (64 * 1024)
#define QUERY_FTS_BYTES (128 * 1024)

/*
 * The full-text hits as a set of row ids, read lazily in descending
 * order. Row ids grow with first_seen_at, so a walk in first_seen or
 * published order asks about ever older rows and only the hits down to
 * the oldest row it visits are read; a walk in upvotes order soon needs
 * them all.
 */
struct hits {
	sqlite3_stmt *st; /* ST_FTS_HITS, stepping; NULL once exhausted */
	int64_t *v;       /* hits read so far, descending */
	size_t n, cap;
	bool unordered; /* FTS5 broke ORDER BY rowid DESC (never seen) */
};

static int desc_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y) - (x > y);
}

/* Ends the stream; v is then in descending order. */
static void hits_end(struct store *s, struct hits *h)
{
	if (h->st == NULL)
		return;
	store_stmt(s, ST_FTS_HITS);
	h->st = NULL;
	if (h->unordered)
		qsort(h->v, h->n, sizeof(*h->v), desc_cmp);
}

/* Reads hits until every hit >= rowid is known, or max hits are known,
 * or the stream ends. Once out of order, it reads everything. 0 or -1. */
static int hits_read(struct store *s, struct hits *h, int64_t rowid, size_t max,
    struct pw_error *err)
{
	while (h->st != NULL &&
	       (h->unordered ||
	           (h->n < max && (h->n == 0 || h->v[h->n - 1] > rowid)))) {
		int rc = sqlite3_step(h->st);

		if (rc == SQLITE_DONE) {
			hits_end(s, h);
			break;
		}
		if (rc != SQLITE_ROW) {
			store_db_error(s, err, "full-text query");
			hits_end(s, h);
			return -1;
		}
		if (h->n == h->cap) {
			size_t ncap = h->cap ? h->cap * 2 : 1024;
			int64_t *nv = realloc(h->v, ncap * sizeof(*nv));

			if (nv == NULL) {
				hits_end(s, h);
				return pw_error_set(
				    err, "store: out of memory");
			}
			h->v = nv;
			h->cap = ncap;
		}
		h->v[h->n++] = sqlite3_column_int64(h->st, 0);
		if (h->n > 1 && h->v[h->n - 2] <= h->v[h->n - 1])
			h->unordered = true;
	}
	return 0;
}

/* Starts reading the hits of expr, up to the first DRIVE_MAX. */
static int hits_start(
    struct store *s, struct hits *h, const char *expr, struct pw_error *err)
{
	h->st = store_stmt(s, ST_FTS_HITS);
	sqlite3_bind_text(h->st, 1, expr, -1, SQLITE_STATIC);
	return hits_read(s, h, INT64_MIN, DRIVE_MAX, err);
}

/* 1 when rowid is a hit, 0 when not, -1 on error. */
static int hits_has(
    struct store *s, struct hits *h, int64_t rowid, struct pw_error *err)
{
	if (hits_read(s, h, rowid, SIZE_MAX, err) != 0)
		return -1;
	return bsearch(&rowid, h->v, h->n, sizeof(*h->v), desc_cmp) != NULL;
}

/* Appends an FTS5 string for s ("..." with quotes doubled). */
static int fts_string(struct buf *b, const char *s)
{
	if (buf_puts(b, "\"") != 0)
		return -1;
	for (; *s != '\0'; s++)
		if (buf_append(b, s, 1) != 0 ||
		    (*s == '"' && buf_append(b, s, 1) != 0))
			return -1;
	return buf_puts(b, "\"");
}

/*
 * true when the phrase of a keyword matches in the ai_keywords column
 * (JSON text, tokenized by the ascii tokenizer) whenever an entry has
 * that keyword: it must have a token byte (an ASCII letter or digit, or a
 * non-ASCII byte), and no control character, which JSON would escape into
 * letters.
 */
static bool keyword_is_fts_safe(const char *kw)
{
	bool token = false;

	for (const unsigned char *p = (const unsigned char *)kw; *p; p++) {
		if (*p < 0x20)
			return false;
		if (*p >= 0x80 || (*p >= '0' && *p <= '9') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			token = true;
	}
	return token;
}

/*
 * new: the FTS5 expression for f: filter_fts_expr (the q clauses) AND one
 * ai_keywords phrase per keyword. NULL when there is none, and when
 * memory runs out, which only costs speed: filter_match keeps the result
 * exact.
 */
static char *fts_expr(const struct filter *f)
{
	char *q = filter_fts_expr(f);
	struct buf b;
	char *out = NULL;

	buf_init(&b, QUERY_FTS_BYTES);
	if (q != NULL && buf_printf(&b, "(%s)", q) != 0)
		goto done;
	for (size_t i = 0; i < f->keywords.n; i++) {
		if (!keyword_is_fts_safe(f->keywords.v[i]))
			continue;
		if ((b.len > 0 && buf_puts(&b, " AND ") != 0) ||
		    buf_puts(&b, "ai_keywords : ") != 0 ||
		    fts_string(&b, f->keywords.v[i]) != 0)
			goto done;
	}
	if (b.len > 0)
		out = buf_steal(&b);
done:
	buf_free(&b);
	free(q);
	return out;
}

/* One value the query binds, in the order its SQL names them. */
struct qparam {
	const char *text; /* NULL: the integer num */
	int64_t num;
};

struct qbuild {
	struct buf sql;
	struct qparam *params;
	size_t n_params;
	struct strv likes; /* LIKE patterns; params point into them */
	bool oom;
};

static void qb_sql(struct qbuild *qb, const char *text)
{
	if (buf_puts(&qb->sql, text) != 0)
		qb->oom = true;
}

static void qb_int(struct qbuild *qb, const char *cond, int64_t v)
{
	qb_sql(qb, cond);
	qb->params[qb->n_params].text = NULL;
	qb->params[qb->n_params++].num = v;
}

static void qb_text(struct qbuild *qb, const char *cond, const char *v)
{
	qb_sql(qb, cond);
	qb->params[qb->n_params].text = v;
	qb->params[qb->n_params++].num = 0;
}

/*
 * Adds "AND column LIKE '%needle%'" for a substring filter: a superset of
 * text_contains_ci, since LIKE also folds ASCII case. In the authors
 * column (JSON) '"', '\' and control characters are escaped, so needles
 * with them are left to filter_match alone, as is a needle that is not
 * clean UTF-8 (LIKE compares characters, the filter bytes).
 */
static void qb_like(struct qbuild *qb, const char *column, const char *needle)
{
	struct buf pat;
	char *p;

	if (!text_is_clean_utf8(needle, strlen(needle)))
		return;
	for (const char *c = needle; *c != '\0'; c++)
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
			return;
	buf_init(&pat, 2 * strlen(needle) + 2);
	if (buf_puts(&pat, "%") != 0)
		goto oom;
	for (const char *c = needle; *c != '\0'; c++)
		if (((*c == '%' || *c == '_') && buf_puts(&pat, "\\") != 0) ||
		    buf_append(&pat, c, 1) != 0)
			goto oom;
	if (buf_puts(&pat, "%") != 0 || (p = buf_steal(&pat)) == NULL ||
	    strv_push_owned(&qb->likes, p) != 0)
		goto oom;
	qb_sql(qb, " AND ");
	qb_sql(qb, column);
	qb_text(qb, " LIKE ? ESCAPE '\\'", p);
	return;
oom:
	buf_free(&pat);
	qb->oom = true;
}

/* Per sort order: the index that holds the whole ORDER BY (see
 * store_schema.c), and that ORDER BY. */
static const char *const sort_index[] = {
    [FILTER_SORT_FIRST_SEEN] = "entries_by_first_seen",
    [FILTER_SORT_PUBLISHED] = "entries_by_published",
    [FILTER_SORT_UPVOTES] = "entries_by_upvotes",
};

static const char *const sort_order[] = {
    [FILTER_SORT_FIRST_SEEN] = " ORDER BY e.first_seen_at DESC,"
                               " COALESCE(e.upvotes, 0) DESC, e.id",
    [FILTER_SORT_PUBLISHED] = " ORDER BY COALESCE(e.published_at,"
                              " e.first_seen_at) DESC, e.id",
    [FILTER_SORT_UPVOTES] = " ORDER BY COALESCE(e.upvotes, 0) DESC,"
                            " e.first_seen_at DESC, e.id",
};

static enum filter_sort sort_of(const struct filter *f)
{
	if (f->sort == FILTER_SORT_PUBLISHED || f->sort == FILTER_SORT_UPVOTES)
		return f->sort;
	return FILTER_SORT_FIRST_SEEN;
}

/* Appends "(?, ?, ...)" binding the wanted sources. */
static void qb_sources(struct qbuild *qb, const struct filter *f)
{
	for (size_t i = 0; i < f->sources.n; i++)
		qb_text(qb, i == 0 ? "(?" : ", ?", f->sources.v[i]);
	qb_sql(qb, ")");
}

/*
 * Writes the candidate SELECT for f into qb, driven as drive says. The
 * full-text condition is only written when the hits drive; otherwise
 * collect tests it. 0 or -1.
 */
static int build_query(const struct filter *f, int64_t now, const char *fts,
    enum drive drive, struct qbuild *qb, struct pw_error *err)
{
	int64_t min_seen = filter_min_first_seen(f, now);
	enum filter_sort sort = sort_of(f);

	qb_sql(qb, "SELECT e.rowid FROM entries AS e ");
	switch (drive) {
	case DRIVE_FTS:
		qb_text(qb,
		    "NOT INDEXED WHERE e.rowid IN (SELECT rowid FROM"
		    " entries_fts WHERE entries_fts MATCH ?)",
		    fts);
		break;
	case DRIVE_SOURCES:
		qb_sql(qb, "NOT INDEXED WHERE e.rowid IN (SELECT entry_rowid"
		           " FROM entry_sources WHERE source IN ");
		qb_sources(qb, f);
		qb_sql(qb, ")");
		break;
	case DRIVE_INDEX:
		qb_sql(qb, "INDEXED BY ");
		qb_sql(qb, sort_index[sort]);
		qb_sql(qb, " WHERE 1");
		break;
	}
	if (min_seen > 0)
		qb_int(qb, " AND e.first_seen_at >= ?", min_seen);
	/* With a threshold above 0 an unknown counter fails either way;
	 * upvotes is written as indexed. */
	if (f->min_upvotes > 0)
		qb_int(qb, " AND COALESCE(e.upvotes, 0) >= ?", f->min_upvotes);
	if (f->min_stars > 0)
		qb_int(qb, " AND e.github_stars >= ?", f->min_stars);
	if (f->min_comments > 0)
		qb_int(qb, " AND e.comments >= ?", f->min_comments);
	if (f->has_code == 1)
		qb_sql(qb, " AND e.github_repo IS NOT NULL");
	else if (f->has_code == 0)
		qb_sql(qb, " AND e.github_repo IS NULL");
	for (size_t i = 0; i < f->titles.n; i++)
		qb_like(qb, "e.title", f->titles.v[i]);
	for (size_t i = 0; i < f->authors.n; i++)
		qb_like(qb, "e.authors", f->authors.v[i]);
	if (f->sources.n > 0 && drive != DRIVE_SOURCES) {
		qb_sql(qb, " AND EXISTS (SELECT 1 FROM entry_sources AS es"
		           " WHERE es.entry_rowid = e.rowid AND es.source IN ");
		qb_sources(qb, f);
		qb_sql(qb, ")");
	}
	qb_sql(qb, sort_order[sort]);
	if (qb->oom)
		return pw_error_set(err, "store: out of memory");
	return 0;
}

/* Prepares qb's SQL and binds its parameters. NULL on error. */
static sqlite3_stmt *prepare_query(
    struct store *s, const struct qbuild *qb, struct pw_error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, buf_str(&qb->sql), -1, &st, NULL) !=
	    SQLITE_OK) {
		store_db_error(s, err, "prepare query");
		return NULL;
	}
	for (size_t i = 0; i < qb->n_params; i++) {
		const struct qparam *p = &qb->params[i];
		int rc;

		if (p->text == NULL)
			rc = sqlite3_bind_int64(st, (int)i + 1, p->num);
		else
			rc = sqlite3_bind_text(
			    st, (int)i + 1, p->text, -1, SQLITE_STATIC);
		if (rc != SQLITE_OK) {
			store_db_error(s, err, "bind query");
			sqlite3_finalize(st);
			return NULL;
		}
	}
	return st;
}

/* Steps st (candidate row ids in order), appending each candidate that
 * is a hit (when hits is not NULL) and satisfies f, up to f->limit. */
static int collect(struct store *s, sqlite3_stmt *st, const struct filter *f,
    int64_t now, struct hits *hits, struct entry_list *out,
    struct pw_error *err)
{
	size_t limit = f->limit > 0 ? (size_t)f->limit : 0;
	size_t found = 0;
	int rc = SQLITE_DONE;

	while (found < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t rowid = sqlite3_column_int64(st, 0);
		sqlite3_stmt *load;
		struct entry *e;

		if (hits != NULL) {
			int hit = hits_has(s, hits, rowid, err);

			if (hit < 0)
				return -1;
			if (!hit)
				continue;
		}
		load = store_stmt(s, ST_BY_ROWID);
		sqlite3_bind_int64(load, 1, rowid);
		if (store_row_load(s, load, true, &e, &rowid, err) != 0)
			return -1;
		if (e == NULL || !filter_match(f, e, now)) {
			entry_free(e);
			continue;
		}
		if (entry_list_push(out, e) != 0)
			return pw_error_set(err, "store: out of memory");
		found++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, err, "query");
	return 0;
}

/* Counts the rows of the wanted sources, stopping at DRIVE_MAX. -1 on
 * error. */
static int64_t source_rows(
    struct store *s, const struct filter *f, struct pw_error *err)
{
	int64_t total = 0;

	for (size_t i = 0; i < f->sources.n && total < DRIVE_MAX; i++) {
		sqlite3_stmt *st = store_stmt(s, ST_SOURCE_ROWS);
		int rc;

		sqlite3_bind_text(st, 1, f->sources.v[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, DRIVE_MAX);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			store_db_error(s, err, "count source rows");
			sqlite3_reset(st);
			return -1;
		}
		total += sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return total;
}

/* Chooses the plan (see the top of this file); with hits of fts started
 * in h. *empty is set when some part already matches nothing. 0 or -1. */
static int choose_drive(struct store *s, const struct filter *f,
    const char *fts, struct hits *h, enum drive *drive, bool *empty,
    struct pw_error *err)
{
	size_t best = DRIVE_MAX;

	*drive = DRIVE_INDEX;
	*empty = false;
	if (fts != NULL) {
		if (hits_start(s, h, fts, err) != 0)
			return -1;
		if (h->st == NULL && h->n < best) {
			*drive = DRIVE_FTS;
			best = h->n;
		}
	}
	if (f->sources.n > 0) {
		int64_t n = source_rows(s, f, err);

		if (n < 0)
			return -1;
		if ((size_t)n < best)
			*drive = DRIVE_SOURCES;
		best = (size_t)n < best ? (size_t)n : best;
	}
	*empty = best == 0;
	return 0;
}

int store_query(struct store *s, const struct filter *f, int64_t now,
    struct entry_list *out, struct pw_error *err)
{
	struct qbuild qb = {0};
	struct hits hits = {0};
	sqlite3_stmt *st = NULL;
	enum drive drive;
	size_t n0 = out->n;
	bool empty;
	char *fts = NULL;
	int rc = -1;

	/* An empty merged source list is a contradiction too. */
	if (f->impossible || (f->sources_set && f->sources.n == 0))
		return 0;
	buf_init(&qb.sql, QUERY_SQL_BYTES);
	fts = fts_expr(f);
	if (choose_drive(s, f, fts, &hits, &drive, &empty, err) != 0)
		goto done;
	if (empty) {
		rc = 0;
		goto done;
	}
	/* At most: fts, since, three thresholds, the substrings, sources. */
	qb.params = calloc(
	    5 + f->titles.n + f->authors.n + f->sources.n, sizeof(*qb.params));
	if (qb.params == NULL) {
		pw_error_set(err, "store: out of memory");
		goto done;
	}
	if (build_query(f, now, fts, drive, &qb, err) != 0)
		goto done;
	st = prepare_query(s, &qb, err);
	if (st == NULL)
		goto done;
	rc = collect(s, st, f, now,
	    fts != NULL && drive != DRIVE_FTS ? &hits : NULL, out, err);
done:
	sqlite3_finalize(st);
	hits_end(s, &hits);
	free(fts);
	free(hits.v);
	free(qb.params);
	strv_free(&qb.likes);
	buf_free(&qb.sql);
	/* On failure out is left as it was. */
	while (rc != 0 && out->n > n0)
		entry_free(out->v[--out->n]);
	return rc;
}
