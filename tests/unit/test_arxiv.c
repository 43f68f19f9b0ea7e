/*
 * test_arxiv.c: the `arxiv` source type (the arXiv API and the
 * rss.arxiv.org listings) on the real captures in tests/fixtures/feeds/
 * and the derived cases in tests/fixtures/feeds/derived/, its request
 * URLs and its config checks.
 *
 * Expected values for the captures come from test_feed_expected.h, which
 * tests/fixtures/feeds/expected.py computed with python's own parsers;
 * those for the derived cases were worked out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "caps.h"
#include "digest.h"
#include "entry.h"
#include "sources/source.h"

#define FEEDS(name) FIXTURES_DIR "/feeds/" name
#define NAME "src"
#define NOW 1800000000LL /* 2027-01-15T08:00:00Z, the tests' clock */
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define LISTING FEEDS("arxiv-rss/rss.arxiv.org_all-archives_2024-11-28.rss.xml")

struct feed_expect {
	const char *id;
	const char *title;
	const char *url;
	int64_t published;
};
struct arxiv_expect {
	const char *id, *title, *summary;
	size_t n_authors;
	const char *first_author, *last_author, *categories, *comment;
	int64_t published;
};
struct listing_expect {
	size_t index;
	const char *id, *title, *summary;
	size_t n_authors;
	const char *first_author, *categories;
	int64_t published;
};

#include "test_feed_expected.h"

static char *read_fixture(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	data = malloc((size_t)size);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return data;
}

struct parsed {
	int rc;
	size_t items, skipped;
	struct entry_list out;
	struct pw_error err;
	double ms; /* parse time */
};

/* Parses a fixture with the arxiv adapter and the options in json. */
static void parse_file(const char *path, const char *json, struct parsed *r)
{
	json_t *opts = json_loads(json, 0, NULL);
	struct source_params p = {.name = NAME,
	    .url = source_arxiv_ops.default_url,
	    .options = opts,
	    .now = NOW};
	struct timespec t0, t1;
	size_t len;
	char *data = read_fixture(path, &len);

	assert_non_null(opts);
	entry_list_init(&r->out);
	r->err.msg[0] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r->rc = source_arxiv_ops.parse(
	    &p, data, len, &r->out, &r->items, &r->skipped, &r->err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	        (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	free(data);
	json_decref(opts);
}

static void assert_str_or_null(const char *actual, const char *expected)
{
	if (expected == NULL)
		assert_null(actual);
	else {
		assert_non_null(actual);
		assert_string_equal(actual, expected);
	}
}

/* The strings of sv joined by sep, into out (size bytes). */
static void join(const struct strv *sv, const char *sep, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sv->n && n < size; i++)
		n += (size_t)snprintf(
		    out + n, size - n, "%s%s", i > 0 ? sep : "", sv->v[i]);
}

/* What every arxiv entry holds, whatever the document. */
static void assert_arxiv_shape(const struct entry *e)
{
	char want[128];

	assert_true(strncmp(e->id, "arxiv:", 6) == 0);
	snprintf(want, sizeof(want), "https://arxiv.org/abs/%s", e->id + 6);
	assert_string_equal(e->arxiv_url, want);
	snprintf(want, sizeof(want), "https://arxiv.org/pdf/%s", e->id + 6);
	assert_string_equal(e->pdf_url, want);
	assert_null(e->hf_url);
	assert_null(e->url);
	assert_int_equal(e->upvotes, -1);
	assert_int_equal(e->comments, -1);
	assert_int_equal(e->github_stars, -1);
	assert_int_equal(e->sources.n, 1);
	assert_string_equal(e->sources.v[0], NAME);
}

static void check_api(
    const char *path, const struct arxiv_expect *exp, size_t n)
{
	struct parsed r;
	char cats[512];

	parse_file(path, "{\"query\": \"all:testing\"}", &r);
	if (r.rc != 0)
		fail_msg("%s: %s", path, r.err.msg);
	assert_int_equal(r.items, n);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, n);
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = r.out.v[i];

		assert_arxiv_shape(e);
		assert_string_equal(e->id, exp[i].id);
		assert_string_equal(e->title, exp[i].title);
		assert_non_null(e->summary);
		assert_true(strncmp(e->summary, exp[i].summary,
		                strlen(exp[i].summary)) == 0);
		assert_int_equal(e->authors.n, exp[i].n_authors);
		assert_string_equal(e->authors.v[0], exp[i].first_author);
		assert_string_equal(
		    e->authors.v[e->authors.n - 1], exp[i].last_author);
		join(&e->categories, ",", cats, sizeof(cats));
		assert_string_equal(cats, exp[i].categories);
		assert_str_or_null(e->comment, exp[i].comment);
		assert_int_equal(e->published_at, exp[i].published);
	}
	entry_list_free(&r.out);
}

