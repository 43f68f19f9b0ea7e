/* test_filter.c: the filter grammar, matching, merging and FTS5 output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "caps.h"
#include "entry.h"
#include "filter.h"

#define DAY 86400
/* 2026-06-12T08:30:00Z (python3: calendar.timegm). */
#define NOW 1781253000LL
#define T_2026_06_02 1780358400LL
#define T_2026_06_10 1781049600LL

/* ---- helpers ---- */

static void set_ok(struct filter *f, const char *key, const char *value)
{
	struct pw_error err = {{0}};

	if (filter_set(f, key, value, &err) != 0)
		fail_msg("%s=%s rejected: %s", key, value, err.msg);
}

/* key=value is rejected, on a fresh filter, with exactly want. */
static void set_err(const char *key, const char *value, const char *want)
{
	struct pw_error err = {{0}};
	struct filter f;

	filter_init(&f);
	if (filter_set(&f, key, value, &err) != -1)
		fail_msg("%s=%s accepted", key, value ? value : "(null)");
	assert_string_equal(err.msg, want);
	filter_free(&f);
}

static struct filter parsed_q(const char *q)
{
	struct filter f;

	filter_init(&f);
	set_ok(&f, "q", q);
	return f;
}

/* Tokens of clause i, alternative j, joined by spaces. */
static const char *alt_str(const struct filter *f, size_t i, size_t j)
{
	static char out[256];
	const struct strv *t;
	size_t o = 0;

	assert_true(i < f->n_clauses);
	assert_true(j < f->clauses[i].n_alts);
	t = &f->clauses[i].alts[j].tokens;
	out[0] = '\0';
	for (size_t k = 0; k < t->n; k++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
		    k > 0 ? " " : "", t->v[k]);
	return out;
}

/* Two sample papers. Keywords and fields are chosen so that each test
 * below can name which of them should match. */
static struct entry *make_gpt4(void)
{
	struct entry *e = entry_new();

	assert_non_null(e);
	e->id = strdup("arxiv:2303.08774");
	e->title = strdup("GPT-4 Technical Report");
	e->summary = strdup("We report the development of GPT-4, a large "
	                    "multimodal model.");
	strv_push(&e->authors, "OpenAI");
	strv_push(&e->authors, "Josh Achiam");
	strv_push(&e->ai_keywords, "large language model");
	strv_push(&e->ai_keywords, "Multimodal");
	strv_push(&e->sources, "hf_daily");
	e->upvotes = 120;
	e->comments = -1;
	e->github_stars = 50;
	e->github_repo = strdup("https://github.com/openai/evals");
	e->first_seen_at = NOW - 2 * DAY;
	return e;
}

static struct entry *make_diffusion(void)
{
	struct entry *e = entry_new();

	assert_non_null(e);
	e->id = strdup("arxiv:2105.05233");
	e->title = strdup("Diffusion Models Beat GANs on Image Synthesis");
	e->summary = strdup("We show that diffusion models can achieve image "
	                    "sample quality superior to the current "
	                    "state-of-the-art generative models.");
	strv_push(&e->authors, "Prafulla Dhariwal");
	strv_push(&e->authors, "Alex Nichol");
	strv_push(&e->ai_keywords, "diffusion");
	strv_push(&e->ai_keywords, "image synthesis");
	strv_push(&e->sources, "arxiv");
	e->upvotes = -1;
	e->comments = 3;
	e->github_stars = -1;
	e->first_seen_at = NOW - 10 * DAY;
	return e;
}

struct pair {
	struct entry *gpt4;
	struct entry *diff;
};

static int setup_pair(void **state)
{
	struct pair *p = malloc(sizeof(*p));

	assert_non_null(p);
	p->gpt4 = make_gpt4();
	p->diff = make_diffusion();
	*state = p;
	return 0;
}

static int teardown_pair(void **state)
{
	struct pair *p = *state;

	entry_free(p->gpt4);
	entry_free(p->diff);
	free(p);
	return 0;
}

/* Which of the pair a single key=value filter matches: "gd" both, "g",
 * "d" or "" (none). */
static const char *matches(void **state, const char *key, const char *value)
{
	static char out[3];
	struct pair *p = *state;
	struct filter f;
	size_t o = 0;

	filter_init(&f);
	set_ok(&f, key, value);
	if (filter_match(&f, p->gpt4, NOW))
		out[o++] = 'g';
	if (filter_match(&f, p->diff, NOW))
		out[o++] = 'd';
	out[o] = '\0';
	filter_free(&f);
	return out;
}

/* ---- defaults ---- */

static void test_init_defaults(void **state)
{
	struct filter f;

	filter_init(&f);
	assert_int_equal(f.n_clauses, 0);
	assert_int_equal(f.limit, CAP_FEED_LIMIT_DEFAULT);
	assert_false(f.limit_set);
	assert_int_equal(f.sort, FILTER_SORT_FIRST_SEEN);
	assert_false(f.sort_set);
	assert_int_equal(f.has_code, -1);
	assert_int_equal(f.min_upvotes, 0);
	assert_int_equal(f.since, 0);
	assert_int_equal(f.days, 0);
	assert_false(f.sources_set);
	assert_false(f.impossible);
	filter_free(&f);
	filter_free(&f); /* freeing twice is harmless */
}

/* ---- integer parameters ---- */

