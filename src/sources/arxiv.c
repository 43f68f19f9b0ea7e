/*
 * arxiv.c: the `arxiv` source type, in one of two modes.
 *
 * With "query", the arXiv API: GET {url}?search_query=QUERY
 * &sortBy=submittedDate&sortOrder=descending&start=S&max_results=N, newest
 * submissions first, paged 100 at a time up to "max_results" (default 100,
 * at most CAP_ARXIV_RESULTS); url defaults to
 * https://export.arxiv.org/api/query. The answer is Atom with opensearch
 * totals and arxiv: extension elements.
 *
 * With "categories" ("cs.CL+cs.AI"), the daily listing feeds:
 * GET {url}/{format}/{categories}, format "rss" (default) or "atom", url
 * defaulting to https://rss.arxiv.org. Each item carries
 * arxiv:announce_type new, cross, replace or replace-cross; "new_only":
 * true keeps new submissions only.
 *
 * Either way every paper becomes the entry "arxiv:<id>" (no version), the
 * key Hugging Face sources use, so a paper seen by both is one entry the
 * store merges: title, abstract, authors, categories (primary first),
 * the author comment, arXiv abstract and PDF links, and published_at (the
 * first version's date from the API; the announcement date of a new
 * listing item; unknown for replacements and cross-lists, whose listing
 * date is not the paper's). Hugging Face's links and counters are left
 * alone.
 *
 * arXiv reports a bad query as a document with one entry titled "Error",
 * and a misspelled listing archive as a feed titled "Feed error for
 * query"; both are failed polls with arXiv's message. An empty answer is
 * a valid empty listing.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "../urlq.h"
#include "../caps.h"
#include "../text.h"
#include "feed_common.h"
#include "hf_common.h"
#include "source.h"

#define ARXIV_API_URL "https://export.arxiv.org/api/query"
#define ARXIV_LISTING_URL "https://rss.arxiv.org"
#define ARXIV_PAGE_SIZE 100
#define ARXIV_RESULTS_DEFAULT 100
#define ARXIV_OAI_PREFIX "oai:arXiv.org:"
#define ARXIV_LISTING_ERROR "Feed error for query"

_Static_assert(CAP_ARXIV_RESULTS <= ARXIV_PAGE_SIZE * CAP_POLL_PAGES,
    "every result of max_results must be reachable within CAP_POLL_PAGES");

static const char *const arxiv_keys[] = {
    "query", "categories", "format", "max_results", "new_only", NULL};
static const char *const arxiv_formats[] = {"rss", "atom", NULL};

/* true for "cs", "cs.CL", "astro-ph.GA", "physics.flu-dyn" ... joined by
 * '+', as rss.arxiv.org takes them. */
static bool valid_categories(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CAP_ARXIV_CATEGORIES_BYTES)
		return false;
	for (;;) {
		size_t arch = strspn(s, "abcdefghijklmnopqrstuvwxyz-");

		if (arch == 0)
			return false;
		s += arch;
		if (*s == '.') {
			size_t sub =
			    strspn(s + 1, "abcdefghijklmnopqrstuvwxyz"
			                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ-");

			if (sub == 0)
				return false;
			s += 1 + sub;
		}
		if (*s == '\0')
			return true;
		if (*s != '+')
			return false;
		s++;
	}
}

static bool valid_query(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CAP_ARXIV_QUERY_BYTES)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return false;
	return true;
}

static int arxiv_check(const json_t *opts, source_report_fn report, void *ctx)
{
	const json_t *q = json_object_get(opts, "query");
	const json_t *c = json_object_get(opts, "categories");
	const json_t *only = json_object_get(opts, "new_only");
	char msg[128];
	int rc = 0;

	if (q != NULL &&
	    (!json_is_string(q) || !valid_query(json_string_value(q)))) {
		snprintf(msg, sizeof(msg),
		    "expected an arXiv search query of 1 to %d bytes",
		    CAP_ARXIV_QUERY_BYTES);
		report(ctx, "query", msg);
		rc = -1;
	}
	if (c != NULL &&
	    (!json_is_string(c) || !valid_categories(json_string_value(c)))) {
		report(ctx, "categories",
		    "expected arXiv categories joined by '+', like "
		    "\"cs.CL+cs.AI\"");
		rc = -1;
	}
	if (q != NULL && c != NULL) {
		report(ctx, "categories", "cannot be combined with query");
		rc = -1;
	} else if (q == NULL && c == NULL) {
		report(ctx, "query",
		    "an arxiv source needs query (the arXiv API) or categories "
		    "(the listing feeds)");
		rc = -1;
	}
	rc |= source_check_enum(opts, "format", arxiv_formats, report, ctx);
	rc |= source_check_int(
	    opts, "max_results", 1, CAP_ARXIV_RESULTS, report, ctx);
	if (only != NULL && !json_is_boolean(only)) {
		report(ctx, "new_only", "expected true or false");
		rc = -1;
	}
	if (c == NULL &&
	    (json_object_get(opts, "format") != NULL || only != NULL)) {
		report(ctx,
		    json_object_get(opts, "format") != NULL ? "format"
		                                            : "new_only",
		    "only applies with categories");
		rc = -1;
	}
	if (q == NULL && json_object_get(opts, "max_results") != NULL) {
		report(ctx, "max_results", "only applies with query");
		rc = -1;
	}
	return rc;
}

