/*
 * feed_atom.c: Atom 1.0 (RFC 4287) into a struct feed_doc, with the
 * extensions the arXiv API and listings use: opensearch:totalResults,
 * arxiv:comment, arxiv:primary_category, arxiv:announce_type and
 * dc:creator.
 *
 * Text constructs follow their type attribute: "text" (the default) is
 * plain, "html" is HTML, "xhtml" is the text of its XHTML div. An entry's
 * link is its first rel="alternate" link (an absent rel means alternate),
 * preferring one of type text/html; its href is resolved against the
 * xml:base in scope on the link element. The feed's own authors, which
 * RFC 4287 section 4.2.1 gives to entries that name none, are read into
 * doc->authors.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_common.h"
#include "feed_date.h"

#define NS_OPENSEARCH_10 "http://a9.com/-/spec/opensearchrss/1.0/"

static bool atom_is(const xmlNode *n, const char *local)
{
	return feed_common_is(n, FEED_NS_ATOM, local);
}

/*
 * Reads the text construct (or atom:content) n into *t, when *t is still
 * empty. Content given by reference (src) or of a media type that is not
 * text is left out. 0 or -1.
 */
static int read_text(const xmlNode *n, struct feed_text *t)
{
	char *type, *src;
	int rc = 0;

	if (t->s != NULL)
		return 0;
	type = feed_common_attr(n, "type");
	src = feed_common_attr(n, "src");
	if (src != NULL)
		goto done;
	if (type == NULL || strcasecmp(type, "text") == 0 ||
	    strcasecmp(type, "xhtml") == 0 ||
	    strncasecmp(type, "text/plain", 10) == 0)
		t->kind = FEED_TEXT_PLAIN;
	else if (strcasecmp(type, "html") == 0 ||
	         strncasecmp(type, "text/html", 9) == 0 ||
	         strncasecmp(type, "application/xhtml+xml", 21) == 0)
		t->kind = FEED_TEXT_HTML;
	else
		goto done;
	/* For xhtml, application/xhtml+xml and html alike, the element's
	 * text is what is wanted: the markup of an xhtml div is elements
	 * in the tree, which node_text reads as text; HTML arrives
	 * escaped, as one string for the HTML parser. */
	if ((t->s = feed_common_node_text(n)) == NULL)
		rc = -1;
done:
	free(type);
	free(src);
	return rc;
}

/* Pushes the trimmed text of n's atom:name child to names. 0 or -1. */
static int read_person(const xmlNode *n, struct strv *names)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if (atom_is(c, "name")) {
			char *text = feed_common_node_text(c);

			return text != NULL ? strv_push_owned(names, text) : -1;
		}
	return 0;
}

/* Keeps v in *slot when the slot is empty, else frees it. */
static void keep_first(char **slot, char *v)
{
	if (*slot == NULL && v != NULL && v[0] != '\0')
		*slot = v;
	else
		free(v);
}

/* The best alternate link so far: its element and its rank. */
struct link_pick {
	const xmlNode *node;
	int rank; /* 0 none, 1 alternate of another type, 2 text/html */
};

static void consider_link(const xmlNode *n, struct link_pick *pick)
{
	char *rel = feed_common_attr(n, "rel");
	char *type = feed_common_attr(n, "type");
	int rank;

	if (rel != NULL && strcmp(rel, "alternate") != 0)
		rank = 0;
	else if (type == NULL || strncasecmp(type, "text/html", 9) == 0)
		rank = 2;
	else
		rank = 1;
	if (rank > pick->rank) {
		pick->node = n;
		pick->rank = rank;
	}
	free(rel);
	free(type);
}

/* Reads one date element into *slot when it is still 0. */
static int read_date(const xmlNode *n, int64_t *slot)
{
	char *text;

	if (*slot != 0)
		return 0;
	if ((text = feed_common_node_text(n)) == NULL)
		return -1;
	if (feed_date_parse(text, slot) != 0)
		*slot = 0;
	free(text);
	return 0;
}

