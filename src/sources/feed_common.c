/*
 * feed_common.c: the feed document model, text reduction (XML and HTML
 * subtrees to plain text), link resolution and arXiv links, shared by the
 * feed readers and the feed and arxiv source types.
 */
#include "feed_common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libxml/HTMLparser.h>

#include "../buf.h"
#include "../caps.h"
#include "../text.h"
#include "hf_common.h"

#define FEED_ITEMS_FIRST 16 /* first allocation of the item array */

void feed_common_doc_init(struct feed_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	doc->total_results = -1;
}

static void item_free(struct feed_item *it)
{
	free(it->guid);
	free(it->link);
	free(it->title.s);
	free(it->summary.s);
	free(it->content.s);
	strv_free(&it->authors);
	strv_free(&it->creators);
	strv_free(&it->categories);
	free(it->arxiv_comment);
	free(it->arxiv_primary);
	free(it->announce_type);
}

void feed_common_doc_free(struct feed_doc *doc)
{
	for (size_t i = 0; i < doc->n; i++)
		item_free(&doc->items[i]);
	free(doc->items);
	free(doc->title);
	free(doc->description);
	strv_free(&doc->authors);
	feed_common_doc_init(doc);
}

int feed_common_add_item(struct feed_doc *doc, struct feed_item **out)
{
	*out = NULL;
	doc->total++;
	if (doc->n >= CAP_ITEMS_PER_DOCUMENT)
		return 0;
	if (doc->n == doc->cap) {
		size_t cap = doc->cap == 0 ? FEED_ITEMS_FIRST : doc->cap * 2;
		struct feed_item *v;

		if (cap > CAP_ITEMS_PER_DOCUMENT)
			cap = CAP_ITEMS_PER_DOCUMENT;
		v = realloc(doc->items, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		doc->items = v;
		doc->cap = cap;
	}
	*out = &doc->items[doc->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

bool feed_common_is(const xmlNode *n, const char *ns, const char *local)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE ||
	    strcmp((const char *)n->name, local) != 0)
		return false;
	if (ns == NULL)
		return n->ns == NULL;
	return n->ns != NULL && n->ns->href != NULL &&
	       strcmp((const char *)n->ns->href, ns) == 0;
}

char *feed_common_attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
	char *copy;

	if (v == NULL)
		return NULL;
	copy = strdup((const char *)v);
	xmlFree(v);
	return copy;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *feed_common_trim(const char *s)
{
	size_t len;
	char *out;

	if (s == NULL)
		return NULL;
	while (is_space(*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_space(s[len - 1]))
		len--;
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* Elements around which text gets a space ("<p>a</p><p>b</p>" reads as
 * "a b", never "ab"); inline elements get none ("un<b>bold</b>"). */
static bool is_block(const xmlNode *n)
{
	static const char *const names[] = {"address", "article", "aside",
	    "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
	    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
	    "main", "nav", "ol", "p", "pre", "section", "table", "td", "th",
	    "tr", "ul", NULL};

	for (size_t i = 0; names[i] != NULL; i++)
		if (strcasecmp((const char *)n->name, names[i]) == 0)
			return true;
	return false;
}

/* Elements whose content is not text a reader sees. */
static bool is_skipped(const xmlNode *n)
{
	return strcasecmp((const char *)n->name, "script") == 0 ||
	       strcasecmp((const char *)n->name, "style") == 0;
}

/* Appends what fits of s to b; false once b is full. */
static bool append_capped(struct buf *b, const char *s, size_t len)
{
	size_t room = b->max - b->len;

	if (len > room) {
		/* Cut on a character boundary. */
		len = room;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		buf_append(b, s, len);
		return false;
	}
	return buf_append(b, s, len) == 0;
}

/*
 * Appends the text of top's descendants to b, in document order, without
 * recursion (a hostile document may nest deeply). Entity reference nodes
 * are skipped, never expanded: a document's own entities cannot amplify
 * into the output.
 */
static void walk_text(const xmlNode *top, struct buf *b)
{
	const xmlNode *n = top->children;
	bool room = true;

	while (n != NULL && room) {
		bool descend = false;

		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				room =
				    append_capped(b, (const char *)n->content,
				        strlen((const char *)n->content));
		} else if (n->type == XML_ELEMENT_NODE && !is_skipped(n)) {
			if (is_block(n))
				room = append_capped(b, " ", 1);
			descend = n->children != NULL;
		}
		if (descend) {
			n = n->children;
			continue;
		}
		while (n != top && n->next == NULL) {
			n = n->parent;
			if (n != top && n->type == XML_ELEMENT_NODE &&
			    is_block(n))
				room = room && append_capped(b, " ", 1);
		}
		if (n == top)
			break;
		n = n->next;
	}
}

char *feed_common_node_text(const xmlNode *n)
{
	struct buf b;
	char *s;

	buf_init(&b, (size_t)CAP_FEED_TEXT_BYTES);
	if (buf_append(&b, "", 0) != 0)
		return NULL;
	walk_text(n, &b);
	s = buf_steal(&b);
	buf_free(&b);
	return s;
}

/* true at "&name;", "&#123;" or "&#x1F;". */
static bool is_reference(const char *s)
{
	size_t i = 1;

	if (s[i] == '#') {
		i++;
		if (s[i] == 'x' || s[i] == 'X')
			i++;
		if (!isxdigit((unsigned char)s[i]))
			return false;
		while (i < 12 && isxdigit((unsigned char)s[i]))
			i++;
		return s[i] == ';';
	}
	if (!isalpha((unsigned char)s[i]))
		return false;
	while (i < 34 && isalnum((unsigned char)s[i]))
		i++;
	return s[i] == ';';
}

/* true when s holds something only HTML would: a tag, a comment or a
 * character reference. */
static bool looks_like_html(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '<' && (isalpha((unsigned char)s[1]) || s[1] == '/' ||
		                     s[1] == '!'))
			return true;
		if (*s == '&' && is_reference(s))
			return true;
	}
	return false;
}

