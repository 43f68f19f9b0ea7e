/*
 * test_sources.c: the Hugging Face source adapters (hf_daily, hf_html, the
 * shared wrapper reader) and the source registry, on the real captures in
 * tests/fixtures/hf/ and on edge cases built here.
 *
 * Expected values for the captures were read from the fixture files with
 * python3's json module (see the arrays below), never from this code.
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
#include "sources/hf_common.h"
#include "sources/source.h"
#include "text.h"

#define HF_FIXTURE(name) FIXTURES_DIR "/hf/" name
#define SOURCE_NAME "hf-test"

/* 2026-06-12T00:00:00Z, the list date of the 2026 capture. */
#define DAY_2026_06_12 1781222400LL
/* 2024-08-01T00:00:00Z, the date of the 2024 page. */
#define DAY_2024_08_01 1722470400LL

struct daily_expect {
	const char *id;
	size_t authors; /* visible, non-empty names */
	int64_t upvotes;
	int64_t comments;
	int64_t published_at;
	int64_t listed_at;
	const char *github_repo;
	int64_t github_stars;
	const char *project_page;
	const char *organization; /* paper.organization fullname, else name */
};

/* daily_papers_2026-06-12.json, in document order. */
static const struct daily_expect daily_expected[] = {
    {"2606.00467", 3, 0, 2, 1780099200LL, 1781222400LL, NULL, -1, NULL,
        "California institute of technology"},
    {"2606.12730", 8, 5, 3, 1781049600LL, 1781222400LL,
        "https://github.com/psychology-of-AI/Rethinking-Pyschometric-Eval-LLMs",
        1, NULL, NULL},
    {"2606.13594", 10, 3, 2, 1781136000LL, 1781222400LL, NULL, -1,
        "https://chicychen.github.io/dense-hetero-latent-mas/",
        "University of Michigan"},
    {"2606.13174", 11, 2, 2, 1781136000LL, 1781222400LL,
        "https://github.com/YujunZhou/tellonce", 2, NULL, NULL},
    {"2606.10423", 3, 2, 2, 1780963200LL, 1781222400LL,
        "https://github.com/jayoohwang1/webchallenger", 2,
        "https://jayoohwang1.github.io/webchallenger-site/", NULL},
    {"2606.07867", 3, 2, 2, 1780617600LL, 1781222400LL,
        "https://github.com/Trustworthy-ML-Lab/Agent-Cold-Start-Safety-Gap", 1,
        "https://lilywenglab.github.io/Agent-Cold-Start-Safety-Gap/", NULL},
    {"2606.11409", 4, 8, 3, 1780963200LL, 1781222400LL,
        "https://github.com/r-three/risk-under-pressure", 1, NULL, "r-three"},
    {"2606.12451", 4, 2, 2, 1780531200LL, 1781222400LL,
        "https://github.com/SAP/toolsense", 1, NULL, "SAP"},
    {"2606.12488", 4, 1, 2, 1781049600LL, 1781222400LL, NULL, -1,
        "https://niccobiondi.github.io/projects/stationary-tpami/",
        "Multimedia and Human Understanding Group"},
    {"2606.13572", 5, 2, 2, 1781136000LL, 1781222400LL, NULL, -1, NULL,
        "IIT Patna"},
    {"2606.06113", 10, 13, 2, 1780531200LL, 1781222400LL,
        "https://github.com/nianbai006/SDG", 5,
        "https://huggingface.co/collections/P1n3/sdg",
        "Kolors Team, Kuaishou Technology"},
    {"2606.08103", 6, 2, 2, 1780704000LL, 1781222400LL,
        "https://github.com/enlighten0707/Geometric_Primary_Structure", 3,
        "https://enlighten0707.github.io/gps/",
        "Shanghai Jiao Tong University"},
    {"2606.12303", 4, 12, 2, 1781049600LL, 1781222400LL, NULL, -1,
        "https://zju-xyc.github.io/1D-Fusion-Project-Page/", NULL},
    {"2606.13289", 14, 25, 2, 1781136000LL, 1781222400LL, NULL, -1, NULL,
        "Nanjing University"},
    {"2606.12243", 4, 14, 3, 1781049600LL, 1781222400LL, NULL, -1,
        "https://zju-xyc.github.io/VIA-SD-Project-Page/", NULL},
    {"2606.11662", 11, 10, 3, 1781049600LL, 1781222400LL, NULL, -1, NULL, NULL},
    {"2606.10896", 5, 2, 2, 1780963200LL, 1781222400LL,
        "https://github.com/IBM/Flash-GMM", 12, NULL, "IBM Research"},
    {"2606.09446", 4, 1, 2, 1780876800LL, 1781222400LL,
        "https://github.com/raphael-baena/morphology4metrology", 12,
        "https://malamatenia.github.io/morphology4metrology-analysis/",
        "Ecole des Ponts ParisTech"},
    {"2606.12282", 1, 1, 2, 1781049600LL, 1781222400LL,
        "https://github.com/realfolkcode/pianokontext", 1,
        "https://realfolkcode.github.io/pianokontext_demo", NULL},
    {"2606.11096", 8, 2, 2, 1780963200LL, 1781222400LL,
        "https://github.com/Row11n/IDEAL", 5, NULL, NULL},
    {"2606.12575", 9, 7, 3, 1781049600LL, 1781222400LL, NULL, -1, NULL,
        "Tongyi-MAI"},
    {"2606.13392", 11, 103, 4, 1781136000LL, 1781222400LL,
        "https://github.com/MiniMax-AI/MSA", 251, NULL, "MiniMax"},
    {"2606.09290", 7, 7, 2, 1780876800LL, 1781222400LL, NULL, -1, NULL, NULL},
    {"2606.09304", 6, 6, 2, 1780876800LL, 1781222400LL, NULL, -1, NULL, NULL},
    {"2606.08063", 9, 74, 3, 1780704000LL, 1781222400LL,
        "https://github.com/jqtangust/Robust-U1", 86,
        "https://huggingface.co/spaces/Jiaqi-hkust/Robust-U1", NULL},
    {"2606.13120", 5, 4, 2, 1781136000LL, 1781222400LL, NULL, -1,
        "https://huggingface.co/datasets/Krystalan/EvoBrowseComp", NULL},
    {"2606.08788", 8, 4, 2, 1780790400LL, 1781222400LL, NULL, -1, NULL,
        "HKUST"},
    {"2606.13681", 14, 118, 3, 1781136000LL, 1781222400LL,
        "https://github.com/Aiden0526/EvoArena", 9,
        "https://aiden0526.github.io/EvoArena/",
        "Massachusetts Institute of Technology"},
    {"2606.08039", 1, 3, 2, 1780704000LL, 1781222400LL,
        "https://github.com/tau-intelligence/MuJoCo-drones-gym", 10, NULL,
        "TAU Intelligence"},
    {"2606.13106", 9, 18, 2, 1781136000LL, 1781222400LL, NULL, -1, NULL, NULL},
};
/* search_q-llama-3-herd.json, in relevance order. */
static const char *const search_ids[] = {
    "2407.21783",
    "2501.13921",
    "2411.10414",
    "2411.09012",
    "2503.05856",
    "2406.14833",
    "2302.13971",
    "2408.14774",
    "2503.01493",
    "2404.14047",
    "2407.18743",
};
/* hf_papers_page_2024-08-01.html, dailyPapers in page order. */
static const char *const html_ids[] = {
    "2407.21783",
    "2407.21705",
    "2407.21770",
    "2407.21646",
    "2407.21772",
    "2407.21630",
    "2407.21721",
    "2407.21530",
    "2407.20229",
    "2407.21781",
    "2407.21686",
    "2407.21475",
    "2404.01300",
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The fixture's bytes in a buffer of exactly its size, without a NUL, so
 * ASan catches a parser that reads past len. */
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

/* An exact-size, non-NUL-terminated copy of s. */
static char *exact_copy(const char *s, size_t *len)
{
	char *data;

	*len = strlen(s);
	data = malloc(*len ? *len : 1);
	assert_non_null(data);
	memcpy(data, s, *len);
	return data;
}

/* The source's config object for the next request_url calls. */
static json_t *test_opts;

static void set_options(struct source_params *p, const char *json)
{
	json_decref(test_opts);
	test_opts = json_loads(json, 0, NULL);
	assert_non_null(test_opts);
	p->options = test_opts;
}

static struct source_params test_params(const struct source_ops *ops)
{
	struct source_params p = {
	    .name = SOURCE_NAME,
	    .url = ops->default_url,
	    .now = 1781253000, /* 2026-06-12T08:30:00Z */
	};
	return p;
}

struct parsed {
	struct entry_list out;
	size_t items;
	size_t skipped;
	struct pw_error err;
	int rc;
};

static void parse_bytes(const struct source_ops *ops, const char *body,
    size_t len, struct parsed *r)
{
	struct source_params p = test_params(ops);

	entry_list_init(&r->out);
	r->items = 12345;
	r->skipped = 12345;
	r->err.msg[0] = '\0';
	r->rc =
	    ops->parse(&p, body, len, &r->out, &r->items, &r->skipped, &r->err);
}

static void parse_text(
    const struct source_ops *ops, const char *text, struct parsed *r)
{
	size_t len;
	char *data = exact_copy(text, &len);

	parse_bytes(ops, data, len, r);
	free(data);
}

static void parse_file(
    const struct source_ops *ops, const char *path, struct parsed *r)
{
	size_t len;
	char *data = read_fixture(path, &len);

	parse_bytes(ops, data, len, r);
	free(data);
}

static void assert_prefix(const char *s, const char *prefix)
{
	assert_non_null(s);
	assert_true(strncmp(s, prefix, strlen(prefix)) == 0);
}

/* The entry parsed from a one-wrapper daily document, which must parse. */
static struct entry *parse_one(const char *text, struct parsed *r)
{
	parse_text(&source_hf_daily_ops, text, r);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->items, 1);
	assert_int_equal(r->skipped, 0);
	assert_int_equal(r->out.n, 1);
	return r->out.v[0];
}

