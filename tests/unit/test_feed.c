/*
 * test_feed.c: the `feed` source type (RSS 0.9x/2.0, RSS 0.90/1.0, Atom
 * 1.0, JSON Feed 1.0/1.1) on the real captures in tests/fixtures/feeds/
 * and on the derived edge cases in tests/fixtures/feeds/derived/.
 *
 * Expected values for the captures come from test_feed_expected.h, which
 * tests/fixtures/feeds/expected.py computed with python's own parsers;
 * those for the derived cases were worked out by hand (see each test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "caps.h"
#include "entry.h"
#include "sources/feed_date.h"
#include "sources/feed_xml.h"
#include "sources/source.h"
#include "text.h"

#define FEEDS(name) FIXTURES_DIR "/feeds/" name
#define NAME "src"
#define NOW 1800000000LL /* 2027-01-15T08:00:00Z, the tests' clock */
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct feed_expect {
	const char *id;
	const char *title;
	const char *url; /* NULL: none */
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

struct parsed {
	int rc;
	size_t items, skipped;
	struct entry_list out;
	struct pw_error err;
};

/* Parses the bytes of s (an exact-size copy) as a feed. */
static void parse_bytes(const char *s, size_t len, const char *url,
    const char *content_type, struct parsed *r)
{
	struct source_params p = {
	    .name = NAME, .url = url, .content_type = content_type, .now = NOW};
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, s, len);
	entry_list_init(&r->out);
	r->err.msg[0] = '\0';
	r->rc = source_feed_ops.parse(
	    &p, copy, len, &r->out, &r->items, &r->skipped, &r->err);
	free(copy);
}

