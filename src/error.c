/* error.c: formatting helpers for struct pw_error. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int pw_error_set(struct pw_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int pw_error_prefix(struct pw_error *err, const char *fmt, ...)
{
	char prefix[PW_ERROR_BYTES];
	char old[PW_ERROR_BYTES];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return -1;
}