static void test_api_captures(void **state)
{
	(void)state;
	check_api(FEEDS("arxiv-api/2026_search_all-testing_max10.atom.xml"),
	    exp_api_testing, N_ELEMS(exp_api_testing));
	check_api(
	    FEEDS("arxiv-api/2026_id_list_0808.05394_1707.08567.atom.xml"),
	    exp_api_idlist, N_ELEMS(exp_api_idlist));
	check_api(FEEDS("arxiv-api/2016_id_list_1111.2011v2.atom.xml"),
	    exp_api_2016, N_ELEMS(exp_api_2016));
}

/* arXiv's errors: -1 with arXiv's message, and nothing appended. */
static void test_errors(void **state)
{
	struct parsed r;

	(void)state;
	parse_file(FEEDS("arxiv-api/2026_error_http400_id_list_abc.atom.xml"),
	    "{\"query\": \"x\"}", &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.err.msg, "arXiv: incorrect id format for abc");
	assert_int_equal(r.out.n, 0);
	entry_list_free(&r.out);

	parse_file(FEEDS("arxiv-rss/rss.arxiv.org_error_bad-archive_2024-11-28."
	                 "rss.xml"),
	    "{\"categories\": \"astroph\"}", &r);
	assert_int_equal(r.rc, -1);
	assert_true(strncmp(r.err.msg,
	                "arXiv: Bad archive 'astroph'. Valid archive names "
	                "are: astro-ph, cond-mat, cs,",
	                strlen("arXiv: Bad archive 'astroph'. Valid archive "
	                       "names are: astro-ph, cond-mat, cs,")) == 0);
	assert_int_equal(r.out.n, 0);
	entry_list_free(&r.out);

	parse_file(FEEDS("derived/arxiv_listing_error_item.rss.xml"),
	    "{\"categories\": \"cs\"}", &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.err.msg,
	    "arXiv: Bad archive 'cs.XX'. Valid archive names are: cs, math.");
	assert_int_equal(r.out.n, 0);
	entry_list_free(&r.out);
}

static void test_empty_results(void **state)
{
	struct parsed r;

	(void)state;
	parse_file(FEEDS("arxiv-api/2026_empty_id_list_0000.0000.atom.xml"),
	    "{\"query\": \"x\"}", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 0);
	assert_int_equal(r.out.n, 0);
	entry_list_free(&r.out);

	parse_file(FEEDS("arxiv-rss/rss.arxiv.org_empty_test-archive_2024-11-"
	                 "28.rss.xml"),
	    "{\"categories\": \"test\"}", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 0);
	assert_int_equal(r.out.n, 0);
	entry_list_free(&r.out);
}

/* The sha256 of each entry's field, one per line, as expected.py hashed
 * them. what: 0 ids, 1 titles, 2 authors joined by '|'. */
