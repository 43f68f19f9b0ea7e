/*
 * test_render.c: the RSS, Atom and JSON Feed renderers and the shared item
 * content. Every document is parsed back (libxml2 with XPath, jansson) and
 * compared with the literal values the entries were built from.
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
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "caps.h"
#include "render/render.h"
#include "render/render_priv.h"

/* Times chosen for the tests, converted independently (python3
 * calendar.timegm / email.utils.formatdate). */
#define T_FIRST_SEEN 1781253000 /* 2026-06-12T08:30:00Z, a Friday   */
#define T_PUBLISHED 1685923200  /* 2023-06-05T00:00:00Z, a Monday   */
#define T_LISTED 1781136000     /* 2026-06-11T00:00:00Z, a Thursday */
#define T_UPDATED 1781342130    /* 2026-06-13T09:15:30Z             */
#define T_FEED 1781438400       /* 2026-06-14T12:00:00Z, a Sunday   */

#define HOSTILE_TITLE                                                          \
	"<script>alert(\"x\")</script> ]]> &amp; 'quoted' \xE2\x80\x94 "       \
	"\xC3\x9C"                                                             \
	"n"                                                                    \
	"\xC3\xAF"                                                             \
	"c"                                                                    \
	"\xC3\xB6"                                                             \
	"d"                                                                    \
	"\xC3\xA9 \xF0\x9F\x9A\x80"
#define HOSTILE_SUMMARY                                                        \
	"We show that a < b && c > d ]]> holds. <b>Not bold</b> & \"fine\"."
#define AUTHOR_1 "Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m"
#define AUTHOR_2 "O'Brien <ob@example.org>"
#define AUTHOR_3 "\xE6\x9D\x8E\xE9\x9B\xB7"
#define KEYWORD_1 "large language models"
#define KEYWORD_2 "C&C <fast>"
#define GITHUB "https://github.com/example/repo?a=1&b=2"
#define PROJECT "https://example.org/project"
#define HF_URL "https://huggingface.co/papers/2306.03091"
#define ARXIV_URL "https://arxiv.org/abs/2306.03091"
#define PDF_URL "https://arxiv.org/pdf/2306.03091"
#define THUMB "https://cdn.example.org/thumb.png"

#define SELF_URL "https://feeds.example.org/feed.rss?q=llm&min_upvotes=5"
#define HOME_URL "https://feeds.example.org/"
#define HUB_URL "https://feeds.example.org/websub"

/* The item HTML of full_entry(), written out by hand. */
#define FULL_HTML                                                              \
	"<p>We show that a &lt; b &amp;&amp; c &gt; d ]]&gt; holds. "          \
	"&lt;b&gt;Not bold&lt;/b&gt; &amp; &quot;fine&quot;.</p>\n"            \
	"<p><strong>AI summary:</strong> The AI says &lt;hi&gt; &amp; "        \
	"bye.</p>\n"                                                           \
	"<p>\xE2\x96\xB2 42 upvotes \xC2\xB7 1 comment \xC2\xB7 "              \
	"\xE2\x98\x85 1234 \xC2\xB7 "                                          \
	"<a href=\"https://github.com/example/repo?a=1&amp;b=2\">code</a> "    \
	"\xC2\xB7 <a href=\"https://example.org/project\">project page</a> "   \
	"\xC2\xB7 <a href=\"https://arxiv.org/abs/2306.03091\">arXiv</a> "     \
	"\xC2\xB7 <a href=\"https://arxiv.org/pdf/2306.03091\">PDF</a></p>\n"  \
	"<p>Keywords: large language models, C&amp;C &lt;fast&gt;</p>"

static struct entry *full_entry(void)
{
	struct entry *e = entry_new();

	assert_non_null(e);
	e->id = strdup("arxiv:2306.03091");
	e->title = strdup(HOSTILE_TITLE);
	e->summary = strdup(HOSTILE_SUMMARY);
	assert_int_equal(strv_push(&e->authors, AUTHOR_1), 0);
	assert_int_equal(strv_push(&e->authors, AUTHOR_2), 0);
	assert_int_equal(strv_push(&e->authors, AUTHOR_3), 0);
	e->published_at = T_PUBLISHED;
	e->listed_at = T_LISTED;
	e->first_seen_at = T_FIRST_SEEN;
	e->updated_at = T_UPDATED;
	e->upvotes = 42;
	e->comments = 1;
	e->github_stars = 1234;
	e->github_repo = strdup(GITHUB);
	e->project_page = strdup(PROJECT);
	e->ai_summary = strdup("The AI says <hi> & bye.");
	assert_int_equal(strv_push(&e->ai_keywords, KEYWORD_1), 0);
	assert_int_equal(strv_push(&e->ai_keywords, KEYWORD_2), 0);
	e->thumbnail = strdup(THUMB);
	e->organization = strdup("Example Lab");
	assert_int_equal(strv_push(&e->sources, "hf_daily"), 0);
	e->hf_url = strdup(HF_URL);
	e->arxiv_url = strdup(ARXIV_URL);
	e->pdf_url = strdup(PDF_URL);
	assert_non_null(e->pdf_url);
	return e;
}

