/*
 * render.h: the feed formats, one file per member behind a const ops table
 * (render/rss.c, render/atom.c, render/json.c). A renderer is a pure
 * function from a feed description and entries to bytes.
 *
 * RSS 2.0 and Atom 1.0 are written with libxml2's xmlTextWriter, JSON Feed
 * 1.1 with jansson; no renderer assembles markup with printf.
 */
#ifndef PAPERWIRE_RENDER_H
#define PAPERWIRE_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "../buf.h"
#include "../entry.h"
#include "../error.h"

/* What a feed document says about itself. All strings borrowed. */
struct feed_meta {
	const char *title;       /* required */
	const char *description; /* may be NULL: a default sentence is used */
	const char *self_url; /* absolute URL of this very document, required */
	const char *home_url; /* absolute URL of the human page, required */
	const char *hub_url;  /* WebSub hub, or NULL */
	const char *generator; /* "paperwire 0.1.0" */
	int64_t updated;       /* feed-level updated / lastBuildDate */
};

struct render_ops {
	const char *ext;          /* "rss", "atom", "json" */
	const char *content_type; /* with "; charset=utf-8" */
	/* Appends the document to out (capped by out->max). 0 or -1. */
	int (*render)(const struct feed_meta *meta,
	    struct entry *const *entries, size_t n, struct buf *out,
	    struct pw_error *err);
};

extern const struct render_ops render_rss_ops;
extern const struct render_ops render_atom_ops;
extern const struct render_ops render_json_ops;

/* The renderer for an extension ("rss", "atom", "json"), or NULL. */
const struct render_ops *render_find(const char *ext);

/*
 * Shared item content, so every format says the same thing.
 * render_item_html: new, an HTML fragment (as text, to be escaped by the
 * writer) with the abstract, the AI summary, upvotes/comments, code and
 * project links, and keywords. Text is escaped with render_html_escape.
 * render_item_text: new, the same as plain text. NULL on out of memory.
 */
char *render_item_html(const struct entry *e);
char *render_item_text(const struct entry *e);
/* Appends s to out with &, <, >, " and ' escaped for HTML. 0 or -1. */
int render_html_escape(struct buf *out, const char *s);

/* One feed in an OPML outline (strings borrowed; description may be
 * NULL). */
struct render_outline {
	const char *title;
	const char *description;
	const char *xml_url;  /* absolute http(s) URL of the feed */
	const char *html_url; /* absolute URL of its human page */
};

/* Appends an OPML 2.0 document titled title listing v[0..n) to out
 * (render/opml.c, written with xmlTextWriter). 0 or -1. */
int render_opml(const char *title, const struct render_outline *v, size_t n,
    struct buf *out, struct pw_error *err);

/* The date a feed item carries: first_seen_at, else published_at, else
 * listed_at (0 when none is known). */
int64_t render_item_date(const struct entry *e);

#endif