static void test_thresholds_accept_bounds(void **state)
{
	struct filter f;

	filter_init(&f);
	set_ok(&f, "min_upvotes", "0");
	set_ok(&f, "min_stars", "1000000000");
	set_ok(&f, "min_comments", "007");
	assert_int_equal(f.min_upvotes, 0);
	assert_int_equal(f.min_stars, 1000000000);
	assert_int_equal(f.min_comments, 7);
	filter_free(&f);
}

static void test_thresholds_reject_bad_values(void **state)
{
	static const char *bad[] = {"-1", "+5", " 5", "5 ", "", "abc", "5x",
	    "99999999999999999999", "1000000001", "0x10", "1e3", "5.0", "-0",
	    "\xEF\xBC\x95" /* fullwidth 5 */};
	static const char *keys[] = {
	    "min_upvotes", "min_stars", "min_comments"};
	char want[128];

	for (size_t k = 0; k < 3; k++) {
		snprintf(want, sizeof(want),
		    "%s: expected an integer from 0 to 1000000000", keys[k]);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			set_err(keys[k], bad[i], want);
	}
}

static void test_days_bounds(void **state)
{
	struct filter f;

	filter_init(&f);
	set_ok(&f, "days", "1");
	assert_int_equal(f.days, 1);
	filter_free(&f);
	set_ok(&f, "days", "3650");
	assert_int_equal(f.days, 3650);
	filter_free(&f);
	set_err("days", "0", "days: expected an integer from 1 to 3650");
	set_err("days", "3651", "days: expected an integer from 1 to 3650");
	set_err("days", "-3", "days: expected an integer from 1 to 3650");
	set_err("days", "", "days: expected an integer from 1 to 3650");
}

static void test_limit_bounds(void **state)
{
	struct filter f;

	filter_init(&f);
	set_ok(&f, "limit", "1");
	assert_int_equal(f.limit, 1);
	assert_true(f.limit_set);
	filter_free(&f);
	set_ok(&f, "limit", "500");
	assert_int_equal(f.limit, 500);
	filter_free(&f);
	set_err("limit", "0", "limit: expected an integer from 1 to 500");
	set_err("limit", "501", "limit: expected an integer from 1 to 500");
	set_err("limit", "+1", "limit: expected an integer from 1 to 500");
	set_err("limit", "99999999999999999999",
	    "limit: expected an integer from 1 to 500");
	set_err("limit", NULL, "limit: expected an integer from 1 to 500");
}

/* ---- other single-value parameters ---- */

static void test_has_code_values(void **state)
{
	static const char *yes[] = {"true", "1", "yes", "TRUE", "Yes"};
	static const char *no[] = {"false", "0", "no", "False", "NO"};
	struct filter f;

	for (size_t i = 0; i < 5; i++) {
		filter_init(&f);
		set_ok(&f, "has_code", yes[i]);
		assert_int_equal(f.has_code, 1);
		filter_free(&f);
		set_ok(&f, "has_code", no[i]);
		assert_int_equal(f.has_code, 0);
		filter_free(&f);
	}
	set_err("has_code", "", "has_code: expected true or false");
	set_err("has_code", "2", "has_code: expected true or false");
	set_err("has_code", "truee", "has_code: expected true or false");
	set_err("has_code", " true", "has_code: expected true or false");
}

static void test_sort_values(void **state)
{
	struct filter f;

	filter_init(&f);
	set_ok(&f, "sort", "published");
	assert_int_equal(f.sort, FILTER_SORT_PUBLISHED);
	assert_true(f.sort_set);
	filter_free(&f);
	set_ok(&f, "sort", "upvotes");
	assert_int_equal(f.sort, FILTER_SORT_UPVOTES);
	filter_free(&f);
	set_ok(&f, "sort", "first_seen");
	assert_int_equal(f.sort, FILTER_SORT_FIRST_SEEN);
	assert_true(f.sort_set);
	filter_free(&f);
	set_err("sort", "newest",
	    "sort: expected first_seen, published or upvotes");
	set_err("sort", "Upvotes",
	    "sort: expected first_seen, published or upvotes");
	set_err("sort", "", "sort: expected first_seen, published or upvotes");
}

static void test_since_values(void **state)
{
	struct filter f;

	filter_init(&f);
	set_ok(&f, "since", "2026-06-10");
	assert_int_equal(f.since, T_2026_06_10);
	filter_free(&f);
	set_err("since", "2026-02-30", "since: expected a date YYYY-MM-DD");
	set_err("since", "2026-13-01", "since: expected a date YYYY-MM-DD");
	set_err("since", "yesterday", "since: expected a date YYYY-MM-DD");
	set_err("since", "2026-06-10T00:00:00Z",
	    "since: expected a date YYYY-MM-DD");
	set_err("since", "", "since: expected a date YYYY-MM-DD");
}

static void test_source_values(void **state)
{
	struct filter f;

	filter_init(&f);
	set_ok(&f, "source", "hf_daily");
	assert_true(f.sources_set);
	assert_int_equal(f.sources.n, 1);
	assert_string_equal(f.sources.v[0], "hf_daily");
	filter_free(&f);
	set_ok(&f, "source", "a, b,a");
	assert_int_equal(f.sources.n, 2);
	assert_string_equal(f.sources.v[0], "a");
	assert_string_equal(f.sources.v[1], "b");
	filter_free(&f);
	set_err("source", "", "source: expected comma-separated source names");
	set_err("source", ",", "source: expected comma-separated source names");
	set_err(
	    "source", "a,,b", "source: expected comma-separated source names");
}

/* ---- generic checks ---- */