/* --- registry --------------------------------------------------------- */

static void test_registry(void **state)
{
	(void)state;
	assert_ptr_equal(source_find("hf_daily"), &source_hf_daily_ops);
	assert_ptr_equal(source_find("hf_html"), &source_hf_html_ops);
	assert_string_equal(source_hf_daily_ops.type, "hf_daily");
	assert_string_equal(source_hf_html_ops.type, "hf_html");
	assert_null(source_find("rss"));
	assert_null(source_find(""));
	assert_null(source_find("HF_DAILY"));
	assert_null(source_find(NULL));
	assert_string_equal(
	    source_type_names(), "hf_daily, hf_html, hf_search, arxiv, feed");
	assert_string_equal(source_hf_daily_ops.default_url,
	    "https://huggingface.co/api/daily_papers");
	assert_string_equal(
	    source_hf_html_ops.default_url, "https://huggingface.co/papers");
	assert_int_equal(source_hf_daily_ops.page_size, 100);
	assert_int_equal(source_hf_html_ops.page_size, 0);
}

/* --- request URLs ----------------------------------------------------- */

static void assert_url(const struct source_ops *ops,
    const struct source_params *p, unsigned step, unsigned page,
    const char *want)
{
	char *url = ops->request_url(p, step, page);
	char got[512];

	snprintf(got, sizeof(got), "%s", url != NULL ? url : "(null)");
	free(url);
	assert_string_equal(got, want != NULL ? want : "(null)");
}

#define DAILY "https://huggingface.co/api/daily_papers"

static void test_daily_url_dates(void **state)
{
	struct source_params p = test_params(&source_hf_daily_ops);

	(void)state;
	set_options(&p, "{\"days\": 2}");
	assert_url(&source_hf_daily_ops, &p, 0, 0,
	    DAILY "?date=2026-06-12&limit=100&p=0");
	assert_url(&source_hf_daily_ops, &p, 1, 0,
	    DAILY "?date=2026-06-11&limit=100&p=0");
	assert_url(&source_hf_daily_ops, &p, 1, 3,
	    DAILY "?date=2026-06-11&limit=100&p=3");
	assert_url(&source_hf_daily_ops, &p, 2, 9,
	    DAILY "?date=2026-06-10&limit=100&p=9");
	assert_url(&source_hf_daily_ops, &p, 3, 0, NULL);

	/* Steps go back across a month end, in UTC. */
	p.now = 1772326800; /* 2026-03-01T01:00:00Z */
	set_options(&p, "{\"days\": 1}");
	assert_url(&source_hf_daily_ops, &p, 0, 0,
	    DAILY "?date=2026-03-01&limit=100&p=0");
	assert_url(&source_hf_daily_ops, &p, 1, 0,
	    DAILY "?date=2026-02-28&limit=100&p=0");
	assert_url(&source_hf_daily_ops, &p, 2, 0, NULL);

	/* The last second of a day is still that day. */
	p.now = DAY_2026_06_12 + 86399;
	set_options(&p, "{\"days\": 0}");
	assert_url(&source_hf_daily_ops, &p, 0, 1,
	    DAILY "?date=2026-06-12&limit=100&p=1");
	assert_url(&source_hf_daily_ops, &p, 1, 0, NULL);
}

static void test_daily_url_days_clamped(void **state)
{
	struct source_params p = test_params(&source_hf_daily_ops);
	char *url;

	(void)state;
	set_options(&p, "{\"days\": -3}");
	assert_url(&source_hf_daily_ops, &p, 0, 0,
	    DAILY "?date=2026-06-12&limit=100&p=0");
	assert_url(&source_hf_daily_ops, &p, 1, 0, NULL);

	set_options(&p, "{\"days\": 1000}");
	url = source_hf_daily_ops.request_url(&p, CAP_POLL_DAYS, 0);
	assert_non_null(url);
	free(url);
	assert_url(&source_hf_daily_ops, &p, CAP_POLL_DAYS + 1, 0, NULL);
}

static void test_daily_url_trending(void **state)
{
	struct source_params p = test_params(&source_hf_daily_ops);

	(void)state;
	set_options(&p, "{\"sort\": \"trending\", \"days\": 3}");
	assert_url(&source_hf_daily_ops, &p, 0, 0,
	    DAILY "?sort=trending&limit=100&p=0");
	assert_url(&source_hf_daily_ops, &p, 0, 2,
	    DAILY "?sort=trending&limit=100&p=2");
	assert_url(&source_hf_daily_ops, &p, 1, 0, NULL);
}