/* An entry from a generic source: no links, no counters, only a list
 * date. */
static struct entry *bare_entry(void)
{
	struct entry *e = entry_new();

	assert_non_null(e);
	e->id = strdup("blog:post 1/\xC3\xBC");
	e->title = strdup("Plain title");
	e->listed_at = T_LISTED;
	assert_non_null(e->title);
	return e;
}

static void meta_init(struct feed_meta *m, const char *hub)
{
	memset(m, 0, sizeof(*m));
	m->title = "Papers & <things>";
	m->description = "LLM papers with \"5+\" upvotes";
	m->self_url = SELF_URL;
	m->home_url = HOME_URL;
	m->hub_url = hub;
	m->generator = "paperwire 0.1.0";
	m->updated = T_FEED;
}

/* Renders entries with ops into a fresh buffer (caller frees). */
static void render_to(const struct render_ops *ops, const char *hub,
    struct entry *const *v, size_t n, struct buf *out)
{
	struct feed_meta m;
	struct pw_error err = {{0}};

	meta_init(&m, hub);
	buf_init(out, CAP_RESPONSE_BYTES);
	if (ops->render(&m, v, n, out, &err) != 0)
		fail_msg("render %s: %s", ops->ext, err.msg);
}

/* XML documents parsed back, with an XPath context. */
struct xdoc {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
};

static void count_errors(void *arg, xmlErrorPtr error)
{
	(*(int *)arg)++;
	fprintf(stderr, "libxml2: %s", error->message);
}

static void xdoc_parse(const struct buf *b, struct xdoc *d)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
	int errors = 0;

	assert_true(b->len > sizeof(decl));
	assert_memory_equal(b->data, decl, sizeof(decl) - 1);
	xmlSetStructuredErrorFunc(&errors, count_errors);
	d->doc = xmlReadMemory(
	    b->data, (int)b->len, "feed.xml", NULL, XML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	assert_non_null(d->doc);
	assert_int_equal(errors, 0);
	d->ctx = xmlXPathNewContext(d->doc);
	assert_non_null(d->ctx);
	xmlXPathRegisterNs(
	    d->ctx, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");
	xmlXPathRegisterNs(
	    d->ctx, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
}

static void xdoc_free(struct xdoc *d)
{
	xmlXPathFreeContext(d->ctx);
	xmlFreeDoc(d->doc);
}

/* The XPath string value of expr (new). */
static char *xp_str(struct xdoc *d, const char *expr)
{
	char full[512];
	xmlXPathObjectPtr o;
	char *s;

	snprintf(full, sizeof(full), "string(%s)", expr);
	o = xmlXPathEvalExpression(BAD_CAST full, d->ctx);
	assert_non_null(o);
	assert_int_equal(o->type, XPATH_STRING);
	s = strdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	assert_non_null(s);
	return s;
}

static void xp_eq(struct xdoc *d, const char *expr, const char *want)
{
	char *got = xp_str(d, expr);

	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s\n  got  \"%s\"\n  want \"%s\"\n", expr, got,
		    want);
		free(got);
		fail();
	}
	free(got);
}

static long xp_count(struct xdoc *d, const char *expr)
{
	char full[512];
	xmlXPathObjectPtr o;
	long n;

	snprintf(full, sizeof(full), "count(%s)", expr);
	o = xmlXPathEvalExpression(BAD_CAST full, d->ctx);
	assert_non_null(o);
	assert_int_equal(o->type, XPATH_NUMBER);
	n = (long)o->floatval;
	xmlXPathFreeObject(o);
	return n;
}

static void test_find(void **state)
{
	(void)state;
	assert_ptr_equal(render_find("rss"), &render_rss_ops);
	assert_ptr_equal(render_find("atom"), &render_atom_ops);
	assert_ptr_equal(render_find("json"), &render_json_ops);
	assert_null(render_find("xml"));
	assert_null(render_find(""));
	assert_null(render_find(NULL));
	assert_string_equal(
	    render_rss_ops.content_type, "application/rss+xml; charset=utf-8");
	assert_string_equal(render_atom_ops.content_type,
	    "application/atom+xml; charset=utf-8");
	assert_string_equal(render_json_ops.content_type,
	    "application/feed+json; charset=utf-8");
}

static void test_item_date(void **state)
{
	struct entry e;

	(void)state;
	entry_init(&e);
	assert_int_equal(render_item_date(&e), 0);
	e.listed_at = T_LISTED;
	assert_int_equal(render_item_date(&e), T_LISTED);
	e.published_at = T_PUBLISHED;
	assert_int_equal(render_item_date(&e), T_PUBLISHED);
	e.first_seen_at = T_FIRST_SEEN;
	assert_int_equal(render_item_date(&e), T_FIRST_SEEN);
}