static void parse_file(const char *path, const char *url,
    const char *content_type, struct parsed *r)
{
	size_t len;
	char *data = read_fixture(path, &len);

	parse_bytes(data, len, url, content_type, r);
	free(data);
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

static int64_t clamp_now(int64_t t)
{
	return t > NOW ? NOW : t;
}

/* Every string of every entry is clean UTF-8 (text_clean's promise). */
static void assert_clean(const struct entry *e)
{
	const char *fields[] = {e->id, e->title, e->summary, e->url,
	    e->arxiv_url, e->pdf_url, e->comment};

	for (size_t i = 0; i < N_ELEMS(fields); i++)
		if (fields[i] != NULL)
			assert_true(
			    text_is_clean_utf8(fields[i], strlen(fields[i])));
	for (size_t i = 0; i < e->authors.n; i++)
		assert_true(text_is_clean_utf8(
		    e->authors.v[i], strlen(e->authors.v[i])));
}

/* One capture against its expected items, in document order. */
static void check_capture(const char *path, const char *url,
    const char *content_type, const struct feed_expect *exp, size_t n_exp,
    size_t items, size_t skipped)
{
	struct parsed r;

	parse_file(path, url, content_type, &r);
	if (r.rc != 0)
		fail_msg("%s: %s", path, r.err.msg);
	assert_int_equal(r.items, items);
	assert_int_equal(r.skipped, skipped);
	assert_int_equal(r.out.n, n_exp);
	for (size_t i = 0; i < n_exp; i++) {
		const struct entry *e = r.out.v[i];

		assert_string_equal(e->id, exp[i].id);
		assert_string_equal(e->title, exp[i].title);
		assert_str_or_null(e->url, exp[i].url);
		assert_int_equal(e->published_at, clamp_now(exp[i].published));
		assert_int_equal(e->sources.n, 1);
		assert_string_equal(e->sources.v[0], NAME);
		assert_int_equal(e->upvotes, -1);
		assert_null(e->hf_url);
		assert_clean(e);
	}
	entry_list_free(&r.out);
}

static void test_rss2_thenextweb(void **state)
{
	(void)state;
	check_capture(FEEDS("generic/rss2_thenextweb_2022-04-06.xml"),
	    "https://thenextweb.com/feed", NULL, exp_thenextweb,
	    N_ELEMS(exp_thenextweb), 10, 0);
}

static void test_rss1_avibryant(void **state)
{
	(void)state;
	check_capture(FEEDS("generic/rss1_rdf_avibryant_2008.xml"), NULL, NULL,
	    exp_avibryant, N_ELEMS(exp_avibryant), 10, 0);
}

static void test_jsonfeed1_inessential(void **state)
{
	(void)state;
	check_capture(FEEDS("generic/jsonfeed1_inessential.json"),
	    "http://inessential.com/feed.json", NULL, exp_inessential,
	    N_ELEMS(exp_inessential), 20, 0);
}

static void test_rss2_hackernews_no_guid(void **state)
{
	(void)state;
	check_capture(FEEDS("tricky/rss2_hackernews_no-guid.xml"),
	    "https://news.ycombinator.com/rss", NULL, exp_hackernews,
	    N_ELEMS(exp_hackernews), 30, 0);
}

static void test_rss2_nasa_xmlbase_dates(void **state)
{
	(void)state;
	check_capture(FEEDS("tricky/rss2_nasa_xmlbase_no-seconds-dates.xml"),
	    NULL, NULL, exp_nasa, N_ELEMS(exp_nasa), 10, 0);
}

static void test_atom_samruby_relative(void **state)
{
	(void)state;
	check_capture(FEEDS("tricky/atom_samruby_relative-links.xml"),
	    "http://intertwingly.net/blog/index.atom", NULL, exp_samruby,
	    N_ELEMS(exp_samruby), 20, 0);
}

static void test_atom_rotoauthority(void **state)
{
	(void)state;
	check_capture(FEEDS("tricky/atom_xhtml-content_xmlbase-relative-links_"
	                    "crlf_rotoauthority.xml"),
	    NULL, NULL, exp_rotoauthority, N_ELEMS(exp_rotoauthority), 10, 0);
}

/* ISO-8859-1 with no declaration: the charset comes from the
 * Content-Type; the one empty item is skipped. Without a Content-Type the
 * bytes are not UTF-8 and are read as windows-1252, which agrees with
 * ISO-8859-1 on every byte this feed uses. */
static void test_rss2_cercle_latin1(void **state)
{
	(void)state;
	check_capture(
	    FEEDS("tricky/rss2_no-prolog_iso-8859-1_no-guid_cercle-psy.xml"),
	    NULL, "application/rss+xml; charset=ISO-8859-1", exp_cercle,
	    N_ELEMS(exp_cercle), 10, 1);
	check_capture(
	    FEEDS("tricky/rss2_no-prolog_iso-8859-1_no-guid_cercle-psy.xml"),
	    NULL, NULL, exp_cercle, N_ELEMS(exp_cercle), 10, 1);
}

static void test_rss090_heise(void **state)
{
	(void)state;
	check_capture(FEEDS("tricky/rss090_rdf_heise.xml"), NULL, NULL,
	    exp_heise, N_ELEMS(exp_heise), 60, 0);
}

static void test_jsonfeed11_lukedorny(void **state)
{
	(void)state;
	check_capture(FEEDS("tricky/jsonfeed11_escaped-slashes_lukedorny.json"),
	    "https://lukedorny.com/feed", NULL, exp_lukedorny,
	    N_ELEMS(exp_lukedorny), 30, 0);
}

/* A few fields the capture tables do not cover: authors, categories and
 * summaries reduced from HTML (values read off the files by hand). */
static void test_capture_fields(void **state)
{
	struct parsed r;
	const struct entry *e;

	(void)state;
	parse_file(
	    FEEDS("generic/rss2_thenextweb_2022-04-06.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	e = r.out.v[0];
	assert_int_equal(e->authors.n, 1);
	assert_string_equal(e->authors.v[0], "Napier Lopez");
	assert_int_equal(e->categories.n, 1);
	assert_string_equal(e->categories.v[0], "Basics");
	/* The description starts with an <img> and a <br />: the text. */
	assert_non_null(e->summary);
	assert_true(strncmp(e->summary,
	                "It happens to every Windows user "
	                "eventually.",
	                43) == 0);
	assert_null(strchr(e->summary, '<'));
	entry_list_free(&r.out);

	parse_file(
	    FEEDS("tricky/atom_samruby_relative-links.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	e = r.out.v[0];
	/* Authors are the feed's (RFC 4287 4.2.1); no feed URL: relative
	 * links cannot be resolved and are dropped. */
	assert_int_equal(e->authors.n, 1);
	assert_string_equal(e->authors.v[0], "Sam Ruby");
	assert_null(e->url);
	assert_string_equal(e->id, NAME ":tag:intertwingly.net,2004:3308");
	assert_true(strncmp(e->summary,
	                "Scott Hanselman: Plex is the media center", 41) == 0);
	entry_list_free(&r.out);

	parse_file(FEEDS("generic/jsonfeed1_inessential.json"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	e = r.out.v[0];
	assert_int_equal(e->authors.n, 1);
	assert_string_equal(e->authors.v[0], "Brent Simmons");
	assert_true(
	    strncmp(e->summary,
	        "On Wednesday night I know where I’ll "
	        "be",
	        strlen("On Wednesday night I know where I’ll be")) == 0);
	entry_list_free(&r.out);
}

/* A declared encoding outranks the Content-Type's charset; an undeclared
 * body follows the Content-Type even when it names an unusual charset. */
static void test_charset_precedence(void **state)
{
	static const char iso[] =
	    FEEDS("derived/rss_iso-8859-1_no_declaration.xml");
	static const char undefined_1252[] =
	    "<rss version=\"2.0\"><channel><item><title>a\x9D\xE9"
	    "</title></item></channel></rss>";
	struct parsed r;

	(void)state;
	parse_file(FEEDS("generic/rss2_thenextweb_2022-04-06.xml"), NULL,
	    "text/xml; charset=ISO-8859-1", &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.v[2]->title, exp_thenextweb[2].title);
	entry_list_free(&r.out);

	parse_file(iso, NULL, "application/xml; charset=\"iso-8859-1\"", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0]->title,
	    "\xC3\x89t\xC3\xA9 \xC3\xA0 la fran\xC3\xA7"
	    "aise \xC2\xAB bient\xC3\xB4t \xC2\xBB");
	assert_string_equal(r.out.v[0]->summary,
	    "Na\xC3\xAFve r\xC3\xA9sum\xC3\xA9 : \xC2\xBD \xC2\xB0"
	    "C");
	entry_list_free(&r.out);

	/* 0xC9 is U+0399 (Greek capital iota) in ISO-8859-7. */
	parse_file(iso, NULL, "text/xml;charset=ISO-8859-7", &r);
	assert_int_equal(r.rc, 0);
	assert_true(strncmp(r.out.v[0]->title, "\xCE\x99", 2) == 0);
	entry_list_free(&r.out);

	/* An unknown charset is ignored: the bytes are not UTF-8, so
	 * windows-1252, which reads these as ISO-8859-1 does. */
	parse_file(iso, NULL, "text/xml; charset=x-no-such-charset", &r);
	assert_int_equal(r.rc, 0);
	assert_true(strncmp(r.out.v[0]->title, "\xC3\x89t\xC3\xA9", 5) == 0);
	entry_list_free(&r.out);

	/* 0x9D is undefined in windows-1252: the body is read as
	 * ISO-8859-1, whose U+009D is a control character text_clean drops. */
	parse_bytes(undefined_1252, sizeof(undefined_1252) - 1, NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.v[0]->title, "a\xC3\xA9");
	entry_list_free(&r.out);

	parse_file(
	    FEEDS("derived/rss_windows-1252_undeclared.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.v[0]->title,
	    "\xE2\x80\x9CSmart quotes\xE2\x80\x9D \xE2\x80\x93 caf\xC3\xA9 "
	    "\xE2\x82\xAC"
	    "5");
	entry_list_free(&r.out);
}

static void test_charset_parameter(void **state)
{
	char cs[32];

	(void)state;
	assert_int_equal(
	    feed_xml_charset("text/xml; charset=utf-8", cs, 32), 0);
	assert_string_equal(cs, "utf-8");
	assert_int_equal(
	    feed_xml_charset("text/xml;foo=bar; CharSet = \"latin1\"", cs, 32),
	    0);
	assert_string_equal(cs, "latin1");
	assert_int_equal(feed_xml_charset("text/xml", cs, 32), -1);
	assert_int_equal(feed_xml_charset(NULL, cs, 32), -1);
	assert_int_equal(feed_xml_charset("text/xml; charset=", cs, 32), -1);
	assert_int_equal(
	    feed_xml_charset("text/xml; charset=\"utf-8", cs, 32), -1);
	assert_int_equal(feed_xml_charset("text/xml; charset=a;b", cs, 32), 0);
	assert_string_equal(cs, "a");
	assert_int_equal(
	    feed_xml_charset("t; charset=0123456789abcdef0123456789"
	                     "abcdef",
	        cs, 32),
	    -1);
}

/* Keys: guid, else link, else a content hash; an untitled item takes its
 * summary as title; an item with nothing is skipped. */
static void test_no_guid(void **state)
{
	struct parsed r;
	const struct entry *e;

	(void)state;
	parse_file(FEEDS("derived/rss_no_guid.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 5);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.out.n, 4);
	e = r.out.v[0];
	assert_string_equal(e->id, NAME ":http://example.org/posts/1");
	assert_string_equal(e->url, "http://example.org/posts/1");
	assert_int_equal(e->published_at, 1772445600LL);
	e = r.out.v[1];
	/* sha256("Keyed by its content\nNo guid and no link at
	 * all.\n1772449200"), by python's hashlib. */
	assert_string_equal(e->id, NAME ":sha256:88368e7b21fa5b1f692d6ef1c91a9e"
	                                "27ff71dd0d3caf5631b1f9d5deab829a06");
	assert_null(e->url);
	e = r.out.v[2];
	assert_string_equal(e->id, NAME ":untitled-1");
	assert_string_equal(e->title,
	    "An item without a title. Its summary's first sentence names it.");
	assert_int_equal(e->published_at, 0);
	e = r.out.v[3];
	assert_string_equal(e->id, NAME ":http://example.org/posts/5");
	assert_string_equal(e->url, "http://example.org/posts/5");
	entry_list_free(&r.out);
}

static void test_duplicate_guids(void **state)
{
	struct parsed r;
	const struct entry *e;

	(void)state;
	parse_file(FEEDS("derived/rss_duplicate_guids.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 5);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.out.n, 3);
	assert_string_equal(r.out.v[0]->id, NAME ":A");
	assert_string_equal(r.out.v[0]->title, "First with guid A");
	assert_string_equal(r.out.v[1]->id, NAME ":B");
	e = r.out.v[2];
	assert_string_equal(e->id, "arxiv:2306.03091");
	assert_string_equal(e->title, "A paper, first mention");
	assert_string_equal(e->url, "https://arxiv.org/abs/2306.03091v2");
	assert_string_equal(e->arxiv_url, "https://arxiv.org/abs/2306.03091");
	assert_string_equal(e->pdf_url, "https://arxiv.org/pdf/2306.03091");
	entry_list_free(&r.out);
}

static void test_xml_base(void **state)
{
	static const char *const urls[] = {
	    "http://example.org/blog/posts/1",
	    "http://example.org/blog/posts/2?x=1&y=2",
	    "https://other.example.net/a/b/c",
	    "http://mirror.example.com/posts/4",
	    NULL,
	};
	struct parsed r;

	(void)state;
	parse_file(FEEDS("derived/atom_xmlbase.xml"),
	    "http://feeds.example.org/atom.xml", NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, N_ELEMS(urls));
	for (size_t i = 0; i < N_ELEMS(urls); i++) {
		char id[32];

		snprintf(id, sizeof(id), NAME ":urn:x:%zu", i + 1);
		assert_string_equal(r.out.v[i]->id, id);
		assert_str_or_null(r.out.v[i]->url, urls[i]);
		assert_int_equal(r.out.v[i]->published_at, 1772445600LL);
		assert_int_equal(r.out.v[i]->authors.n, 1);
		assert_string_equal(r.out.v[i]->authors.v[0], "Feed Author");
	}
	entry_list_free(&r.out);

	parse_file(FEEDS("derived/atom_no_base.xml"),
	    "http://example.org/feeds/atom.xml", NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 2);
	assert_string_equal(r.out.v[0]->url, "http://example.org/posts/1#top");
	assert_string_equal(
	    r.out.v[1]->url, "http://example.org/feeds/atom.xml#frag");
	assert_int_equal(r.out.v[0]->authors.n, 0);
	entry_list_free(&r.out);
}

/* HTML in titles becomes text with its references decoded once; titles
 * without markup are left as they are. */
static void test_html_titles(void **state)
{
	static const char *const titles[] = {
	    "Attention is all you need",
	    "<b> is a tag",
	    "Bold claims & more",
	    "AT&T & Q&A: x < y",
	    "Caf\xC3\xA9 \xE2\x80\x94 \xC3\xA9t\xC3\xA9",
	    "Line one line two",
	};
	struct parsed r;

	(void)state;
	parse_file(FEEDS("derived/rss_html_titles.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, N_ELEMS(titles));
	for (size_t i = 0; i < N_ELEMS(titles); i++)
		assert_string_equal(r.out.v[i]->title, titles[i]);
	assert_string_equal(r.out.v[5]->summary, "One. Two three & four");
	entry_list_free(&r.out);

	parse_file(FEEDS("derived/atom_text_constructs.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 3);
	assert_string_equal(r.out.v[0]->title, "Plain <b> stays &amp; literal");
	assert_string_equal(r.out.v[0]->summary, "HTML summary & more");
	assert_string_equal(r.out.v[1]->title, "HTML title & co");
	assert_string_equal(
	    r.out.v[1]->summary, "First para. Second boldpara.");
	assert_string_equal(r.out.v[2]->title, "XHTML title & more");
	assert_null(r.out.v[2]->summary);
	entry_list_free(&r.out);
}

/* Lenient dates, clamped to the clock; impossible or garbage: unknown. */
static void test_dates(void **state)
{
	static const int64_t want[] = {
	    1055217600LL, /* Tue, 10 Jun 2003 04:00:00 GMT */
	    1055217600LL, /* no weekday */
	    1055232000LL, /* no seconds, EDT */
	    1055210400LL, /* Tuesday, 10 June, +0200 */
	    1055197800LL, /* +05:30 */
	    1055217600LL, /* 2-digit year */
	    1055217600LL, /* ISO in pubDate */
	    1055217600LL, /* ISO, space, no zone: UTC */
	    1055210400LL, /* ISO, no seconds, +0200 */
	    NOW,          /* 2100: clamped */
	    0,            /* 31 Jun */
	    0,            /* yesterday */
	    1055235600LL, /* dc:date with a fraction, -05:00 */
	    1063166400LL, /* 10 Sept 2003 */
	    1055217600LL, /* lower case */
	    0,            /* a year alone */
	    1055217600LL, /* white space around, -0000 */
	    0,            /* 29 Feb 2003 */
	};
	struct parsed r;

	(void)state;
	parse_file(FEEDS("derived/rss_dates.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, N_ELEMS(want));
	for (size_t i = 0; i < N_ELEMS(want); i++) {
		char title[8];

		snprintf(title, sizeof(title), "d%02zu", i + 1);
		assert_string_equal(r.out.v[i]->title, title);
		if (r.out.v[i]->published_at != want[i])
			fail_msg("%s: got %lld, want %lld", title,
			    (long long)r.out.v[i]->published_at,
			    (long long)want[i]);
	}
	entry_list_free(&r.out);
}

static void test_date_parse_direct(void **state)
{
	int64_t t = 12345;

	(void)state;
	assert_int_equal(feed_date_parse(NULL, &t), -1);
	assert_int_equal(feed_date_parse("", &t), -1);
	assert_int_equal(feed_date_parse("2026-13-01T00:00:00Z", &t), -1);
	assert_int_equal(feed_date_parse("2026-03-02T25:00:00Z", &t), -1);
	assert_int_equal(feed_date_parse("2026-03-02T10:00:00+2400", &t), -1);
	assert_int_equal(feed_date_parse("2026-03-02", &t), 0);
	assert_int_equal(t, 1772409600LL);
	assert_int_equal(feed_date_parse("2026-03-02T10:00:00,5Z", &t), 0);
	assert_int_equal(t, 1772445600LL);
	assert_int_equal(feed_date_parse("2026-03-02t10:00:00+01", &t), 0);
	assert_int_equal(t, 1772442000LL);
	assert_int_equal(feed_date_parse("Mon, 2 Mar 2026 10:00:00 UT", &t), 0);
	assert_int_equal(t, 1772445600LL);
	assert_int_equal(
	    feed_date_parse("Monday, 02-Mar-26 10:00:00 GMT", &t), 0);
	assert_int_equal(t, 1772445600LL);
	assert_int_equal(feed_date_parse("Mar 2026", &t), -1);
	/* 81 characters: longer than any date. */
	assert_int_equal(
	    feed_date_parse("Mon, 2 Mar 2026 10:00:00 GMT "
	                    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	                    "xxxxxxxxxxxxxx",
	        &t),
	    -1);
}

static void test_jsonfeed_numeric_ids(void **state)
{
	struct parsed r;
	const struct entry *e;

	(void)state;
	parse_file(FEEDS("derived/jsonfeed_numeric_ids.json"),
	    "https://example.org/feed.json", NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, 9);
	assert_int_equal(r.skipped, 2);
	assert_int_equal(r.out.n, 7);
	e = r.out.v[0];
	assert_string_equal(e->id, NAME ":123");
	assert_string_equal(e->url, "https://example.org/123");
	assert_int_equal(e->published_at, 1772442000LL);
	assert_string_equal(e->summary, "Plain content text.");
	assert_int_equal(e->categories.n, 2);
	assert_string_equal(e->categories.v[0], "alpha");
	assert_string_equal(e->categories.v[1], "beta");
	assert_int_equal(e->authors.n, 1);
	assert_string_equal(e->authors.v[0], "Feed Author");
	e = r.out.v[1];
	assert_string_equal(e->id, NAME ":4");
	assert_null(e->url);
	assert_int_equal(e->published_at, 0);
	assert_string_equal(e->summary, "HTML content");
	assert_int_equal(e->authors.n, 1);
	assert_string_equal(e->authors.v[0], "Old-Style Author");
	e = r.out.v[2];
	assert_string_equal(e->id, NAME ":2.5");
	assert_int_equal(e->authors.n, 2);
	assert_string_equal(e->authors.v[1], "Two");
	e = r.out.v[3];
	assert_string_equal(e->id, NAME ":spaced");
	assert_string_equal(e->summary, "Summary wins over content");
	e = r.out.v[4];
	assert_string_equal(e->id, NAME ":https://example.org/relative/path");
	assert_string_equal(e->url, "https://example.org/relative/path");
	assert_int_equal(e->published_at, 1772323200LL);
	e = r.out.v[5];
	assert_string_equal(e->id, NAME ":7");
	assert_string_equal(
	    e->title, "Escaped title: Tom & Jerry \xE2\x80\x94 again");
	assert_string_equal(e->url, "https://elsewhere.example.com/7");
	e = r.out.v[6];
	assert_string_equal(e->id, NAME ":9");
	assert_int_equal(e->published_at, NOW);
	entry_list_free(&r.out);
}

static void test_empty_feeds(void **state)
{
	static const char *const files[] = {
	    FEEDS("derived/rss_empty.xml"),
	    FEEDS("derived/atom_empty.xml"),
	    FEEDS("derived/rdf_empty.xml"),
	    FEEDS("derived/jsonfeed_empty.json"),
	    FEEDS("arxiv-rss/"
	          "rss.arxiv.org_empty_test-archive_2024-11-28.rss.xml"),
	    FEEDS("arxiv-api/2026_empty_id_list_0000.0000.atom.xml"),
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(files); i++) {
		struct parsed r;

		parse_file(files[i], NULL, NULL, &r);
		if (r.rc != 0)
			fail_msg("%s: %s", files[i], r.err.msg);
		assert_int_equal(r.items, 0);
		assert_int_equal(r.skipped, 0);
		assert_int_equal(r.out.n, 0);
		entry_list_free(&r.out);
	}
}

/* true when s occurs in any string of any entry. */
static bool appears(const struct entry_list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = l->v[i];
		const char *f[] = {e->id, e->title, e->summary, e->url};

		for (size_t k = 0; k < N_ELEMS(f); k++)
			if (f[k] != NULL && strstr(f[k], s) != NULL)
				return true;
		for (size_t k = 0; k < e->authors.n; k++)
			if (strstr(e->authors.v[k], s) != NULL)
				return true;
	}
	return false;
}

/* Entities: a billion laughs fails (libxml2's amplification check) and
 * appends nothing; internal entities are never expanded; external ones,
 * DTDs and parameter entities are never read. */
static void test_entities_are_safe(void **state)
{
	struct parsed r;

	(void)state;
	parse_file(FEEDS("derived/billion_laughs.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.out.n, 0);
	assert_non_null(strstr(r.err.msg, "entity"));
	entry_list_free(&r.out);

	parse_file(FEEDS("derived/entity_small.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0]->title, "before after");
	assert_false(appears(&r.out, "EXPANDED"));
	entry_list_free(&r.out);

	parse_file(FEEDS("derived/xxe_local_file.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0]->title, "Title end");
	assert_string_equal(r.out.v[0]->summary, "Body end");
	assert_int_equal(r.out.v[0]->authors.n, 0);
	assert_false(appears(&r.out, "root:"));
	entry_list_free(&r.out);

	/* The DTD is never loaded, so &eacute; stays undefined: dropped. */
	parse_file(FEEDS("derived/doctype_external_dtd.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0]->title, "Caf with a DTD");
	assert_string_equal(r.out.v[0]->url, "http://example.org/d1");
	assert_false(appears(&r.out, "root:"));
	entry_list_free(&r.out);

	parse_file(
	    FEEDS("derived/doctype_parameter_entity.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0]->title, "Still here");
	assert_false(appears(&r.out, "root:"));
	entry_list_free(&r.out);
}

/*
 * The process-wide entity loader refuses everything: even a parse that
 * asks libxml2 to substitute entities and load DTDs (options paperwire
 * never uses) gets nothing from a local file.
 */
static void test_loader_refuses(void **state)
{
	char path[] = "/tmp/pw-test-entity-XXXXXX";
	char doc[512];
	int fd = mkstemp(path);
	xmlDoc *xml;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "SECRET-MARKER", 13), 13);
	close(fd);
	feed_xml_init();
	snprintf(doc, sizeof(doc),
	    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM "
	    "\"file://%s\">]><r>&e;</r>",
	    path);
	xml = xmlReadMemory(doc, (int)strlen(doc), NULL, NULL,
	    XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_NOERROR |
	        XML_PARSE_NOWARNING);
	if (xml != NULL) {
		xmlChar *text = xmlNodeGetContent(xmlDocGetRootElement(xml));

		assert_null(strstr((const char *)text, "SECRET-MARKER"));
		xmlFree(text);
		xmlFreeDoc(xml);
	}
	unlink(path);
}

/* A body that is not a feed is -1 and leaves out as it was. */
static void test_not_feeds(void **state)
{
	static const struct {
		const char *body;
		const char *msg; /* expected prefix of the error */
	} cases[] = {
	    {"", "empty document"},
	    {"   \n", "empty document"},
	    {"hello", "not a feed"},
	    {"<rss version=\"2.0\"><channel><title>x</title>",
	        "not well-formed XML: line 1"},
	    {"<html><body>no</body></html>", "not a feed: the root element is"},
	    {"<rss version=\"2.0\"></rss>", "RSS document without a channel"},
	    {"{\"version\": \"https://jsonfeed.org/version/1.1\"}",
	        "JSON Feed without an items array"},
	    {"{\"items\": []}", "not a JSON Feed"},
	    {"[1, 2]", "not a feed"},
	    {"{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [",
	        "invalid JSON"},
	    {"<feed xmlns=\"http://purl.org/atom/ns#\"></feed>",
	        "not an Atom 1.0 document"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct parsed r;
		struct entry *keep = entry_new();

		assert_non_null(keep);
		parse_bytes(
		    cases[i].body, strlen(cases[i].body), NULL, NULL, &r);
		assert_int_equal(r.rc, -1);
		if (strncmp(r.err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: error \"%s\", want \"%s...\"", i,
			    r.err.msg, cases[i].msg);
		assert_int_equal(r.out.n, 0);
		entry_list_free(&r.out);
		entry_free(keep);
	}
}

/* Malformed files: -1, and an out list that held entries keeps exactly
 * those. */
static void test_malformed_appends_nothing(void **state)
{
	static const char *const files[] = {
	    FEEDS("derived/malformed_truncated.xml"),
	    FEEDS("derived/not_a_feed.html"),
	    FEEDS("derived/not_a_feed.json"),
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(files); i++) {
		struct source_params p = {.name = NAME, .now = NOW};
		struct entry_list out;
		struct entry *e = entry_new();
		struct pw_error err;
		size_t len, items = 99, skipped = 99;
		char *data = read_fixture(files[i], &len);

		entry_list_init(&out);
		assert_non_null(e);
		e->id = strdup("kept:1");
		assert_int_equal(entry_list_push(&out, e), 0);
		assert_int_equal(source_feed_ops.parse(&p, data, len, &out,
		                     &items, &skipped, &err),
		    -1);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(out.n, 1);
		assert_string_equal(out.v[0]->id, "kept:1");
		assert_int_equal(items, 0);
		assert_int_equal(skipped, 0);
		entry_list_free(&out);
		free(data);
	}
}

static void test_arxiv_links_in_feeds(void **state)
{
	static const struct {
		const char *id, *url, *arxiv_url;
	} want[] = {
	    {"arxiv:2306.03091", "https://arxiv.org/abs/2306.03091v2",
	        "https://arxiv.org/abs/2306.03091"},
	    {"arxiv:2401.00001", "http://arxiv.org/pdf/2401.00001v3.pdf",
	        "https://arxiv.org/abs/2401.00001"},
	    {"arxiv:hep-th/9901001",
	        "http://export.arxiv.org/abs/hep-th/9901001v1",
	        "https://arxiv.org/abs/hep-th/9901001"},
	    {"arxiv:2501.12345", "https://www.arxiv.org/abs/2501.12345",
	        "https://arxiv.org/abs/2501.12345"},
	    {NAME ":a5", "https://arxiv.org/list/cs.CL/new", NULL},
	    {NAME ":a6", "https://arxiv.example.com/abs/2306.03091", NULL},
	};
	struct parsed r;

	(void)state;
	parse_file(FEEDS("derived/rss_arxiv_links.xml"), NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, N_ELEMS(want));
	for (size_t i = 0; i < N_ELEMS(want); i++) {
		const struct entry *e = r.out.v[i];

		assert_string_equal(e->id, want[i].id);
		assert_string_equal(e->url, want[i].url);
		assert_str_or_null(e->arxiv_url, want[i].arxiv_url);
		if (want[i].arxiv_url != NULL)
			assert_string_equal(e->pdf_url + 22, e->arxiv_url + 22);
		else
			assert_null(e->pdf_url);
	}
	assert_int_equal(r.out.v[0]->categories.n, 1);
	assert_string_equal(r.out.v[0]->categories.v[0], "cs.CL");
	entry_list_free(&r.out);
}

/* CAP_ITEMS_PER_DOCUMENT items are kept; the rest are counted only. */
static void test_item_cap(void **state)
{
	size_t n = CAP_ITEMS_PER_DOCUMENT + 1, cap = 64 * n + 128, len = 0;
	char *doc = malloc(cap);
	struct parsed r;

	(void)state;
	assert_non_null(doc);
	len += (size_t)snprintf(
	    doc + len, cap - len, "<rss version=\"2.0\"><channel>");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(doc + len, cap - len,
		    "<item><guid>g%zu</guid><title>t</title></item>", i);
	len += (size_t)snprintf(doc + len, cap - len, "</channel></rss>");
	parse_bytes(doc, len, NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.items, n);
	assert_int_equal(r.out.n, CAP_ITEMS_PER_DOCUMENT);
	assert_string_equal(
	    r.out.v[CAP_ITEMS_PER_DOCUMENT - 1]->id, NAME ":g4999");
	entry_list_free(&r.out);
	free(doc);
}

/* Over-long text is cut on a character boundary at the entry caps. */
static void test_long_fields(void **state)
{
	size_t cap = 3 * CAP_SUMMARY_BYTES + 4096, len = 0;
	char *doc = malloc(cap);
	struct parsed r;

	(void)state;
	assert_non_null(doc);
	len += (size_t)snprintf(doc + len, cap - len,
	    "<rss version=\"2.0\"><channel><item><guid>g</guid><title>");
	for (size_t i = 0; i < CAP_TITLE_BYTES; i++)
		len += (size_t)snprintf(doc + len, cap - len, "\xC3\xA9");
	len += (size_t)snprintf(doc + len, cap - len, "</title><description>");
	for (size_t i = 0; i < CAP_SUMMARY_BYTES / 2 + 10; i++)
		len += (size_t)snprintf(doc + len, cap - len, "ab");
	len += (size_t)snprintf(
	    doc + len, cap - len, "</description></item></channel></rss>");
	parse_bytes(doc, len, NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 1);
	assert_true(strlen(r.out.v[0]->title) <= CAP_TITLE_BYTES);
	assert_true(strlen(r.out.v[0]->title) >= CAP_TITLE_BYTES - 1);
	assert_true(
	    text_is_clean_utf8(r.out.v[0]->title, strlen(r.out.v[0]->title)));
	assert_int_equal(strlen(r.out.v[0]->summary), CAP_SUMMARY_BYTES);
	entry_list_free(&r.out);
	free(doc);
}

/* A feed's own authors go to items that name none, up to
 * CAP_FEED_INHERITED_AUTHOR_BYTES of names per item. */
static void test_inherited_author_cap(void **state)
{
	char name[3][501], doc[4096];
	struct parsed r;
	int n;

	(void)state;
	for (int i = 0; i < 3; i++) {
		memset(name[i], 'a' + i, 500);
		name[i][500] = '\0';
	}
	n = snprintf(doc, sizeof(doc),
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
	    "<author><name>%s</name></author><author><name>%s</name></author>"
	    "<author><name>%s</name></author>"
	    "<entry><id>e1</id><title>t1</title></entry>"
	    "<entry><id>e2</id><title>t2</title>"
	    "<author><name>Own</name></author></entry></feed>",
	    name[0], name[1], name[2]);
	assert_true(n > 0 && (size_t)n < sizeof(doc));
	parse_bytes(doc, (size_t)n, NULL, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.n, 2);
	assert_true(2 * 500 <= CAP_FEED_INHERITED_AUTHOR_BYTES &&
	            3 * 500 > CAP_FEED_INHERITED_AUTHOR_BYTES);
	assert_int_equal(r.out.v[0]->authors.n, 2);
	assert_string_equal(r.out.v[0]->authors.v[1], name[1]);
	assert_int_equal(r.out.v[1]->authors.n, 1);
	assert_string_equal(r.out.v[1]->authors.v[0], "Own");
	entry_list_free(&r.out);
}

static json_t *reported;

static void report(void *ctx, const char *key, const char *msg)
{
	(void)ctx;
	(void)msg;
	json_array_append_new(reported, json_string(key));
}

static void test_feed_config_and_url(void **state)
{
	struct source_params p = {
	    .name = NAME, .url = "http://127.0.0.1:1/f.xml"};
	json_t *opts = json_pack("{s:s}", "type", "feed");
	char *url;

	(void)state;
	assert_ptr_equal(source_find("feed"), &source_feed_ops);
	assert_non_null(strstr(source_type_names(), "feed"));
	reported = json_array();
	assert_int_equal(source_feed_ops.check(opts, report, NULL), -1);
	assert_int_equal(json_array_size(reported), 1);
	assert_string_equal(
	    json_string_value(json_array_get(reported, 0)), "url");
	json_object_set_new(opts, "url", json_string("file:///tmp/x.xml"));
	json_array_clear(reported);
	assert_int_equal(source_feed_ops.check(opts, report, NULL), 0);
	assert_int_equal(json_array_size(reported), 0);
	json_decref(reported);
	json_decref(opts);

	assert_null(source_feed_ops.default_url);
	assert_int_equal(source_feed_ops.page_size, 0);
	url = source_feed_ops.request_url(&p, 0, 0);
	assert_string_equal(url, "http://127.0.0.1:1/f.xml");
	free(url);
	assert_null(source_feed_ops.request_url(&p, 1, 0));
	assert_null(source_feed_ops.request_url(&p, 0, 1));
	p.url = NULL;
	assert_null(source_feed_ops.request_url(&p, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rss2_thenextweb),
	    cmocka_unit_test(test_rss1_avibryant),
	    cmocka_unit_test(test_jsonfeed1_inessential),
	    cmocka_unit_test(test_rss2_hackernews_no_guid),
	    cmocka_unit_test(test_rss2_nasa_xmlbase_dates),
	    cmocka_unit_test(test_atom_samruby_relative),
	    cmocka_unit_test(test_atom_rotoauthority),
	    cmocka_unit_test(test_rss2_cercle_latin1),
	    cmocka_unit_test(test_rss090_heise),
	    cmocka_unit_test(test_jsonfeed11_lukedorny),
	    cmocka_unit_test(test_capture_fields),
	    cmocka_unit_test(test_charset_precedence),
	    cmocka_unit_test(test_charset_parameter),
	    cmocka_unit_test(test_no_guid),
	    cmocka_unit_test(test_duplicate_guids),
	    cmocka_unit_test(test_xml_base),
	    cmocka_unit_test(test_html_titles),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_date_parse_direct),
	    cmocka_unit_test(test_jsonfeed_numeric_ids),
	    cmocka_unit_test(test_empty_feeds),
	    cmocka_unit_test(test_entities_are_safe),
	    cmocka_unit_test(test_loader_refuses),
	    cmocka_unit_test(test_not_feeds),
	    cmocka_unit_test(test_malformed_appends_nothing),
	    cmocka_unit_test(test_arxiv_links_in_feeds),
	    cmocka_unit_test(test_item_cap),
	    cmocka_unit_test(test_long_fields),
	    cmocka_unit_test(test_inherited_author_cap),
	    cmocka_unit_test(test_feed_config_and_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
