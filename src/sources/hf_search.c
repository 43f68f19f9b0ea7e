/*
 * hf_search.c: the Hugging Face papers search API,
 * GET {url}?q=QUERY&limit=N, one request per poll, answered with a JSON
 * array of the daily list's paper wrappers in relevance order.
 *
 * Config keys: "query" (required, 1 to CAP_SEARCH_QUERY_CHARS characters,
 * not only white space) and "limit" (1 to CAP_SEARCH_LIMIT_MAX, default
 * CAP_SEARCH_LIMIT_DEFAULT). Entries carry the source's name like any
 * other, so /feed.atom?source=NAME is "everything this search returned";
 * feeds still order them by first_seen, not by relevance.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "../urlq.h"
#include "../caps.h"
#include "source.h"

#define HF_SEARCH_DEFAULT_URL "https://huggingface.co/api/papers/search"

static const char *const hf_search_keys[] = {"query", "limit", NULL};

/* Unicode characters in the valid UTF-8 string s[0..len). */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static bool only_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (strchr(" \t\r\n\f\v", s[i]) == NULL)
			return false;
	return true;
}

static int hf_search_check(
    const json_t *opts, source_report_fn report, void *ctx)
{
	const json_t *q = json_object_get(opts, "query");
	char msg[96];
	int rc = 0;

	rc |= source_check_int(
	    opts, "limit", 1, CAP_SEARCH_LIMIT_MAX, report, ctx);
	snprintf(msg, sizeof(msg),
	    "expected a string of 1 to %d characters, not only spaces",
	    CAP_SEARCH_QUERY_CHARS);
	if (q == NULL) {
		report(ctx, "query", "required for type hf_search");
		rc = -1;
	} else if (!json_is_string(q) ||
	           memchr(json_string_value(q), '\0', json_string_length(q)) !=
	               NULL ||
	           utf8_chars(json_string_value(q), json_string_length(q)) >
	               CAP_SEARCH_QUERY_CHARS ||
	           only_space(json_string_value(q), json_string_length(q))) {
		/* jansson strings are valid UTF-8; a "\u0000" inside one would
		 * cut the query short, so it is refused too. */
		report(ctx, "query", msg);
		rc = -1;
	}
	return rc;
}

/* One step, one page: the search API has no paging beyond limit. The
 * query is appended to whatever query the configured url already has. */
static char *hf_search_request_url(
    const struct source_params *p, unsigned step, unsigned page)
{
	const char *base = p->url != NULL ? p->url : HF_SEARCH_DEFAULT_URL;
	const char *query = source_opt_str(p->options, "query", NULL);
	long long limit =
	    source_opt_int(p->options, "limit", CAP_SEARCH_LIMIT_DEFAULT);
	char limitstr[24];
	char *curl_str = NULL, *url = NULL;
	CURLU *u;

	if (step > 0 || page > 0 || query == NULL)
		return NULL;
	if (limit < 1 || limit > CAP_SEARCH_LIMIT_MAX)
		limit = CAP_SEARCH_LIMIT_DEFAULT;
	snprintf(limitstr, sizeof(limitstr), "%lld", limit);
	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    urlq_append(u, "q", query) != 0 ||
	    urlq_append(u, "limit", limitstr) != 0 ||
	    curl_url_get(u, CURLUPART_URL, &curl_str, 0) != CURLUE_OK)
		goto done;
	url = strdup(curl_str);
done:
	curl_free(curl_str);
	curl_url_cleanup(u);
	return url;
}

/* The search API answers with the daily list's array of wrappers, so the
 * daily adapter's parser reads it (entries tagged with p->name). */
static int hf_search_parse(const struct source_params *p, const char *body,
    size_t len, struct entry_list *out, size_t *items, size_t *skipped,
    struct pw_error *err)
{
	return source_hf_daily_ops.parse(
	    p, body, len, out, items, skipped, err);
}

const struct source_ops source_hf_search_ops = {
    .type = "hf_search",
    .keys = hf_search_keys,
    .check = hf_search_check,
    .default_url = HF_SEARCH_DEFAULT_URL,
    .page_size = 0,
    .request_url = hf_search_request_url,
    .parse = hf_search_parse,
};
