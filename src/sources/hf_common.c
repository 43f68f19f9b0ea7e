/* hf_common.c: Hugging Face Papers wrappers to normalized entries. */
#include "hf_common.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "../caps.h"
#include "../text.h"
#include "../timefmt.h"

#define ID_PREFIX "arxiv:"
#define ID_PREFIX_LEN (sizeof(ID_PREFIX) - 1)

/*
 * jansson's own nesting limit is a compile-time 2048, deeper than any
 * Hugging Face document needs. This scan holds untrusted bodies to
 * CAP_JSON_DEPTH before jansson sees them. It only counts brackets outside
 * strings; a malformed body is left for jansson to report.
 */
static bool json_depth_ok(const char *s, size_t len, int max)
{
	bool in_string = false;
	int depth = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				return false;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return true;
}

json_t *hf_common_load(const char *body, size_t len, struct pw_error *err)
{
	json_error_t jerr;
	json_t *root;

	if (len > (size_t)CAP_FETCH_BODY_BYTES) {
		pw_error_set(err, "document larger than %ld bytes",
		    (long)CAP_FETCH_BODY_BYTES);
		return NULL;
	}
	if (!json_depth_ok(body, len, CAP_JSON_DEPTH)) {
		pw_error_set(
		    err, "JSON nested deeper than %d levels", CAP_JSON_DEPTH);
		return NULL;
	}
	root = json_loadb(body, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (root == NULL)
		pw_error_set(err, "invalid JSON at line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
	return root;
}

const char *hf_common_type_name(const json_t *v)
{
	if (v == NULL)
		return "nothing";
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* NNNN.NNNN or NNNN.NNNNN (arXiv identifiers since April 2007). */
static bool new_style_id(const char *s, size_t len)
{
	return (len == 9 || len == 10) && all_digits(s, 4) && s[4] == '.' &&
	       all_digits(s + 5, len - 5);
}

/* archive[.XX]/NNNNNNN, archive being lowercase words joined by '-'
 * ("hep-th", "cond-mat", "math.GT"). */
static bool old_style_id(const char *s, size_t len)
{
	size_t i = 0;

	if (len < 9 || s[len - 8] != '/' || !all_digits(s + len - 7, 7))
		return false;
	len -= 8;
	for (;;) {
		size_t start = i;

		while (i < len && s[i] >= 'a' && s[i] <= 'z')
			i++;
		if (i == start)
			return false;
		if (i == len || s[i] != '-')
			break;
		i++;
	}
	if (i == len)
		return true;
	return len - i == 3 && s[i] == '.' && s[i + 1] >= 'A' &&
	       s[i + 1] <= 'Z' && s[i + 2] >= 'A' && s[i + 2] <= 'Z';
}

int hf_common_arxiv_id(const char *s, size_t len, char *out, size_t size)
{
	size_t v = len;

	/* Strip "vN": a 'v' followed by one or more digits up to the end. */
	while (v > 0 && is_digit(s[v - 1]))
		v--;
	if (v > 1 && v < len && s[v - 1] == 'v')
		len = v - 1;
	if (!new_style_id(s, len) && !old_style_id(s, len))
		return -1;
	if (len >= size)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

/*
 * Sets *out to the cleaned text of obj[key] cut at cap bytes, or to NULL
 * when the key is absent, not a string, or empty once cleaned. Returns 0,
 * or -1 when memory ran out.
 */
static int get_text(const json_t *obj, const char *key, size_t cap, char **out)
{
	const json_t *v = json_object_get(obj, key);
	char *s;

	*out = NULL;
	if (!json_is_string(v))
		return 0;
	s = text_clean(json_string_value(v), json_string_length(v), cap);
	if (s == NULL)
		return -1;
	if (s[0] == '\0')
		free(s);
	else
		*out = s;
	return 0;
}

/*
 * Like get_text, but only absolute http(s) URLs that curl can parse, and
 * only whole: a URL longer than CAP_FIELD_BYTES is dropped, not cut. (The
 * 4 spare bytes make any cut text longer than the cap: text_clean cuts
 * on a character boundary, at most 3 bytes short.)
 */
static int get_url(const json_t *obj, const char *key, char **out)
{
	CURLU *u = NULL;
	char *scheme = NULL;
	char *s;
	int rc = 0;

	if (get_text(obj, key, CAP_FIELD_BYTES + 4, &s) != 0)
		return -1;
	*out = NULL;
	if (s == NULL || strlen(s) > CAP_FIELD_BYTES)
		goto done;
	if ((u = curl_url()) == NULL) {
		rc = -1;
		goto done;
	}
	if (curl_url_set(u, CURLUPART_URL, s, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0)) {
		*out = s;
		s = NULL;
	}
done:
	curl_free(scheme);
	curl_url_cleanup(u);
	free(s);
	return rc;
}

/* A non-negative integer at obj[key], else -1 (unknown). */
static int64_t get_counter(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	return (int64_t)json_integer_value(v);
}

/* The time of the RFC 3339 string at obj[key], else 0 (unknown). */
static int64_t get_time(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	int64_t t;

	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v) ||
	    timefmt_parse_rfc3339(json_string_value(v), &t) != 0)
		return 0;
	return t;
}

/* The visible, non-empty author names in order, at most CAP_AUTHORS. */
static int get_authors(const json_t *paper, struct strv *out)
{
	const json_t *authors = json_object_get(paper, "authors");
	const json_t *a;
	size_t i;

	if (!json_is_array(authors))
		return 0;
	json_array_foreach(authors, i, a)
	{
		char *name;

		if (out->n >= CAP_AUTHORS)
			break;
		if (json_is_true(json_object_get(a, "hidden")))
			continue;
		if (get_text(a, "name", CAP_FIELD_BYTES, &name) != 0)
			return -1;
		if (name != NULL && strv_push_owned(out, name) != 0)
			return -1;
	}
	return 0;
}

/* The distinct non-empty keywords in order, at most CAP_KEYWORDS. */
static int get_keywords(const json_t *paper, struct strv *out)
{
	const json_t *kws = json_object_get(paper, "ai_keywords");
	const json_t *k;
	size_t i;

	if (!json_is_array(kws))
		return 0;
	json_array_foreach(kws, i, k)
	{
		char *s;

		if (out->n >= CAP_KEYWORDS)
			break;
		if (!json_is_string(k))
			continue;
		s = text_clean(json_string_value(k), json_string_length(k),
		    CAP_FIELD_BYTES);
		if (s == NULL)
			return -1;
		if (s[0] == '\0' || strv_contains(out, s)) {
			free(s);
			continue;
		}
		if (strv_push_owned(out, s) != 0)
			return -1;
	}
	return 0;
}

/* get_text of primary[key], else of fallback[key]. */
static int get_text_or(const json_t *primary, const json_t *fallback,
    const char *key, size_t cap, char **out)
{
	if (get_text(primary, key, cap, out) != 0)
		return -1;
	if (*out == NULL)
		return get_text(fallback, key, cap, out);
	return 0;
}

/* The display name of holder's organization: fullname, else name. */
static int get_org(const json_t *holder, char **out)
{
	const json_t *org = json_object_get(holder, "organization");

	if (get_text(org, "fullname", CAP_FIELD_BYTES, out) != 0)
		return -1;
	if (*out == NULL)
		return get_text(org, "name", CAP_FIELD_BYTES, out);
	return 0;
}

/*
 * Writes "arxiv:" and the bare id of the wrapper's paper.id into out;
 * 0, or -1 when there is no valid id.
 */
static int wrapper_id(const json_t *wrapper, char *out, size_t size)
{
	const json_t *paper = json_object_get(wrapper, "paper");
	const json_t *id = json_object_get(paper, "id");

	if (!json_is_string(id) || size < ID_PREFIX_LEN)
		return -1;
	memcpy(out, ID_PREFIX, ID_PREFIX_LEN);
	return hf_common_arxiv_id(json_string_value(id), json_string_length(id),
	    out + ID_PREFIX_LEN, size - ID_PREFIX_LEN);
}

/* Sets *out to a new copy of prefix followed by id; 0 or -1. */
static int make_link(char **out, const char *prefix, const char *id)
{
	char link[HF_COMMON_ID_BYTES + 64];

	snprintf(link, sizeof(link), "%s%s", prefix, id);
	*out = strdup(link);
	return *out != NULL ? 0 : -1;
}

int hf_common_entry(const json_t *wrapper, const char *source_name,
    int64_t listed_fallback, struct entry *e)
{
	const json_t *paper = json_object_get(wrapper, "paper");
	char id[ID_PREFIX_LEN + HF_COMMON_ID_BYTES];
	const char *bare = id + ID_PREFIX_LEN;
	int64_t listed;

	if (!json_is_object(paper) || wrapper_id(wrapper, id, sizeof(id)) != 0)
		return 1;
	if (get_text_or(paper, wrapper, "title", CAP_TITLE_BYTES, &e->title))
		return -1;
	if (e->title == NULL)
		return 1;
	if ((e->id = strdup(id)) == NULL)
		return -1;

	if (get_text_or(
	        paper, wrapper, "summary", CAP_SUMMARY_BYTES, &e->summary) ||
	    get_authors(paper, &e->authors) ||
	    get_url(paper, "githubRepo", &e->github_repo) ||
	    get_url(paper, "projectPage", &e->project_page) ||
	    get_url(wrapper, "thumbnail", &e->thumbnail) ||
	    get_text(paper, "ai_summary", CAP_SUMMARY_BYTES, &e->ai_summary) ||
	    get_keywords(paper, &e->ai_keywords))
		return -1;
	if (get_org(paper, &e->organization) ||
	    (e->organization == NULL && get_org(wrapper, &e->organization)))
		return -1;

	e->published_at = get_time(paper, "publishedAt");
	listed = get_time(paper, "submittedOnDailyAt");
	e->listed_at =
	    listed != 0 ? timefmt_day_start(listed) : listed_fallback;
	e->upvotes = get_counter(paper, "upvotes");
	e->comments = get_counter(wrapper, "numComments");
	e->github_stars = get_counter(paper, "githubStars");

	if (make_link(&e->hf_url, "https://huggingface.co/papers/", bare) ||
	    make_link(&e->arxiv_url, "https://arxiv.org/abs/", bare) ||
	    make_link(&e->pdf_url, "https://arxiv.org/pdf/", bare))
		return -1;
	if (source_name != NULL && strv_push(&e->sources, source_name) != 0)
		return -1;
	return 0;
}

int hf_common_parse_array(const json_t *array, const char *source_name,
    int64_t listed_fallback, struct entry_list *out, size_t *items,
    size_t *skipped, struct pw_error *err)
{
	struct entry_list local;
	const json_t *wrapper;
	size_t i, n_skipped = 0;
	char id[ID_PREFIX_LEN + HF_COMMON_ID_BYTES];

	entry_list_init(&local);
	if (items != NULL)
		*items = json_array_size(array);
	if (skipped != NULL)
		*skipped = 0;
	json_array_foreach(array, i, wrapper)
	{
		struct entry *e;
		int rc;

		if (i >= CAP_ITEMS_PER_DOCUMENT)
			break;
		if (wrapper_id(wrapper, id, sizeof(id)) == 0 &&
		    entry_list_find(&local, id) != NULL)
			continue;
		if ((e = entry_new()) == NULL)
			goto nomem;
		rc = hf_common_entry(wrapper, source_name, listed_fallback, e);
		if (rc != 0) {
			entry_free(e);
			if (rc < 0)
				goto nomem;
			n_skipped++;
			continue;
		}
		if (entry_list_push(&local, e) != 0)
			goto nomem;
	}
	if (entry_list_move(out, &local) != 0)
		goto nomem;
	if (skipped != NULL)
		*skipped = n_skipped;
	return 0;
nomem:
	entry_list_free(&local);
	return pw_error_set(err, "out of memory");
}
