/*
 * feed_jsonfeed.c: JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)
 * into a struct feed_doc.
 *
 * The document must be an object whose version names a JSON Feed version
 * and whose items is an array. Item ids may be strings or, as some
 * generators write them, numbers (written back in decimal). title and
 * summary are plain text by the specification, but generators often leave
 * HTML character references in titles, so a title is read as
 * FEED_TEXT_GUESS; content_html is HTML. 1.0's author object and 1.1's
 * authors array are both read, at item level and at feed level (into
 * doc->authors).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../caps.h"
#include "feed_common.h"
#include "feed_date.h"
#include "hf_common.h"

#define VERSION_PREFIX "://jsonfeed.org/version/"

/* new: the string at obj[key] cut at CAP_FEED_TEXT_BYTES on a character
 * boundary, or NULL when absent, not a string, or out of memory. */
static char *get_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;
	size_t len;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	len = strlen(s); /* a "\u0000" ends the string here */
	if (len > (size_t)CAP_FEED_TEXT_BYTES) {
		len = (size_t)CAP_FEED_TEXT_BYTES;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	return strndup(s, len);
}

/* new: the item's id as text (a string, or a number in decimal). */
static char *get_id(const json_t *item)
{
	const json_t *v = json_object_get(item, "id");
	char num[64];

	if (json_is_string(v))
		return feed_common_trim(json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(
		    num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return strdup(num);
	}
	if (json_is_real(v) && isfinite(json_real_value(v))) {
		double d = json_real_value(v);

		if (d == floor(d) && fabs(d) < 1e15)
			snprintf(num, sizeof(num), "%.0f", d);
		else
			snprintf(num, sizeof(num), "%.17g", d);
		return strdup(num);
	}
	return NULL;
}

/* Pushes the names of 1.1's authors array or of 1.0's author object in
 * holder to names. 0 or -1. */
static int get_authors(const json_t *holder, struct strv *names)
{
	const json_t *list = json_object_get(holder, "authors");
	const json_t *a;
	char *name;
	size_t i;

	if (!json_is_array(list)) {
		a = json_object_get(holder, "author");
		if (!json_is_object(a) || (name = get_str(a, "name")) == NULL)
			return 0;
		return strv_push_owned(names, name);
	}
	json_array_foreach(list, i, a)
	{
		name = get_str(a, "name");
		if (name != NULL && strv_push_owned(names, name) != 0)
			return -1;
	}
	return 0;
}

/* Parses the date string at obj[key], or 0. */
static int64_t get_date(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	int64_t t;

	if (!json_is_string(v) ||
	    feed_date_parse(json_string_value(v), &t) != 0)
		return 0;
	return t;
}

/* Sets *t from obj[key] with the given kind, when *t is still empty. */
static void get_text(const json_t *obj, const char *key,
    enum feed_text_kind kind, struct feed_text *t)
{
	if (t->s != NULL)
		return;
	t->s = get_str(obj, key);
	t->kind = kind;
}

/* Reads one item object. 0 or -1. */
static int read_item(const json_t *obj, const char *url, struct feed_doc *doc)
{
	const json_t *tags, *tag;
	struct feed_item *it;
	char *link;
	size_t i;

	if (feed_common_add_item(doc, &it) != 0)
		return -1;
	if (it == NULL || !json_is_object(obj))
		return 0; /* not kept, or not an item: left empty */
	it->guid = get_id(obj);
	if ((link = get_str(obj, "url")) == NULL)
		link = get_str(obj, "external_url");
	if (link != NULL)
		it->link = feed_common_resolve(NULL, url, link);
	free(link);
	get_text(obj, "title", FEED_TEXT_GUESS, &it->title);
	get_text(obj, "summary", FEED_TEXT_PLAIN, &it->summary);
	get_text(obj, "content_html", FEED_TEXT_HTML, &it->content);
	get_text(obj, "content_text", FEED_TEXT_PLAIN, &it->content);
	it->published = get_date(obj, "date_published");
	it->updated = get_date(obj, "date_modified");
	if (it->published == 0)
		it->published = it->updated;
	if (get_authors(obj, &it->authors) != 0)
		return -1;
	tags = json_object_get(obj, "tags");
	json_array_foreach(tags, i, tag)
	{
		if (json_is_string(tag) &&
		    strv_push(&it->categories, json_string_value(tag)) != 0)
			return -1;
	}
	return 0;
}

/* "JSON Feed 1.1" for a version URL, or NULL when it is not one. */
static const char *version_name(const json_t *root)
{
	const char *v = json_string_value(json_object_get(root, "version"));
	const char *p;

	if (v == NULL ||
	    (strncmp(v, "https", 5) != 0 && strncmp(v, "http", 4) != 0))
		return NULL;
	p = strstr(v, VERSION_PREFIX);
	if (p == NULL || p > v + 5)
		return NULL;
	p += strlen(VERSION_PREFIX);
	if (strcmp(p, "1") == 0 || strcmp(p, "1.0") == 0)
		return "JSON Feed 1.0";
	if (strcmp(p, "1.1") == 0)
		return "JSON Feed 1.1";
	return "JSON Feed";
}

int feed_jsonfeed_read(const char *body, size_t len, const char *url,
    struct feed_doc *doc, struct pw_error *err)
{
	json_t *root = hf_common_load(body, len, err);
	const json_t *items, *item;
	size_t i;
	int rc = -1;

	if (root == NULL)
		return -1;
	if (!json_is_object(root) ||
	    (doc->format = version_name(root)) == NULL) {
		pw_error_set(err, "not a JSON Feed (no jsonfeed.org version)");
		goto done;
	}
	items = json_object_get(root, "items");
	if (!json_is_array(items)) {
		pw_error_set(err, "JSON Feed without an items array");
		goto done;
	}
	doc->title = get_str(root, "title");
	doc->description = get_str(root, "description");
	if (get_authors(root, &doc->authors) != 0)
		goto nomem;
	json_array_foreach(items, i, item)
	{
		if (read_item(item, url, doc) != 0)
			goto nomem;
	}
	rc = 0;
	goto done;
nomem:
	pw_error_set(err, "out of memory");
done:
	json_decref(root);
	return rc;
}