static void hash_lines(
    const struct entry_list *l, int what, char hex[DIGEST_HEX_BYTES])
{
	size_t cap = 1 << 20, n = 0;
	char *all = malloc(cap);

	assert_non_null(all);
	for (size_t i = 0; i < l->n; i++) {
		char line[65536];

		if (what == 0)
			snprintf(line, sizeof(line), "%s", l->v[i]->id);
		else if (what == 1)
			snprintf(line, sizeof(line), "%s", l->v[i]->title);
		else
			join(&l->v[i]->authors, "|", line, sizeof(line));
		while (n + strlen(line) + 2 > cap) {
			cap *= 2;
			all = realloc(all, cap);
			assert_non_null(all);
		}
		n += (size_t)snprintf(
		    all + n, cap - n, "%s%s", i > 0 ? "\n" : "", line);
	}
	digest_sha256_hex("", all, n, hex);
	free(all);
}

/* The 2.8 MB all-archives listing: every item, in reasonable time. */
static void test_listing_capture(void **state)
{
	struct parsed r;
	char hex[DIGEST_HEX_BYTES], cats[512];

	(void)state;
	assert_true(EXP_LISTING_ITEMS <= CAP_ITEMS_PER_DOCUMENT);
	parse_file(LISTING, "{\"categories\": \"cs\"}", &r);
	assert_int_equal(r.rc, 0);
	print_message("arxiv listing: %d items parsed in %.1f ms\n",
	    EXP_LISTING_ITEMS, r.ms);
	assert_true(r.ms < 5000.0);
	assert_int_equal(r.items, EXP_LISTING_ITEMS);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, EXP_LISTING_ITEMS);
	hash_lines(&r.out, 0, hex);
	assert_string_equal(hex, EXP_LISTING_IDS_SHA256);
	hash_lines(&r.out, 1, hex);
	assert_string_equal(hex, EXP_LISTING_TITLES_SHA256);
	hash_lines(&r.out, 2, hex);
	assert_string_equal(hex, EXP_LISTING_AUTHORS_SHA256);
	for (size_t k = 0; k < N_ELEMS(exp_listing); k++) {
		const struct listing_expect *x = &exp_listing[k];
		const struct entry *e = r.out.v[x->index];

		assert_arxiv_shape(e);
		assert_string_equal(e->id, x->id);
		assert_string_equal(e->title, x->title);
		assert_true(
		    strncmp(e->summary, x->summary, strlen(x->summary)) == 0);
		assert_int_equal(e->authors.n, x->n_authors);
		assert_string_equal(e->authors.v[0], x->first_author);
		join(&e->categories, ",", cats, sizeof(cats));
		assert_string_equal(cats, x->categories);
		assert_int_equal(e->published_at, x->published);
		assert_null(e->comment);
	}
	entry_list_free(&r.out);

	/* new_only keeps the new submissions, in order. */
	parse_file(LISTING, "{\"categories\": \"cs\", \"new_only\": true}", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, EXP_LISTING_ITEMS);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, EXP_LISTING_NEW);
	hash_lines(&r.out, 0, hex);
	assert_string_equal(hex, EXP_LISTING_NEW_IDS_SHA256);
	entry_list_free(&r.out);
}

/* The Atom listing shape: announce types, affiliations, no HTML. */
static void test_atom_listing(void **state)
{
	static const char *const ids[] = {"arxiv:2411.17700",
	    "arxiv:2411.00001", "arxiv:2301.00002", "arxiv:2302.00003"};
	struct parsed r;
	const struct entry *e;

	(void)state;
	parse_file(FEEDS("derived/arxiv_listing.atom.xml"),
	    "{\"categories\": \"cs.CL+cs.AI\", \"format\": \"atom\"}", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 5);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, N_ELEMS(ids));
	for (size_t i = 0; i < N_ELEMS(ids); i++) {
		assert_arxiv_shape(r.out.v[i]);
		assert_string_equal(r.out.v[i]->id, ids[i]);
		/* Only the new submission's listing date is its date. */
		assert_int_equal(
		    r.out.v[i]->published_at, i == 0 ? 1732770000LL : 0);
	}
	e = r.out.v[0];
	assert_string_equal(e->title, "A New Paper: x < y & $\\alpha$");
	assert_string_equal(e->summary, "We show that x < y for all bold y.");
	assert_int_equal(e->authors.n, 3);
	assert_string_equal(e->authors.v[0], "Ada Lovelace");
	assert_string_equal(e->authors.v[1], "Charles Babbage");
	assert_string_equal(e->authors.v[2], "Alan Turing");
	assert_int_equal(e->categories.n, 2);
	assert_string_equal(e->categories.v[0], "cs.CL");
	assert_string_equal(e->categories.v[1], "cs.AI");
	assert_string_equal(r.out.v[3]->summary, "Version two, cross-listed.");
	entry_list_free(&r.out);

	parse_file(FEEDS("derived/arxiv_listing.atom.xml"),
	    "{\"categories\": \"cs.CL\", \"new_only\": true}", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 5);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0]->id, "arxiv:2411.17700");
	entry_list_free(&r.out);
}