static void test_html_escape(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1024);
	assert_int_equal(
	    render_html_escape(&b, "<a href=\"x\">'&amp;'</a>"), 0);
	assert_string_equal(buf_str(&b),
	    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;amp;&#39;&lt;/a&gt;");
	buf_reset(&b);
	assert_int_equal(render_html_escape(&b, "plain \xC3\xA9"), 0);
	assert_string_equal(buf_str(&b), "plain \xC3\xA9");
	buf_free(&b);
	/* Over the cap: -1. */
	buf_init(&b, 4);
	assert_int_equal(render_html_escape(&b, "<<"), -1);
	buf_free(&b);
}

static void test_item_html(void **state)
{
	struct entry *e = full_entry();
	struct entry *bare = bare_entry();
	char *html = render_item_html(e);
	char *empty = render_item_html(bare);

	(void)state;
	assert_non_null(html);
	assert_string_equal(html, FULL_HTML);
	assert_non_null(empty);
	assert_string_equal(empty, "");
	free(html);
	free(empty);
	entry_free(e);
	entry_free(bare);
}

static void test_item_html_unsafe_links(void **state)
{
	struct entry *e = bare_entry();
	char *html, *text;

	(void)state;
	e->github_repo = strdup("javascript:alert(1)");
	e->project_page = strdup("data:text/html,<b>x</b>");
	e->arxiv_url = strdup("https://arxiv.org/abs/1\" onclick=\"x");
	e->upvotes = 1;
	html = render_item_html(e);
	text = render_item_text(e);
	assert_non_null(html);
	assert_non_null(text);
	assert_string_equal(html,
	    "<p>\xE2\x96\xB2 1 upvote \xC2\xB7 "
	    "<a href=\"https://arxiv.org/abs/1%22%20onclick=%22x\">arXiv</a>"
	    "</p>");
	assert_string_equal(text,
	    "\xE2\x96\xB2 1 upvote\n"
	    "arXiv: https://arxiv.org/abs/1%22%20onclick=%22x");
	free(html);
	free(text);
	entry_free(e);
}

static void test_item_text(void **state)
{
	struct entry *e = full_entry();
	char *text = render_item_text(e);

	(void)state;
	assert_non_null(text);
	assert_string_equal(text, HOSTILE_SUMMARY
	    "\n\n"
	    "AI summary: The AI says <hi> & bye.\n\n"
	    "\xE2\x96\xB2 42 upvotes \xC2\xB7 1 comment \xC2\xB7 "
	    "\xE2\x98\x85 1234\n"
	    "Code: " GITHUB "\n"
	    "Project page: " PROJECT "\n"
	    "arXiv: " ARXIV_URL "\n"
	    "PDF: " PDF_URL "\n\n"
	    "Keywords: " KEYWORD_1 ", " KEYWORD_2);
	free(text);
	entry_free(e);
}

static void test_url_and_iri(void **state)
{
	static const struct {
		const char *in, *want;
	} urls[] = {
	    {"https://example.org/a?b=1&c=2#d",
	        "https://example.org/a?b=1&c=2#d"},
	    {"HTTP://Example.org/a b\"<\xC3\xA9>",
	        "HTTP://Example.org/a%20b%22%3C%C3%A9%3E"},
	    {"http://x/100%", "http://x/100%25"},
	    {"http://x/%41%zz", "http://x/%41%25zz"},
	    {"http://[::1]:8080/", "http://[::1]:8080/"},
	    {"javascript:alert(1)", NULL},
	    {"ftp://example.org/", NULL},
	    {"http://", NULL},
	    {"https:///path", NULL},
	    {"/relative", NULL},
	};
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		s = render_url(urls[i].in);
		if (urls[i].want == NULL) {
			assert_null(s);
			continue;
		}
		assert_non_null(s);
		assert_string_equal(s, urls[i].want);
		free(s);
	}
	assert_null(render_url(NULL));

	s = render_entry_iri("arxiv:2306.03091");
	assert_string_equal(s, "https://arxiv.org/abs/2306.03091");
	free(s);
	s = render_entry_iri("arxiv:hep-th/9901001");
	assert_string_equal(s, "https://arxiv.org/abs/hep-th/9901001");
	free(s);
	s = render_entry_iri("arxiv:12 <x>");
	assert_string_equal(s, "urn:paperwire:arxiv:12%20%3Cx%3E");
	free(s);
	s = render_entry_iri("blog:post 1/\xC3\xBC");
	assert_string_equal(s, "urn:paperwire:blog:post%201%2F%C3%BC");
	free(s);
}