static void test_unknown_key(void **state)
{
	set_err("foo", "1", "foo: unknown parameter");
	set_err("Limit", "1", "Limit: unknown parameter");
	/* An unknown key is echoed cleaned, so the message stays text. */
	set_err("a\x01\xFF", "1", "a\xEF\xBF\xBD: unknown parameter");
}

static void test_repeated_key_rejected(void **state)
{
	static const char *keys[] = {"limit", "min_upvotes", "days", "sort",
	    "has_code", "since", "source"};
	static const char *vals[] = {
	    "5", "0", "3", "upvotes", "true", "2026-06-10", "arxiv"};
	struct pw_error err = {{0}};
	char want[64];
	struct filter f;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		filter_init(&f);
		set_ok(&f, keys[i], vals[i]);
		assert_int_equal(filter_set(&f, keys[i], vals[i], &err), -1);
		snprintf(
		    want, sizeof(want), "%s: given more than once", keys[i]);
		assert_string_equal(err.msg, want);
		filter_free(&f);
	}
}

static void test_repeated_text_keys_and(void **state)
{
	struct filter f;

	filter_init(&f);
	set_ok(&f, "q", "alpha");
	set_ok(&f, "q", "beta");
	set_ok(&f, "title", "One");
	set_ok(&f, "title", "two");
	set_ok(&f, "author", "X");
	set_ok(&f, "author", "y");
	set_ok(&f, "keyword", "K");
	set_ok(&f, "keyword", "l");
	assert_int_equal(f.n_clauses, 2);
	assert_int_equal(f.titles.n, 2);
	assert_string_equal(f.titles.v[0], "one");
	assert_int_equal(f.authors.n, 2);
	assert_string_equal(f.authors.v[0], "x");
	assert_int_equal(f.keywords.n, 2);
	assert_string_equal(f.keywords.v[0], "k");
	filter_free(&f);
}

static void test_text_values_cleaned(void **state)
{
	struct filter f;

	filter_init(&f);
	set_ok(&f, "title", "  Large \t Language\xC2\xA0Models ");
	assert_string_equal(f.titles.v[0], "large language models");
	set_ok(&f, "author", "");
	assert_int_equal(f.authors.n, 0);
	filter_free(&f);
}

static void test_value_length_cap(void **state)
{
	char v[CAP_QUERY_VALUE_BYTES + 2];
	char want[64];
	struct filter f;

	memset(v, 'a', CAP_QUERY_VALUE_BYTES);
	v[CAP_QUERY_VALUE_BYTES] = '\0';
	filter_init(&f);
	set_ok(&f, "title", v);
	filter_free(&f);
	v[CAP_QUERY_VALUE_BYTES] = 'a';
	v[CAP_QUERY_VALUE_BYTES + 1] = '\0';
	snprintf(want, sizeof(want), "q: longer than %d bytes",
	    CAP_QUERY_VALUE_BYTES);
	set_err("q", v, want);
}

static void test_value_must_be_utf8(void **state)
{
	set_err("title", "caf\xE9", "title: not valid UTF-8");
	set_err("q", "\xC0\xAF", "q: not valid UTF-8");
	set_err("author", "a\x01", "author: not valid UTF-8");
	set_err("source", "\xFF", "source: not valid UTF-8");
}

/* ---- q grammar ---- */

static void test_q_words_and(void **state)
{
	struct filter f = parsed_q("Large  LANGUAGE");

	assert_int_equal(f.n_clauses, 2);
	assert_string_equal(alt_str(&f, 0, 0), "large");
	assert_string_equal(alt_str(&f, 1, 0), "language");
	assert_false(f.clauses[0].negate);
	filter_free(&f);
}

static void test_q_phrase(void **state)
{
	struct filter f = parsed_q("\"Large Language Model\" agents");

	assert_int_equal(f.n_clauses, 2);
	assert_int_equal(f.clauses[0].n_alts, 1);
	assert_string_equal(alt_str(&f, 0, 0), "large language model");
	assert_string_equal(alt_str(&f, 1, 0), "agents");
	filter_free(&f);
}

static void test_q_unterminated_phrase(void **state)
{
	struct filter f = parsed_q("x \"diffusion model");

	assert_int_equal(f.n_clauses, 2);
	assert_string_equal(alt_str(&f, 1, 0), "diffusion model");
	filter_free(&f);
}

static void test_q_negation(void **state)
{
	struct filter f = parsed_q("-survey -\"large model\" x");

	assert_int_equal(f.n_clauses, 3);
	assert_true(f.clauses[0].negate);
	assert_string_equal(alt_str(&f, 0, 0), "survey");
	assert_true(f.clauses[1].negate);
	assert_string_equal(alt_str(&f, 1, 0), "large model");
	assert_false(f.clauses[2].negate);
	filter_free(&f);
}

static void test_q_lone_dash_ignored(void **state)
{
	struct filter f = parsed_q("a - b");

	assert_int_equal(f.n_clauses, 2);
	assert_false(f.clauses[0].negate);
	assert_false(f.clauses[1].negate);
	filter_free(&f);
}

static void test_q_or(void **state)
{
	struct filter f = parsed_q("a OR b c");

	assert_int_equal(f.n_clauses, 2);
	assert_int_equal(f.clauses[0].n_alts, 2);
	assert_string_equal(alt_str(&f, 0, 0), "a");
	assert_string_equal(alt_str(&f, 0, 1), "b");
	assert_int_equal(f.clauses[1].n_alts, 1);
	assert_string_equal(alt_str(&f, 1, 0), "c");
	filter_free(&f);
}