static void test_api_derived(void **state)
{
	struct parsed r;
	const struct entry *e;

	(void)state;
	parse_file(FEEDS("derived/arxiv_api_oldstyle.atom.xml"),
	    "{\"query\": \"x\"}", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 4);
	assert_int_equal(r.skipped, 2);
	assert_int_equal(r.out.n, 2);
	e = r.out.v[0];
	assert_arxiv_shape(e);
	assert_string_equal(e->id, "arxiv:hep-th/9901001");
	assert_string_equal(e->summary, "Strings, wrapped over lines.");
	assert_int_equal(e->published_at, 915192000LL);
	assert_int_equal(e->categories.n, 1);
	assert_string_equal(e->categories.v[0], "hep-th");
	assert_null(e->comment);
	e = r.out.v[1];
	assert_string_equal(e->id, "arxiv:2306.03091");
	assert_int_equal(e->categories.n, 2);
	assert_string_equal(e->categories.v[0], "cs.CL");
	assert_string_equal(e->categories.v[1], "cs.LG");
	assert_string_equal(e->comment, "9 pages, 4 figures");
	assert_int_equal(e->published_at, 1685987940LL);
	entry_list_free(&r.out);
}

/* A paper seen by Hugging Face and by arXiv has one key. */
static void test_same_key_as_hugging_face(void **state)
{
	static const char hf[] =
	    "[{\"paper\": {\"id\": \"2306.03091\", \"title\": \"T\"}}]";
	struct source_params p = {.name = "hf", .now = NOW};
	struct entry_list hf_out;
	struct parsed r;
	struct pw_error err;
	size_t items, skipped;
	char *copy = strdup(hf);

	(void)state;
	entry_list_init(&hf_out);
	assert_int_equal(source_hf_daily_ops.parse(&p, copy, strlen(copy),
	                     &hf_out, &items, &skipped, &err),
	    0);
	assert_int_equal(hf_out.n, 1);
	parse_file(FEEDS("derived/arxiv_api_oldstyle.atom.xml"),
	    "{\"query\": \"x\"}", &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.v[1]->id, hf_out.v[0]->id);
	assert_string_equal(r.out.v[1]->arxiv_url, hf_out.v[0]->arxiv_url);
	assert_string_equal(r.out.v[1]->pdf_url, hf_out.v[0]->pdf_url);
	entry_list_free(&r.out);
	entry_list_free(&hf_out);
	free(copy);
}

/* new: the decoded value of key in url's query ('+' is a space), or
 * NULL. */
static char *query_param(const char *url, const char *key)
{
	CURLU *u = curl_url();
	char *query = NULL, *out = NULL;
	size_t klen = strlen(key);

	assert_non_null(u);
	assert_int_equal(curl_url_set(u, CURLUPART_URL, url, 0), CURLUE_OK);
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
		for (char *s = query; s != NULL && *s != '\0';) {
			char *amp = strchr(s, '&');
			size_t n = amp != NULL ? (size_t)(amp - s) : strlen(s);

			if (n > klen && strncmp(s, key, klen) == 0 &&
			    s[klen] == '=') {
				int dlen;
				char *d;

				for (size_t i = klen + 1; i < n; i++)
					if (s[i] == '+')
						s[i] = ' ';
				d = curl_easy_unescape(NULL, s + klen + 1,
				    (int)(n - klen - 1), &dlen);
				out = strdup(d);
				curl_free(d);
				break;
			}
			s = amp != NULL ? amp + 1 : NULL;
		}
	}
	curl_free(query);
	curl_url_cleanup(u);
	return out;
}

