/*
 * feed.c: the `feed` source type, any RSS 0.9x/2.0, RSS 0.90/1.0, Atom 1.0
 * or JSON Feed 1.0/1.1 document at the configured url, and feed_read,
 * which detects a document's format from its content (never from the URL
 * or the Content-Type, which servers get wrong).
 *
 * Each item becomes an entry keyed "<source name>:<guid or id>", falling
 * back to "<source name>:<link>" and then to
 * "<source name>:sha256:<hash of the title, summary and date>". An item
 * whose link is an arXiv abstract or PDF page is keyed "arxiv:<id>"
 * instead, so it merges with the same paper from any other source. An
 * item without a title is titled with the start of its summary; an item
 * with neither is skipped. An item that names no author gets the feed's
 * own authors (Atom, JSON Feed). Dates later than the poll's clock are
 * clamped to it (a feed cannot announce the future).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../caps.h"
#include "../digest.h"
#include "../text.h"
#include "feed_common.h"
#include "feed_xml.h"
#include "hf_common.h"
#include "source.h"

#define FEED_TITLE_FROM_SUMMARY 160 /* bytes of summary for a missing title */

int feed_read(const char *body, size_t len, const char *url,
    const char *content_type, struct feed_doc *doc, struct pw_error *err)
{
	size_t i = 0;
	xmlDoc *xml;
	const xmlNode *root;
	int rc;

	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (body[i] == ' ' || body[i] == '\t' ||
	                      body[i] == '\r' || body[i] == '\n'))
		i++;
	if (i == len)
		return pw_error_set(err, "empty document");
	if (body[i] == '{')
		return feed_jsonfeed_read(body + i, len - i, url, doc, err);
	/* XML starts with '<', or with a UTF-16 or UTF-32 byte order mark
	 * or zero byte that libxml2 reads as such. */
	if (body[i] != '<' && (i > 0 || len < 2 ||
	                          !((unsigned char)body[0] >= 0xFE ||
	                              body[0] == 0 || body[1] == 0)))
		return pw_error_set(err, "not a feed: neither XML nor JSON");
	if ((xml = feed_xml_read(body, len, url, content_type, err)) == NULL)
		return -1;
	root = xmlDocGetRootElement(xml);
	if (strcmp((const char *)root->name, "feed") == 0)
		rc = feed_atom_read(xml, url, doc, err);
	else if (strcmp((const char *)root->name, "rss") == 0 ||
	         strcmp((const char *)root->name, "RDF") == 0)
		rc = feed_rss_read(xml, url, doc, err);
	else
		rc =
		    pw_error_set(err, "not a feed: the root element is <%.64s>",
		        (const char *)root->name);
	xmlFreeDoc(xml);
	return rc;
}

static int feed_check(const json_t *opts, source_report_fn report, void *ctx)
{
	if (json_object_get(opts, "url") == NULL) {
		report(ctx, "url", "required for a source of type feed");
		return -1;
	}
	return 0;
}

/* The configured url, once. */
static char *feed_request_url(
    const struct source_params *p, unsigned step, unsigned page)
{
	if (step > 0 || page > 0 || p->url == NULL)
		return NULL;
	return strdup(p->url);
}

/* Pushes the cleaned, non-empty strings of raw to out, at most max of
 * them, leaving out repeats when distinct is set (categories: at most
 * CAP_KEYWORDS, so the quadratic check stays cheap). 0 or -1. */
static int clean_list(
    const struct strv *raw, size_t max, bool distinct, struct strv *out)
{
	for (size_t i = 0; i < raw->n && out->n < max; i++) {
		char *s =
		    text_clean(raw->v[i], strlen(raw->v[i]), CAP_FIELD_BYTES);

		if (s == NULL)
			return -1;
		if (s[0] == '\0' || (distinct && strv_contains(out, s))) {
			free(s);
			continue;
		}
		if (strv_push_owned(out, s) != 0)
			return -1;
	}
	return 0;
}

/*
 * Gives an item that names no author the feed's own (Atom and JSON Feed
 * say so), at most CAP_FEED_INHERITED_AUTHOR_BYTES of names: one list
 * repeated in CAP_ITEMS_PER_DOCUMENT items must not multiply a small body
 * into a large poll. 0 or -1.
 */
static int inherit_authors(const struct strv *raw, struct strv *out)
{
	size_t total = 0;

	for (size_t i = 0; i < raw->n; i++) {
		char *s =
		    text_clean(raw->v[i], strlen(raw->v[i]), CAP_FIELD_BYTES);

		if (s == NULL)
			return -1;
		if (s[0] == '\0' || strv_contains(out, s) ||
		    total + strlen(s) > CAP_FEED_INHERITED_AUTHOR_BYTES) {
			free(s);
			continue;
		}
		total += strlen(s);
		if (strv_push_owned(out, s) != 0)
			return -1;
	}
	return 0;
}

/* Sets e->id to "<name>:<key>", or to "<name>:sha256:<hex of key>" when
 * the key would make the id longer than CAP_FIELD_BYTES. 0 or -1. */
