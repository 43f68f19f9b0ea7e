/*
 * store_row.c: struct entry to SQL parameters and back.
 *
 * Unknown values are SQL NULL: NULL strings, empty lists, counters of -1
 * and dates of 0. Lists (authors, ai_keywords) are stored as compact JSON
 * arrays with UTF-8 kept as is.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int bind_text_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Binds v, or NULL when v is the "unknown" value. */
static int bind_int_opt(sqlite3_stmt *st, int i, int64_t v, int64_t unknown)
{
	if (v == unknown)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_int64(st, i, v);
}

/* new: a compact JSON array of sv's strings, or NULL (out of memory or a
 * string that is not UTF-8). */
static char *strv_to_json(const struct strv *sv)
{
	json_t *arr = json_array();
	char *out = NULL;

	if (arr == NULL)
		return NULL;
	for (size_t i = 0; i < sv->n; i++)
		if (json_array_append_new(arr, json_string(sv->v[i])) != 0)
			goto done;
	out = json_dumps(arr, JSON_COMPACT);
done:
	json_decref(arr);
	return out;
}

/* Binds a list as a JSON array; an empty list is NULL. */
static int bind_strv(sqlite3_stmt *st, int i, const struct strv *sv)
{
	char *json;

	if (sv->n == 0)
		return sqlite3_bind_null(st, i);
	json = strv_to_json(sv);
	if (json == NULL)
		return SQLITE_MISMATCH;
	return sqlite3_bind_text(st, i, json, -1, free);
}

int store_row_bind(sqlite3_stmt *st, const struct entry *e,
    int64_t first_seen_at, int64_t updated_at)
{
	int rc = SQLITE_OK;

#define BIND(call)                                                             \
	do {                                                                   \
		if (rc == SQLITE_OK)                                           \
			rc = (call);                                           \
	} while (0)
	BIND(bind_text_opt(st, 1, e->id));
	BIND(bind_text_opt(st, 2, e->title));
	BIND(bind_text_opt(st, 3, e->summary));
	BIND(bind_strv(st, 4, &e->authors));
	BIND(bind_int_opt(st, 5, (int64_t)e->authors.n, 0));
	BIND(bind_int_opt(st, 6, e->published_at, 0));
	BIND(bind_int_opt(st, 7, e->listed_at, 0));
	BIND(sqlite3_bind_int64(st, 8, first_seen_at));
	BIND(sqlite3_bind_int64(st, 9, updated_at));
	BIND(bind_int_opt(st, 10, e->upvotes, -1));
	BIND(bind_int_opt(st, 11, e->comments, -1));
	BIND(bind_text_opt(st, 12, e->github_repo));
	BIND(bind_int_opt(st, 13, e->github_stars, -1));
	BIND(bind_text_opt(st, 14, e->project_page));
	BIND(bind_text_opt(st, 15, e->ai_summary));
	BIND(bind_strv(st, 16, &e->ai_keywords));
	BIND(bind_text_opt(st, 17, e->thumbnail));
	BIND(bind_text_opt(st, 18, e->organization));
	BIND(bind_text_opt(st, 19, e->hf_url));
	BIND(bind_text_opt(st, 20, e->arxiv_url));
	BIND(bind_text_opt(st, 21, e->pdf_url));
	BIND(bind_text_opt(st, 22, e->url));
	BIND(bind_strv(st, 23, &e->categories));
	BIND(bind_text_opt(st, 24, e->comment));
#undef BIND
	return rc;
}

/* Copies a text column (NULL stays NULL) into *out. 0 or -1. */
static int col_text(sqlite3_stmt *st, int i, char **out)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	*out = NULL;
	if (v == NULL)
		return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : -1;
	*out = strdup((const char *)v);
	return *out != NULL ? 0 : -1;
}

static int64_t col_int(sqlite3_stmt *st, int i, int64_t unknown)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return unknown;
	return sqlite3_column_int64(st, i);
}

/* Fills the empty sv from a JSON array column (NULL: stays empty).
 * 0 or -1 (out of memory or not an array of strings). */
static int col_strv(sqlite3_stmt *st, int i, struct strv *sv)
{
	const char *text = (const char *)sqlite3_column_text(st, i);
	json_t *arr, *v;
	size_t k;
	int rc = -1;

	if (text == NULL)
		return 0;
	arr = json_loads(text, 0, NULL);
	if (!json_is_array(arr))
		goto done;
	json_array_foreach(arr, k, v)
	{
		if (!json_is_string(v) || strv_push(sv, json_string_value(v)))
			goto done;
	}
	rc = 0;
done:
	json_decref(arr);
	return rc;
}

/* Reads a row of STORE_ENTRY_COLUMNS into the initialized e. 0 or -1. */
static int row_read(sqlite3_stmt *st, struct entry *e, int64_t *rowid)
{
	*rowid = sqlite3_column_int64(st, 0);
	e->published_at = col_int(st, 5, 0);
	e->listed_at = col_int(st, 6, 0);
	e->first_seen_at = col_int(st, 7, 0);
	e->updated_at = col_int(st, 8, 0);
	e->upvotes = col_int(st, 9, -1);
	e->comments = col_int(st, 10, -1);
	e->github_stars = col_int(st, 12, -1);
	if (col_text(st, 1, &e->id) || col_text(st, 2, &e->title) ||
	    col_text(st, 3, &e->summary) || col_strv(st, 4, &e->authors) ||
	    col_text(st, 11, &e->github_repo) ||
	    col_text(st, 13, &e->project_page) ||
	    col_text(st, 14, &e->ai_summary) ||
	    col_strv(st, 15, &e->ai_keywords) ||
	    col_text(st, 16, &e->thumbnail) ||
	    col_text(st, 17, &e->organization) ||
	    col_text(st, 18, &e->hf_url) || col_text(st, 19, &e->arxiv_url) ||
	    col_text(st, 20, &e->pdf_url) || col_text(st, 21, &e->url) ||
	    col_strv(st, 22, &e->categories) || col_text(st, 23, &e->comment))
		return -1;
	return 0;
}

/* Appends the sources of the entry at rowid, by name, to e->sources. */
static int load_sources(
    struct store *s, int64_t rowid, struct entry *e, struct pw_error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_SOURCES);
	int rc;

	sqlite3_bind_int64(st, 1, rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		if (name == NULL || strv_push(&e->sources, name) != 0) {
			sqlite3_reset(st);
			return pw_error_set(err, "store: out of memory");
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, err, "load sources");
	return 0;
}

int store_row_load(struct store *s, sqlite3_stmt *st, bool with_sources,
    struct entry **out, int64_t *rowid, struct pw_error *err)
{
	struct entry *e = NULL;
	int rc = sqlite3_step(st);

	*out = NULL;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		store_db_error(s, err, "load entry");
		goto fail;
	}
	e = entry_new();
	if (e == NULL || row_read(st, e, rowid) != 0) {
		pw_error_set(err, "store: cannot load entry (out of memory or "
		                  "a corrupt list column)");
		goto fail;
	}
	sqlite3_reset(st);
	if (with_sources && load_sources(s, *rowid, e, err) != 0)
		goto fail;
	*out = e;
	return 0;
fail:
	sqlite3_reset(st);
	entry_free(e);
	return -1;
}
