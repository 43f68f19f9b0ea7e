/*
 * feed_common.h: the syndication document model shared by the feed
 * readers (feed_rss.c, feed_atom.c, feed_jsonfeed.c), the `feed` source
 * type (feed.c) and the `arxiv` source type (arxiv.c). Internal to
 * src/sources/.
 *
 * A reader turns one document into a struct feed_doc: per item the raw
 * upstream strings (each with how it is to be read: plain text or HTML),
 * the item's link already resolved to an absolute URL, and its dates
 * already parsed. Turning that into entries is the source type's job, so
 * the generic feed and the arXiv adapter read the same documents with
 * their own rules (an arXiv abstract is never HTML, a blog's description
 * is).
 *
 * Ownership: a feed_doc owns its items and every string in them;
 * feed_common_doc_free releases them. Functions returning char * return
 * new strings (free). xmlNode arguments are borrowed.
 */
#ifndef PAPERWIRE_SOURCES_FEED_COMMON_H
#define PAPERWIRE_SOURCES_FEED_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "../entry.h"
#include "../error.h"

#define FEED_NS_ATOM "http://www.w3.org/2005/Atom"
#define FEED_NS_DC "http://purl.org/dc/elements/1.1/"
#define FEED_NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define FEED_NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define FEED_NS_RSS10 "http://purl.org/rss/1.0/"
#define FEED_NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define FEED_NS_ARXIV "http://arxiv.org/schemas/atom"
#define FEED_NS_OPENSEARCH "http://a9.com/-/spec/opensearch/1.1/"

/* Feed-level authors a reader keeps in doc->authors. */
#define FEED_DOC_AUTHORS 16

/* How an upstream string is to be read. */
enum feed_text_kind {
	FEED_TEXT_PLAIN = 0, /* text as it is */
	FEED_TEXT_HTML,      /* HTML: tags dropped, references decoded */
	/* HTML when it holds a tag or a character reference, else plain:
	 * RSS titles, whose content the specifications leave open. */
	FEED_TEXT_GUESS,
};

struct feed_text {
	char *s; /* raw, as the document gave it (UTF-8); NULL: absent */
	enum feed_text_kind kind;
};

struct feed_item {
	char *guid; /* guid, atom:id, rdf:about or JSON Feed id; trimmed */
	char *link; /* the item's link, absolute http(s); NULL if none */
	struct feed_text title;
	struct feed_text summary; /* description, summary */
	struct feed_text content; /* content:encoded, content */
	struct strv authors;      /* names as given, untrimmed */
	/* dc:creator values, kept apart: arXiv's listings put every author
	 * of a paper, comma-separated, in one of them. */
	struct strv creators;
	struct strv categories;
	int64_t published; /* Unix seconds, 0 unknown (never clamped here) */
	int64_t updated;
	/* arXiv's extension elements (FEED_NS_ARXIV), raw. */
	char *arxiv_comment;
	char *arxiv_primary; /* arxiv:primary_category term */
	char *announce_type; /* arxiv:announce_type: new, cross, ... */
};

struct feed_doc {
	const char *format; /* "RSS 2.0", "Atom 1.0", ... (static) */
	char *title;        /* raw channel or feed title */
	char *description;  /* raw channel description or subtitle */
	/* The feed's own authors (Atom, JSON Feed), raw, for items that
	 * name none; users of the doc cap what they copy, since one list
	 * would otherwise be repeated in every item. */
	struct strv authors;
	int64_t total_results; /* opensearch:totalResults; -1 absent */
	struct feed_item *items;
	size_t n;     /* items kept: at most CAP_ITEMS_PER_DOCUMENT */
	size_t total; /* items in the document */
	size_t cap;
};

void feed_common_doc_init(struct feed_doc *doc);
void feed_common_doc_free(struct feed_doc *doc);

/*
 * Counts one more item of the document and sets *out to a zeroed item to
 * fill, or to NULL when CAP_ITEMS_PER_DOCUMENT items are kept already
 * (the reader then skips the item). 0, or -1 when memory ran out.
 */
int feed_common_add_item(struct feed_doc *doc, struct feed_item **out);

/* true when n is an element named local in namespace ns (NULL: in no
 * namespace). */
bool feed_common_is(const xmlNode *n, const char *ns, const char *local);

/*
 * new: the text of n's subtree: text and CDATA, with a space around
 * block-level (X)HTML elements; script and style are skipped and entity
 * references are not expanded. At most CAP_FEED_TEXT_BYTES are kept.
 * NULL only when memory ran out ("" for no text).
 */
char *feed_common_node_text(const xmlNode *n);

/* new: an attribute's value in no namespace (NULL: absent or out of
 * memory; callers treat both as absent). */
char *feed_common_attr(const xmlNode *n, const char *name);

/*
 * Sets *out to the plain text of t (text_clean'ed, cut at cap bytes on a
 * character boundary), or to NULL when t is absent or empty. HTML is
 * parsed with libxml2's HTML parser, which decodes its references once.
 * 0, or -1 when memory ran out.
 */
int feed_common_plain(const struct feed_text *t, size_t cap, char **out);

/*
 * new: ref resolved against the xml:base of n and its ancestors (n may be
 * NULL) and then against doc_url (may be NULL), with curl's URL API; NULL
 * when ref is empty, the result is not an absolute http or https URL, or
 * it is longer than CAP_FIELD_BYTES.
 */
char *feed_common_resolve(
    const xmlNode *n, const char *doc_url, const char *ref);

/*
 * Writes the bare arXiv id (no version) named by an arXiv link
 * (http(s)://arxiv.org/abs/ID, /pdf/ID or /pdf/ID.pdf, any version,
 * also www. and export. hosts) into out (size bytes). 0, or -1 when url
 * is not such a link.
 */
int feed_common_arxiv_id(const char *url, char *out, size_t size);

/* Sets e's id to "arxiv:<bare>" and its arxiv_url and pdf_url. 0 or -1
 * (out of memory). */
int feed_common_set_arxiv(struct entry *e, const char *bare);

/* new: s with ASCII white space trimmed at both ends; NULL for NULL or
 * out of memory. */
char *feed_common_trim(const char *s);

/*
 * The readers, one per format family. Each fills an initialized doc from
 * one document and returns 0, or -1 with err set when the document is not
 * of its format or memory ran out (doc then holds what was read so far;
 * callers free it). url is the document's URL, the last base of relative
 * links (may be NULL).
 *
 * feed_rss_read: RSS 0.9x and 2.0 (<rss>) and RSS 0.90 / 1.0 (<rdf:RDF>).
 * feed_atom_read: Atom 1.0 (<feed>), with opensearch totals and arXiv's
 * extension elements. feed_jsonfeed_read: JSON Feed 1.0 and 1.1.
 * feed_read (feed.c): detects the format from the content and calls the
 * right reader; content_type is the HTTP Content-Type (may be NULL).
 */
int feed_rss_read(const xmlDoc *xml, const char *url, struct feed_doc *doc,
    struct pw_error *err);
int feed_atom_read(const xmlDoc *xml, const char *url, struct feed_doc *doc,
    struct pw_error *err);
int feed_jsonfeed_read(const char *body, size_t len, const char *url,
    struct feed_doc *doc, struct pw_error *err);
int feed_read(const char *body, size_t len, const char *url,
    const char *content_type, struct feed_doc *doc, struct pw_error *err);

#endif