static void test_rss(void **state)
{
	struct entry *v[2] = {full_entry(), bare_entry()};
	struct buf out;
	struct xdoc d;

	(void)state;
	render_to(&render_rss_ops, NULL, v, 2, &out);
	/* "]]>" and tags from entries never reach the document raw. */
	assert_null(strstr(out.data, "]]>"));
	assert_null(strstr(out.data, "<script"));
	assert_non_null(strstr(out.data, "\xF0\x9F\x9A\x80"));
	xdoc_parse(&out, &d);

	xp_eq(&d, "/rss/@version", "2.0");
	xp_eq(&d, "/rss/channel/title", "Papers & <things>");
	xp_eq(&d, "/rss/channel/link", HOME_URL);
	xp_eq(&d, "/rss/channel/description", "LLM papers with \"5+\" upvotes");
	xp_eq(&d, "/rss/channel/lastBuildDate",
	    "Sun, 14 Jun 2026 12:00:00 +0000");
	xp_eq(&d, "/rss/channel/generator", "paperwire 0.1.0");
	assert_int_equal(xp_count(&d, "/rss/channel/a:link"), 1);
	xp_eq(&d, "/rss/channel/a:link[@rel='self']/@href", SELF_URL);
	xp_eq(&d, "/rss/channel/a:link[@rel='self']/@type",
	    "application/rss+xml");
	assert_int_equal(xp_count(&d, "/rss/channel/item"), 2);

	xp_eq(&d, "/rss/channel/item[1]/title", HOSTILE_TITLE);
	xp_eq(&d, "/rss/channel/item[1]/link", HF_URL);
	xp_eq(&d, "/rss/channel/item[1]/guid", "arxiv:2306.03091");
	xp_eq(&d, "/rss/channel/item[1]/guid/@isPermaLink", "false");
	xp_eq(&d, "/rss/channel/item[1]/pubDate",
	    "Fri, 12 Jun 2026 08:30:00 +0000");
	assert_int_equal(xp_count(&d, "/rss/channel/item[1]/dc:creator"), 3);
	xp_eq(&d, "/rss/channel/item[1]/dc:creator[1]", AUTHOR_1);
	xp_eq(&d, "/rss/channel/item[1]/dc:creator[2]", AUTHOR_2);
	xp_eq(&d, "/rss/channel/item[1]/dc:creator[3]", AUTHOR_3);
	xp_eq(&d, "/rss/channel/item[1]/description", FULL_HTML);
	assert_int_equal(xp_count(&d, "/rss/channel/item[1]/category"), 2);
	xp_eq(&d, "/rss/channel/item[1]/category[1]", KEYWORD_1);
	xp_eq(&d, "/rss/channel/item[1]/category[2]", KEYWORD_2);

	xp_eq(&d, "/rss/channel/item[2]/title", "Plain title");
	xp_eq(&d, "/rss/channel/item[2]/guid", "blog:post 1/\xC3\xBC");
	xp_eq(&d, "/rss/channel/item[2]/pubDate",
	    "Thu, 11 Jun 2026 00:00:00 +0000");
	assert_int_equal(xp_count(&d, "/rss/channel/item[2]/link"), 0);
	assert_int_equal(xp_count(&d, "/rss/channel/item[2]/dc:creator"), 0);

	xdoc_free(&d);
	buf_free(&out);
	entry_free(v[0]);
	entry_free(v[1]);
}

