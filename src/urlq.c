/* urlq.c: query parameters appended through curl_url_set. */
#include "urlq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int urlq_append(CURLU *u, const char *key, const char *value)
{
	size_t n = strlen(key) + strlen(value) + 2;
	char *pair = malloc(n);
	int rc = -1;

	if (pair == NULL)
		return -1;
	snprintf(pair, n, "%s=%s", key, value);
	if (curl_url_set(u, CURLUPART_QUERY, pair,
	        CURLU_APPENDQUERY | CURLU_URLENCODE) == CURLUE_OK)
		rc = 0;
	free(pair);
	return rc;
}