static void test_q_or_chain_and_phrases(void **state)
{
	struct filter f = parsed_q("a OR \"b c\" OR d");

	assert_int_equal(f.n_clauses, 1);
	assert_int_equal(f.clauses[0].n_alts, 3);
	assert_string_equal(alt_str(&f, 0, 1), "b c");
	assert_string_equal(alt_str(&f, 0, 2), "d");
	filter_free(&f);
}

static void test_q_lowercase_or_is_a_word(void **state)
{
	struct filter f = parsed_q("a or b");

	assert_int_equal(f.n_clauses, 3);
	assert_string_equal(alt_str(&f, 1, 0), "or");
	filter_free(&f);
	f = parsed_q("\"OR\"");
	assert_int_equal(f.n_clauses, 1);
	assert_string_equal(alt_str(&f, 0, 0), "or");
	filter_free(&f);
}

static void test_q_or_never_joins_negated(void **state)
{
	struct filter f = parsed_q("-a OR b");

	assert_int_equal(f.n_clauses, 2);
	assert_true(f.clauses[0].negate);
	assert_false(f.clauses[1].negate);
	assert_int_equal(f.clauses[1].n_alts, 1);
	filter_free(&f);
	f = parsed_q("a OR -b");
	assert_int_equal(f.n_clauses, 2);
	assert_int_equal(f.clauses[0].n_alts, 1);
	assert_true(f.clauses[1].negate);
	filter_free(&f);
}

static void test_q_dangling_or_ignored(void **state)
{
	struct filter f = parsed_q("OR a OR");

	assert_int_equal(f.n_clauses, 1);
	assert_int_equal(f.clauses[0].n_alts, 1);
	assert_string_equal(alt_str(&f, 0, 0), "a");
	filter_free(&f);
}

static void test_q_hyphenated_word_is_phrase(void **state)
{
	struct filter f = parsed_q("GPT-4");

	assert_int_equal(f.n_clauses, 1);
	assert_int_equal(f.clauses[0].n_alts, 1);
	assert_string_equal(alt_str(&f, 0, 0), "gpt 4");
	filter_free(&f);
}

static void test_q_without_tokens(void **state)
{
	struct filter f = parsed_q("!!! ... -- \"\" -\"?\"");

	assert_int_equal(f.n_clauses, 0);
	filter_free(&f);
	f = parsed_q("");
	assert_int_equal(f.n_clauses, 0);
	filter_free(&f);
}

static void test_q_too_many_terms(void **state)
{
	char q[CAP_QUERY_TERMS * 8 + 16];
	size_t o = 0;
	struct filter f;

	for (int i = 0; i < CAP_QUERY_TERMS; i++)
		o += (size_t)snprintf(q + o, sizeof(q) - o, "w%d ", i);
	f = parsed_q(q);
	assert_int_equal(f.n_clauses, CAP_QUERY_TERMS);
	filter_free(&f);
	snprintf(q + o, sizeof(q) - o, "one");
	set_err("q", q, "q: too many terms");
	/* OR alternatives count as terms too. */
	o = 0;
	for (int i = 0; i <= CAP_QUERY_TERMS; i++)
		o += (size_t)snprintf(
		    q + o, sizeof(q) - o, "%sw", i ? " OR " : "");
	set_err("q", q, "q: too many terms");
}

static void test_q_term_cap_spans_repeats(void **state)
{
	struct pw_error err = {{0}};
	char q[CAP_QUERY_TERMS * 8 + 16];
	size_t o = 0;
	struct filter f;

	for (int i = 0; i < CAP_QUERY_TERMS; i++)
		o += (size_t)snprintf(q + o, sizeof(q) - o, "w%d ", i);
	filter_init(&f);
	set_ok(&f, "q", q);
	assert_int_equal(filter_set(&f, "q", "more", &err), -1);
	assert_string_equal(err.msg, "q: too many terms");
	filter_free(&f);
}

/* ---- matching ---- */

static void test_match_empty_filter(void **state)
{
	assert_string_equal(matches(state, "q", ""), "gd");
}

static void test_match_whole_words(void **state)
{
	/* gpt4 has "model"; diffusion only has "models". */
	assert_string_equal(matches(state, "q", "model"), "g");
	assert_string_equal(matches(state, "q", "models"), "d");
	assert_string_equal(matches(state, "q", "mod"), "");
}

static void test_match_case_insensitive(void **state)
{
	assert_string_equal(matches(state, "q", "DIFFUSION"), "d");
}

static void test_match_and(void **state)
{
	assert_string_equal(matches(state, "q", "we image"), "d");
	assert_string_equal(matches(state, "q", "diffusion report"), "");
}

static void test_match_phrase(void **state)
{
	assert_string_equal(matches(state, "q", "\"large multimodal\""), "g");
	assert_string_equal(matches(state, "q", "\"multimodal large\""), "");
	assert_string_equal(matches(state, "q", "\"we report\""), "g");
}

static void test_match_phrase_stays_in_one_field(void **state)
{
	/* The title ends in "Report" and the summary starts with "We". */
	assert_string_equal(matches(state, "q", "\"technical report we\""), "");
	/* The keywords are "large language model" and "Multimodal". */
	assert_string_equal(matches(state, "q", "\"model multimodal\""), "");
}

static void test_match_keywords_field(void **state)
{
	/* "language" appears only in gpt4's ai_keywords. */
	assert_string_equal(matches(state, "q", "language"), "g");
}