static void test_daily_url_existing_query(void **state)
{
	struct source_params p = test_params(&source_hf_daily_ops);

	(void)state;
	p.url = "http://127.0.0.1:8765/api/daily_papers?token=a%20b&x=1";
	assert_url(&source_hf_daily_ops, &p, 0, 4,
	    "http://127.0.0.1:8765/api/daily_papers?token=a%20b&x=1"
	    "&date=2026-06-12&limit=100&p=4");
	set_options(&p, "{\"sort\": \"trending\"}");
	assert_url(&source_hf_daily_ops, &p, 0, 0,
	    "http://127.0.0.1:8765/api/daily_papers?token=a%20b&x=1"
	    "&sort=trending&limit=100&p=0");
	/* curl's URL API keeps no query on file: URLs, so a file fixture
	 * is read as it is for every date and page. */
	p.url = "file:///srv/fixtures/daily.json";
	set_options(&p, "{}");
	assert_url(
	    &source_hf_daily_ops, &p, 0, 0, "file:///srv/fixtures/daily.json");
	p.url = NULL;
	assert_url(&source_hf_daily_ops, &p, 0, 0,
	    DAILY "?date=2026-06-12&limit=100&p=0");
	p.url = "not a url";
	assert_url(&source_hf_daily_ops, &p, 0, 0, NULL);
}

static void test_html_url(void **state)
{
	struct source_params p = test_params(&source_hf_html_ops);

	(void)state;
	assert_url(
	    &source_hf_html_ops, &p, 0, 0, "https://huggingface.co/papers");
	assert_url(&source_hf_html_ops, &p, 0, 1, NULL);
	assert_url(&source_hf_html_ops, &p, 1, 0, NULL);
	p.url = "http://127.0.0.1:8765/papers?date=2024-08-01";
	assert_url(&source_hf_html_ops, &p, 0, 0,
	    "http://127.0.0.1:8765/papers?date=2024-08-01");
}

/* --- the real captures ------------------------------------------------ */

static void test_daily_capture(void **state)
{
	struct parsed r;

	(void)state;
	parse_file(&source_hf_daily_ops,
	    HF_FIXTURE("daily_papers_2026-06-12.json"), &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, N_ELEMS(daily_expected));
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, N_ELEMS(daily_expected));
	for (size_t i = 0; i < r.out.n; i++) {
		const struct daily_expect *x = &daily_expected[i];
		const struct entry *e = r.out.v[i];
		char want[128];

		snprintf(want, sizeof(want), "arxiv:%s", x->id);
		assert_string_equal(e->id, want);
		assert_int_equal(e->authors.n, x->authors);
		assert_int_equal(e->upvotes, x->upvotes);
		assert_int_equal(e->comments, x->comments);
		assert_int_equal(e->published_at, x->published_at);
		assert_int_equal(e->listed_at, x->listed_at);
		assert_int_equal(e->github_stars, x->github_stars);
		if (x->github_repo != NULL)
			assert_string_equal(e->github_repo, x->github_repo);
		else
			assert_null(e->github_repo);
		if (x->project_page != NULL)
			assert_string_equal(e->project_page, x->project_page);
		else
			assert_null(e->project_page);
		if (x->organization != NULL)
			assert_string_equal(e->organization, x->organization);
		else
			assert_null(e->organization);
		assert_int_equal(e->first_seen_at, 0);
		assert_int_equal(e->sources.n, 1);
		assert_string_equal(e->sources.v[0], SOURCE_NAME);
		snprintf(want, sizeof(want), "https://huggingface.co/papers/%s",
		    x->id);
		assert_string_equal(e->hf_url, want);
		snprintf(want, sizeof(want), "https://arxiv.org/abs/%s", x->id);
		assert_string_equal(e->arxiv_url, want);
		snprintf(want, sizeof(want), "https://arxiv.org/pdf/%s", x->id);
		assert_string_equal(e->pdf_url, want);
		assert_non_null(e->title);
		assert_non_null(e->summary);
		assert_non_null(e->ai_summary);
		assert_true(e->ai_keywords.n > 0);
		assert_non_null(e->thumbnail);
	}
	entry_list_free(&r.out);
}

static void test_daily_capture_details(void **state)
{
	const struct entry *e;
	struct parsed r;

	(void)state;
	parse_file(&source_hf_daily_ops,
	    HF_FIXTURE("daily_papers_2026-06-12.json"), &r);
	assert_int_equal(r.rc, 0);

	e = entry_list_find(&r.out, "arxiv:2606.00467");
	assert_non_null(e);
	assert_string_equal(e->title,
	    "On the Limits of LLM Adaptability: Impact of "
	    "Model-Internalized Priors on Annotation Task Performance");
	assert_string_equal(e->authors.v[0], "Etienne Casanova");
	assert_string_equal(e->authors.v[2], "R. Michael Alvarez");
	assert_prefix(e->summary,
	    "Large Language Models (LLMs) are increasingly used for "
	    "zero-shot annotation");
	assert_prefix(
	    e->ai_summary, "Large language models exhibit limited ability");
	assert_int_equal(e->ai_keywords.n, 14);
	assert_string_equal(e->ai_keywords.v[0], "zero-shot annotation");
	assert_string_equal(e->ai_keywords.v[1], "LLM-as-a-judge");
	assert_string_equal(e->thumbnail,
	    "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/"
	    "2606.00467.png");

	e = entry_list_find(&r.out, "arxiv:2606.13392");
	assert_non_null(e);
	assert_string_equal(e->title, "MiniMax Sparse Attention");
	assert_string_equal(e->authors.v[0], "Xunhao Lai");
	assert_string_equal(e->authors.v[10], "Pengyu Zhao");

	e = entry_list_find(&r.out, "arxiv:2606.06113");
	assert_non_null(e);
	assert_string_equal(e->title,
	    "Where, What, Why, and Importance: Structured Defect Grounding "
	    "for Text-to-Image Feedback");

	e = entry_list_find(&r.out, "arxiv:2606.13106");
	assert_non_null(e);
	assert_string_equal(e->title,
	    "Demystifying Hidden-State Recurrence: Switchable Latent "
	    "Reasoning with On-Policy Reinforcement Learning");

	/* Ten authors listed, the fourth (Dengyang Jiang) hidden. */
	e = entry_list_find(&r.out, "arxiv:2606.12575");
	assert_non_null(e);
	assert_int_equal(e->authors.n, 9);
	assert_string_equal(e->authors.v[0], "Dongyang Liu");
	assert_string_equal(e->authors.v[2], "David Liu");
	assert_string_equal(e->authors.v[3], "Liangchen Li");
	assert_string_equal(e->authors.v[8], "Peng Gao");
	assert_false(strv_contains(&e->authors, "Dengyang Jiang"));
	entry_list_free(&r.out);
}