/* Reads one extension or person element c of an entry. 0 or -1. */
static int read_other(const xmlNode *c, struct feed_item *it)
{
	if (atom_is(c, "author"))
		return read_person(c, &it->authors);
	if (atom_is(c, "category")) {
		char *term = feed_common_attr(c, "term");

		if (term == NULL)
			term = feed_common_attr(c, "label");
		return term != NULL ? strv_push_owned(&it->categories, term)
		                    : 0;
	}
	if (feed_common_is(c, FEED_NS_DC, "creator")) {
		char *text = feed_common_node_text(c);

		return text != NULL ? strv_push_owned(&it->creators, text) : -1;
	}
	if (feed_common_is(c, FEED_NS_ARXIV, "primary_category")) {
		keep_first(&it->arxiv_primary, feed_common_attr(c, "term"));
		return 0;
	}
	if (feed_common_is(c, FEED_NS_ARXIV, "comment") ||
	    feed_common_is(c, FEED_NS_ARXIV, "announce_type")) {
		char **slot = feed_common_is(c, FEED_NS_ARXIV, "comment")
		                  ? &it->arxiv_comment
		                  : &it->announce_type;
		char *text = feed_common_node_text(c);

		if (text == NULL)
			return -1;
		keep_first(slot, feed_common_trim(text));
		free(text);
	}
	return 0;
}

/* Reads one <entry>. 0 or -1. */
static int read_entry(
    const xmlNode *node, const char *url, struct feed_doc *doc)
{
	struct link_pick pick = {NULL, 0};
	struct feed_item *it;

	if (feed_common_add_item(doc, &it) != 0)
		return -1;
	if (it == NULL)
		return 0;
	for (const xmlNode *c = node->children; c != NULL; c = c->next) {
		int rc = 0;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (atom_is(c, "id") && it->guid == NULL) {
			char *text = feed_common_node_text(c);

			if (text == NULL)
				return -1;
			keep_first(&it->guid, feed_common_trim(text));
			free(text);
		} else if (atom_is(c, "title")) {
			rc = read_text(c, &it->title);
		} else if (atom_is(c, "summary")) {
			rc = read_text(c, &it->summary);
		} else if (atom_is(c, "content")) {
			rc = read_text(c, &it->content);
		} else if (atom_is(c, "link")) {
			consider_link(c, &pick);
		} else if (atom_is(c, "published")) {
			rc = read_date(c, &it->published);
		} else if (atom_is(c, "updated")) {
			rc = read_date(c, &it->updated);
		} else {
			rc = read_other(c, it);
		}
		if (rc != 0)
			return -1;
	}
	if (pick.node != NULL) {
		char *href = feed_common_attr(pick.node, "href");

		if (href != NULL)
			it->link = feed_common_resolve(pick.node, url, href);
		free(href);
	}
	if (it->published == 0)
		it->published = it->updated;
	return 0;
}

/* Reads opensearch:totalResults (1.1 or the older RSS 1.0 namespace). */
static void read_total(const xmlNode *n, struct feed_doc *doc)
{
	char *text = feed_common_node_text(n);
	char *end;
	long long v;

	if (text == NULL)
		return;
	v = strtoll(text, &end, 10);
	while (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r')
		end++;
	if (end != text && *end == '\0' && v >= 0)
		doc->total_results = (int64_t)v;
	free(text);
}

int feed_atom_read(const xmlDoc *xml, const char *url, struct feed_doc *doc,
    struct pw_error *err)
{
	const xmlNode *root = xmlDocGetRootElement((xmlDoc *)xml);

	if (!atom_is(root, "feed"))
		return pw_error_set(err, "not an Atom 1.0 document");
	doc->format = "Atom 1.0";
	for (const xmlNode *c = root->children; c != NULL; c = c->next) {
		char **slot = atom_is(c, "title")      ? &doc->title
		              : atom_is(c, "subtitle") ? &doc->description
		                                       : NULL;

		if (slot != NULL && *slot == NULL &&
		    (*slot = feed_common_node_text(c)) == NULL)
			return pw_error_set(err, "out of memory");
		if (atom_is(c, "author") && doc->authors.n < FEED_DOC_AUTHORS &&
		    read_person(c, &doc->authors) != 0)
			return pw_error_set(err, "out of memory");
		if (feed_common_is(c, FEED_NS_OPENSEARCH, "totalResults") ||
		    feed_common_is(c, NS_OPENSEARCH_10, "totalResults"))
			read_total(c, doc);
		if (atom_is(c, "entry") && read_entry(c, url, doc) != 0)
			return pw_error_set(err, "out of memory");
	}
	return 0;
}