/* Page `page` of the API query: start = 100 * page, up to max_results. */
static int api_url(
    const struct source_params *p, const char *query, unsigned page, CURLU *u)
{
	long long total =
	    source_opt_int(p->options, "max_results", ARXIV_RESULTS_DEFAULT);
	long long start = (long long)page * ARXIV_PAGE_SIZE;
	char startstr[24], countstr[24];

	if (total < 1 || total > CAP_ARXIV_RESULTS)
		total = ARXIV_RESULTS_DEFAULT;
	if (start >= total)
		return -1;
	snprintf(startstr, sizeof(startstr), "%lld", start);
	snprintf(countstr, sizeof(countstr), "%lld",
	    total - start < ARXIV_PAGE_SIZE ? total - start : ARXIV_PAGE_SIZE);
	if (curl_url_set(u, CURLUPART_URL,
	        p->url != NULL ? p->url : ARXIV_API_URL, 0) != CURLUE_OK ||
	    urlq_append(u, "search_query", query) != 0 ||
	    urlq_append(u, "sortBy", "submittedDate") != 0 ||
	    urlq_append(u, "sortOrder", "descending") != 0 ||
	    urlq_append(u, "start", startstr) != 0 ||
	    urlq_append(u, "max_results", countstr) != 0)
		return -1;
	return 0;
}

/* The listing: {base}/{format}/{categories}, base being the configured
 * url or rss.arxiv.org (the type's default url is the API's). */