static void test_match_hyphenated(void **state)
{
	assert_string_equal(matches(state, "q", "gpt-4"), "g");
	assert_string_equal(matches(state, "q", "gpt-5"), "");
	assert_string_equal(matches(state, "q", "state-of-the-art"), "d");
}

static void test_match_negation(void **state)
{
	assert_string_equal(matches(state, "q", "-diffusion"), "g");
	assert_string_equal(matches(state, "q", "-\"image synthesis\""), "g");
	assert_string_equal(matches(state, "q", "-nothinglikethis"), "gd");
}

static void test_match_or(void **state)
{
	assert_string_equal(matches(state, "q", "gans OR report"), "gd");
	assert_string_equal(matches(state, "q", "gans OR xyz"), "d");
	assert_string_equal(matches(state, "q", "gans OR report image"), "d");
}

static void test_match_title(void **state)
{
	assert_string_equal(matches(state, "title", "TECHNICAL"), "g");
	assert_string_equal(matches(state, "title", "echnic"), "g");
	assert_string_equal(matches(state, "title", "beat gans"), "d");
	assert_string_equal(matches(state, "title", "report diffusion"), "");
}

static void test_match_title_null(void **state)
{
	struct entry *e = entry_new();
	struct filter f;

	filter_init(&f);
	assert_true(filter_match(&f, e, NOW));
	set_ok(&f, "title", "x");
	assert_false(filter_match(&f, e, NOW));
	filter_free(&f);
	entry_free(e);
}

static void test_match_author(void **state)
{
	struct pair *p = *state;
	struct filter f;

	assert_string_equal(matches(state, "author", "achiam"), "g");
	assert_string_equal(matches(state, "author", "NICHOL"), "d");
	filter_init(&f);
	set_ok(&f, "author", "openai");
	set_ok(&f, "author", "josh");
	assert_true(filter_match(&f, p->gpt4, NOW));
	set_ok(&f, "author", "dhariwal");
	assert_false(filter_match(&f, p->gpt4, NOW));
	filter_free(&f);
}

static void test_match_keyword_exact(void **state)
{
	assert_string_equal(matches(state, "keyword", "multimodal"), "g");
	assert_string_equal(matches(state, "keyword", "IMAGE SYNTHESIS"), "d");
	assert_string_equal(matches(state, "keyword", "multi"), "");
	assert_string_equal(matches(state, "keyword", "image"), "");
}

static void test_match_thresholds(void **state)
{
	assert_string_equal(matches(state, "min_upvotes", "0"), "gd");
	/* Unknown upvotes (diffusion) count as 0. */
	assert_string_equal(matches(state, "min_upvotes", "1"), "g");
	assert_string_equal(matches(state, "min_upvotes", "120"), "g");
	assert_string_equal(matches(state, "min_upvotes", "121"), "");
	assert_string_equal(matches(state, "min_stars", "50"), "g");
	assert_string_equal(matches(state, "min_stars", "51"), "");
	assert_string_equal(matches(state, "min_comments", "1"), "d");
	assert_string_equal(matches(state, "min_comments", "3"), "d");
	assert_string_equal(matches(state, "min_comments", "4"), "");
}

static void test_match_has_code(void **state)
{
	assert_string_equal(matches(state, "has_code", "true"), "g");
	assert_string_equal(matches(state, "has_code", "false"), "d");
}

static void test_match_source(void **state)
{
	assert_string_equal(matches(state, "source", "arxiv"), "d");
	assert_string_equal(matches(state, "source", "arxiv,hf_daily"), "gd");
	assert_string_equal(matches(state, "source", "other"), "");
}

static void test_match_days(void **state)
{
	/* gpt4 was first seen 2 days before NOW, diffusion 10 days. */
	assert_string_equal(matches(state, "days", "1"), "");
	assert_string_equal(matches(state, "days", "2"), "g");
	assert_string_equal(matches(state, "days", "9"), "g");
	assert_string_equal(matches(state, "days", "10"), "gd");
}

static void test_match_since(void **state)
{
	assert_string_equal(matches(state, "since", "2026-06-02"), "gd");
	assert_string_equal(matches(state, "since", "2026-06-03"), "g");
	assert_string_equal(matches(state, "since", "2026-06-10"), "g");
	assert_string_equal(matches(state, "since", "2026-06-11"), "");
}

static void test_match_impossible(void **state)
{
	struct pair *p = *state;
	struct filter f;

	filter_init(&f);
	f.impossible = true;
	assert_false(filter_match(&f, p->gpt4, NOW));
	assert_false(filter_match(&f, p->diff, NOW));
	filter_free(&f);
}

static void test_sort_and_limit_do_not_filter(void **state)
{
	assert_string_equal(matches(state, "limit", "1"), "gd");
	assert_string_equal(matches(state, "sort", "upvotes"), "gd");
}

static void test_min_first_seen(void **state)
{
	struct filter f;

	filter_init(&f);
	assert_int_equal(filter_min_first_seen(&f, NOW), 0);
	set_ok(&f, "days", "1");
	assert_int_equal(filter_min_first_seen(&f, NOW), NOW - DAY);
	set_ok(&f, "since", "2026-06-02");
	assert_int_equal(filter_min_first_seen(&f, NOW), NOW - DAY);
	filter_free(&f);
	set_ok(&f, "days", "30");
	set_ok(&f, "since", "2026-06-02");
	assert_int_equal(filter_min_first_seen(&f, NOW), T_2026_06_02);
	filter_free(&f);
}