static void test_atom(void **state)
{
	struct entry *v[2] = {full_entry(), bare_entry()};
	struct buf out;
	struct xdoc d;

	(void)state;
	render_to(&render_atom_ops, NULL, v, 2, &out);
	assert_null(strstr(out.data, "]]>"));
	assert_null(strstr(out.data, "<script"));
	xdoc_parse(&out, &d);

	xp_eq(&d, "/a:feed/a:id", SELF_URL);
	xp_eq(&d, "/a:feed/a:title", "Papers & <things>");
	xp_eq(&d, "/a:feed/a:subtitle", "LLM papers with \"5+\" upvotes");
	xp_eq(&d, "/a:feed/a:updated", "2026-06-14T12:00:00Z");
	xp_eq(&d, "/a:feed/a:link[@rel='self']/@href", SELF_URL);
	xp_eq(&d, "/a:feed/a:link[@rel='self']/@type", "application/atom+xml");
	xp_eq(&d, "/a:feed/a:link[@rel='alternate']/@href", HOME_URL);
	assert_int_equal(xp_count(&d, "/a:feed/a:link[@rel='hub']"), 0);
	xp_eq(&d, "/a:feed/a:author/a:name", "paperwire");
	assert_int_equal(xp_count(&d, "/a:feed/a:entry"), 2);

	xp_eq(
	    &d, "/a:feed/a:entry[1]/a:id", "https://arxiv.org/abs/2306.03091");
	xp_eq(&d, "/a:feed/a:entry[1]/a:title", HOSTILE_TITLE);
	xp_eq(&d, "/a:feed/a:entry[1]/a:title/@type", "text");
	xp_eq(&d, "/a:feed/a:entry[1]/a:link[@rel='alternate']/@href", HF_URL);
	xp_eq(&d, "/a:feed/a:entry[1]/a:link[@rel='related'][1]/@href",
	    ARXIV_URL);
	xp_eq(&d, "/a:feed/a:entry[1]/a:link[@type='application/pdf']/@href",
	    PDF_URL);
	/* Both dates are the item date (first seen), not the arXiv date. */
	xp_eq(&d, "/a:feed/a:entry[1]/a:published", "2026-06-12T08:30:00Z");
	xp_eq(&d, "/a:feed/a:entry[1]/a:updated", "2026-06-12T08:30:00Z");
	assert_int_equal(xp_count(&d, "/a:feed/a:entry[1]/a:author"), 3);
	xp_eq(&d, "/a:feed/a:entry[1]/a:author[1]/a:name", AUTHOR_1);
	xp_eq(&d, "/a:feed/a:entry[1]/a:author[2]/a:name", AUTHOR_2);
	xp_eq(&d, "/a:feed/a:entry[1]/a:author[3]/a:name", AUTHOR_3);
	xp_eq(&d, "/a:feed/a:entry[1]/a:summary", HOSTILE_SUMMARY);
	xp_eq(&d, "/a:feed/a:entry[1]/a:summary/@type", "text");
	xp_eq(&d, "/a:feed/a:entry[1]/a:content", FULL_HTML);
	xp_eq(&d, "/a:feed/a:entry[1]/a:content/@type", "html");
	assert_int_equal(xp_count(&d, "/a:feed/a:entry[1]/a:category"), 2);
	xp_eq(&d, "/a:feed/a:entry[1]/a:category[2]/@term", KEYWORD_2);

	xp_eq(&d, "/a:feed/a:entry[2]/a:id",
	    "urn:paperwire:blog:post%201%2F%C3%BC");
	xp_eq(&d, "/a:feed/a:entry[2]/a:title", "Plain title");
	xp_eq(&d, "/a:feed/a:entry[2]/a:updated", "2026-06-11T00:00:00Z");
	xp_eq(&d, "/a:feed/a:entry[2]/a:published", "2026-06-11T00:00:00Z");
	assert_int_equal(xp_count(&d, "/a:feed/a:entry[2]/a:link"), 0);
	assert_int_equal(xp_count(&d, "/a:feed/a:entry[2]/a:author"), 0);
	assert_int_equal(xp_count(&d, "/a:feed/a:entry[2]/a:summary"), 0);

	xdoc_free(&d);
	buf_free(&out);
	entry_free(v[0]);
	entry_free(v[1]);
}

/* The JSON document in out, parsed strictly (new). */
static json_t *json_parse(const struct buf *out)
{
	json_error_t jerr;
	json_t *root =
	    json_loadb(out->data, out->len, JSON_REJECT_DUPLICATES, &jerr);

	if (root == NULL)
		fail_msg("json: %s at %d", jerr.text, jerr.position);
	assert_true(json_is_object(root));
	return root;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	return json_string_value(v);
}

