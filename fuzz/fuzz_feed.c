/* Fuzzes the feed adapter: format detection, the RSS, RDF, Atom and JSON
 * Feed readers, charset choice, link resolution and dates. The first
 * byte picks a Content-Type, so charset handling is fuzzed too. */
#include <stdint.h>

#include "entry.h"
#include "sources/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {NULL,
	    "text/xml; charset=ISO-8859-1",
	    "application/rss+xml; charset=\"utf-16\"",
	    "text/xml; charset=x-unknown"};
	struct source_params p = {.name = "fuzz",
	    .url = "http://example.org/feeds/a/b.xml",
	    .content_type = size > 0 ? types[data[0] & 3] : NULL,
	    .now = 1781222400};
	struct entry_list out;
	struct pw_error err;
	size_t items, skipped;

	entry_list_init(&out);
	source_feed_ops.parse(
	    &p, (const char *)data, size, &out, &items, &skipped, &err);
	entry_list_free(&out);
	return 0;
}
