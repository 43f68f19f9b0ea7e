/*
 * Fuzzes what the hf_search and hf_daily period listings build from
 * configured values: the first 8 bytes are the poll's clock (any int64,
 * so the ISO week and month arithmetic meets every extreme), the rest is
 * an hf_search "query" (checked, then encoded into a request URL) and also
 * a search response body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "entry.h"
#include "sources/source.h"

static void ignore(void *ctx, const char *key, const char *msg)
{
	(void)ctx;
	(void)key;
	(void)msg;
}

static void urls(const struct source_ops *ops, struct source_params *p)
{
	for (unsigned step = 0; step < 3; step++)
		free(ops->request_url(p, step, 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_params p = {.name = "fuzz", .now = 1781222400};
	struct entry_list out;
	struct pw_error err;
	size_t items, skipped;
	json_t *opts = json_object(), *q;
	int64_t now;

	if (opts == NULL)
		return 0;
	if (size >= sizeof(now)) {
		memcpy(&now, data, sizeof(now));
		p.now = now;
		data += sizeof(now);
		size -= sizeof(now);
	}
	p.options = opts;
	json_object_set_new(opts, "period", json_string("week"));
	urls(&source_hf_daily_ops, &p);
	json_object_set_new(opts, "period", json_string("month"));
	urls(&source_hf_daily_ops, &p);
	json_object_clear(opts);

	/* The config loader hands adapters valid UTF-8 only. */
	q = json_stringn((const char *)data, size);
	if (q != NULL) {
		json_object_set_new(opts, "query", q);
		if (source_hf_search_ops.check(opts, ignore, NULL) == 0)
			urls(&source_hf_search_ops, &p);
	}
	entry_list_init(&out);
	source_hf_search_ops.parse(
	    &p, (const char *)data, size, &out, &items, &skipped, &err);
	entry_list_free(&out);
	json_decref(opts);
	return 0;
}