static void test_daily_appends(void **state)
{
	struct source_params p = test_params(&source_hf_daily_ops);
	struct entry_list out;
	struct entry *first = entry_new();
	size_t len, items, skipped;
	char *data;

	(void)state;
	entry_list_init(&out);
	assert_non_null(first);
	first->id = strdup("arxiv:2606.00467");
	assert_int_equal(entry_list_push(&out, first), 0);
	data = read_fixture(HF_FIXTURE("daily_papers_2026-06-12.json"), &len);
	assert_int_equal(source_hf_daily_ops.parse(
	                     &p, data, len, &out, &items, &skipped, NULL),
	    0);
	/* Entries already in out are left alone; the document's own copy of
	 * the same paper is appended (de-duplication is per document). */
	assert_int_equal(out.n, 1 + N_ELEMS(daily_expected));
	assert_ptr_equal(out.v[0], first);
	assert_null(first->title);
	assert_string_equal(out.v[1]->id, "arxiv:2606.00467");
	free(data);
	entry_list_free(&out);
}

static void test_search_capture(void **state)
{
	const struct entry *e;
	struct parsed r;

	(void)state;
	parse_file(
	    &source_hf_daily_ops, HF_FIXTURE("search_q-llama-3-herd.json"), &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, N_ELEMS(search_ids));
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, N_ELEMS(search_ids));
	for (size_t i = 0; i < r.out.n; i++) {
		char want[64];

		snprintf(want, sizeof(want), "arxiv:%s", search_ids[i]);
		assert_string_equal(r.out.v[i]->id, want);
		/* Search results carry no list date. */
		assert_int_equal(r.out.v[i]->listed_at, 0);
	}
	e = r.out.v[0];
	assert_string_equal(e->title, "The Llama 3 Herd of Models");
	assert_int_equal(e->authors.n, 533);
	assert_string_equal(e->authors.v[0], "Abhimanyu Dubey");
	assert_int_equal(e->upvotes, 115);
	assert_int_equal(e->comments, 6);
	assert_int_equal(e->published_at, 1722448467); /* 17:54:27Z */
	assert_string_equal(r.out.v[1]->title,
	    "The Breeze 2 Herd of Models: Traditional Chinese LLMs Based on "
	    "Llama with Vision-Aware and Function-Calling Capabilities");
	assert_string_equal(r.out.v[4]->github_repo,
	    "https://github.com/lorenzflow/robust-moa");
	entry_list_free(&r.out);
}

static void test_html_capture(void **state)
{
	const struct entry *e;
	struct parsed r;

	(void)state;
	parse_file(&source_hf_html_ops,
	    HF_FIXTURE("hf_papers_page_2024-08-01.html"), &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, N_ELEMS(html_ids));
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, N_ELEMS(html_ids));
	for (size_t i = 0; i < r.out.n; i++) {
		char want[64];

		snprintf(want, sizeof(want), "arxiv:%s", html_ids[i]);
		assert_string_equal(r.out.v[i]->id, want);
		/* No submittedOnDailyAt in 2024: the page's date is used. */
		assert_int_equal(r.out.v[i]->listed_at, DAY_2024_08_01);
		assert_string_equal(r.out.v[i]->sources.v[0], SOURCE_NAME);
	}
	e = r.out.v[0];
	assert_string_equal(e->title, "The Llama 3 Herd of Models");
	assert_int_equal(e->authors.n, 533);
	assert_int_equal(e->upvotes, 94);
	assert_int_equal(e->comments, 5);
	assert_int_equal(e->published_at, 1722448467);

	e = entry_list_find(&r.out, "arxiv:2407.21770");
	assert_non_null(e);
	assert_string_equal(e->title,
	    "MoMa: Efficient Early-Fusion Pre-training with Mixture of "
	    "Modality-Aware Experts");
	e = entry_list_find(&r.out, "arxiv:2404.01300");
	assert_non_null(e);
	assert_string_equal(e->title,
	    "NeRF-MAE: Masked AutoEncoders for Self-Supervised 3D "
	    "Representation Learning for Neural Radiance Fields");

	/* Six authors, the third (Xuanyu Huang) hidden. */
	e = entry_list_find(&r.out, "arxiv:2407.21781");
	assert_non_null(e);
	assert_string_equal(e->title,
	    "Berkeley Humanoid: A Research Platform for Learning-based "
	    "Control");
	assert_int_equal(e->authors.n, 5);
	assert_string_equal(e->authors.v[1], "Bike Zhang");
	assert_string_equal(e->authors.v[2], "Xiaoyu Huang");
	assert_false(strv_contains(&e->authors, "Xuanyu Huang"));
	entry_list_free(&r.out);
}

/* --- edge cases, built here ------------------------------------------- */

/* JSON written with ' for " so the cases below stay readable. */
static void parse_sq(
    const struct source_ops *ops, const char *sq, struct parsed *r)
{
	char *text = strdup(sq);

	assert_non_null(text);
	for (char *c = text; *c != '\0'; c++)
		if (*c == '\'')
			*c = '"';
	parse_text(ops, text, r);
	free(text);
}

/* Parses a document built with jansson (stolen), as hf_daily. */
static void parse_json(json_t *doc, struct parsed *r)
{
	char *text = json_dumps(doc, JSON_COMPACT);

	assert_non_null(text);
	json_decref(doc);
	parse_text(&source_hf_daily_ops, text, r);
	free(text);
}

/* A one-wrapper document whose paper has id, title and key = value. */
static json_t *doc_with(const char *key, json_t *value)
{
	json_t *paper =
	    json_pack("{s:s, s:s}", "id", "2306.03091", "title", "T");

	assert_non_null(paper);
	assert_int_equal(json_object_set_new(paper, key, value), 0);
	return json_pack("[{s:o}]", "paper", paper);
}

static void assert_unknowns(const struct entry *e)
{
	assert_null(e->summary);
	assert_int_equal(e->authors.n, 0);
	assert_int_equal(e->published_at, 0);
	assert_int_equal(e->listed_at, 0);
	assert_int_equal(e->upvotes, -1);
	assert_int_equal(e->comments, -1);
	assert_int_equal(e->github_stars, -1);
	assert_null(e->github_repo);
	assert_null(e->project_page);
	assert_null(e->ai_summary);
	assert_int_equal(e->ai_keywords.n, 0);
	assert_null(e->thumbnail);
	assert_null(e->organization);
}