/* ---- merge ---- */

static void test_merge_thresholds_take_larger(void **state)
{
	struct filter a, b;

	filter_init(&a);
	filter_init(&b);
	set_ok(&a, "min_upvotes", "10");
	set_ok(&b, "min_upvotes", "5");
	set_ok(&b, "min_stars", "7");
	set_ok(&a, "min_comments", "2");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_int_equal(a.min_upvotes, 10);
	assert_int_equal(a.min_stars, 7);
	assert_int_equal(a.min_comments, 2);
	filter_free(&a);
	filter_free(&b);
}

static void test_merge_clauses_accumulate_deeply(void **state)
{
	struct filter a = parsed_q("x");
	struct filter b = parsed_q("y OR \"z w\" -v");

	assert_int_equal(filter_merge(&a, &b), 0);
	filter_free(&b); /* a must own copies */
	assert_int_equal(a.n_clauses, 3);
	assert_string_equal(alt_str(&a, 0, 0), "x");
	assert_int_equal(a.clauses[1].n_alts, 2);
	assert_string_equal(alt_str(&a, 1, 1), "z w");
	assert_true(a.clauses[2].negate);
	assert_string_equal(alt_str(&a, 2, 0), "v");
	filter_free(&a);
}

static void test_merge_substrings_accumulate(void **state)
{
	struct filter a, b;

	filter_init(&a);
	filter_init(&b);
	set_ok(&a, "title", "one");
	set_ok(&b, "title", "two");
	set_ok(&b, "title", "one");
	set_ok(&b, "author", "x");
	set_ok(&b, "keyword", "k");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_int_equal(a.titles.n, 2);
	assert_string_equal(a.titles.v[1], "two");
	assert_int_equal(a.authors.n, 1);
	assert_int_equal(a.keywords.n, 1);
	filter_free(&a);
	filter_free(&b);
}

static void test_merge_dates(void **state)
{
	struct filter a, b;

	filter_init(&a);
	filter_init(&b);
	set_ok(&a, "since", "2026-06-02");
	set_ok(&b, "since", "2026-06-10");
	set_ok(&a, "days", "7");
	set_ok(&b, "days", "30");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_int_equal(a.since, T_2026_06_10);
	assert_int_equal(a.days, 7);
	filter_free(&a);
	filter_init(&a);
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_int_equal(a.days, 30);
	filter_free(&a);
	filter_free(&b);
}

static void test_merge_sources_intersect(void **state)
{
	struct filter a, b;

	filter_init(&a);
	filter_init(&b);
	set_ok(&a, "source", "a,b");
	set_ok(&b, "source", "b,c");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_true(a.sources_set);
	assert_int_equal(a.sources.n, 1);
	assert_string_equal(a.sources.v[0], "b");
	assert_false(a.impossible);
	filter_free(&a);
	filter_free(&b);
}

static void test_merge_sources_disjoint_impossible(void **state)
{
	struct filter a, b;

	filter_init(&a);
	filter_init(&b);
	set_ok(&a, "source", "a");
	set_ok(&b, "source", "c");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_true(a.sources_set);
	assert_true(a.impossible);
	filter_free(&a);
	filter_free(&b);
}

static void test_merge_sources_into_unset(void **state)
{
	struct filter a, b;

	filter_init(&a);
	filter_init(&b);
	set_ok(&b, "source", "c,d");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_true(a.sources_set);
	assert_int_equal(a.sources.n, 2);
	filter_free(&b);
	/* Merging an unconstrained filter keeps the constraint. */
	filter_init(&b);
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_int_equal(a.sources.n, 2);
	filter_free(&a);
	filter_free(&b);
}

static void test_merge_has_code(void **state)
{
	struct filter a, b;

	filter_init(&a);
	filter_init(&b);
	set_ok(&b, "has_code", "true");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_int_equal(a.has_code, 1);
	assert_false(a.impossible);
	filter_free(&b);
	set_ok(&b, "has_code", "false");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_true(a.impossible);
	filter_free(&a);
	filter_free(&b);
}

static void test_merge_sort_limit(void **state)
{
	struct filter a, b;

	filter_init(&a);
	filter_init(&b);
	set_ok(&a, "sort", "upvotes");
	set_ok(&a, "limit", "10");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_int_equal(a.sort, FILTER_SORT_UPVOTES);
	assert_int_equal(a.limit, 10);
	set_ok(&b, "sort", "published");
	set_ok(&b, "limit", "20");
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_int_equal(a.sort, FILTER_SORT_PUBLISHED);
	assert_int_equal(a.limit, 20);
	filter_free(&a);
	filter_free(&b);
}

static void test_merge_impossible_propagates(void **state)
{
	struct filter a, b;

	filter_init(&a);
	filter_init(&b);
	b.impossible = true;
	assert_int_equal(filter_merge(&a, &b), 0);
	assert_true(a.impossible);
	filter_free(&a);
	filter_free(&b);
}

/* ---- FTS5 expression ---- */

static void check_fts(const char *q, const char *want)
{
	struct filter f = parsed_q(q);
	char *got = filter_fts_expr(&f);

	if (want == NULL) {
		assert_null(got);
	} else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
	filter_free(&f);
}

static void test_fts_none_without_positive_clause(void **state)
{
	check_fts("", NULL);
	check_fts("-survey -\"a b\"", NULL);
}

