/*
 * atom.c: Atom 1.0 (RFC 4287), written with libxml2's xmlTextWriter.
 *
 * Choices made for validators and readers:
 * - The feed id is the feed's own URL; an entry id is render_entry_iri of
 *   the entry id (the arXiv abstract URL for arXiv papers), so it is the
 *   same on every poll and on every paperwire installation.
 * - published and updated are both the item date (render_item_date: when
 *   paperwire first saw the paper), the date RSS pubDate and JSON Feed
 *   date_published carry too. Readers such as Miniflux and NetNewsWire
 *   date and sort entries by published, so the arXiv date there would
 *   bury a paper listed today under months-old items; and updated does
 *   not follow updated_at, so readers do not mark a paper as changed
 *   every time its upvotes move.
 * - A feed-level author makes entries without authors valid (RFC 4287
 *   section 4.1.1 requires an author on the feed or on every entry).
 * - summary is the plain abstract, content the item HTML as escaped text.
 */
#include "render_priv.h"

#include <stdlib.h>
#include <string.h>

#include "../timefmt.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"

/* Writes <link rel=... [type=...] href=.../> when href is a usable link. */
static void atom_link(
    struct render_xml *x, const char *rel, const char *type, const char *href)
{
	char *safe = render_url(href);

	if (safe == NULL)
		return;
	render_xml_start(x, "link");
	render_xml_attr(x, "rel", rel);
	render_xml_attr(x, "type", type);
	render_xml_attr(x, "href", safe);
	render_xml_end(x);
	free(safe);
}

/* Writes <author><name>name</name></author>. */
static void atom_author(struct render_xml *x, const char *name)
{
	render_xml_start(x, "author");
	render_xml_text(x, "name", name);
	render_xml_end(x);
}

/* Writes <name type="...">text</name>; nothing when text is NULL. */
static void atom_typed(
    struct render_xml *x, const char *name, const char *type, const char *text)
{
	if (text == NULL)
		return;
	render_xml_start(x, name);
	render_xml_attr(x, "type", type);
	render_xml_string(x, text);
	render_xml_end(x);
}

/* The feed's updated: the caller's, else the newest item date. */
static int64_t atom_feed_updated(
    const struct feed_meta *m, struct entry *const *entries, size_t n)
{
	int64_t t = m->updated;

	if (t > 0)
		return t;
	for (size_t i = 0; i < n; i++)
		if (render_item_date(entries[i]) > t)
			t = render_item_date(entries[i]);
	return t;
}

static void atom_head(
    struct render_xml *x, const struct feed_meta *m, int64_t updated)
{
	char date[TIMEFMT_BYTES];

	render_xml_url(x, "id", m->self_url);
	atom_typed(x, "title", "text", m->title);
	atom_typed(x, "subtitle", "text",
	    m->description != NULL ? m->description
	                           : RENDER_DEFAULT_DESCRIPTION);
	render_xml_text(x, "updated", timefmt_rfc3339(updated, date));
	atom_link(x, "self", "application/atom+xml", m->self_url);
	atom_link(x, "alternate", "text/html", m->home_url);
	if (m->hub_url != NULL)
		atom_link(x, "hub", NULL, m->hub_url);
	atom_author(x, RENDER_DEFAULT_GENERATOR);
	render_xml_text(x, "generator",
	    m->generator != NULL ? m->generator : RENDER_DEFAULT_GENERATOR);
}

/* Writes one <entry>; fallback dates it when the entry has no date. */
static void atom_entry(
    struct render_xml *x, const struct entry *e, int64_t fallback)
{
	char date[TIMEFMT_BYTES];
	int64_t when = render_item_date(e);
	const char *link = entry_link(e);
	bool truncated;
	size_t shown = render_authors_shown(e, &truncated);
	char *iri = render_entry_iri(e->id);
	char *html = render_item_html(e);

	if (iri == NULL || html == NULL) {
		render_xml_fail(x, "out of memory");
		goto out;
	}
	if (when <= 0)
		when = fallback;
	render_xml_start(x, "entry");
	render_xml_text(x, "id", iri);
	atom_typed(x, "title", "text", e->title != NULL ? e->title : e->id);
	atom_link(x, "alternate", "text/html", link);
	/* The arXiv page is already the alternate link when there is no
	 * Hugging Face page; listing it twice would say nothing new. */
	if (e->arxiv_url != NULL &&
	    (link == NULL || strcmp(link, e->arxiv_url) != 0))
		atom_link(x, "related", "text/html", e->arxiv_url);
	atom_link(x, "related", "application/pdf", e->pdf_url);
	timefmt_rfc3339(when, date);
	render_xml_text(x, "published", date);
	render_xml_text(x, "updated", date);
	for (size_t i = 0; i < shown; i++)
		atom_author(x, e->authors.v[i]);
	if (truncated)
		atom_author(x, RENDER_ET_AL);
	atom_typed(x, "summary", "text", e->summary);
	atom_typed(x, "content", "html", html);
	for (size_t i = 0; i < e->categories.n; i++) {
		render_xml_start(x, "category");
		render_xml_attr(x, "term", e->categories.v[i]);
		render_xml_end(x);
	}
	for (size_t i = 0; i < e->ai_keywords.n; i++) {
		render_xml_start(x, "category");
		render_xml_attr(x, "term", e->ai_keywords.v[i]);
		render_xml_end(x);
	}
	render_xml_end(x);
out:
	free(iri);
	free(html);
}

static int atom_render(const struct feed_meta *meta,
    struct entry *const *entries, size_t n, struct buf *out,
    struct pw_error *err)
{
	struct render_xml x;
	int64_t updated = atom_feed_updated(meta, entries, n);

	if (render_meta_check(meta, err) != 0)
		return -1;
	if (render_xml_open(&x, out->max - out->len, err) != 0)
		return -1;
	render_xml_start(&x, "feed");
	render_xml_attr(&x, "xmlns", NS_ATOM);
	atom_head(&x, meta, updated);
	/* The size check before each entry stops a feed over the cap early. */
	for (size_t i = 0; i < n && render_xml_check(&x) == 0; i++)
		atom_entry(&x, entries[i], updated);
	render_xml_end(&x);
	return render_xml_finish(&x, out, err);
}

const struct render_ops render_atom_ops = {
    .ext = "atom",
    .content_type = "application/atom+xml; charset=utf-8",
    .render = atom_render,
};