static void test_wrong_types(void **state)
{
	struct parsed r;

	(void)state;
	parse_sq(&source_hf_daily_ops,
	    "[{'paper':'2306.00001','title':'A'}, 42, null, 'x', [],"
	    " {'paper':{'title':'no id'}},"
	    " {'paper':{'id':2306.00002,'title':'number id'}},"
	    " {'paper':{'id':'2306.00003','title':7},'title':'Wrapper title'},"
	    " {'paper':{'id':'2306.00004','title':7},'title':['x']},"
	    " {'paper':{'id':'2306.00005','title':' \\t '}},"
	    " {'paper':{'id':'2306.00006','title':'All wrong','summary':3,"
	    "   'authors':'x','publishedAt':5,'submittedOnDailyAt':[],"
	    "   'upvotes':'12','githubRepo':7,'githubStars':'9',"
	    "   'projectPage':{},'ai_summary':1,'ai_keywords':'k',"
	    "   'organization':'org'},"
	    "  'numComments':'3','thumbnail':false,'organization':[],"
	    "  'summary':{}},"
	    " {'paper':{'id':'2306.00007','title':'Negatives','upvotes':-5,"
	    "   'githubStars':-1,'publishedAt':'yesterday',"
	    "   'submittedOnDailyAt':'2026-13-45'},'numComments':-2},"
	    " {'paper':{'id':'2306.00008','title':'Reals','upvotes':3.0,"
	    "   'githubStars':true,'authors':{'name':'A'}},"
	    "  'numComments':null}]",
	    &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 13);
	assert_int_equal(r.skipped, 9);
	assert_int_equal(r.out.n, 4);
	assert_string_equal(r.out.v[0]->id, "arxiv:2306.00003");
	assert_string_equal(r.out.v[0]->title, "Wrapper title");
	assert_string_equal(r.out.v[1]->id, "arxiv:2306.00006");
	assert_string_equal(r.out.v[1]->title, "All wrong");
	assert_string_equal(r.out.v[2]->title, "Negatives");
	assert_string_equal(r.out.v[3]->title, "Reals");
	for (size_t i = 0; i < r.out.n; i++) {
		assert_unknowns(r.out.v[i]);
		assert_non_null(r.out.v[i]->hf_url);
		assert_string_equal(r.out.v[i]->sources.v[0], SOURCE_NAME);
	}
	entry_list_free(&r.out);
}

static void test_fallbacks(void **state)
{
	struct entry *e;
	struct parsed r;

	(void)state;
	/* Wrapper title and summary stand in for missing paper ones. */
	e = parse_one("[{\"paper\":{\"id\":\"2306.03091\"},"
	              "\"title\":\"From wrapper\",\"summary\":\"Wrapper "
	              "summary\"}]",
	    &r);
	assert_string_equal(e->title, "From wrapper");
	assert_string_equal(e->summary, "Wrapper summary");
	entry_list_free(&r.out);

	/* paper.organization: fullname, else name. */
	parse_json(
	    doc_with("organization", json_pack("{s:s}", "name", "n")), &r);
	assert_string_equal(r.out.v[0]->organization, "n");
	entry_list_free(&r.out);
	parse_json(doc_with("organization",
	               json_pack("{s:i, s:s}", "fullname", 3, "name", "x")),
	    &r);
	assert_string_equal(r.out.v[0]->organization, "x");
	entry_list_free(&r.out);

	/* Then the wrapper's organization. */
	e = parse_one("[{\"paper\":{\"id\":\"2306.03091\",\"title\":\"T\","
	              "\"organization\":{\"fullname\":\" \"}},"
	              "\"organization\":{\"fullname\":\"W\",\"name\":\"w\"}}]",
	    &r);
	assert_string_equal(e->organization, "W");
	entry_list_free(&r.out);
	e = parse_one("[{\"paper\":{\"id\":\"2306.03091\",\"title\":\"T\","
	              "\"organization\":\"str\"},"
	              "\"organization\":{\"name\":\"w\"}}]",
	    &r);
	assert_string_equal(e->organization, "w");
	entry_list_free(&r.out);
}

static void test_authors(void **state)
{
	struct entry *e;
	struct parsed r;
	json_t *authors;

	(void)state;
	parse_sq(&source_hf_daily_ops,
	    "[{'paper':{'id':'2306.03091','title':'T','authors':["
	    " 1, 's', null, [], {'name':5}, {'name':'  '},"
	    " {'name':'A\\tB','hidden':'yes'}, {'name':'Hidden','hidden':true},"
	    " {'hidden':false}, {'name':'C','hidden':false}, {'name':'C'}]}}]",
	    &r);
	assert_int_equal(r.rc, 0);
	e = r.out.v[0];
	assert_int_equal(e->authors.n, 3);
	assert_string_equal(e->authors.v[0], "A B");
	/* Two people may share a name: both stay. */
	assert_string_equal(e->authors.v[1], "C");
	assert_string_equal(e->authors.v[2], "C");
	entry_list_free(&r.out);

	authors = json_array();
	for (int i = 0; i <= CAP_AUTHORS; i++)
		json_array_append_new(
		    authors, json_pack("{s:s, s:b}", "name", "N", "hidden", 0));
	parse_json(doc_with("authors", authors), &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.v[0]->authors.n, CAP_AUTHORS);
	entry_list_free(&r.out);
}

static void test_keywords(void **state)
{
	struct parsed r;
	json_t *kws;
	char name[32];

	(void)state;
	parse_sq(&source_hf_daily_ops,
	    "[{'paper':{'id':'2306.03091','title':'T','ai_keywords':"
	    "[' a  b ', 'a b', '', 3, 'c', '\\u0000', null, 'a\\u00a0b']}}]",
	    &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.v[0]->ai_keywords.n, 2);
	assert_string_equal(r.out.v[0]->ai_keywords.v[0], "a b");
	assert_string_equal(r.out.v[0]->ai_keywords.v[1], "c");
	entry_list_free(&r.out);

	kws = json_array();
	for (int i = 0; i < CAP_KEYWORDS + 5; i++) {
		snprintf(name, sizeof(name), "kw%d", i);
		json_array_append_new(kws, json_string(name));
	}
	parse_json(doc_with("ai_keywords", kws), &r);
	assert_int_equal(r.out.v[0]->ai_keywords.n, CAP_KEYWORDS);
	snprintf(name, sizeof(name), "kw%d", CAP_KEYWORDS - 1);
	assert_string_equal(r.out.v[0]->ai_keywords.v[CAP_KEYWORDS - 1], name);
	entry_list_free(&r.out);
}

static void test_ids(void **state)
{
	static const struct {
		const char *in;
		const char *want; /* NULL: rejected */
	} cases[] = {
	    {"2306.03091", "2306.03091"},
	    {"2306.03091v2", "2306.03091"},
	    {"2306.03091v12", "2306.03091"},
	    {"0704.0001", "0704.0001"},
	    {"0704.0001v1", "0704.0001"},
	    {"hep-th/9901001", "hep-th/9901001"},
	    {"hep-th/9901001v3", "hep-th/9901001"},
	    {"cond-mat/0102536v1", "cond-mat/0102536"},
	    {"math.GT/0309136", "math.GT/0309136"},
	    {"", NULL},
	    {"v2", NULL},
	    {"2306.03091v", NULL},
	    {"2306.03091v2v3", NULL},
	    {"2306.030912", NULL},
	    {"2306.030", NULL},
	    {"2306.0309a", NULL},
	    {"230.603091", NULL},
	    {"2306-03091", NULL},
	    {" 2306.03091", NULL},
	    {"2306.03091 ", NULL},
	    {"arxiv:2306.03091", NULL},
	    {"HEP-TH/9901001", NULL},
	    {"hep-th/990100", NULL},
	    {"hep-th/99010011", NULL},
	    {"hep_th/9901001", NULL},
	    {"-th/9901001", NULL},
	    {"hep-/9901001", NULL},
	    {"/9901001", NULL},
	    {"math.gt/0309136", NULL},
	    {"math.GTX/0309136", NULL},
	    {"../../etc/passwd", NULL},
	};
	char out[HF_COMMON_ID_BYTES];

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int rc = hf_common_arxiv_id(
		    cases[i].in, strlen(cases[i].in), out, sizeof(out));

		if (cases[i].want == NULL) {
			if (rc != -1)
				fail_msg("accepted \"%s\"", cases[i].in);
		} else {
			if (rc != 0)
				fail_msg("rejected \"%s\"", cases[i].in);
			assert_string_equal(out, cases[i].want);
		}
	}
	/* The length counts, not a NUL; and the result must fit. */
	assert_int_equal(
	    hf_common_arxiv_id("2306.03091\0x", 12, out, sizeof(out)), -1);
	assert_int_equal(
	    hf_common_arxiv_id("2306.03091v2", 10, out, sizeof(out)), 0);
	assert_string_equal(out, "2306.03091");
	assert_int_equal(hf_common_arxiv_id("2306.03091", 10, out, 10), -1);
	assert_int_equal(hf_common_arxiv_id("2306.03091", 10, out, 11), 0);
}