static char *url_for(
    const char *json, const char *url, unsigned step, unsigned page)
{
	json_t *opts = json_loads(json, 0, NULL);
	struct source_params p = {.name = NAME,
	    .url = url != NULL ? url : source_arxiv_ops.default_url,
	    .options = opts,
	    .now = NOW};
	char *out;

	assert_non_null(opts);
	out = source_arxiv_ops.request_url(&p, step, page);
	json_decref(opts);
	return out;
}

static void assert_param(const char *url, const char *key, const char *want)
{
	char *v = query_param(url, key);

	assert_str_or_null(v, want);
	free(v);
}

static void test_request_urls(void **state)
{
	static const char q[] =
	    "{\"query\": \"cat:cs.CL AND abs:\\\"speculative decoding\\\"\", "
	    "\"max_results\": 150}";
	char *url;

	(void)state;
	assert_string_equal(
	    source_arxiv_ops.default_url, "https://export.arxiv.org/api/query");
	url = url_for(q, NULL, 0, 0);
	assert_non_null(url);
	assert_true(
	    strncmp(url, "https://export.arxiv.org/api/query?", 35) == 0);
	assert_param(
	    url, "search_query", "cat:cs.CL AND abs:\"speculative decoding\"");
	assert_param(url, "sortBy", "submittedDate");
	assert_param(url, "sortOrder", "descending");
	assert_param(url, "start", "0");
	assert_param(url, "max_results", "100");
	free(url);
	url = url_for(q, NULL, 0, 1);
	assert_param(url, "start", "100");
	assert_param(url, "max_results", "50");
	free(url);
	assert_null(url_for(q, NULL, 0, 2));
	assert_null(url_for(q, NULL, 1, 0));
	/* Default max_results: one page of 100. */
	url = url_for("{\"query\": \"all:x\"}", NULL, 0, 0);
	assert_param(url, "max_results", "100");
	free(url);
	assert_null(url_for("{\"query\": \"all:x\"}", NULL, 0, 1));
	/* A configured url keeps its own query. */
	url = url_for("{\"query\": \"all:x\", \"url\": \"x\"}",
	    "http://127.0.0.1:9/api/query?key=1", 0, 0);
	assert_true(
	    strncmp(url, "http://127.0.0.1:9/api/query?key=1&", 35) == 0);
	assert_param(url, "search_query", "all:x");
	free(url);

	url = url_for("{\"categories\": \"cs.CL+cs.AI\"}", NULL, 0, 0);
	assert_string_equal(url, "https://rss.arxiv.org/rss/cs.CL+cs.AI");
	free(url);
	url = url_for(
	    "{\"categories\": \"math\", \"format\": \"atom\"}", NULL, 0, 0);
	assert_string_equal(url, "https://rss.arxiv.org/atom/math");
	free(url);
	assert_null(url_for("{\"categories\": \"cs\"}", NULL, 0, 1));
	assert_null(url_for("{\"categories\": \"cs\"}", NULL, 1, 0));
	url = url_for("{\"categories\": \"physics.flu-dyn\", \"url\": \"x\"}",
	    "http://127.0.0.1:9/base/", 0, 0);
	assert_string_equal(url, "http://127.0.0.1:9/base/rss/physics.flu-dyn");
	free(url);
	assert_null(url_for("{}", NULL, 0, 0));
}

static json_t *reported;

static void report(void *ctx, const char *key, const char *msg)
{
	(void)ctx;
	assert_non_null(msg);
	json_array_append_new(reported, json_string(key));
}

