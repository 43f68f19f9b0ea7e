/* Fuzzes the arxiv adapter (API and listing documents, error detection,
 * author splitting); the first byte picks query or listing options. */
#include <stdint.h>

#include <jansson.h>

#include "entry.h"
#include "sources/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *opts[2];
	struct source_params p = {.name = "fuzz",
	    .url = "https://export.arxiv.org/api/query",
	    .now = 1781222400};
	struct entry_list out;
	struct pw_error err;
	size_t items, skipped;

	if (opts[0] == NULL) {
		opts[0] = json_pack("{s:s}", "query", "all:x");
		opts[1] = json_pack(
		    "{s:s,s:b}", "categories", "cs.CL", "new_only", 1);
	}
	p.options = opts[size > 0 ? data[0] & 1 : 0];
	entry_list_init(&out);
	source_arxiv_ops.parse(
	    &p, (const char *)data, size, &out, &items, &skipped, &err);
	entry_list_free(&out);
	return 0;
}