static void test_id_version_links(void **state)
{
	struct entry *e;
	struct parsed r;

	(void)state;
	e = parse_one(
	    "[{\"paper\":{\"id\":\"2306.03091v2\",\"title\":\"T\"}}]", &r);
	assert_string_equal(e->id, "arxiv:2306.03091");
	assert_string_equal(
	    e->hf_url, "https://huggingface.co/papers/2306.03091");
	assert_string_equal(e->arxiv_url, "https://arxiv.org/abs/2306.03091");
	assert_string_equal(e->pdf_url, "https://arxiv.org/pdf/2306.03091");
	entry_list_free(&r.out);

	e = parse_one(
	    "[{\"paper\":{\"id\":\"hep-th/9901001v1\",\"title\":\"T\"}}]", &r);
	assert_string_equal(e->id, "arxiv:hep-th/9901001");
	assert_string_equal(
	    e->arxiv_url, "https://arxiv.org/abs/hep-th/9901001");
	entry_list_free(&r.out);

	parse_sq(&source_hf_daily_ops,
	    "[{'paper':{'id':'abc','title':'T'}},"
	    " {'paper':{'id':'2306.03091/../x','title':'T'}},"
	    " {'paper':{'id':'','title':'T'}}]",
	    &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 3);
	assert_int_equal(r.skipped, 3);
	assert_int_equal(r.out.n, 0);
	entry_list_free(&r.out);
}

static void test_text_cleaning(void **state)
{
	char long_text[CAP_SUMMARY_BYTES + 100];
	struct entry *e;
	struct parsed r;

	(void)state;
	e = parse_one(
	    "[{\"paper\":{\"id\":\"2306.03091\",\"title\":"
	    "\"\\u0001Hello\\u0007 \\n\\t World\\u0000 \\u00a0!\","
	    "\"summary\":\"Line one\\r\\nline\\u0085 two\\u007f.\"}}]",
	    &r);
	assert_string_equal(e->title, "Hello World !");
	assert_string_equal(e->summary, "Line one line two.");
	entry_list_free(&r.out);

	/* Long fields are cut at their caps. */
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	parse_json(json_pack("[{s:{s:s, s:s, s:s}}]", "paper", "id",
	               "2306.03091", "title", long_text, "summary", long_text),
	    &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(strlen(r.out.v[0]->title), CAP_TITLE_BYTES);
	assert_int_equal(strlen(r.out.v[0]->summary), CAP_SUMMARY_BYTES);
	entry_list_free(&r.out);
}

/* jansson only builds strings that are valid UTF-8 unless told not to
 * check; upstream bytes could still reach the entry code that way. */
static void test_invalid_utf8(void **state)
{
	static const char bad[] = "Bad \xff title \xc3";
	struct entry *e = entry_new();
	json_t *wrapper;
	size_t len;
	char *body;
	struct parsed r;

	(void)state;
	wrapper = json_pack("{s:{s:s, s:o}}", "paper", "id", "2306.03091",
	    "title", json_stringn_nocheck(bad, sizeof(bad) - 1));
	assert_non_null(wrapper);
	assert_non_null(e);
	assert_int_equal(hf_common_entry(wrapper, "x", 0, e), 0);
	assert_string_equal(e->title, "Bad \xef\xbf\xbd title \xef\xbf\xbd");
	assert_string_equal(e->sources.v[0], "x");
	entry_free(e);
	json_decref(wrapper);

	/* Raw invalid UTF-8 in a body makes the document invalid JSON. */
	body = exact_copy(
	    "[{\"paper\":{\"id\":\"2306.03091\",\"title\":\"\xff\"}}]", &len);
	parse_bytes(&source_hf_daily_ops, body, len, &r);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.out.n, 0);
	assert_prefix(r.err.msg, "invalid JSON at line 1 column ");
	free(body);
}

static void test_urls(void **state)
{
	static const struct {
		const char *in;
		const char *want; /* NULL: dropped */
	} cases[] = {
	    {"https://github.com/a/b", "https://github.com/a/b"},
	    {"http://example.com/x?y=1", "http://example.com/x?y=1"},
	    {"  https://github.com/a/b\n", "https://github.com/a/b"},
	    {"HTTPS://github.com/a", "HTTPS://github.com/a"},
	    {"git@github.com:a/b.git", NULL},
	    {"ftp://example.com/x", NULL},
	    {"file:///etc/passwd", NULL},
	    {"javascript:alert(1)", NULL},
	    {"github.com/a/b", NULL},
	    {"https://github.com/a b", NULL},
	    {"", NULL},
	    {"https://", NULL},
	};
	static const char *const keys[] = {"githubRepo", "projectPage"};
	char *long_url;
	struct parsed r;

	(void)state;
	for (size_t k = 0; k < N_ELEMS(keys); k++) {
		for (size_t i = 0; i < N_ELEMS(cases); i++) {
			const char *got;

			parse_json(
			    doc_with(keys[k], json_string(cases[i].in)), &r);
			assert_int_equal(r.rc, 0);
			got = k == 0 ? r.out.v[0]->github_repo
			             : r.out.v[0]->project_page;
			if (cases[i].want == NULL) {
				if (got != NULL)
					fail_msg("%s kept \"%s\"", keys[k],
					    cases[i].in);
			} else {
				if (got == NULL)
					fail_msg("%s dropped \"%s\"", keys[k],
					    cases[i].in);
				assert_string_equal(got, cases[i].want);
			}
			entry_list_free(&r.out);
		}
	}

	parse_sq(&source_hf_daily_ops,
	    "[{'paper':{'id':'2306.03091','title':'T'},"
	    "  'thumbnail':'https://cdn.example/t.png'},"
	    " {'paper':{'id':'2306.03092','title':'T'},"
	    "  'thumbnail':'/relative/t.png'}]",
	    &r);
	assert_int_equal(r.out.n, 2);
	assert_string_equal(r.out.v[0]->thumbnail, "https://cdn.example/t.png");
	assert_null(r.out.v[1]->thumbnail);
	entry_list_free(&r.out);

	/* A URL over the cap is dropped, not cut into another URL. */
	long_url = malloc(CAP_FIELD_BYTES + 2);
	assert_non_null(long_url);
	memcpy(long_url, "https://a.example/", 18);
	memset(long_url + 18, 'p', CAP_FIELD_BYTES + 1 - 18);
	long_url[CAP_FIELD_BYTES + 1] = '\0';
	parse_json(doc_with("githubRepo", json_string(long_url)), &r);
	assert_null(r.out.v[0]->github_repo);
	entry_list_free(&r.out);
	long_url[CAP_FIELD_BYTES] = '\0';
	parse_json(doc_with("githubRepo", json_string(long_url)), &r);
	assert_string_equal(r.out.v[0]->github_repo, long_url);
	entry_list_free(&r.out);
	free(long_url);
}