/* new: the text of the HTML fragment s; NULL when memory ran out. */
static char *html_text(const char *s)
{
	const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                    HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED;
	size_t len = strlen(s);
	htmlDocPtr doc;
	char *text;

	if (strpbrk(s, "<&") == NULL)
		return strdup(s);
	if (len > (size_t)CAP_FEED_TEXT_BYTES)
		len = (size_t)CAP_FEED_TEXT_BYTES;
	doc = htmlReadMemory(s, (int)len, NULL, "UTF-8", options);
	if (doc == NULL)
		return strdup(""); /* nothing the parser could read */
	text = feed_common_node_text((const xmlNode *)doc);
	xmlFreeDoc(doc);
	return text;
}

int feed_common_plain(const struct feed_text *t, size_t cap, char **out)
{
	bool html;
	char *raw, *clean;

	*out = NULL;
	if (t->s == NULL)
		return 0;
	html = t->kind == FEED_TEXT_HTML ||
	       (t->kind == FEED_TEXT_GUESS && looks_like_html(t->s));
	raw = html ? html_text(t->s) : t->s;
	if (raw == NULL)
		return -1;
	clean = text_clean(raw, strlen(raw), cap);
	if (html)
		free(raw);
	if (clean == NULL)
		return -1;
	if (clean[0] == '\0') {
		free(clean);
		return 0;
	}
	*out = clean;
	return 0;
}

/* Collects the xml:base values from n up to the root, innermost first. */
static size_t collect_bases(const xmlNode *n, xmlChar **bases, size_t max)
{
	size_t k = 0;

	for (; n != NULL && n->type == XML_ELEMENT_NODE && k < max;
	     n = n->parent) {
		xmlChar *b =
		    xmlGetNsProp(n, BAD_CAST "base", XML_XML_NAMESPACE);

		if (b != NULL)
			bases[k++] = b;
	}
	return k;
}

