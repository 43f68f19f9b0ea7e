/*
 * text.h: turning untrusted upstream strings into clean plain text.
 *
 * Everything stored or emitted by paperwire passes through text_clean, so
 * renderers can trust that strings are valid UTF-8 without XML-forbidden
 * characters. All functions here are pure.
 */
#ifndef PAPERWIRE_TEXT_H
#define PAPERWIRE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * new: a cleaned copy of the first len bytes of s, or NULL (out of memory).
 * Invalid UTF-8 sequences become U+FFFD; C0 controls other than tab/LF/CR,
 * DEL, C1 controls, U+FFFE/U+FFFF and surrogates are dropped; runs of white
 * space (including tab, CR, LF and U+00A0) collapse to one space; leading
 * and trailing space is trimmed. The result is cut at max_bytes on a
 * character boundary (max_bytes 0 means no cut). An empty result is
 * returned as "" (callers decide whether that means "absent").
 */
char *text_clean(const char *s, size_t len, size_t max_bytes);

/* Like text_clean but NULL when the result would be empty. */
char *text_clean_opt(const char *s, size_t len, size_t max_bytes);

/* true when s[0..len) is valid UTF-8 with no XML-forbidden characters. */
bool text_is_clean_utf8(const char *s, size_t len);

/* ASCII-lowercases s in place; returns s. */
char *text_lower_ascii(char *s);

/* true if needle (already ASCII-lowercased) occurs in hay, comparing
 * ASCII letters case-insensitively. */
bool text_contains_ci(const char *hay, const char *needle);

/*
 * Word tokens, as the q filter and the full-text index see them: maximal
 * runs of ASCII letters and digits and of non-ASCII bytes, ASCII-lowercased.
 * text_next_token scans from *pos, sets *start and *len to the next token
 * in s and advances *pos past it; returns false at the end.
 */
bool text_next_token(const char *s, size_t *pos, size_t *start, size_t *len);

/* new: the first sentences of s that fit in max_bytes, cut on a sentence or
 * word boundary with "…" appended when cut; NULL on out of memory. */
char *text_excerpt(const char *s, size_t max_bytes);

#endif