static void test_dates(void **state)
{
	struct parsed r;

	(void)state;
	parse_sq(&source_hf_daily_ops,
	    "[{'paper':{'id':'2306.00001','title':'T',"
	    "  'publishedAt':'2026-06-11T10:20:30.000Z',"
	    "  'submittedOnDailyAt':'2026-06-12T13:45:00.000Z'}},"
	    " {'paper':{'id':'2306.00002','title':'T',"
	    "  'submittedOnDailyAt':'2026-06-12T23:30:00-05:00'}},"
	    " {'paper':{'id':'2306.00003','title':'T',"
	    "  'publishedAt':'2026-06-11','submittedOnDailyAt':'2026-06-12'}}]",
	    &r);
	assert_int_equal(r.out.n, 3);
	assert_int_equal(r.out.v[0]->published_at,
	    DAY_2026_06_12 - 86400 + 10 * 3600 + 20 * 60 + 30);
	assert_int_equal(r.out.v[0]->listed_at, DAY_2026_06_12);
	/* 23:30 at -05:00 is 04:30 UTC the next day. */
	assert_int_equal(r.out.v[1]->listed_at, DAY_2026_06_12 + 86400);
	assert_int_equal(r.out.v[1]->published_at, 0);
	assert_int_equal(r.out.v[2]->published_at, DAY_2026_06_12 - 86400);
	assert_int_equal(r.out.v[2]->listed_at, DAY_2026_06_12);
	entry_list_free(&r.out);
}

static void test_duplicates(void **state)
{
	struct parsed r;

	(void)state;
	parse_sq(&source_hf_daily_ops,
	    "[{'paper':{'id':'2306.03091','title':'First'}},"
	    " {'paper':{'id':'2306.03091v2','title':'Second'}},"
	    " {'paper':{'id':'2306.03092','title':'Other'}},"
	    " {'paper':{'id':'2306.03091','title':'Third'}}]",
	    &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 4);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, 2);
	assert_string_equal(r.out.v[0]->title, "First");
	assert_string_equal(r.out.v[1]->id, "arxiv:2306.03092");
	entry_list_free(&r.out);

	/* A listing that is skipped does not hide a later good one. */
	parse_sq(&source_hf_daily_ops,
	    "[{'paper':{'id':'2306.03091','title':5}},"
	    " {'paper':{'id':'2306.03091','title':'Good'}}]",
	    &r);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0]->title, "Good");
	entry_list_free(&r.out);
}

static void test_items_cap(void **state)
{
	json_t *doc = json_array();
	char id[32];
	struct parsed r;

	(void)state;
	for (int i = 1; i <= CAP_ITEMS_PER_DOCUMENT + 1; i++) {
		snprintf(id, sizeof(id), "2401.%05d", i);
		json_array_append_new(doc, json_pack("{s:{s:s, s:s}}", "paper",
		                               "id", id, "title", "T"));
	}
	parse_json(doc, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, CAP_ITEMS_PER_DOCUMENT + 1);
	assert_int_equal(r.out.n, CAP_ITEMS_PER_DOCUMENT);
	snprintf(id, sizeof(id), "arxiv:2401.%05d", CAP_ITEMS_PER_DOCUMENT);
	assert_string_equal(r.out.v[CAP_ITEMS_PER_DOCUMENT - 1]->id, id);
	entry_list_free(&r.out);
}

static void test_empty_array(void **state)
{
	struct parsed r;

	(void)state;
	parse_text(&source_hf_daily_ops, "[]", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 0);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, 0);
	parse_text(&source_hf_daily_ops, " \n[ ]\r\n", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 0);
	/* Only len bytes are read. */
	parse_bytes(&source_hf_daily_ops, "[]garbage", 2, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 0);
}

/* Parses body as hf_daily into a list that already holds one entry, and
 * checks that the parse fails and the list keeps exactly that entry. */
static void assert_rejected(const struct source_ops *ops, const char *body,
    size_t len, const char *msg_prefix)
{
	struct source_params p = test_params(ops);
	struct entry_list out;
	struct entry *kept = entry_new();
	struct pw_error err = {{0}};
	size_t items = 99, skipped = 99;
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	assert_non_null(kept);
	memcpy(copy, body, len);
	entry_list_init(&out);
	assert_int_equal(entry_list_push(&out, kept), 0);
	assert_int_equal(
	    ops->parse(&p, copy, len, &out, &items, &skipped, &err), -1);
	assert_int_equal(out.n, 1);
	assert_ptr_equal(out.v[0], kept);
	assert_int_equal(items, 0);
	assert_int_equal(skipped, 0);
	if (strncmp(err.msg, msg_prefix, strlen(msg_prefix)) != 0)
		fail_msg("error \"%s\" does not start with \"%s\"", err.msg,
		    msg_prefix);
	/* A NULL err is allowed too. */
	assert_int_equal(
	    ops->parse(&p, copy, len, &out, &items, &skipped, NULL), -1);
	assert_int_equal(out.n, 1);
	free(copy);
	entry_list_free(&out);
}

#define REJECT(ops, text, prefix)                                              \
	assert_rejected((ops), (text), strlen(text), (prefix))

static void test_daily_rejects(void **state)
{
	char deep[2 * (CAP_JSON_DEPTH + 1) + 1];
	size_t len;
	char *data;
	struct parsed r;

	(void)state;
	data = read_fixture(HF_FIXTURE("daily_papers_2026-06-12.json"), &len);
	assert_rejected(
	    &source_hf_daily_ops, data, len / 2, "invalid JSON at line ");
	free(data);

	REJECT(
	    &source_hf_daily_ops, "{}", "expected a JSON array, got an object");
	REJECT(&source_hf_daily_ops, "{\"paper\":{\"id\":\"2306.03091\"}}",
	    "expected a JSON array, got an object");
	REJECT(&source_hf_daily_ops, "\"x\"",
	    "expected a JSON array, got a string");
	REJECT(&source_hf_daily_ops, "null", "expected a JSON array, got null");
	REJECT(&source_hf_daily_ops, "", "invalid JSON at line ");
	REJECT(&source_hf_daily_ops, "[] []", "invalid JSON at line 1 column ");
	REJECT(&source_hf_daily_ops, "<html></html>",
	    "invalid JSON at line 1 column ");

	/* Bodies over the fetch cap are refused before parsing. */
	data = malloc(CAP_FETCH_BODY_BYTES + 1);
	assert_non_null(data);
	memset(data, ' ', CAP_FETCH_BODY_BYTES + 1);
	memcpy(data, "[]", 2);
	assert_rejected(&source_hf_daily_ops, data, CAP_FETCH_BODY_BYTES + 1,
	    "document larger than");
	parse_bytes(&source_hf_daily_ops, data, CAP_FETCH_BODY_BYTES, &r);
	assert_int_equal(r.rc, 0);
	free(data);

	/* Nesting: CAP_JSON_DEPTH levels are read, one more is refused. */
	memset(deep, '[', CAP_JSON_DEPTH + 1);
	memset(deep + CAP_JSON_DEPTH + 1, ']', CAP_JSON_DEPTH + 1);
	deep[2 * (CAP_JSON_DEPTH + 1)] = '\0';
	REJECT(&source_hf_daily_ops, deep, "JSON nested deeper than");
	parse_bytes(&source_hf_daily_ops, deep + 1, 2 * CAP_JSON_DEPTH, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 1);
	assert_int_equal(r.skipped, 1);
	/* Brackets inside strings do not count. */
	parse_text(&source_hf_daily_ops,
	    "[{\"paper\":{\"id\":\"2306.03091\",\"title\":\"[[[[[[[[[[[[[[[["
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	    "\\\"[[[\"}}]",
	    &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 1);
	entry_list_free(&r.out);
}

