/*
 * test_hf_search.c: the hf_search source type (config checks, request
 * URLs, parsing the real search capture) and its registration.
 *
 * Expected values for the capture were read from
 * tests/fixtures/hf/search_q-llama-3-herd.json with python3's json module
 * (titles with white space collapsed by hand), never from this code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "caps.h"
#include "entry.h"
#include "sources/source.h"

#define SEARCH_FIXTURE FIXTURES_DIR "/hf/search_q-llama-3-herd.json"
#define SEARCH "https://huggingface.co/api/papers/search"

struct search_expect {
	const char *id;
	const char *title;
	size_t authors;
	int64_t upvotes;
	int64_t comments;
	int64_t published_at; /* paper.publishedAt */
	size_t keywords;
};

/* The capture, in document (relevance) order. */
static const struct search_expect search_expected[] = {
    {"2407.21783", "The Llama 3 Herd of Models", 533, 115, 6, 1722448467, 15},
    {"2501.13921",
        "The Breeze 2 Herd of Models: Traditional Chinese LLMs Based on "
        "Llama with Vision-Aware and Function-Calling Capabilities",
        7, 3, 0, 1737658742, 9},
    {"2411.10414",
        "Llama Guard 3 Vision: Safeguarding Human-AI Image Understanding "
        "Conversations",
        10, 0, 0, 1731695647, 14},
    {"2411.09012",
        "AstroMLab 3: Achieving GPT-4o Level Performance in Astronomy with "
        "a Specialized 8B-Parameter Large Language Model",
        9, 1, 0, 1731530162, 0},
    {"2503.05856",
        "This Is Your Doge, If It Please You: Exploring Deception and "
        "Robustness in Mixture of LLMs",
        3, 7, 2, 1741358799, 12},
    {"2406.14833",
        "Efficient Continual Pre-training by Mitigating the Stability Gap", 5,
        20, 1, 1718936917, 14},
    {"2302.13971", "LLaMA: Open and Efficient Foundation Language Models", 14,
        14, 8, 1677517875, 10},
    {"2408.14774",
        "Instruct-SkillMix: A Powerful Pipeline for LLM Instruction Tuning", 4,
        0, 0, 1724733118, 13},
    {"2503.01493",
        "Llama-3.1-Sherkala-8B-Chat: An Open Large Language Model for Kazakh",
        35, 1, 0, 1741007148, 6},
    {"2404.14047",
        "How Good Are Low-bit Quantized LLaMA3 Models? An Empirical Study", 10,
        46, 12, 1713780183, 5},
    {"2407.18743",
        "Towards Effective and Efficient Continual Pre-training of Large "
        "Language Models",
        19, 0, 0, 1722002121, 11},
};

#define N_SEARCH (sizeof(search_expected) / sizeof(search_expected[0]))

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	data = malloc((size_t)n);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

/* --- config checks ---------------------------------------------------- */

struct reports {
	char keys[8][64];
	char msgs[8][128];
	int n;
};

static void collect(void *ctx, const char *key, const char *msg)
{
	struct reports *r = ctx;

	if (r->n < 8) {
		snprintf(r->keys[r->n], sizeof(r->keys[0]), "%s", key);
		snprintf(r->msgs[r->n], sizeof(r->msgs[0]), "%s", msg);
	}
	r->n++;
}

/* Runs the type's check on a JSON text; returns its result, fills r. */
static int check(const char *json, struct reports *r)
{
	json_error_t jerr;
	json_t *o = json_loads(json, JSON_ALLOW_NUL, &jerr);
	int rc;

	assert_non_null(o);
	memset(r, 0, sizeof(*r));
	rc = source_hf_search_ops.check(o, collect, r);
	json_decref(o);
	return rc;
}

static void test_registered(void **state)
{
	(void)state;
	assert_ptr_equal(source_find("hf_search"), &source_hf_search_ops);
	assert_non_null(strstr(source_type_names(), "hf_search"));
	assert_string_equal(source_hf_search_ops.default_url, SEARCH);
	/* One request per poll: the API has no pages beyond limit. */
	assert_int_equal(source_hf_search_ops.page_size, 0);
	assert_string_equal(source_hf_search_ops.keys[0], "query");
	assert_string_equal(source_hf_search_ops.keys[1], "limit");
	assert_null(source_hf_search_ops.keys[2]);
}

