/* Fuzzes a webhook subscription as the admin API reads it: arbitrary
 * bytes as a JSON body, checked against a configuration with one feed,
 * then shown, hashed and turned into its filter. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "subs.h"

static void ignore(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char cfg_text[] = "{\"feeds\": [{\"name\": \"hot\", "
	                               "\"filter\": {\"min_upvotes\": 5}}]}";
	struct config c;
	struct config_errors errs;
	struct pw_error err;
	struct filter f;
	struct sub s;
	char id[SUBS_ID_BYTES];
	json_t *body, *shown;

	config_errors_init(&errs);
	if (config_default(&c) != 0 ||
	    config_load_json(&c, cfg_text, sizeof(cfg_text) - 1, &errs) != 0)
		goto out;
	body =
	    json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	subs_init(&s);
	if (body != NULL && subs_parse(&s, body, &c, ignore, NULL) == 0) {
		subs_config_id(&s, id);
		s.id = strdup(id);
		shown = subs_to_json(&s, true);
		json_decref(shown);
		filter_init(&f);
		subs_filter(&s, &c, &f, &err);
		filter_free(&f);
	}
	subs_clear(&s);
	json_decref(body);
out:
	config_free(&c);
	config_errors_free(&errs);
	return 0;
}