static int listing_url(
    const struct source_params *p, const char *categories, CURLU *u)
{
	const char *base =
	    json_object_get(p->options, "url") != NULL && p->url != NULL
	        ? p->url
	        : ARXIV_LISTING_URL;
	const char *format = source_opt_str(p->options, "format", "rss");
	char *path = NULL, *joined = NULL;
	size_t n, plen;
	int rc = -1;

	if (!valid_categories(categories) ||
	    curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto done;
	plen = strlen(path);
	while (plen > 0 && path[plen - 1] == '/')
		plen--;
	n = plen + strlen(format) + strlen(categories) + 3;
	if ((joined = malloc(n)) == NULL)
		goto done;
	snprintf(joined, n, "%.*s/%s/%s", (int)plen, path, format, categories);
	if (curl_url_set(u, CURLUPART_PATH, joined, 0) == CURLUE_OK)
		rc = 0;
done:
	curl_free(path);
	free(joined);
	return rc;
}

/* One step: the query's pages, or the listing (one page). */
static char *arxiv_request_url(
    const struct source_params *p, unsigned step, unsigned page)
{
	const char *query = source_opt_str(p->options, "query", NULL);
	const char *categories = source_opt_str(p->options, "categories", NULL);
	char *curl_str = NULL, *url = NULL;
	CURLU *u;
	int rc;

	if (step > 0 || (query == NULL && categories == NULL) ||
	    (query == NULL && page > 0))
		return NULL;
	if ((u = curl_url()) == NULL)
		return NULL;
	rc = query != NULL ? api_url(p, query, page, u)
	                   : listing_url(p, categories, u);
	if (rc == 0 &&
	    curl_url_get(u, CURLUPART_URL, &curl_str, 0) == CURLUE_OK)
		url = strdup(curl_str);
	curl_free(curl_str);
	curl_url_cleanup(u);
	return url;
}

/* Writes the bare arXiv id of an item into out: from its link, else from
 * its id (an abstract URL, or "oai:arXiv.org:ID" in the listings). */
static int item_id(const struct feed_item *it, char *out, size_t size)
{
	const size_t plen = sizeof(ARXIV_OAI_PREFIX) - 1;

	if (it->link != NULL && feed_common_arxiv_id(it->link, out, size) == 0)
		return 0;
	if (it->guid == NULL)
		return -1;
	if (feed_common_arxiv_id(it->guid, out, size) == 0)
		return 0;
	if (strncmp(it->guid, ARXIV_OAI_PREFIX, plen) == 0)
		return hf_common_arxiv_id(
		    it->guid + plen, strlen(it->guid + plen), out, size);
	return -1;
}

/* Pushes s cleaned (when not empty) to out, unless it holds max strings
 * or, with distinct set, s is there already (categories only: at most
 * CAP_KEYWORDS, so the quadratic check stays cheap). 0 or -1. */
static int push_clean(
    struct strv *out, const char *s, size_t len, size_t max, bool distinct)
{
	char *c;

	if (out->n >= max)
		return 0;
	if ((c = text_clean(s, len, CAP_FIELD_BYTES)) == NULL)
		return -1;
	if (c[0] == '\0' || (distinct && strv_contains(out, c))) {
		free(c);
		return 0;
	}
	return strv_push_owned(out, c);
}

/*
 * Pushes the names of one listing dc:creator to out. The listings join a
 * paper's authors with commas and add affiliations in parentheses, which
 * hold commas too: "A (Univ. X, Dept. Y), B, and C" gives A, B and C.
 */
static int split_creators(const char *s, struct strv *out)
{
	size_t len = strlen(s), k = 0;
	char *name = malloc(len + 1);
	int depth = 0, rc = 0;

	if (name == NULL)
		return -1;
	for (size_t i = 0; rc == 0; i++) {
		char c = s[i];

		if (c == '\0' || (c == ',' && depth == 0)) {
			size_t skip = 0;

			while (skip < k && name[skip] == ' ')
				skip++;
			if (k - skip > 4 &&
			    strncmp(name + skip, "and ", 4) == 0)
				skip += 4;
			rc = push_clean(
			    out, name + skip, k - skip, CAP_AUTHORS, false);
			k = 0;
			if (c == '\0')
				break;
		} else if (c == '(') {
			depth++;
		} else if (c == ')' && depth > 0) {
			depth--;
		} else if (depth == 0) {
			name[k++] = c;
		}
	}
	free(name);
	return rc;
}

/* The abstract in a listing description, which starts "arXiv:ID Announce
 * Type: new Abstract: ..."; s itself when it has no such prefix. */
static const char *listing_abstract(const char *s)
{
	const char *a;

	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	if (strncmp(s, "arXiv:", 6) != 0 ||
	    (a = strstr(s, "Abstract:")) == NULL || a - s > 200)
		return s;
	return a + 9;
}

/* Sets *out to the plain text of raw (never read as HTML). 0 or -1. */
static int plain(const char *raw, size_t cap, char **out)
{
	const struct feed_text t = {(char *)raw, FEED_TEXT_PLAIN};

	return feed_common_plain(&t, cap, out);
}

/*
 * Fills e from one item whose bare arXiv id is bare. 0 when e is
 * complete, 1 when the item has no title (skipped), -1 out of memory.
 */
static int item_entry(const struct source_params *p, const struct feed_item *it,
    const char *bare, struct entry *e)
{
	const char *abstract =
	    it->summary.s != NULL ? it->summary.s : it->content.s;

	if (plain(it->title.s, CAP_TITLE_BYTES, &e->title) != 0)
		return -1;
	if (e->title == NULL)
		return 1;
	if ((abstract != NULL && plain(listing_abstract(abstract),
	                             CAP_SUMMARY_BYTES, &e->summary) != 0) ||
	    plain(it->arxiv_comment, CAP_FIELD_BYTES, &e->comment) != 0)
		return -1;
	for (size_t i = 0; i < it->authors.n; i++)
		if (push_clean(&e->authors, it->authors.v[i],
		        strlen(it->authors.v[i]), CAP_AUTHORS, false) != 0)
			return -1;
	for (size_t i = 0; i < it->creators.n; i++)
		if (split_creators(it->creators.v[i], &e->authors) != 0)
			return -1;
	if (it->arxiv_primary != NULL &&
	    push_clean(&e->categories, it->arxiv_primary,
	        strlen(it->arxiv_primary), CAP_KEYWORDS, true) != 0)
		return -1;
	for (size_t i = 0; i < it->categories.n; i++)
		if (push_clean(&e->categories, it->categories.v[i],
		        strlen(it->categories.v[i]), CAP_KEYWORDS, true) != 0)
			return -1;
	/* A listing's date is the announcement's: the paper's own date
	 * only for a new submission. */
	if (it->announce_type == NULL || strcmp(it->announce_type, "new") == 0)
		e->published_at = it->published;
	if (p->now > 0 && e->published_at > p->now)
		e->published_at = p->now;
	if (feed_common_set_arxiv(e, bare) != 0 ||
	    (p->name != NULL && strv_push(&e->sources, p->name) != 0))
		return -1;
	return 0;
}

/* Sets err to "arXiv: " and the cleaned message; returns -1. */
static int arxiv_error(const char *msg, struct pw_error *err)
{
	char *clean = msg != NULL ? text_clean(msg, strlen(msg), 200) : NULL;
	int rc = pw_error_set(err, "arXiv: %s",
	    clean != NULL && clean[0] != '\0' ? clean : "unspecified error");

	free(clean);
	return rc;
}

/* true when s, less surrounding white space, starts with (or, with
 * whole, is) word. */
static bool text_is(const char *s, const char *word, bool whole)
{
	size_t n = strlen(word), len;

	if (s == NULL)
		return false;
	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	if (strncmp(s, word, n) != 0)
		return false;
	if (!whole)
		return true;
	len = strspn(s + n, " \n\r\t");
	return s[n + len] == '\0';
}

/* arXiv's error documents (see the top of this file): -1 with err set. */
static int check_errors(const struct feed_doc *doc, struct pw_error *err)
{
	char bare[HF_COMMON_ID_BYTES];

	if (text_is(doc->title, ARXIV_LISTING_ERROR, false))
		return arxiv_error(doc->description, err);
	for (size_t i = 0; i < doc->n; i++) {
		const struct feed_item *it = &doc->items[i];

		if (text_is(it->title.s, ARXIV_LISTING_ERROR, false))
			return arxiv_error(it->summary.s, err);
		if (text_is(it->title.s, "Error", true) &&
		    item_id(it, bare, sizeof(bare)) != 0)
			return arxiv_error(it->summary.s, err);
	}
	return 0;
}

static int arxiv_parse(const struct source_params *p, const char *body,
    size_t len, struct entry_list *out, size_t *items, size_t *skipped,
    struct pw_error *err)
{
	const bool new_only =
	    json_is_true(json_object_get(p->options, "new_only"));
	struct feed_doc doc;
	struct entry_list local;
	size_t n_skipped = 0;
	int rc = -1;

	if (items != NULL)
		*items = 0;
	if (skipped != NULL)
		*skipped = 0;
	feed_common_doc_init(&doc);
	entry_list_init(&local);
	if (feed_read(body, len, p->url, p->content_type, &doc, err) != 0 ||
	    check_errors(&doc, err) != 0)
		goto done;
	for (size_t i = 0; i < doc.n; i++) {
		const struct feed_item *it = &doc.items[i];
		char bare[HF_COMMON_ID_BYTES], id[HF_COMMON_ID_BYTES + 8];
		struct entry *e;
		int r;

		if (item_id(it, bare, sizeof(bare)) != 0) {
			n_skipped++;
			continue;
		}
		snprintf(id, sizeof(id), "arxiv:%s", bare);
		if ((new_only && it->announce_type != NULL &&
		        strcmp(it->announce_type, "new") != 0) ||
		    entry_list_find(&local, id) != NULL)
			continue; /* dropped by choice, or listed twice */
		if ((e = entry_new()) == NULL)
			goto nomem;
		if ((r = item_entry(p, it, bare, e)) != 0) {
			entry_free(e);
			if (r < 0)
				goto nomem;
			n_skipped++;
			continue;
		}
		if (entry_list_push(&local, e) != 0)
			goto nomem;
	}
	if (entry_list_move(out, &local) != 0)
		goto nomem;
	if (items != NULL)
		*items = doc.total;
	if (skipped != NULL)
		*skipped = n_skipped;
	rc = 0;
	goto done;
nomem:
	pw_error_set(err, "out of memory");
done:
	entry_list_free(&local);
	feed_common_doc_free(&doc);
	return rc;
}

const struct source_ops source_arxiv_ops = {
    .type = "arxiv",
    .keys = arxiv_keys,
    .check = arxiv_check,
    .default_url = ARXIV_API_URL,
    .page_size = ARXIV_PAGE_SIZE,
    .request_url = arxiv_request_url,
    .parse = arxiv_parse,
};