static void test_check_good(void **state)
{
	struct reports r;
	char json[1200], q[1100];
	size_t n = 0;

	(void)state;
	assert_int_equal(check("{\"query\": \"alignment\"}", &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(
	    check("{\"query\": \"speculative decoding\", \"limit\": 1}", &r),
	    0);
	assert_int_equal(check("{\"query\": \"x\", \"limit\": 120}", &r), 0);
	assert_int_equal(r.n, 0);
	/* 250 characters, counted as characters: 250 four-byte emoji. */
	for (int i = 0; i < 250; i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n, "\xF0\x9F\x9A\x80");
	snprintf(json, sizeof(json), "{\"query\": \"%s\"}", q);
	assert_int_equal(check(json, &r), 0);
	assert_int_equal(r.n, 0);
}

static void test_check_bad(void **state)
{
	struct reports r;
	char json[400];
	char q[300];

	(void)state;
	assert_int_equal(check("{}", &r), -1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.keys[0], "query");
	assert_non_null(strstr(r.msgs[0], "required"));

	assert_int_equal(check("{\"query\": \"\"}", &r), -1);
	assert_string_equal(r.keys[0], "query");
	assert_int_equal(check("{\"query\": \"  \\t \"}", &r), -1);
	assert_string_equal(r.keys[0], "query");
	assert_int_equal(check("{\"query\": 5}", &r), -1);
	assert_string_equal(r.keys[0], "query");
	assert_int_equal(check("{\"query\": \"a\\u0000b\"}", &r), -1);
	assert_string_equal(r.keys[0], "query");

	/* 251 ASCII characters is one too many; 250 is fine. */
	memset(q, 'a', 251);
	q[251] = '\0';
	snprintf(json, sizeof(json), "{\"query\": \"%s\"}", q);
	assert_int_equal(check(json, &r), -1);
	assert_string_equal(r.keys[0], "query");
	assert_non_null(strstr(r.msgs[0], "250"));
	q[250] = '\0';
	snprintf(json, sizeof(json), "{\"query\": \"%s\"}", q);
	assert_int_equal(check(json, &r), 0);

	assert_int_equal(check("{\"query\": \"x\", \"limit\": 121}", &r), -1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.keys[0], "limit");
	assert_non_null(strstr(r.msgs[0], "1 to 120"));
	assert_int_equal(check("{\"query\": \"x\", \"limit\": 0}", &r), -1);
	assert_string_equal(r.keys[0], "limit");
	assert_int_equal(check("{\"query\": \"x\", \"limit\": \"5\"}", &r), -1);
	assert_string_equal(r.keys[0], "limit");

	/* Every problem is reported, not just the first. */
	assert_int_equal(check("{\"limit\": 500}", &r), -1);
	assert_int_equal(r.n, 2);
}

/* --- request URLs ----------------------------------------------------- */

static json_t *opts;

static struct source_params params(const char *json)
{
	struct source_params p;

	json_decref(opts);
	opts = json_loads(json, 0, NULL);
	assert_non_null(opts);
	memset(&p, 0, sizeof(p));
	p.name = "search-test";
	p.options = opts;
	p.now = 1781222400; /* 2026-06-12 */
	return p;
}

static void assert_url(const struct source_params *p, unsigned step,
    unsigned page, const char *want)
{
	char *url = source_hf_search_ops.request_url(p, step, page);

	if (want == NULL) {
		assert_null(url);
		return;
	}
	assert_non_null(url);
	assert_string_equal(url, want);
	free(url);
}

static void test_url(void **state)
{
	struct source_params p = params("{\"query\": \"llama 3 herd\"}");

	(void)state;
	assert_url(&p, 0, 0, SEARCH "?q=llama+3+herd&limit=50");
	/* One listing, one page. */
	assert_url(&p, 1, 0, NULL);
	assert_url(&p, 0, 1, NULL);

	p = params("{\"query\": \"speculative decoding\", \"limit\": 120}");
	assert_url(&p, 0, 0, SEARCH "?q=speculative+decoding&limit=120");

	/* Reserved characters are escaped, so the query stays one value. */
	p = params("{\"query\": \"a&b=c?d#e+f%\", \"limit\": 7}");
	assert_url(&p, 0, 0, SEARCH "?q=a%26b%3dc%3fd%23e%2bf%25&limit=7");

	/* Non-ASCII is sent as UTF-8 percent-escapes. */
	p = params("{\"query\": \"r\\u00e9sum\\u00e9\"}");
	assert_url(&p, 0, 0, SEARCH "?q=r%c3%a9sum%c3%a9&limit=50");

	/* A configured url keeps its own query. */
	p = params("{\"query\": \"x\"}");
	p.url = "http://127.0.0.1:8765/api/papers/search?token=t";
	assert_url(&p, 0, 0,
	    "http://127.0.0.1:8765/api/papers/search?token=t&q=x&limit=50");

	/* No query: no request (the config check makes this impossible). */
	p = params("{}");
	assert_url(&p, 0, 0, NULL);
}

/* --- parsing ---------------------------------------------------------- */

static void test_parse_capture(void **state)
{
	struct source_params p = params("{\"query\": \"llama 3 herd\"}");
	struct entry_list out;
	struct pw_error err;
	size_t len, items = 99, skipped = 99;
	char *body = read_file(SEARCH_FIXTURE, &len);
	char want[64];

	(void)state;
	entry_list_init(&out);
	assert_int_equal(source_hf_search_ops.parse(
	                     &p, body, len, &out, &items, &skipped, &err),
	    0);
	assert_int_equal(items, 11);
	assert_int_equal(skipped, 0);
	assert_int_equal(out.n, N_SEARCH);
	for (size_t i = 0; i < N_SEARCH; i++) {
		const struct search_expect *x = &search_expected[i];
		const struct entry *e = out.v[i];

		snprintf(want, sizeof(want), "arxiv:%s", x->id);
		assert_string_equal(e->id, want);
		assert_string_equal(e->title, x->title);
		assert_int_equal(e->authors.n, x->authors);
		assert_int_equal(e->upvotes, x->upvotes);
		assert_int_equal(e->comments, x->comments);
		assert_int_equal(e->published_at, x->published_at);
		assert_int_equal(e->ai_keywords.n, x->keywords);
		/* Search results carry no list date. */
		assert_int_equal(e->listed_at, 0);
		snprintf(want, sizeof(want), "https://huggingface.co/papers/%s",
		    x->id);
		assert_string_equal(e->hf_url, want);
		/* Tagged with the source's name, and only that. */
		assert_int_equal(e->sources.n, 1);
		assert_string_equal(e->sources.v[0], "search-test");
	}
	assert_string_equal(
	    out.v[4]->github_repo, "https://github.com/lorenzflow/robust-moa");
	assert_null(out.v[0]->github_repo);
	entry_list_free(&out);
	free(body);
}

static void test_parse_bad(void **state)
{
	struct source_params p = params("{\"query\": \"x\"}");
	struct entry_list out;
	struct pw_error err;
	size_t items, skipped;
	const char *obj = "{\"error\": \"Invalid query\"}";
	const char *empty = "[]";

	(void)state;
	entry_list_init(&out);
	/* An error object is not a result list. */
	assert_int_equal(source_hf_search_ops.parse(&p, obj, strlen(obj), &out,
	                     &items, &skipped, &err),
	    -1);
	assert_int_equal(out.n, 0);
	assert_non_null(strstr(err.msg, "array"));
	/* No result is a valid, empty answer. */
	assert_int_equal(source_hf_search_ops.parse(&p, empty, strlen(empty),
	                     &out, &items, &skipped, &err),
	    0);
	assert_int_equal(items, 0);
	assert_int_equal(out.n, 0);
	entry_list_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_registered),
	    cmocka_unit_test(test_check_good),
	    cmocka_unit_test(test_check_bad),
	    cmocka_unit_test(test_url),
	    cmocka_unit_test(test_parse_capture),
	    cmocka_unit_test(test_parse_bad),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	json_decref(opts);
	return rc;
}
