/*
 * feed_xml.h: the one way paperwire parses untrusted XML.
 *
 * Every XML document from an upstream goes through feed_xml_read, which
 * parses an in-memory buffer only, never touches the network or the file
 * system, never substitutes entities into the tree and never loads a DTD:
 * the options are XML_PARSE_NONET | XML_PARSE_NOCDATA plus silencing of
 * libxml2's own stderr output; XML_PARSE_NOENT, DTDLOAD, DTDATTR,
 * DTDVALID, XINCLUDE, HUGE and RECOVER are never set. libxml2's entity
 * amplification checks reject a "billion laughs" document, and an
 * external entity loader that refuses every request is installed once for
 * the whole process (feed_xml_init), so even a code path that asked for an
 * external entity or DTD would get nothing.
 *
 * The document's encoding: a byte order mark or the XML declaration's
 * encoding wins (libxml2 reads them). A body that declares neither is read
 * in the charset of its HTTP Content-Type when libxml2 knows that charset,
 * else as UTF-8 when it is valid UTF-8, else as windows-1252 (what
 * browsers do with undeclared legacy text), or as ISO-8859-1 when it holds
 * a byte windows-1252 leaves undefined. Text in the tree is UTF-8.
 *
 * feed_xml_init also silences libxml2's own printing to stderr for the
 * whole process: its errors reach callers through struct pw_error.
 */
#ifndef PAPERWIRE_SOURCES_FEED_XML_H
#define PAPERWIRE_SOURCES_FEED_XML_H

#include <stddef.h>

#include <libxml/tree.h>

#include "../error.h"

/* Installs the refusing external entity loader and initializes libxml2.
 * Idempotent; feed_xml_read calls it, other modules that parse XML may
 * too. */
void feed_xml_init(void);

/*
 * new (xmlFreeDoc): the document in body[0..len), or NULL with err set to
 * "not well-formed XML: line L: <libxml2's message>" (or a size error).
 * url (may be NULL) becomes the document's URL; content_type (may be
 * NULL) is the HTTP Content-Type, read for its charset parameter only.
 */
xmlDoc *feed_xml_read(const char *body, size_t len, const char *url,
    const char *content_type, struct pw_error *err);

/*
 * Writes into out (size bytes) the charset parameter of a Content-Type
 * ("text/xml; charset=\"ISO-8859-1\"" gives "ISO-8859-1"). Returns 0, or
 * -1 when there is none or it is not a plausible charset name.
 */
int feed_xml_charset(const char *content_type, char *out, size_t size);

#endif
