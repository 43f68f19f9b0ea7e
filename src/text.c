/*
 * text.c: cleaning untrusted strings, word tokens and excerpts.
 *
 * The UTF-8 decoder here is strict: a sequence is well formed only when
 * it has the continuation bytes its lead byte announces, uses the shortest
 * form, and encodes at most U+10FFFF. Encoded surrogates are decoded so
 * that callers can drop them, as text.h promises.
 */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT_CHAR 0xFFFDu

/* What one step of decoding found. */
enum cp_class {
	CP_KEEP,    /* a character to copy */
	CP_SPACE,   /* white space: collapses into one space */
	CP_DROP,    /* an XML-forbidden or control character */
	CP_INVALID, /* an ill-formed sequence: becomes U+FFFD */
};

/*
 * Decodes the sequence at s[i] (i < len) into *cp and its byte count
 * into *n. An ill-formed sequence sets *n to the lead byte plus the
 * continuation bytes that followed it, so decoding resumes at the first
 * byte that could start a new character. Returns 0, or -1 when ill formed.
 */
static int utf8_decode(
    const unsigned char *s, size_t len, size_t i, uint32_t *cp, size_t *n)
{
	static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
	unsigned char c = s[i];
	size_t need, k;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		*n = 1;
		return 0;
	}
	if (c >= 0xC0 && c <= 0xDF) {
		need = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF7) {
		need = 4;
		v = c & 0x07;
	} else {
		*n = 1; /* a stray continuation byte or 0xF8..0xFF */
		return -1;
	}
	for (k = 1; k < need; k++) {
		if (i + k >= len || (s[i + k] & 0xC0) != 0x80) {
			*n = k;
			return -1;
		}
		v = (v << 6) | (s[i + k] & 0x3F);
	}
	*n = need;
	if (v < min_cp[need] || v > 0x10FFFF)
		return -1; /* overlong, or beyond Unicode */
	*cp = v;
	return 0;
}

/* Classifies a well-formed code point the way text_clean treats it. */
static enum cp_class classify(uint32_t cp)
{
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0)
		return CP_SPACE;
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return CP_DROP;
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return CP_DROP;
	if (cp == 0xFFFE || cp == 0xFFFF)
		return CP_DROP;
	return CP_KEEP;
}

/* Encodes cp (at most U+10FFFF, not a surrogate) into out; returns bytes. */
static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

char *text_clean(const char *s, size_t len, size_t max_bytes)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, room, n;
	bool pending_space = false;
	char *out;

	/* Each input byte yields at most three output bytes (U+FFFD). */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	room = len * 3;
	if (max_bytes > 0 && room > max_bytes)
		room = max_bytes;
	out = malloc(room + 1);
	if (out == NULL)
		return NULL;

	while (i < len) {
		char enc[4];
		enum cp_class cls;
		uint32_t cp = 0;
		size_t need;

		if (utf8_decode(u, len, i, &cp, &n) != 0) {
			cls = CP_INVALID;
			cp = REPLACEMENT_CHAR;
		} else {
			cls = classify(cp);
		}
		i += n;
		if (cls == CP_DROP)
			continue;
		if (cls == CP_SPACE) {
			pending_space = o > 0;
			continue;
		}
		need = utf8_encode(cp, enc);
		/* A character that does not fit ends the text: the cut is on a
		 * boundary and never leaves a trailing space. */
		if (o + (pending_space ? 1 : 0) + need > room)
			break;
		if (pending_space)
			out[o++] = ' ';
		pending_space = false;
		memcpy(out + o, enc, need);
		o += need;
	}
	out[o] = '\0';
	return out;
}

char *text_clean_opt(const char *s, size_t len, size_t max_bytes)
{
	char *t = text_clean(s, len, max_bytes);

	if (t != NULL && t[0] == '\0') {
		free(t);
		return NULL;
	}
	return t;
}

bool text_is_clean_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (utf8_decode(u, len, i, &cp, &n) != 0)
			return false;
		if (cp != '\t' && cp != '\n' && cp != '\r' &&
		    classify(cp) == CP_DROP)
			return false;
		i += n;
	}
	return true;
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

char *text_lower_ascii(char *s)
{
	for (char *p = s; *p != '\0'; p++)
		*p = (char)lower((unsigned char)*p);
	return s;
}

bool text_contains_ci(const char *hay, const char *needle)
{
	size_t nlen = strlen(needle);

	if (nlen == 0)
		return true;
	for (const char *h = hay; *h != '\0'; h++) {
		size_t k = 0;

		while (k < nlen && h[k] != '\0' &&
		       lower((unsigned char)h[k]) == (unsigned char)needle[k])
			k++;
		if (k == nlen)
			return true;
	}
	return false;
}

/* ASCII letters and digits, and every byte of a non-ASCII character. */
static bool is_token_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c >= 0x80;
}

bool text_next_token(const char *s, size_t *pos, size_t *start, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = *pos;

	while (u[i] != '\0' && !is_token_byte(u[i]))
		i++;
	if (u[i] == '\0') {
		*pos = i;
		return false;
	}
	*start = i;
	while (u[i] != '\0' && is_token_byte(u[i]))
		i++;
	*len = i - *start;
	*pos = i;
	return true;
}

/* The length of the longest prefix of s[0..len) that is at most max bytes
 * and ends on a character boundary. */
static size_t boundary_at_most(const char *s, size_t len, size_t max)
{
	size_t cut = len < max ? len : max;

	while (cut > 0 && cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

static bool is_sentence_end(char c)
{
	return c == '.' || c == '!' || c == '?';
}

char *text_excerpt(const char *s, size_t max_bytes)
{
	static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026 */
	const size_t elen = sizeof(ellipsis) - 1;
	size_t len = strlen(s), budget, keep = 0, i;
	bool found = false;
	char *out;

	if (len <= max_bytes)
		return strdup(s);
	if (max_bytes < elen)
		return strdup("");
	budget = max_bytes - elen;

	/* The last sentence end ("." "!" "?" followed by a space) whose text
	 * and the separating " …" fit in the budget. */
	for (i = 0; i + 1 < len && i + 2 <= budget; i++) {
		if (is_sentence_end(s[i]) && s[i + 1] == ' ') {
			keep = i + 1;
			found = true;
		}
	}
	if (found) {
		out = malloc(keep + 1 + elen + 1);
		if (out == NULL)
			return NULL;
		memcpy(out, s, keep);
		out[keep] = ' ';
		memcpy(out + keep + 1, ellipsis, elen + 1);
		return out;
	}

	/* Else the last word boundary: the text before a space at or below
	 * the budget, trailing spaces trimmed. */
	for (i = budget; i > 0 && s[i] != ' '; i--)
		;
	while (i > 0 && s[i - 1] == ' ')
		i--;
	keep = i > 0 ? i : boundary_at_most(s, len, budget);
	out = malloc(keep + elen + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, s, keep);
	memcpy(out + keep, ellipsis, elen + 1);
	return out;
}