static void test_json(void **state)
{
	struct entry *v[2] = {full_entry(), bare_entry()};
	struct buf out;
	json_t *root, *items, *it, *x, *a;

	(void)state;
	render_to(&render_json_ops, NULL, v, 2, &out);
	/* UTF-8 as it is, not \u escapes. */
	assert_non_null(strstr(out.data, "\xF0\x9F\x9A\x80"));
	root = json_parse(&out);
	assert_string_equal(
	    jstr(root, "version"), "https://jsonfeed.org/version/1.1");
	assert_string_equal(jstr(root, "title"), "Papers & <things>");
	assert_string_equal(jstr(root, "home_page_url"), HOME_URL);
	assert_string_equal(jstr(root, "feed_url"), SELF_URL);
	assert_string_equal(
	    jstr(root, "description"), "LLM papers with \"5+\" upvotes");
	assert_null(json_object_get(root, "hubs"));
	items = json_object_get(root, "items");
	assert_true(json_is_array(items));
	assert_int_equal(json_array_size(items), 2);

	it = json_array_get(items, 0);
	assert_string_equal(jstr(it, "id"), "arxiv:2306.03091");
	assert_string_equal(jstr(it, "url"), HF_URL);
	assert_string_equal(jstr(it, "external_url"), ARXIV_URL);
	assert_string_equal(jstr(it, "title"), HOSTILE_TITLE);
	assert_string_equal(jstr(it, "content_html"), FULL_HTML);
	/* The abstract is shorter than the excerpt size: kept whole. */
	assert_string_equal(jstr(it, "summary"), HOSTILE_SUMMARY);
	assert_string_equal(jstr(it, "image"), THUMB);
	assert_string_equal(jstr(it, "date_published"), "2026-06-12T08:30:00Z");
	assert_string_equal(jstr(it, "date_modified"), "2026-06-13T09:15:30Z");
	a = json_object_get(it, "authors");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(jstr(json_array_get(a, 0), "name"), AUTHOR_1);
	assert_string_equal(jstr(json_array_get(a, 1), "name"), AUTHOR_2);
	assert_string_equal(jstr(json_array_get(a, 2), "name"), AUTHOR_3);
	a = json_object_get(it, "tags");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_array_get(a, 1)), KEYWORD_2);

	x = json_object_get(it, "_paperwire");
	assert_true(json_is_object(x));
	assert_string_equal(jstr(x, "published_at"), "2023-06-05T00:00:00Z");
	assert_string_equal(jstr(x, "listed_at"), "2026-06-11T00:00:00Z");
	assert_string_equal(jstr(x, "first_seen_at"), "2026-06-12T08:30:00Z");
	assert_int_equal(json_integer_value(json_object_get(x, "upvotes")), 42);
	assert_int_equal(json_integer_value(json_object_get(x, "comments")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(x, "github_stars")), 1234);
	assert_string_equal(jstr(x, "github_repo"), GITHUB);
	assert_string_equal(jstr(x, "project_page"), PROJECT);
	assert_string_equal(jstr(x, "ai_summary"), "The AI says <hi> & bye.");
	assert_string_equal(jstr(x, "organization"), "Example Lab");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(x, "sources"), 0)),
	    "hf_daily");
	assert_string_equal(jstr(x, "arxiv_url"), ARXIV_URL);
	assert_string_equal(jstr(x, "pdf_url"), PDF_URL);
	assert_string_equal(jstr(x, "hf_url"), HF_URL);

	/* Unknown fields are left out, not null. */
	it = json_array_get(items, 1);
	assert_string_equal(jstr(it, "id"), "blog:post 1/\xC3\xBC");
	assert_string_equal(jstr(it, "title"), "Plain title");
	assert_string_equal(jstr(it, "content_html"), "");
	assert_string_equal(jstr(it, "date_published"), "2026-06-11T00:00:00Z");
	assert_null(json_object_get(it, "url"));
	assert_null(json_object_get(it, "external_url"));
	assert_null(json_object_get(it, "summary"));
	assert_null(json_object_get(it, "date_modified"));
	assert_null(json_object_get(it, "authors"));
	assert_null(json_object_get(it, "tags"));
	x = json_object_get(it, "_paperwire");
	assert_int_equal(json_object_size(x), 1);
	assert_string_equal(jstr(x, "listed_at"), "2026-06-11T00:00:00Z");

	json_decref(root);
	buf_free(&out);
	entry_free(v[0]);
	entry_free(v[1]);
}

static void test_json_summary_excerpt(void **state)
{
	struct entry *e = bare_entry();
	struct buf out;
	json_t *root;
	const char *s;
	char *text;
	size_t len;

	(void)state;
	/* 60 sentences of 20 bytes: 1200 bytes, well over the excerpt. */
	text = calloc(1, 60 * 20 + 1);
	assert_non_null(text);
	for (int i = 0; i < 60; i++)
		memcpy(text + i * 20, "Sentence number xx. ", 20);
	text[60 * 20 - 1] = '\0';
	e->summary = text;
	render_to(&render_json_ops, NULL, &e, 1, &out);
	root = json_parse(&out);
	s = jstr(json_array_get(json_object_get(root, "items"), 0), "summary");
	len = strlen(s);
	assert_true(len <= 500);
	assert_true(len > 400);
	assert_memory_equal(s, text, len - 4); /* all but " …" */
	assert_string_equal(s + len - 3, "\xE2\x80\xA6");
	json_decref(root);
	buf_free(&out);
	entry_free(e);
}

static void test_hub(void **state)
{
	struct entry *v[1] = {full_entry()};
	struct buf out;
	struct xdoc d;
	json_t *root, *hubs;

	(void)state;
	render_to(&render_rss_ops, HUB_URL, v, 1, &out);
	xdoc_parse(&out, &d);
	assert_int_equal(xp_count(&d, "/rss/channel/a:link"), 2);
	xp_eq(&d, "/rss/channel/a:link[@rel='hub']/@href", HUB_URL);
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_atom_ops, HUB_URL, v, 1, &out);
	xdoc_parse(&out, &d);
	assert_int_equal(xp_count(&d, "/a:feed/a:link[@rel='hub']"), 1);
	xp_eq(&d, "/a:feed/a:link[@rel='hub']/@href", HUB_URL);
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_json_ops, HUB_URL, v, 1, &out);
	root = json_parse(&out);
	hubs = json_object_get(root, "hubs");
	assert_int_equal(json_array_size(hubs), 1);
	assert_string_equal(jstr(json_array_get(hubs, 0), "type"), "WebSub");
	assert_string_equal(jstr(json_array_get(hubs, 0), "url"), HUB_URL);
	json_decref(root);
	buf_free(&out);
	entry_free(v[0]);
}

