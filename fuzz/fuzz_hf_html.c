/* Fuzzes the Hugging Face papers page adapter (HTML with JSON inside). */
#include <stdint.h>

#include "entry.h"
#include "sources/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_params p = {.name = "fuzz", .now = 1781222400};
	struct entry_list out;
	struct pw_error err;
	size_t items, skipped;

	entry_list_init(&out);
	source_hf_html_ops.parse(
	    &p, (const char *)data, size, &out, &items, &skipped, &err);
	entry_list_free(&out);
	return 0;
}
