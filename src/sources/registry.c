/*
 * registry.c: the known source types. A new type is one adapter file plus
 * one X(...) line in SOURCE_TYPES; the table source_types[] and the list
 * of names for error messages both come from that line, so they cannot
 * disagree.
 */
#include <stddef.h>
#include <string.h>

#include "source.h"

/* X(t) names the type t, whose adapter is source_<t>_ops with .type "t". */
// clang-format off
#define SOURCE_TYPES(X) \
	X(hf_daily) \
	X(hf_html)
// clang-format on

#define SOURCE_OPS_ADDR(t) &source_##t##_ops,
#define SOURCE_NAME_ITEM(t) ", " #t

static const struct source_ops *const source_types[] = {
    SOURCE_TYPES(SOURCE_OPS_ADDR)};

/* ", hf_daily, hf_html" without its leading separator. */
static const char source_names[] = SOURCE_TYPES(SOURCE_NAME_ITEM);

const struct source_ops *source_find(const char *type)
{
	const size_t n = sizeof(source_types) / sizeof(source_types[0]);

	if (type == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(source_types[i]->type, type) == 0)
			return source_types[i];
	return NULL;
}

const char *source_type_names(void)
{
	return source_names + 2;
}