/* --- hf_html edge cases ----------------------------------------------- */

/* A page whose DailyPapers element carries props (JSON written with '
 * for ", HTML-escaped here as &quot;). */
static char *html_page(const char *head, const char *props_sq)
{
	static const char before[] =
	    "<!DOCTYPE html><html><head>%s<title>Daily Papers</title></head>"
	    "<body><main><div class=\"x\"><div data-target=\"DailyPapers\" "
	    "data-props=\"";
	static const char after[] = "\"></div></div></main></body></html>";
	size_t cap = sizeof(before) + strlen(head) + 6 * strlen(props_sq) +
	             sizeof(after);
	char *page = malloc(cap);
	size_t n;

	assert_non_null(page);
	n = (size_t)snprintf(page, cap, before, head);
	for (const char *c = props_sq; *c != '\0'; c++) {
		if (*c == '\'') {
			memcpy(page + n, "&quot;", 6);
			n += 6;
		} else {
			page[n++] = *c;
		}
	}
	memcpy(page + n, after, sizeof(after));
	return page;
}

static void test_html_minimal(void **state)
{
	char *page;
	struct parsed r;

	(void)state;
	/* No <meta charset>: the raw UTF-8 must still read as UTF-8. */
	page = html_page("",
	    "{'date':'2024-08-01T00:00:00.000Z','dailyPapers':["
	    " {'paper':{'id':'2407.00001','title':'Caf&#233; "
	    "r\\u00e9sum\\u00e9'}},"
	    " {'paper':{'id':'2407.00002','title':'Caf\xc3\xa9 &amp; co',"
	    "  'submittedOnDailyAt':'2024-07-30T00:00:00.000Z'}},"
	    " {'paper':{'title':'no id'}}]}");
	parse_text(&source_hf_html_ops, page, &r);
	free(page);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 3);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.out.n, 2);
	assert_string_equal(
	    r.out.v[0]->title, "Caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9");
	assert_int_equal(r.out.v[0]->listed_at, DAY_2024_08_01);
	assert_string_equal(r.out.v[1]->title, "Caf\xc3\xa9 & co");
	assert_int_equal(r.out.v[1]->listed_at, DAY_2024_08_01 - 2 * 86400);
	entry_list_free(&r.out);

	/* Without a usable date, listed_at stays unknown. */
	page = html_page("<meta charset=\"utf-8\">",
	    "{'date':17,"
	    " 'dailyPapers':[{'paper':{'id':'2407.00001','title':'T'}}]}");
	parse_text(&source_hf_html_ops, page, &r);
	free(page);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 1);
	assert_int_equal(r.out.v[0]->listed_at, 0);
	entry_list_free(&r.out);

	/* A stray invalid byte makes libxml2 read the rest of the page as
	 * Latin-1: the text is garbled past it, but still clean UTF-8. */
	page = html_page("",
	    "{'dailyPapers':[{'paper':{'id':'2407.00001','title':'Bad \xff "
	    "byte'}}]}");
	parse_text(&source_hf_html_ops, page, &r);
	free(page);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 1);
	assert_prefix(r.out.v[0]->title, "Bad ");
	assert_true(
	    text_is_clean_utf8(r.out.v[0]->title, strlen(r.out.v[0]->title)));
	entry_list_free(&r.out);

	/* An empty day is a valid, empty list. */
	page = html_page("", "{'dailyPapers':[]}");
	parse_text(&source_hf_html_ops, page, &r);
	free(page);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 0);
	assert_int_equal(r.out.n, 0);
}

static void test_html_rejects(void **state)
{
	char *page;

	(void)state;
	REJECT(&source_hf_html_ops,
	    "<html><body><div data-target=\"Other\" data-props=\"{}\"></div>"
	    "</body></html>",
	    "no element with data-target=\"DailyPapers\"");
	REJECT(&source_hf_html_ops, "not html at all",
	    "no element with data-target=\"DailyPapers\"");
	REJECT(&source_hf_html_ops, "", "not an HTML document");
	REJECT(&source_hf_html_ops,
	    "<html><body><div data-target=\"DailyPapers\"></div></body></html>",
	    "the DailyPapers element has no data-props attribute");

	page = html_page("", "{'dailyPapers':[{'paper':{'id':'2407.00001',");
	REJECT(&source_hf_html_ops, page, "data-props: invalid JSON at line 1");
	free(page);
	page = html_page("", "[]");
	REJECT(&source_hf_html_ops, page,
	    "data-props: expected a dailyPapers array");
	free(page);
	page = html_page("", "{'dailyPapers':{}}");
	REJECT(&source_hf_html_ops, page,
	    "data-props: expected a dailyPapers array");
	free(page);
	page = html_page("", "");
	REJECT(&source_hf_html_ops, page, "data-props: invalid JSON");
	free(page);
}

int main(void)
{
	int rc;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_registry),
	    cmocka_unit_test(test_daily_url_dates),
	    cmocka_unit_test(test_daily_url_days_clamped),
	    cmocka_unit_test(test_daily_url_trending),
	    cmocka_unit_test(test_daily_url_existing_query),
	    cmocka_unit_test(test_html_url),
	    cmocka_unit_test(test_daily_capture),
	    cmocka_unit_test(test_daily_capture_details),
	    cmocka_unit_test(test_daily_appends),
	    cmocka_unit_test(test_search_capture),
	    cmocka_unit_test(test_html_capture),
	    cmocka_unit_test(test_wrong_types),
	    cmocka_unit_test(test_fallbacks),
	    cmocka_unit_test(test_authors),
	    cmocka_unit_test(test_keywords),
	    cmocka_unit_test(test_ids),
	    cmocka_unit_test(test_id_version_links),
	    cmocka_unit_test(test_text_cleaning),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_urls),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_items_cap),
	    cmocka_unit_test(test_empty_array),
	    cmocka_unit_test(test_daily_rejects),
	    cmocka_unit_test(test_html_minimal),
	    cmocka_unit_test(test_html_rejects),
	};

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(test_opts);
	return rc;
}
