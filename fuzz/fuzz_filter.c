/*
 * Fuzzes the filter grammar: the input is lines of "key=value"; each is
 * applied with filter_set, then the filter is matched against a fixed
 * entry and turned into an FTS5 expression.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *line, *next, *eq;
	struct filter f;
	struct pw_error err;
	struct entry e;
	char *fts;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	filter_init(&f);
	for (line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		filter_set(&f, line, eq + 1, &err);
	}
	entry_init(&e);
	e.id = "arxiv:2606.00001";
	e.title = "Diffusion models for GPT-4 agents";
	e.summary = "We study \"speculative decoding\" in large models.";
	e.first_seen_at = 1781222400;
	e.upvotes = 12;
	filter_match(&f, &e, 1781222400);
	fts = filter_fts_expr(&f);
	free(fts);
	filter_free(&f);
	free(text);
	return 0;
}