static void test_empty(void **state)
{
	struct buf out;
	struct xdoc d;
	json_t *root;

	(void)state;
	render_to(&render_rss_ops, NULL, NULL, 0, &out);
	xdoc_parse(&out, &d);
	xp_eq(&d, "/rss/channel/title", "Papers & <things>");
	assert_int_equal(xp_count(&d, "/rss/channel/item"), 0);
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_atom_ops, NULL, NULL, 0, &out);
	xdoc_parse(&out, &d);
	xp_eq(&d, "/a:feed/a:id", SELF_URL);
	xp_eq(&d, "/a:feed/a:updated", "2026-06-14T12:00:00Z");
	assert_int_equal(xp_count(&d, "/a:feed/a:entry"), 0);
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_json_ops, NULL, NULL, 0, &out);
	root = json_parse(&out);
	assert_true(json_is_array(json_object_get(root, "items")));
	assert_int_equal(json_array_size(json_object_get(root, "items")), 0);
	json_decref(root);
	buf_free(&out);
}

static void test_author_truncation(void **state)
{
	struct entry *e = bare_entry();
	const size_t total = CAP_FEED_AUTHORS_SHOWN + 3;
	char name[32], expr[128];
	struct buf out;
	struct xdoc d;
	json_t *root, *a;

	(void)state;
	for (size_t i = 0; i < total; i++) {
		snprintf(name, sizeof(name), "Author %zu", i + 1);
		assert_int_equal(strv_push(&e->authors, name), 0);
	}

	render_to(&render_rss_ops, NULL, &e, 1, &out);
	xdoc_parse(&out, &d);
	assert_int_equal(
	    xp_count(&d, "//item/dc:creator"), CAP_FEED_AUTHORS_SHOWN + 1);
	snprintf(expr, sizeof(expr), "//item/dc:creator[%d]",
	    CAP_FEED_AUTHORS_SHOWN);
	snprintf(name, sizeof(name), "Author %d", CAP_FEED_AUTHORS_SHOWN);
	xp_eq(&d, expr, name);
	xp_eq(&d, "//item/dc:creator[last()]", "et al.");
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_atom_ops, NULL, &e, 1, &out);
	xdoc_parse(&out, &d);
	assert_int_equal(
	    xp_count(&d, "//a:entry/a:author"), CAP_FEED_AUTHORS_SHOWN + 1);
	xp_eq(&d, "//a:entry/a:author[1]/a:name", "Author 1");
	xp_eq(&d, "//a:entry/a:author[last()]/a:name", "et al.");
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_json_ops, NULL, &e, 1, &out);
	root = json_parse(&out);
	a = json_object_get(
	    json_array_get(json_object_get(root, "items"), 0), "authors");
	assert_int_equal(json_array_size(a), CAP_FEED_AUTHORS_SHOWN + 1);
	assert_string_equal(
	    jstr(json_array_get(a, CAP_FEED_AUTHORS_SHOWN - 1), "name"), name);
	assert_string_equal(
	    jstr(json_array_get(a, CAP_FEED_AUTHORS_SHOWN), "name"), "et al.");
	json_decref(root);
	buf_free(&out);

	/* Exactly the cap: no "et al.". */
	free(e->authors.v[--e->authors.n]);
	free(e->authors.v[--e->authors.n]);
	free(e->authors.v[--e->authors.n]);
	render_to(&render_rss_ops, NULL, &e, 1, &out);
	xdoc_parse(&out, &d);
	assert_int_equal(
	    xp_count(&d, "//item/dc:creator"), CAP_FEED_AUTHORS_SHOWN);
	xp_eq(&d, "//item/dc:creator[last()]", name);
	xdoc_free(&d);
	buf_free(&out);
	entry_free(e);
}

/* A document that does not fit in the caller's buffer is an error and
 * leaves what the buffer held before. */
static void test_too_large(void **state)
{
	const struct render_ops *all[] = {
	    &render_rss_ops,
	    &render_atom_ops,
	    &render_json_ops,
	};
	struct entry *v[2] = {full_entry(), bare_entry()};
	struct feed_meta m;
	struct pw_error err;
	struct buf out;

	(void)state;
	meta_init(&m, NULL);
	for (size_t i = 0; i < 3; i++) {
		buf_init(&out, 1200);
		assert_int_equal(buf_puts(&out, "kept"), 0);
		memset(&err, 0, sizeof(err));
		assert_int_equal(all[i]->render(&m, v, 2, &out, &err), -1);
		assert_string_equal(err.msg, "feed too large");
		assert_int_equal(out.len, 4);
		assert_string_equal(buf_str(&out), "kept");
		/* An empty feed fits and is appended after what was there. */
		assert_int_equal(all[i]->render(&m, NULL, 0, &out, &err), 0);
		assert_memory_equal(out.data, "kept", 4);
		assert_true(out.len > 4);
		buf_free(&out);
	}
	entry_free(v[0]);
	entry_free(v[1]);
}

