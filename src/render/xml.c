/*
 * xml.c: the xmlTextWriter glue shared by the RSS and Atom renderers.
 *
 * Every piece of text goes through the writer's own escaping (never
 * xmlTextWriterWriteRaw), after render_clean, so a document is well-formed
 * whatever the entries contain.
 */
#include "render_priv.h"

#include <stdlib.h>

#include <libxml/xmlstring.h>

void render_xml_fail(struct render_xml *x, const char *why)
{
	if (!x->failed) {
		x->failed = true;
		x->why = why;
	}
}

/* Records a libxml2 writer result (negative on failure). */
static void xml_rc(struct render_xml *x, int rc)
{
	if (rc < 0)
		render_xml_fail(x, "xml writer failed");
}

/* Releases what x holds without producing anything. */
static void xml_discard(struct render_xml *x)
{
	if (x->w != NULL)
		xmlFreeTextWriter(x->w);
	x->w = NULL;
	if (x->buf != NULL)
		xmlBufferFree(x->buf);
	x->buf = NULL;
	x->failed = true;
}

int render_xml_open(struct render_xml *x, size_t max, struct pw_error *err)
{
	x->failed = false;
	x->why = NULL;
	x->max = max;
	x->w = NULL;
	x->buf = xmlBufferCreate();
	if (x->buf == NULL)
		return pw_error_set(err, "out of memory");
	x->w = xmlNewTextWriterMemory(x->buf, 0);
	if (x->w == NULL) {
		xmlBufferFree(x->buf);
		x->buf = NULL;
		return pw_error_set(err, "out of memory");
	}
	if (xmlTextWriterSetIndent(x->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0) {
		xml_discard(x);
		return pw_error_set(err, "xml writer failed");
	}
	return 0;
}

void render_xml_start(struct render_xml *x, const char *name)
{
	if (!x->failed)
		xml_rc(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

void render_xml_end(struct render_xml *x)
{
	if (!x->failed)
		xml_rc(x, xmlTextWriterEndElement(x->w));
}

void render_xml_attr(struct render_xml *x, const char *name, const char *value)
{
	const char *clean;
	char *tmp;

	if (x->failed || value == NULL)
		return;
	clean = render_clean(value, &tmp);
	if (clean == NULL) {
		render_xml_fail(x, "out of memory");
		return;
	}
	xml_rc(x,
	    xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST clean));
	free(tmp);
}

void render_xml_url_attr(
    struct render_xml *x, const char *name, const char *url)
{
	char *safe;

	if (x->failed || url == NULL)
		return;
	safe = render_url(url);
	if (safe != NULL)
		render_xml_attr(x, name, safe);
	free(safe);
}

void render_xml_text(struct render_xml *x, const char *name, const char *text)
{
	const char *clean;
	char *tmp;

	if (x->failed || text == NULL)
		return;
	clean = render_clean(text, &tmp);
	if (clean == NULL) {
		render_xml_fail(x, "out of memory");
		return;
	}
	/* WriteElement escapes &, < and > in content; never WriteRaw here. */
	xml_rc(
	    x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST clean));
	free(tmp);
}

void render_xml_string(struct render_xml *x, const char *text)
{
	const char *clean;
	char *tmp;

	if (x->failed || text == NULL)
		return;
	clean = render_clean(text, &tmp);
	if (clean == NULL) {
		render_xml_fail(x, "out of memory");
		return;
	}
	xml_rc(x, xmlTextWriterWriteString(x->w, BAD_CAST clean));
	free(tmp);
}

void render_xml_url(struct render_xml *x, const char *name, const char *url)
{
	char *safe;

	if (x->failed || url == NULL)
		return;
	safe = render_url(url);
	if (safe != NULL)
		render_xml_text(x, name, safe);
	free(safe);
}

int render_xml_check(struct render_xml *x)
{
	if (x->failed)
		return -1;
	xml_rc(x, xmlTextWriterFlush(x->w));
	if (!x->failed && (size_t)xmlBufferLength(x->buf) > x->max)
		render_xml_fail(x, "feed too large");
	return x->failed ? -1 : 0;
}

int render_xml_finish(
    struct render_xml *x, struct buf *out, struct pw_error *err)
{
	int rc = -1;

	if (!x->failed)
		xml_rc(x, xmlTextWriterEndDocument(x->w));
	/* Freeing the writer flushes what it still holds into x->buf. */
	xmlFreeTextWriter(x->w);
	x->w = NULL;
	if (x->failed) {
		pw_error_set(err, "%s", x->why);
		goto out;
	}
	if (buf_append(out, xmlBufferContent(x->buf),
	        (size_t)xmlBufferLength(x->buf)) != 0) {
		pw_error_set(err, "feed too large");
		goto out;
	}
	rc = 0;
out:
	xmlBufferFree(x->buf);
	x->buf = NULL;
	return rc;
}