static void test_config_check(void **state)
{
	static const struct {
		const char *json;
		const char *bad; /* the first key reported; NULL: valid */
	} cases[] = {
	    {"{\"query\": \"cat:cs.CL\"}", NULL},
	    {"{\"categories\": \"cs.CL+cs.AI+astro-ph.GA+physics.flu-dyn\"}",
	        NULL},
	    {"{\"categories\": \"cs\", \"format\": \"atom\", \"new_only\": "
	     "true}",
	        NULL},
	    {"{\"query\": \"x\", \"max_results\": 1000}", NULL},
	    {"{}", "query"},
	    {"{\"query\": \"x\", \"categories\": \"cs\"}", "categories"},
	    {"{\"query\": \"\"}", "query"},
	    {"{\"query\": 5}", "query"},
	    {"{\"query\": \"a\\nb\"}", "query"},
	    {"{\"categories\": \"cs CL\"}", "categories"},
	    {"{\"categories\": \"cs.\"}", "categories"},
	    {"{\"categories\": \"cs++math\"}", "categories"},
	    {"{\"categories\": \"CS\"}", "categories"},
	    {"{\"query\": \"x\", \"max_results\": 0}", "max_results"},
	    {"{\"query\": \"x\", \"max_results\": 1001}", "max_results"},
	    {"{\"query\": \"x\", \"format\": \"atom\"}", "format"},
	    {"{\"categories\": \"cs\", \"format\": \"xml\"}", "format"},
	    {"{\"categories\": \"cs\", \"new_only\": \"yes\"}", "new_only"},
	    {"{\"query\": \"x\", \"new_only\": true}", "new_only"},
	    {"{\"categories\": \"cs\", \"max_results\": 5}", "max_results"},
	};
	char *longq = malloc(CAP_ARXIV_QUERY_BYTES + 2);
	json_t *opts;

	(void)state;
	assert_ptr_equal(source_find("arxiv"), &source_arxiv_ops);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int rc;

		opts = json_loads(cases[i].json, 0, NULL);
		assert_non_null(opts);
		reported = json_array();
		rc = source_arxiv_ops.check(opts, report, NULL);
		if (cases[i].bad == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(json_array_size(reported), 0);
		} else {
			assert_int_equal(rc, -1);
			assert_true(json_array_size(reported) >= 1);
			if (strcmp(
			        json_string_value(json_array_get(reported, 0)),
			        cases[i].bad) != 0)
				fail_msg("case %zu: reported %s, want %s", i,
				    json_string_value(
				        json_array_get(reported, 0)),
				    cases[i].bad);
		}
		json_decref(reported);
		json_decref(opts);
	}
	/* Every key the check reads is declared. */
	for (size_t i = 0; source_arxiv_ops.keys[i] != NULL; i++)
		assert_true(strlen(source_arxiv_ops.keys[i]) > 0);
	assert_non_null(longq);
	memset(longq, 'a', CAP_ARXIV_QUERY_BYTES + 1);
	longq[CAP_ARXIV_QUERY_BYTES + 1] = '\0';
	opts = json_pack("{s:s}", "query", longq);
	reported = json_array();
	assert_int_equal(source_arxiv_ops.check(opts, report, NULL), -1);
	json_decref(reported);
	json_decref(opts);
	longq[CAP_ARXIV_QUERY_BYTES] = '\0';
	opts = json_pack("{s:s}", "query", longq);
	reported = json_array();
	assert_int_equal(source_arxiv_ops.check(opts, report, NULL), 0);
	json_decref(reported);
	json_decref(opts);
	free(longq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_api_captures),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_empty_results),
	    cmocka_unit_test(test_listing_capture),
	    cmocka_unit_test(test_atom_listing),
	    cmocka_unit_test(test_api_derived),
	    cmocka_unit_test(test_same_key_as_hugging_face),
	    cmocka_unit_test(test_request_urls),
	    cmocka_unit_test(test_config_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