static void test_fts_shapes(void **state)
{
	check_fts("Diffusion", "(\"diffusion\")");
	check_fts("gpt-4 OR \"large model\" survey -foo",
	    "(\"gpt 4\" OR \"large model\") AND (\"survey\")");
}

static void test_fts_skips_symbol_only_terms(void **state)
{
	/* "→" is a token here but FTS5 sees no token in it. */
	check_fts("a \xE2\x86\x92", "(\"a\")");
	check_fts("a OR \xE2\x86\x92", NULL);
}

static void test_fts_doubles_quotes(void **state)
{
	struct strv t = {NULL, 0};
	struct filter f;
	char *got;

	filter_init(&f);
	strv_push(&t, "a\"b");
	f.clauses = calloc(1, sizeof(*f.clauses));
	assert_non_null(f.clauses);
	f.n_clauses = 1;
	f.clauses[0].alts = calloc(1, sizeof(*f.clauses[0].alts));
	assert_non_null(f.clauses[0].alts);
	f.clauses[0].n_alts = 1;
	f.clauses[0].alts[0].tokens = t;
	got = filter_fts_expr(&f);
	assert_non_null(got);
	assert_string_equal(got, "(\"a\"\"b\")");
	free(got);
	filter_free(&f);
}

/* Every entry filter_match accepts is also found by the FTS5 expression
 * in a real FTS5 table over title, summary and keywords. */
