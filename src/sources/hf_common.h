/*
 * hf_common.h: the Hugging Face Papers item shape, shared by the adapters
 * that read it (hf_daily, hf_html, and a search adapter later). Internal to
 * src/sources/; nothing outside it includes this header.
 *
 * Every Hugging Face listing is an array of wrappers
 * {paper:{id,title,summary,authors,...}, title, numComments, thumbnail, ...}.
 * The functions here turn one wrapper, or an array of them, into entries as
 * entry.h describes them. Fields of the wrong JSON type count as absent;
 * unknown keys are ignored; nothing in the input can make them crash.
 *
 * Ownership: json_t values passed in are borrowed; hf_common_load returns
 * a new reference.
 */
#ifndef PAPERWIRE_SOURCES_HF_COMMON_H
#define PAPERWIRE_SOURCES_HF_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../entry.h"
#include "../error.h"

/* "2306.03091" or "hep-th/9901001" plus NUL, with room to spare. */
#define HF_COMMON_ID_BYTES 64

/*
 * new: the JSON value in body[0..len) (not necessarily NUL-terminated; any
 * type, callers check it), or NULL with err set: "invalid JSON at line L
 * column C: ...", a document nested deeper than CAP_JSON_DEPTH, or one
 * larger than CAP_FETCH_BODY_BYTES. Strings may contain "\u0000"; readers
 * go by json_string_length and text_clean drops the NUL.
 */
json_t *hf_common_load(const char *body, size_t len, struct pw_error *err);

/* "an object", "an array", "a string", "a number", "a boolean", "null"
 * (or "nothing" for NULL), for error messages. Static. */
const char *hf_common_type_name(const json_t *v);

/*
 * Writes the bare arXiv id of s[0..len) into out (size bytes): a trailing
 * version suffix "vN" is removed and the rest must be a new-style id
 * (NNNN.NNNN or NNNN.NNNNN) or an old-style one (archive[.XX]/NNNNNNN,
 * e.g. hep-th/9901001). Returns 0, or -1 when s is neither or does not fit.
 */
int hf_common_arxiv_id(const char *s, size_t len, char *out, size_t size);

/*
 * Fills e (entry_init'ed, empty) from one wrapper. source_name (may be
 * NULL: no tag) becomes e->sources[0]. listed_fallback is the listed_at of
 * a paper without submittedOnDailyAt (0: unknown).
 * Returns 0 when e is complete; 1 when the item has no valid paper.id or
 * no non-empty title (e is then partly filled: the caller clears it); -1
 * when memory ran out.
 */
int hf_common_entry(const json_t *wrapper, const char *source_name,
    int64_t listed_fallback, struct entry *e);

/*
 * Appends one entry per wrapper of array (a JSON array) to out, following
 * source.h's parse contract: the first CAP_ITEMS_PER_DOCUMENT items are
 * read; items without a valid id or title are counted in *skipped; a paper
 * listed twice keeps its first listing (the repeat is neither an entry nor
 * skipped); *items is the array's size. items and skipped may be NULL.
 * Returns 0, or -1 (out of memory) with err set and out unchanged.
 */
int hf_common_parse_array(const json_t *array, const char *source_name,
    int64_t listed_fallback, struct entry_list *out, size_t *items,
    size_t *skipped, struct pw_error *err);

#endif
