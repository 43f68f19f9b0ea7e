/*
 * render_priv.h: helpers shared by the renderers in src/render/ and by
 * nothing else. common.c implements the entry helpers, xml.c the
 * xmlTextWriter glue used by rss.c and atom.c.
 *
 * The XML writer keeps a sticky error, like stdio's ferror: once a call
 * fails every later call does nothing, and render_xml_finish reports the
 * first failure. Renderers can therefore write a whole document without
 * checking each element, and check once per item and once at the end.
 */
#ifndef PAPERWIRE_RENDER_PRIV_H
#define PAPERWIRE_RENDER_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlwriter.h>

#include "render.h"

/* The name listed after the shown authors when an entry has more. */
#define RENDER_ET_AL "et al."

/* Default channel description when feed_meta gives none. */
#define RENDER_DEFAULT_DESCRIPTION "Papers from paperwire"

/* Default generator name when feed_meta gives none. */
#define RENDER_DEFAULT_GENERATOR "paperwire"

/*
 * How many of e's authors a feed item lists (at most
 * CAP_FEED_AUTHORS_SHOWN); *truncated is set when some were left out, in
 * which case the renderer lists RENDER_ET_AL after them.
 */
size_t render_authors_shown(const struct entry *e, bool *truncated);

/*
 * new: url as a link fit to emit (an absolute http or https URL with a
 * host; bytes that are not allowed in a URI, such as spaces, quotes or
 * non-ASCII, percent-encoded), or NULL when url is NULL, uses another
 * scheme, or memory ran out.
 */
char *render_url(const char *url);

/*
 * new: a stable IRI for an entry id, for Atom's <id>:
 * "arxiv:2306.03091" becomes "https://arxiv.org/abs/2306.03091", any
 * other id becomes "urn:paperwire:" followed by the percent-encoded id.
 * NULL on out of memory or a NULL id.
 */
char *render_entry_iri(const char *id);

/*
 * s itself when it is clean UTF-8 (text_is_clean_utf8), else a cleaned
 * copy (new) stored in *tmp for the caller to free. Entries are cleaned
 * by their sources already; this keeps a stray byte from making a whole
 * document malformed. NULL when s is NULL or memory ran out. *tmp is
 * always set (NULL when no copy was made).
 */
const char *render_clean(const char *s, char **tmp);

/* 0 when meta has what every format needs (a title, and http(s) self and
 * home URLs); else -1 with err naming what is missing. */
int render_meta_check(const struct feed_meta *meta, struct pw_error *err);

/* A document being written with xmlTextWriter into memory. */
struct render_xml {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	size_t max;      /* most bytes the document may take */
	bool failed;     /* sticky */
	const char *why; /* static message of the first failure */
};

/* Starts a UTF-8 document with its XML declaration that may take at most
 * max bytes. 0, or -1 with err set (x needs no cleanup then). */
int render_xml_open(struct render_xml *x, size_t max, struct pw_error *err);

/* <name ...>: start an element; end the innermost open one. */
void render_xml_start(struct render_xml *x, const char *name);
void render_xml_end(struct render_xml *x);

/* An attribute on the element just started; nothing when value is NULL. */
void render_xml_attr(struct render_xml *x, const char *name, const char *value);

/* An attribute holding render_url(url); nothing when that is NULL. */
void render_xml_url_attr(
    struct render_xml *x, const char *name, const char *url);

/* <name>text</name> with text escaped by the writer; nothing when text
 * is NULL. */
void render_xml_text(struct render_xml *x, const char *name, const char *text);

/* Escaped text inside the element just started; nothing when NULL. */
void render_xml_string(struct render_xml *x, const char *text);

/* <name>render_url(url)</name>; nothing when that is NULL. */
void render_xml_url(struct render_xml *x, const char *name, const char *url);

/* Marks x failed with why (a static string) unless it failed already. */
void render_xml_fail(struct render_xml *x, const char *why);

/* Flushes and fails the document ("feed too large") when it has grown past
 * its cap, so a huge feed stops early. Returns -1 once x has failed. */
int render_xml_check(struct render_xml *x);

/*
 * Ends the document and appends it to out, which must have room for it
 * ("feed too large" otherwise, and out is left as it was). Releases x in
 * every case. 0 or -1 with err set.
 */
int render_xml_finish(
    struct render_xml *x, struct buf *out, struct pw_error *err);

#endif
