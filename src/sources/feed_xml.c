/*
 * feed_xml.c: safe parsing of untrusted XML, and the choice of its
 * encoding (see feed_xml.h).
 */
#include "feed_xml.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "../caps.h"

/* The only options untrusted XML is ever parsed with. */
#define FEED_XML_OPTIONS                                                       \
	(XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |             \
	    XML_PARSE_NOWARNING)

/* How far into the body the XML declaration's end is looked for. */
#define DECL_SCAN_BYTES 512
#define CHARSET_BYTES 48

static bool feed_xml_ready;

/* The external entity loader: every request is refused, whatever it
 * names (a file, a URL, a DTD), so no document can make paperwire read
 * /etc/passwd or fetch anything. */
static xmlParserInputPtr refuse_entity(
    const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

/* libxml2's own messages: dropped. Errors reach callers through
 * pw_error; text libxml2 printed by itself (its encoding layer reports
 * there even with XML_PARSE_NOERROR) would break the one-line logs. */
static void discard_message(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void feed_xml_init(void)
{
	if (feed_xml_ready)
		return;
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_entity);
	xmlSetGenericErrorFunc(NULL, discard_message);
	feed_xml_ready = true;
}

static bool is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == ':';
}

int feed_xml_charset(const char *content_type, char *out, size_t size)
{
	const char *p = content_type;

	if (p == NULL || size == 0)
		return -1;
	while ((p = strchr(p, ';')) != NULL) {
		size_t n = 0;
		bool quoted;

		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset", 7) != 0)
			continue;
		p += 7;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		quoted = *p == '"';
		if (quoted)
			p++;
		while (is_token_char(p[n]))
			n++;
		if (n == 0 || n >= size || (quoted && p[n] != '"'))
			return -1;
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

/* true when s[0..len) is well-formed UTF-8 (shortest forms, no
 * surrogates, at most U+10FFFF). */
static bool valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t need;
		uint32_t v;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			v = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			v = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			v = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= need)
			return false;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			v = (v << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 2 &&
		        (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
		    (need == 3 && (v < 0x10000 || v > 0x10FFFF)))
			return false;
		i += need + 1;
	}
	return true;
}

/* true when the body starts with a byte order mark or with a UTF-16 or
 * UTF-32 "<", which libxml2 detects on its own. */
static bool self_describing(const unsigned char *s, size_t len)
{
	if (len >= 2 &&
	    ((s[0] == 0xFE && s[1] == 0xFF) || (s[0] == 0xFF && s[1] == 0xFE)))
		return true;
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return true;
	return len >= 2 && (s[0] == 0 || s[1] == 0);
}

/* true when s starts with an XML declaration that names an encoding. */
static bool declares_encoding(const char *s, size_t len)
{
	size_t n = len < DECL_SCAN_BYTES ? len : DECL_SCAN_BYTES;

	if (n < 5 || memcmp(s, "<?xml", 5) != 0)
		return false;
	for (size_t i = 5; i + 1 < n && !(s[i] == '?' && s[i + 1] == '>'); i++)
		if (i + 8 <= n && memcmp(s + i, "encoding", 8) == 0)
			return true;
	return false;
}

/* The encoding to force for a body that does not describe its own (see
 * feed_xml.h), or NULL to let libxml2 read UTF-8. */
static const char *pick_encoding(const char *body, size_t len,
    const char *content_type, char charset[CHARSET_BYTES])
{
	if (self_describing((const unsigned char *)body, len) ||
	    declares_encoding(body, len))
		return NULL;
	if (feed_xml_charset(content_type, charset, CHARSET_BYTES) == 0) {
		xmlCharEncodingHandlerPtr h =
		    xmlFindCharEncodingHandler(charset);

		if (h != NULL) {
			xmlCharEncCloseFunc(h);
			return charset;
		}
	}
	if (valid_utf8((const unsigned char *)body, len))
		return NULL;
	/* windows-1252 leaves five bytes undefined; a body holding one is
	 * read as ISO-8859-1, which defines every byte. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)body[i];

		if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 ||
		    c == 0x9D)
			return "ISO-8859-1";
	}
	return "windows-1252";
}

/* Copies libxml2's last error for ctxt into err, without its newline. */
static void set_parse_error(xmlParserCtxtPtr ctxt, struct pw_error *err)
{
	const xmlError *e = xmlCtxtGetLastError(ctxt);
	const char *msg =
	    e != NULL && e->message != NULL ? e->message : "unknown error";
	size_t n = strcspn(msg, "\r\n");

	pw_error_set(err, "not well-formed XML: line %d: %.*s",
	    e != NULL ? e->line : 0, (int)(n > 160 ? 160 : n), msg);
}

xmlDoc *feed_xml_read(const char *body, size_t len, const char *url,
    const char *content_type, struct pw_error *err)
{
	char charset[CHARSET_BYTES];
	const char *encoding;
	xmlParserCtxtPtr ctxt;
	xmlDoc *doc;

	feed_xml_init();
	/* Some servers emit white space before the XML declaration, which
	 * XML forbids; readers skip it, and so does paperwire. */
	if (!self_describing((const unsigned char *)body, len))
		while (len > 0 && (*body == ' ' || *body == '\t' ||
		                      *body == '\r' || *body == '\n')) {
			body++;
			len--;
		}
	if (len == 0) {
		pw_error_set(err, "empty document");
		return NULL;
	}
	if (len > (size_t)CAP_FETCH_BODY_BYTES || len > INT_MAX) {
		pw_error_set(err, "document larger than %ld bytes",
		    (long)CAP_FETCH_BODY_BYTES);
		return NULL;
	}
	encoding = pick_encoding(body, len, content_type, charset);
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		pw_error_set(err, "out of memory");
		return NULL;
	}
	doc = xmlCtxtReadMemory(
	    ctxt, body, (int)len, url, encoding, FEED_XML_OPTIONS);
	if (doc == NULL || !ctxt->wellFormed) {
		set_parse_error(ctxt, err);
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (xmlDocGetRootElement(doc) == NULL) {
		pw_error_set(err, "not well-formed XML: no root element");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}
