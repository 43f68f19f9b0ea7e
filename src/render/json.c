/*
 * json.c: JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), built
 * with jansson.
 *
 * Items carry content_html (the shared item HTML) and a short summary;
 * the id is the entry id itself, which JSON Feed allows to be any string.
 * Everything paperwire knows beyond the spec's fields goes in the
 * "_paperwire" extension object (JSON Feed's rule for extensions: a key
 * starting with an underscore), with unknown values left out rather than
 * written as null.
 */
#include "render_priv.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../text.h"
#include "../timefmt.h"

#define JSONFEED_VERSION "https://jsonfeed.org/version/1.1"

/* Bytes of abstract in an item's summary. */
#define JSON_SUMMARY_BYTES 500

/* Sets o[key] to s (cleaned); nothing when s is NULL. 0 or -1. */
static int set_str(json_t *o, const char *key, const char *s)
{
	const char *clean;
	char *tmp;
	int rc;

	if (s == NULL)
		return 0;
	clean = render_clean(s, &tmp);
	rc = clean != NULL ? json_object_set_new(o, key, json_string(clean))
	                   : -1;
	free(tmp);
	return rc;
}

/* Sets o[key] to render_url(url); nothing when that is NULL. */
static int set_url(json_t *o, const char *key, const char *url)
{
	char *safe = render_url(url);
	int rc = set_str(o, key, safe);

	free(safe);
	return rc;
}

/* Sets o[key] to the RFC 3339 form of t; nothing when t is unknown. */
static int set_date(json_t *o, const char *key, int64_t t)
{
	char date[TIMEFMT_BYTES];

	if (t <= 0)
		return 0;
	return json_object_set_new(
	    o, key, json_string(timefmt_rfc3339(t, date)));
}

/* Sets o[key] to n; nothing when n is unknown (negative). */
static int set_count(json_t *o, const char *key, int64_t n)
{
	if (n < 0)
		return 0;
	return json_object_set_new(o, key, json_integer((json_int_t)n));
}

