/*
 * feed_rss.c: RSS 0.9x and 2.0 (<rss><channel><item>) and the RDF family,
 * RSS 0.90 and 1.0 (<rdf:RDF><item>), into a struct feed_doc.
 *
 * Core elements are matched in no namespace or in the RSS 1.0, RSS 0.90
 * or UserLand RSS 2.0 namespaces, since real feeds use all of them.
 * Extensions read: dc:creator, dc:date, dc:subject, dc:title,
 * content:encoded and arxiv:announce_type. An RSS title is read as HTML
 * only when it holds markup or a character reference (FEED_TEXT_GUESS);
 * a description and content:encoded are HTML.
 */
#include <stdlib.h>
#include <string.h>

#include "feed_common.h"
#include "feed_date.h"

#define NS_USERLAND "http://backend.userland.com/rss2"

/* An element of RSS itself, whichever namespace the feed put it in. */
static bool rss_is(const xmlNode *n, const char *local)
{
	return feed_common_is(n, NULL, local) ||
	       feed_common_is(n, FEED_NS_RSS10, local) ||
	       feed_common_is(n, FEED_NS_RSS090, local) ||
	       feed_common_is(n, NS_USERLAND, local);
}

/* Keeps v in *slot when the slot is empty, else frees it. */
static void keep_first(char **slot, char *v)
{
	if (*slot == NULL && v != NULL && v[0] != '\0')
		*slot = v;
	else
		free(v);
}

/*
 * The name in an RSS <author>: "lawyer@example.com (Lawyer Boyer)" gives
 * "Lawyer Boyer"; anything else is taken whole. new, or NULL.
 */
static char *author_name(const char *s)
{
	const char *open = strchr(s, '(');
	size_t len = strlen(s);

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n' ||
	                      s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (open != NULL && len > 0 && s[len - 1] == ')' &&
	    open < s + len - 1) {
		char *name =
		    strndup(open + 1, (size_t)(s + len - 1 - open - 1));

		return name;
	}
	return strdup(s);
}

/* What one item's children gave, before links and dates are settled. */
struct rss_raw {
	char *link;
	const xmlNode *link_node;
	char *pub_date;
	char *dc_date;
	char *dc_title;
	bool guid_is_link;
};

/* Reads one child element c of an item into it and raw. 0 or -1. */
static int read_child(
    const xmlNode *c, struct feed_item *it, struct rss_raw *raw)
{
	char *text;

	if (c->type != XML_ELEMENT_NODE)
		return 0;
	if ((text = feed_common_node_text(c)) == NULL)
		return -1;
	if (rss_is(c, "title") && it->title.s == NULL) {
		it->title.s = text;
		it->title.kind = FEED_TEXT_GUESS;
	} else if (rss_is(c, "link") && raw->link == NULL) {
		raw->link = feed_common_trim(text);
		raw->link_node = c;
		free(text);
		if (raw->link != NULL && raw->link[0] == '\0') {
			free(raw->link);
			raw->link = NULL;
		}
	} else if (rss_is(c, "description") && it->summary.s == NULL) {
		it->summary.s = text;
		it->summary.kind = FEED_TEXT_HTML;
	} else if (feed_common_is(c, FEED_NS_CONTENT, "encoded") &&
	           it->content.s == NULL) {
		it->content.s = text;
		it->content.kind = FEED_TEXT_HTML;
	} else if (rss_is(c, "guid") && it->guid == NULL) {
		char *perma = feed_common_attr(c, "isPermaLink");

		raw->guid_is_link =
		    perma == NULL || strcmp(perma, "false") != 0;
		free(perma);
		keep_first(&it->guid, feed_common_trim(text));
		free(text);
	} else if (rss_is(c, "pubDate")) {
		keep_first(&raw->pub_date, text);
	} else if (feed_common_is(c, FEED_NS_DC, "date")) {
		keep_first(&raw->dc_date, text);
	} else if (feed_common_is(c, FEED_NS_DC, "title")) {
		keep_first(&raw->dc_title, text);
	} else if (rss_is(c, "author")) {
		char *name = author_name(text);

		free(text);
		if (name == NULL || strv_push_owned(&it->authors, name) != 0)
			return -1;
	} else if (feed_common_is(c, FEED_NS_DC, "creator")) {
		return strv_push_owned(&it->creators, text);
	} else if (rss_is(c, "category") ||
	           feed_common_is(c, FEED_NS_DC, "subject")) {
		return strv_push_owned(&it->categories, text);
	} else if (feed_common_is(c, FEED_NS_ARXIV, "announce_type")) {
		keep_first(&it->announce_type, feed_common_trim(text));
		free(text);
	} else {
		free(text);
	}
	return 0;
}

