/*
 * rss.c: RSS 2.0 (https://www.rssboard.org/rss-specification), written
 * with libxml2's xmlTextWriter.
 *
 * Choices made for validators and readers:
 * - guid is the entry id with isPermaLink="false": it is stable across
 *   polls and re-renders, so readers never show an item twice.
 * - Authors are dc:creator elements, one per name, because RSS <author>
 *   must be an e-mail address. The W3C validator accepts several, and
 *   feedparser lists them all in entry.authors.
 * - description carries the item HTML as escaped text, never CDATA, so
 *   no "]]>" in an abstract can end it early.
 * - atom:link rel="self" (and rel="hub" for WebSub) as the RSS Advisory
 *   Board and WebSub recommend.
 */
#include "render_priv.h"

#include <stdlib.h>

#include "../timefmt.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

/* Writes <atom:link rel=... [type=...] href=.../>. */
static void rss_atom_link(
    struct render_xml *x, const char *rel, const char *type, const char *href)
{
	render_xml_start(x, "atom:link");
	render_xml_attr(x, "rel", rel);
	render_xml_attr(x, "type", type);
	render_xml_url_attr(x, "href", href);
	render_xml_end(x);
}

static void rss_channel_head(struct render_xml *x, const struct feed_meta *m)
{
	char date[TIMEFMT_BYTES];

	render_xml_text(x, "title", m->title);
	render_xml_url(x, "link", m->home_url);
	render_xml_text(x, "description",
	    m->description != NULL ? m->description
	                           : RENDER_DEFAULT_DESCRIPTION);
	render_xml_text(x, "lastBuildDate", timefmt_rfc822(m->updated, date));
	render_xml_text(x, "generator",
	    m->generator != NULL ? m->generator : RENDER_DEFAULT_GENERATOR);
	rss_atom_link(x, "self", "application/rss+xml", m->self_url);
	if (m->hub_url != NULL)
		rss_atom_link(x, "hub", NULL, m->hub_url);
}

/* Writes one <item>. */
static void rss_item(struct render_xml *x, const struct entry *e)
{
	char date[TIMEFMT_BYTES];
	int64_t when = render_item_date(e);
	bool truncated;
	size_t shown = render_authors_shown(e, &truncated);
	char *html = render_item_html(e);

	if (html == NULL) {
		render_xml_fail(x, "out of memory");
		return;
	}
	render_xml_start(x, "item");
	render_xml_text(x, "title", e->title);
	render_xml_url(x, "link", entry_link(e));
	render_xml_start(x, "guid");
	render_xml_attr(x, "isPermaLink", "false");
	render_xml_string(x, e->id);
	render_xml_end(x);
	if (when > 0)
		render_xml_text(x, "pubDate", timefmt_rfc822(when, date));
	for (size_t i = 0; i < shown; i++)
		render_xml_text(x, "dc:creator", e->authors.v[i]);
	if (truncated)
		render_xml_text(x, "dc:creator", RENDER_ET_AL);
	render_xml_text(x, "description", html);
	for (size_t i = 0; i < e->categories.n; i++)
		render_xml_text(x, "category", e->categories.v[i]);
	for (size_t i = 0; i < e->ai_keywords.n; i++)
		render_xml_text(x, "category", e->ai_keywords.v[i]);
	render_xml_end(x);
	free(html);
}

static int rss_render(const struct feed_meta *meta,
    struct entry *const *entries, size_t n, struct buf *out,
    struct pw_error *err)
{
	struct render_xml x;

	if (render_meta_check(meta, err) != 0)
		return -1;
	if (render_xml_open(&x, out->max - out->len, err) != 0)
		return -1;
	render_xml_start(&x, "rss");
	render_xml_attr(&x, "version", "2.0");
	render_xml_attr(&x, "xmlns:atom", NS_ATOM);
	render_xml_attr(&x, "xmlns:dc", NS_DC);
	render_xml_attr(&x, "xmlns:content", NS_CONTENT);
	render_xml_start(&x, "channel");
	rss_channel_head(&x, meta);
	/* The size check before each item stops a feed over the cap early. */
	for (size_t i = 0; i < n && render_xml_check(&x) == 0; i++)
		rss_item(&x, entries[i]);
	render_xml_end(&x);
	render_xml_end(&x);
	return render_xml_finish(&x, out, err);
}

const struct render_ops render_rss_ops = {
    .ext = "rss",
    .content_type = "application/rss+xml; charset=utf-8",
    .render = rss_render,
};
