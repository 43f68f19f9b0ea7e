/* Fuzzes the configuration loader on arbitrary JSON text. */
#include <stdint.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	struct config_errors errs;

	config_errors_init(&errs);
	if (config_default(&c) == 0)
		config_load_json(&c, (const char *)data, size, &errs);
	config_free(&c);
	config_errors_free(&errs);
	return 0;
}