/* Sets o[key] to an array of the strings in sv; nothing when empty. */
static int set_strings(json_t *o, const char *key, const struct strv *sv)
{
	json_t *a;

	if (sv->n == 0)
		return 0;
	a = json_array();
	if (json_object_set_new(o, key, a) != 0)
		return -1;
	for (size_t i = 0; i < sv->n; i++) {
		const char *clean;
		char *tmp;
		int rc;

		clean = render_clean(sv->v[i], &tmp);
		rc = clean != NULL
		         ? json_array_append_new(a, json_string(clean))
		         : -1;
		free(tmp);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Appends {"name": name} to the array a. */
static int push_author(json_t *a, const char *name)
{
	json_t *o = json_object();

	if (json_array_append_new(a, o) != 0)
		return -1;
	return set_str(o, "name", name);
}

static int json_authors(json_t *item, const struct entry *e)
{
	bool truncated;
	size_t shown = render_authors_shown(e, &truncated);
	json_t *a;

	if (shown == 0)
		return 0;
	a = json_array();
	if (json_object_set_new(item, "authors", a) != 0)
		return -1;
	for (size_t i = 0; i < shown; i++)
		if (push_author(a, e->authors.v[i]) != 0)
			return -1;
	return truncated ? push_author(a, RENDER_ET_AL) : 0;
}

/* The "_paperwire" extension: the entry's own fields. */
static int json_extension(json_t *item, const struct entry *e)
{
	json_t *x = json_object();

	if (json_object_set_new(item, "_paperwire", x) != 0)
		return -1;
	if (set_date(x, "published_at", e->published_at) ||
	    set_date(x, "listed_at", e->listed_at) ||
	    set_date(x, "first_seen_at", e->first_seen_at) ||
	    set_count(x, "upvotes", e->upvotes) ||
	    set_count(x, "comments", e->comments) ||
	    set_url(x, "github_repo", e->github_repo) ||
	    set_count(x, "github_stars", e->github_stars) ||
	    set_url(x, "project_page", e->project_page) ||
	    set_str(x, "ai_summary", e->ai_summary) ||
	    set_str(x, "organization", e->organization) ||
	    set_strings(x, "sources", &e->sources) ||
	    set_url(x, "arxiv_url", e->arxiv_url) ||
	    set_url(x, "pdf_url", e->pdf_url) ||
	    set_url(x, "hf_url", e->hf_url) || set_url(x, "url", e->url) ||
	    set_strings(x, "categories", &e->categories) ||
	    set_str(x, "comment", e->comment))
		return -1;
	return 0;
}

/* Appends one item to the array items. 0 or -1 (out of memory). */
static int json_item(json_t *items, const struct entry *e)
{
	json_t *item = json_object();
	const char *link = entry_link(e);
	char *html = NULL;
	char *summary = NULL;
	struct strv tags = {0};
	int rc = -1;

	if (json_array_append_new(items, item) != 0)
		return -1;
	/* Tags: the categories, then the AI keywords. */
	if (strv_copy(&tags, &e->categories) != 0 ||
	    strv_copy(&tags, &e->ai_keywords) != 0)
		goto out;
	html = render_item_html(e);
	if (html == NULL)
		goto out;
	if (e->summary != NULL) {
		summary = text_excerpt(e->summary, JSON_SUMMARY_BYTES);
		if (summary == NULL)
			goto out;
	}
	if (set_str(item, "id", e->id) || set_url(item, "url", link) ||
	    (e->arxiv_url != NULL &&
	        (link == NULL || strcmp(link, e->arxiv_url) != 0) &&
	        set_url(item, "external_url", e->arxiv_url)) ||
	    set_str(item, "title", e->title) ||
	    set_str(item, "content_html", html) ||
	    set_str(item, "summary", summary) ||
	    set_url(item, "image", e->thumbnail) ||
	    set_date(item, "date_published", render_item_date(e)) ||
	    set_date(item, "date_modified", e->updated_at) ||
	    json_authors(item, e) || set_strings(item, "tags", &tags) ||
	    json_extension(item, e))
		goto out;
	rc = 0;
out:
	strv_free(&tags);
	free(html);
	free(summary);
	return rc;
}

/* The top-level object without items. NULL on out of memory. */
static json_t *json_head(const struct feed_meta *m)
{
	json_t *root = json_object();
	json_t *hubs, *hub;
	char *hub_url = render_url(m->hub_url);

	if (root == NULL)
		goto fail;
	if (set_str(root, "version", JSONFEED_VERSION) ||
	    set_str(root, "title", m->title) ||
	    set_url(root, "home_page_url", m->home_url) ||
	    set_url(root, "feed_url", m->self_url) ||
	    set_str(root, "description",
	        m->description != NULL ? m->description
	                               : RENDER_DEFAULT_DESCRIPTION))
		goto fail;
	if (hub_url != NULL) {
		hubs = json_array();
		hub = json_object();
		if (json_object_set_new(root, "hubs", hubs) != 0 ||
		    json_array_append_new(hubs, hub) != 0 ||
		    set_str(hub, "type", "WebSub") ||
		    set_str(hub, "url", hub_url))
			goto fail;
	}
	free(hub_url);
	return root;
fail:
	free(hub_url);
	json_decref(root);
	return NULL;
}

/* json_dump_callback's sink: appends to the caller's buf. */
static int json_sink(const char *data, size_t len, void *arg)
{
	return buf_append(arg, data, len);
}

static int json_render(const struct feed_meta *meta,
    struct entry *const *entries, size_t n, struct buf *out,
    struct pw_error *err)
{
	json_t *root, *items;
	size_t start = out->len;
	int rc = -1;

	if (render_meta_check(meta, err) != 0)
		return -1;
	root = json_head(meta);
	if (root == NULL)
		return pw_error_set(err, "out of memory");
	items = json_array();
	if (json_object_set_new(root, "items", items) != 0) {
		pw_error_set(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (json_item(items, entries[i]) != 0) {
			pw_error_set(err, "out of memory");
			goto out;
		}
	/* jansson writes UTF-8 as it is (no JSON_ENSURE_ASCII) and keeps
	 * the insertion order, so the keys read in the order above. */
	if (json_dump_callback(root, json_sink, out,
	        JSON_COMPACT | JSON_PRESERVE_ORDER) != 0) {
		/* Take back what was written before the cap was hit. */
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		pw_error_set(err, "feed too large");
		goto out;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

const struct render_ops render_json_ops = {
    .ext = "json",
    .content_type = "application/feed+json; charset=utf-8",
    .render = json_render,
};