static void test_fts_is_superset_in_sqlite(void **state)
{
	static const char *queries[] = {"model", "gpt-4", "\"we report\"",
	    "gans OR report", "diffusion -gpt", "language", "state-of-the-art",
	    "IMAGE synthesis", "a \xE2\x86\x92"};
	struct pair *p = *state;
	struct entry *es[2] = {p->gpt4, p->diff};
	sqlite3 *db;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                     "CREATE VIRTUAL TABLE t USING "
	                     "fts5(title, summary, keywords)",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		char kw[256] = "";

		for (size_t k = 0; k < es[i]->ai_keywords.n; k++) {
			strncat(kw, es[i]->ai_keywords.v[k],
			    sizeof(kw) - strlen(kw) - 1);
			strncat(kw, " ; ", sizeof(kw) - strlen(kw) - 1);
		}
		assert_int_equal(sqlite3_prepare_v2(db,
		                     "INSERT INTO t(rowid, title, summary, "
		                     "keywords) VALUES (?, ?, ?, ?)",
		                     -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_int(st, 1, (int)i);
		sqlite3_bind_text(st, 2, es[i]->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, es[i]->summary, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, kw, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		struct filter f = parsed_q(queries[q]);
		char *expr = filter_fts_expr(&f);
		bool found[2] = {expr == NULL, expr == NULL};

		if (expr != NULL) {
			sqlite3_stmt *st;

			assert_int_equal(
			    sqlite3_prepare_v2(db,
			        "SELECT rowid FROM t WHERE t MATCH ?", -1, &st,
			        NULL),
			    SQLITE_OK);
			sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW)
				found[sqlite3_column_int(st, 0)] = true;
			assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
		}
		for (size_t i = 0; i < 2; i++)
			if (filter_match(&f, es[i], NOW) && !found[i])
				fail_msg("q=%s: entry %zu matches but FTS "
				         "expression %s misses it",
				    queries[q], i, expr);
		free(expr);
		filter_free(&f);
	}
	sqlite3_close(db);
}

/* ---- JSON ---- */

static json_t *json(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (v == NULL)
		fail_msg("bad test JSON: %s", jerr.text);
	return v;
}

static void test_json_accepts_types(void **state)
{
	struct pw_error err = {{0}};
	struct filter f;
	json_t *o = json("{\"q\": \"a OR b\", \"min_upvotes\": 10, "
	                 "\"min_stars\": \"20\", \"has_code\": true, "
	                 "\"limit\": 25, \"source\": [\"x\", \"y\"], "
	                 "\"title\": [\"One\", \"two\"], \"author\": \"Z\", "
	                 "\"keyword\": [\"k\"], \"since\": \"2026-06-10\", "
	                 "\"days\": 3, \"sort\": \"upvotes\", "
	                 "\"min_comments\": 0}");

	filter_init(&f);
	if (filter_from_json(&f, o, &err) != 0)
		fail_msg("rejected: %s", err.msg);
	assert_int_equal(f.n_clauses, 1);
	assert_int_equal(f.clauses[0].n_alts, 2);
	assert_int_equal(f.min_upvotes, 10);
	assert_int_equal(f.min_stars, 20);
	assert_int_equal(f.has_code, 1);
	assert_int_equal(f.limit, 25);
	assert_true(f.limit_set);
	assert_int_equal(f.sources.n, 2);
	assert_string_equal(f.sources.v[1], "y");
	assert_int_equal(f.titles.n, 2);
	assert_string_equal(f.titles.v[0], "one");
	assert_string_equal(f.authors.v[0], "z");
	assert_int_equal(f.keywords.n, 1);
	assert_int_equal(f.since, T_2026_06_10);
	assert_int_equal(f.days, 3);
	assert_int_equal(f.sort, FILTER_SORT_UPVOTES);
	filter_free(&f);
	json_decref(o);
}

static void test_json_has_code_false(void **state)
{
	struct pw_error err = {{0}};
	struct filter f;
	json_t *o = json("{\"has_code\": false}");

	filter_init(&f);
	assert_int_equal(filter_from_json(&f, o, &err), 0);
	assert_int_equal(f.has_code, 0);
	filter_free(&f);
	json_decref(o);
}

static void json_err(const char *text, const char *want)
{
	struct pw_error err = {{0}};
	struct filter f;
	json_t *o = json(text);

	filter_init(&f);
	if (filter_from_json(&f, o, &err) != -1)
		fail_msg("accepted %s", text);
	assert_string_equal(err.msg, want);
	filter_free(&f);
	json_decref(o);
}

static void test_json_errors(void **state)
{
	json_err("{\"foo\": 1}", "foo: unknown filter key");
	json_err("{\"min_upvotes\": -1}",
	    "min_upvotes: expected an integer from 0 to 1000000000");
	json_err("{\"min_upvotes\": 1.5}",
	    "min_upvotes: expected an integer from 0 to 1000000000");
	json_err("{\"limit\": 9223372036854775807}",
	    "limit: expected an integer from 1 to 500");
	json_err(
	    "{\"limit\": \"+5\"}", "limit: expected an integer from 1 to 500");
	json_err(
	    "{\"days\": null}", "days: expected an integer from 1 to 3650");
	json_err(
	    "{\"has_code\": \"maybe\"}", "has_code: expected true or false");
	json_err("{\"has_code\": 1}", "has_code: expected true or false");
	json_err("{\"q\": 5}", "q: expected a string or an array of strings");
	json_err("{\"title\": [\"a\", 1]}",
	    "title: expected a string or an array of strings");
	json_err("{\"sort\": \"x\"}",
	    "sort: expected first_seen, published or upvotes");
	json_err("{\"since\": 20260610}", "since: expected a date YYYY-MM-DD");
	json_err("{\"source\": [\"a\", 2]}",
	    "source: expected comma-separated source names");
	json_err("{\"source\": []}",
	    "source: expected comma-separated source names");
	json_err("[1]", "filter: expected a JSON object");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_defaults),
	    cmocka_unit_test(test_thresholds_accept_bounds),
	    cmocka_unit_test(test_thresholds_reject_bad_values),
	    cmocka_unit_test(test_days_bounds),
	    cmocka_unit_test(test_limit_bounds),
	    cmocka_unit_test(test_has_code_values),
	    cmocka_unit_test(test_sort_values),
	    cmocka_unit_test(test_since_values),
	    cmocka_unit_test(test_source_values),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_repeated_key_rejected),
	    cmocka_unit_test(test_repeated_text_keys_and),
	    cmocka_unit_test(test_text_values_cleaned),
	    cmocka_unit_test(test_value_length_cap),
	    cmocka_unit_test(test_value_must_be_utf8),
	    cmocka_unit_test(test_q_words_and),
	    cmocka_unit_test(test_q_phrase),
	    cmocka_unit_test(test_q_unterminated_phrase),
	    cmocka_unit_test(test_q_negation),
	    cmocka_unit_test(test_q_lone_dash_ignored),
	    cmocka_unit_test(test_q_or),
	    cmocka_unit_test(test_q_or_chain_and_phrases),
	    cmocka_unit_test(test_q_lowercase_or_is_a_word),
	    cmocka_unit_test(test_q_or_never_joins_negated),
	    cmocka_unit_test(test_q_dangling_or_ignored),
	    cmocka_unit_test(test_q_hyphenated_word_is_phrase),
	    cmocka_unit_test(test_q_without_tokens),
	    cmocka_unit_test(test_q_too_many_terms),
	    cmocka_unit_test(test_q_term_cap_spans_repeats),
	    cmocka_unit_test_setup_teardown(
	        test_match_empty_filter, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_whole_words, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_case_insensitive, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_and, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_phrase, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_phrase_stays_in_one_field, setup_pair,
	        teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_keywords_field, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_hyphenated, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_negation, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_or, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_title, setup_pair, teardown_pair),
	    cmocka_unit_test(test_match_title_null),
	    cmocka_unit_test_setup_teardown(
	        test_match_author, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_keyword_exact, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_thresholds, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_has_code, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_source, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_days, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_since, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_match_impossible, setup_pair, teardown_pair),
	    cmocka_unit_test_setup_teardown(
	        test_sort_and_limit_do_not_filter, setup_pair, teardown_pair),
	    cmocka_unit_test(test_min_first_seen),
	    cmocka_unit_test(test_merge_thresholds_take_larger),
	    cmocka_unit_test(test_merge_clauses_accumulate_deeply),
	    cmocka_unit_test(test_merge_substrings_accumulate),
	    cmocka_unit_test(test_merge_dates),
	    cmocka_unit_test(test_merge_sources_intersect),
	    cmocka_unit_test(test_merge_sources_disjoint_impossible),
	    cmocka_unit_test(test_merge_sources_into_unset),
	    cmocka_unit_test(test_merge_has_code),
	    cmocka_unit_test(test_merge_sort_limit),
	    cmocka_unit_test(test_merge_impossible_propagates),
	    cmocka_unit_test(test_fts_none_without_positive_clause),
	    cmocka_unit_test(test_fts_shapes),
	    cmocka_unit_test(test_fts_skips_symbol_only_terms),
	    cmocka_unit_test(test_fts_doubles_quotes),
	    cmocka_unit_test_setup_teardown(
	        test_fts_is_superset_in_sqlite, setup_pair, teardown_pair),
	    cmocka_unit_test(test_json_accepts_types),
	    cmocka_unit_test(test_json_has_code_false),
	    cmocka_unit_test(test_json_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