/* Reads one <item> element. 0 or -1 (out of memory). */
static int read_item(const xmlNode *node, const char *url, struct feed_doc *doc)
{
	struct rss_raw raw = {.guid_is_link = false};
	struct feed_item *it;
	int rc = -1;

	if (feed_common_add_item(doc, &it) != 0)
		return -1;
	if (it == NULL)
		return 0; /* past the cap: counted, not kept */
	for (const xmlNode *c = node->children; c != NULL; c = c->next)
		if (read_child(c, it, &raw) != 0)
			goto done;
	if (it->guid == NULL) {
		/* RSS 1.0 and 0.90 name items by rdf:about. */
		xmlChar *about =
		    xmlGetNsProp(node, BAD_CAST "about", BAD_CAST FEED_NS_RDF);

		if (about != NULL) {
			it->guid = feed_common_trim((const char *)about);
			xmlFree(about);
			if (it->guid == NULL)
				goto done;
		}
	}
	if (it->title.s == NULL && raw.dc_title != NULL) {
		it->title.s = raw.dc_title;
		it->title.kind = FEED_TEXT_GUESS;
		raw.dc_title = NULL;
	}
	if (raw.link != NULL)
		it->link = feed_common_resolve(raw.link_node, url, raw.link);
	/* A permalink guid is the link when there is no <link>. */
	if (it->link == NULL && it->guid != NULL && raw.guid_is_link)
		it->link = feed_common_resolve(node, url, it->guid);
	if (feed_date_parse(raw.pub_date, &it->published) != 0 &&
	    feed_date_parse(raw.dc_date, &it->published) != 0)
		it->published = 0;
	rc = 0;
done:
	free(raw.link);
	free(raw.pub_date);
	free(raw.dc_date);
	free(raw.dc_title);
	return rc;
}

/* Reads the channel's title and description. 0 or -1. */
static int read_channel(const xmlNode *channel, struct feed_doc *doc)
{
	for (const xmlNode *c = channel->children; c != NULL; c = c->next) {
		char **slot = rss_is(c, "title")         ? &doc->title
		              : rss_is(c, "description") ? &doc->description
		                                         : NULL;
		char *text;

		if (slot == NULL || *slot != NULL)
			continue;
		if ((text = feed_common_node_text(c)) == NULL)
			return -1;
		*slot = text;
	}
	return 0;
}

/* Reads every <item> child of parent. 0 or -1. */
static int read_items(
    const xmlNode *parent, const char *url, struct feed_doc *doc)
{
	for (const xmlNode *c = parent->children; c != NULL; c = c->next)
		if (rss_is(c, "item") && read_item(c, url, doc) != 0)
			return -1;
	return 0;
}

int feed_rss_read(const xmlDoc *xml, const char *url, struct feed_doc *doc,
    struct pw_error *err)
{
	const xmlNode *root = xmlDocGetRootElement((xmlDoc *)xml);
	const xmlNode *channel = NULL;
	char *version;

	if (rss_is(root, "rss")) {
		version = feed_common_attr(root, "version");
		doc->format = version != NULL && strncmp(version, "0.9", 3) == 0
		                  ? "RSS 0.9x"
		                  : "RSS 2.0";
		free(version);
	} else if (feed_common_is(root, FEED_NS_RDF, "RDF")) {
		doc->format = "RSS 1.0";
	} else {
		return pw_error_set(err, "not an RSS document");
	}
	for (const xmlNode *c = root->children; c != NULL; c = c->next)
		if (rss_is(c, "channel")) {
			channel = c;
			break;
		}
	if (channel != NULL && doc->format[4] == '1' &&
	    feed_common_is(channel, FEED_NS_RSS090, "channel"))
		doc->format = "RSS 0.90";
	if (channel == NULL && doc->format[4] != '1')
		return pw_error_set(err, "RSS document without a channel");
	/* Items belong in the channel (RSS 2.0) or beside it (RDF); some
	 * feeds put them in the other place, so both are read. */
	if ((channel != NULL && (read_channel(channel, doc) != 0 ||
	                            read_items(channel, url, doc) != 0)) ||
	    read_items(root, url, doc) != 0)
		return pw_error_set(err, "out of memory");
	return 0;
}
