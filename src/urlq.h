/*
 * urlq.h: appending query parameters to a URL with curl's URL API, so a
 * configured URL that already has a query keeps it and every value is
 * encoded exactly once.
 */
#ifndef PAPERWIRE_URLQ_H
#define PAPERWIRE_URLQ_H

#include <curl/curl.h>

/* Appends "key=value" to u's query; curl encodes the value (a space
 * becomes '+', '&' and '=' are escaped). 0, or -1 (memory, or curl
 * refused it). */
int urlq_append(CURLU *u, const char *key, const char *value);

#endif
