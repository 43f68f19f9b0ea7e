/*
 * registry.c: the known source types. A new type is one adapter file plus
 * one X(...) line in SOURCE_TYPES; the table source_types[] and the list
 * of names for error messages both come from that line, so they cannot
 * disagree.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "source.h"

/* X(t) names the type t, whose adapter is source_<t>_ops with .type "t". */
// clang-format off
#define SOURCE_TYPES(X) \
	X(hf_daily) \
	X(hf_html) \
	X(hf_search) \
	X(arxiv) \
	X(feed)
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

long long source_opt_int(const json_t *opts, const char *key, long long def)
{
	const json_t *v = opts != NULL ? json_object_get(opts, key) : NULL;

	return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

const char *source_opt_str(const json_t *opts, const char *key, const char *def)
{
	const json_t *v = opts != NULL ? json_object_get(opts, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : def;
}

int source_check_int(const json_t *opts, const char *key, long long min,
    long long max, source_report_fn report, void *ctx)
{
	const json_t *v = json_object_get(opts, key);
	char msg[96];

	if (v == NULL)
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= min &&
	    json_integer_value(v) <= max)
		return 0;
	snprintf(msg, sizeof(msg), "expected an integer from %lld to %lld", min,
	    max);
	report(ctx, key, msg);
	return -1;
}

int source_check_enum(const json_t *opts, const char *key,
    const char *const *allowed, source_report_fn report, void *ctx)
{
	const json_t *v = json_object_get(opts, key);
	char msg[256];
	size_t n = 0;

	if (v == NULL)
		return 0;
	for (size_t i = 0; allowed[i] != NULL; i++)
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), allowed[i]) == 0)
			return 0;
	n += (size_t)snprintf(msg, sizeof(msg), "expected one of");
	for (size_t i = 0; allowed[i] != NULL && n < sizeof(msg); i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s \"%s\"",
		    i > 0 ? "," : "", allowed[i]);
	report(ctx, key, msg);
	return -1;
}