/* Sets u to ref resolved against what u holds (or to ref alone when u is
 * empty); a fragment-only reference replaces the fragment. */
static CURLUcode set_ref(CURLU *u, const char *ref, bool have_base)
{
	const unsigned flags = CURLU_URLENCODE;

	if (have_base && ref[0] == '#')
		return curl_url_set(
		    u, CURLUPART_FRAGMENT, ref[1] != '\0' ? ref + 1 : NULL, 0);
	return curl_url_set(u, CURLUPART_URL, ref, flags);
}

/* The xml:base values read per link: deeper nesting is not followed. */
#define FEED_BASES_MAX 16

char *feed_common_resolve(
    const xmlNode *n, const char *doc_url, const char *ref)
{
	xmlChar *bases[FEED_BASES_MAX];
	size_t nb = collect_bases(n, bases, FEED_BASES_MAX);
	char *trimmed = feed_common_trim(ref);
	char *url = NULL, *scheme = NULL, *out = NULL;
	bool have = false;
	CURLU *u = curl_url();

	if (u == NULL || trimmed == NULL || trimmed[0] == '\0')
		goto done;
	if (doc_url != NULL && curl_url_set(u, CURLUPART_URL, doc_url,
	                           CURLU_URLENCODE) == CURLUE_OK)
		have = true;
	/* Outermost base first: each resolves against the one above. */
	for (size_t i = nb; i > 0; i--) {
		char *b = feed_common_trim((const char *)bases[i - 1]);

		if (b != NULL && b[0] != '\0' &&
		    set_ref(u, b, have) == CURLUE_OK)
			have = true;
		free(b);
	}
	if (set_ref(u, trimmed, have) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK ||
	    strlen(url) > CAP_FIELD_BYTES)
		goto done;
	out = strdup(url);
done:
	for (size_t i = 0; i < nb; i++)
		xmlFree(bases[i]);
	curl_free(scheme);
	curl_free(url);
	curl_url_cleanup(u);
	free(trimmed);
	return out;
}

/* true for arxiv.org and the hosts that serve the same pages. */
static bool arxiv_host(const char *host)
{
	return strcasecmp(host, "arxiv.org") == 0 ||
	       strcasecmp(host, "www.arxiv.org") == 0 ||
	       strcasecmp(host, "export.arxiv.org") == 0;
}

int feed_common_arxiv_id(const char *url, char *out, size_t size)
{
	char *host = NULL, *path = NULL;
	const char *id;
	size_t len;
	int rc = -1;
	CURLU *u = curl_url();

	if (u == NULL || url == NULL ||
	    curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK ||
	    !arxiv_host(host))
		goto done;
	if (strncmp(path, "/abs/", 5) == 0 || strncmp(path, "/pdf/", 5) == 0)
		id = path + 5;
	else
		goto done;
	len = strlen(id);
	if (len > 0 && id[len - 1] == '/')
		len--;
	if (len > 4 && strncmp(path, "/pdf/", 5) == 0 &&
	    strncmp(id + len - 4, ".pdf", 4) == 0)
		len -= 4;
	rc = hf_common_arxiv_id(id, len, out, size);
done:
	curl_free(host);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

/* Sets *slot to a new prefix + bare; 0 or -1. */
static int set_link(char **slot, const char *prefix, const char *bare)
{
	size_t n = strlen(prefix) + strlen(bare) + 1;

	if ((*slot = malloc(n)) == NULL)
		return -1;
	snprintf(*slot, n, "%s%s", prefix, bare);
	return 0;
}

int feed_common_set_arxiv(struct entry *e, const char *bare)
{
	free(e->id);
	free(e->arxiv_url);
	free(e->pdf_url);
	e->id = e->arxiv_url = e->pdf_url = NULL;
	if (set_link(&e->id, "arxiv:", bare) != 0 ||
	    set_link(&e->arxiv_url, "https://arxiv.org/abs/", bare) != 0 ||
	    set_link(&e->pdf_url, "https://arxiv.org/pdf/", bare) != 0)
		return -1;
	return 0;
}