static void test_bad_meta(void **state)
{
	const struct render_ops *all[] = {
	    &render_rss_ops,
	    &render_atom_ops,
	    &render_json_ops,
	};
	struct feed_meta m;
	struct pw_error err;
	struct buf out;

	(void)state;
	buf_init(&out, CAP_RESPONSE_BYTES);
	for (size_t i = 0; i < 3; i++) {
		meta_init(&m, NULL);
		m.title = NULL;
		assert_int_equal(all[i]->render(&m, NULL, 0, &out, &err), -1);
		assert_string_equal(err.msg, "feed has no title");
		meta_init(&m, NULL);
		m.self_url = "javascript:x";
		assert_int_equal(all[i]->render(&m, NULL, 0, &out, &err), -1);
		assert_string_equal(
		    err.msg, "feed self URL is not an http(s) URL");
		assert_int_equal(out.len, 0);
	}
	buf_free(&out);
}

/* Strings that slipped past text_clean (invalid UTF-8, control bytes)
 * still give well-formed documents. */
static void test_dirty_strings(void **state)
{
	struct entry *e = bare_entry();
	struct buf out;
	struct xdoc d;
	json_t *root;

	(void)state;
	free(e->title);
	e->title = strdup("bad \xFF byte \x01 here");
	assert_int_equal(strv_push(&e->authors, "ctl\x02name"), 0);

	render_to(&render_rss_ops, NULL, &e, 1, &out);
	xdoc_parse(&out, &d);
	xp_eq(&d, "//item/title", "bad \xEF\xBF\xBD byte here");
	xp_eq(&d, "//item/dc:creator", "ctlname");
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_atom_ops, NULL, &e, 1, &out);
	xdoc_parse(&out, &d);
	xp_eq(&d, "//a:entry/a:title", "bad \xEF\xBF\xBD byte here");
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_json_ops, NULL, &e, 1, &out);
	root = json_parse(&out);
	assert_string_equal(
	    jstr(json_array_get(json_object_get(root, "items"), 0), "title"),
	    "bad \xEF\xBF\xBD byte here");
	json_decref(root);
	buf_free(&out);
	entry_free(e);
}

/* arXiv categories and the author comment appear in every format; a
 * generic item's own url is its link. */
static void test_categories_comment_url(void **state)
{
	struct entry *e = bare_entry();
	struct entry *v[1] = {e};
	struct buf out;
	struct xdoc d;
	json_t *root, *it, *tags, *x;
	char *html;

	(void)state;
	assert_int_equal(strv_push(&e->categories, "cs.CL"), 0);
	assert_int_equal(strv_push(&e->categories, "cs.AI"), 0);
	e->comment = strdup("Accepted at ACL <2026>");
	e->url = strdup("https://blog.example.org/post-1");
	assert_non_null(e->url);

	html = render_item_html(e);
	assert_non_null(html);
	assert_non_null(strstr(html, "<p>Categories: cs.CL, cs.AI</p>"));
	assert_non_null(
	    strstr(html, "<p>Comment: Accepted at ACL &lt;2026&gt;</p>"));
	free(html);

	render_to(&render_rss_ops, NULL, v, 1, &out);
	xdoc_parse(&out, &d);
	assert_int_equal(xp_count(&d, "/rss/channel/item/category"), 2);
	xp_eq(&d, "/rss/channel/item/category[1]", "cs.CL");
	xp_eq(&d, "/rss/channel/item/link", "https://blog.example.org/post-1");
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_atom_ops, NULL, v, 1, &out);
	xdoc_parse(&out, &d);
	assert_int_equal(xp_count(&d, "/a:feed/a:entry/a:category"), 2);
	xp_eq(&d, "/a:feed/a:entry/a:category[2]/@term", "cs.AI");
	xdoc_free(&d);
	buf_free(&out);

	render_to(&render_json_ops, NULL, v, 1, &out);
	root = json_parse(&out);
	it = json_array_get(json_object_get(root, "items"), 0);
	assert_string_equal(jstr(it, "url"), "https://blog.example.org/post-1");
	tags = json_object_get(it, "tags");
	assert_int_equal(json_array_size(tags), 2);
	assert_string_equal(
	    json_string_value(json_array_get(tags, 0)), "cs.CL");
	x = json_object_get(it, "_paperwire");
	assert_string_equal(jstr(x, "comment"), "Accepted at ACL <2026>");
	assert_int_equal(json_array_size(json_object_get(x, "categories")), 2);
	json_decref(root);
	buf_free(&out);
	entry_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_item_date),
	    cmocka_unit_test(test_html_escape),
	    cmocka_unit_test(test_item_html),
	    cmocka_unit_test(test_item_html_unsafe_links),
	    cmocka_unit_test(test_item_text),
	    cmocka_unit_test(test_url_and_iri),
	    cmocka_unit_test(test_rss),
	    cmocka_unit_test(test_atom),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_json_summary_excerpt),
	    cmocka_unit_test(test_hub),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_author_truncation),
	    cmocka_unit_test(test_too_large),
	    cmocka_unit_test(test_bad_meta),
	    cmocka_unit_test(test_dirty_strings),
	    cmocka_unit_test(test_categories_comment_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