static int set_key(struct entry *e, const char *name, const char *key)
{
	char hex[DIGEST_HEX_BYTES];
	size_t n = strlen(name) + strlen(key) + 2;

	if (n > CAP_FIELD_BYTES) {
		digest_sha256_hex("", key, strlen(key), hex);
		n = strlen(name) + sizeof("sha256:") + DIGEST_HEX_BYTES;
		if ((e->id = malloc(n)) == NULL)
			return -1;
		snprintf(e->id, n, "%s:sha256:%s", name, hex);
		return 0;
	}
	if ((e->id = malloc(n)) == NULL)
		return -1;
	snprintf(e->id, n, "%s:%s", name, key);
	return 0;
}

/* Keys e: arXiv id from the link, else guid, else link, else content. */
static int item_key(
    const struct source_params *p, const struct feed_item *it, struct entry *e)
{
	const char *name = p->name != NULL ? p->name : "feed";
	char bare[HF_COMMON_ID_BYTES], hex[DIGEST_HEX_BYTES];
	char key[sizeof("sha256:") + DIGEST_HEX_BYTES];
	char *guid, *content;
	size_t n;
	int rc;

	if (it->link != NULL &&
	    feed_common_arxiv_id(it->link, bare, sizeof(bare)) == 0)
		return feed_common_set_arxiv(e, bare);
	guid =
	    it->guid != NULL ? text_clean(it->guid, strlen(it->guid), 0) : NULL;
	if (it->guid != NULL && guid == NULL)
		return -1;
	if (guid != NULL && guid[0] != '\0') {
		rc = set_key(e, name, guid);
		free(guid);
		return rc;
	}
	free(guid);
	if (it->link != NULL)
		return set_key(e, name, it->link);
	/* No guid and no link: the item is what it says. */
	n = strlen(e->title) + (e->summary != NULL ? strlen(e->summary) : 0) +
	    32;
	if ((content = malloc(n)) == NULL)
		return -1;
	snprintf(content, n, "%s\n%s\n%lld", e->title,
	    e->summary != NULL ? e->summary : "", (long long)it->published);
	digest_sha256_hex("", content, strlen(content), hex);
	free(content);
	snprintf(key, sizeof(key), "sha256:%s", hex);
	return set_key(e, name, key);
}

/*
 * Fills e (entry_init'ed) from one item. 0 when e is complete, 1 when the
 * item has neither a title nor a summary (skipped), -1 out of memory.
 */
static int item_entry(const struct source_params *p, const struct feed_doc *doc,
    const struct feed_item *it, struct entry *e)
{
	if (feed_common_plain(&it->title, CAP_TITLE_BYTES, &e->title) != 0 ||
	    feed_common_plain(&it->summary, CAP_SUMMARY_BYTES, &e->summary) !=
	        0 ||
	    (e->summary == NULL && feed_common_plain(&it->content,
	                               CAP_SUMMARY_BYTES, &e->summary) != 0))
		return -1;
	if (e->title == NULL && e->summary != NULL &&
	    (e->title = text_excerpt(e->summary, FEED_TITLE_FROM_SUMMARY)) ==
	        NULL)
		return -1;
	if (e->title == NULL || e->title[0] == '\0')
		return 1;
	if (it->link != NULL && (e->url = strdup(it->link)) == NULL)
		return -1;
	if (item_key(p, it, e) != 0 ||
	    clean_list(&it->authors, CAP_AUTHORS, false, &e->authors) != 0 ||
	    clean_list(&it->creators, CAP_AUTHORS, false, &e->authors) != 0 ||
	    clean_list(&it->categories, CAP_KEYWORDS, true, &e->categories) !=
	        0 ||
	    (e->authors.n == 0 && inherit_authors(&doc->authors, &e->authors)))
		return -1;
	e->published_at = it->published;
	if (p->now > 0 && e->published_at > p->now)
		e->published_at = p->now;
	if (p->name != NULL && strv_push(&e->sources, p->name) != 0)
		return -1;
	return 0;
}

/* Follows source.h's parse contract; a repeated key keeps its first item
 * (the repeat is neither an entry nor skipped). */
static int feed_parse(const struct source_params *p, const char *body,
    size_t len, struct entry_list *out, size_t *items, size_t *skipped,
    struct pw_error *err)
{
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
	if (feed_read(body, len, p->url, p->content_type, &doc, err) != 0)
		goto done;
	for (size_t i = 0; i < doc.n; i++) {
		struct entry *e = entry_new();
		int r;

		if (e == NULL)
			goto nomem;
		r = item_entry(p, &doc, &doc.items[i], e);
		if (r == 0 && entry_list_find(&local, e->id) != NULL) {
			entry_free(e);
			continue;
		}
		if (r != 0) {
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

const struct source_ops source_feed_ops = {
    .type = "feed",
    .keys = NULL,
    .check = feed_check,
    .default_url = NULL,
    .page_size = 0,
    .request_url = feed_request_url,
    .parse = feed_parse,
};
