/*
 * error.h: the one error convention.
 *
 * Functions that can fail return 0 (or a pointer) on success and -1 (or
 * NULL) on failure, and describe the failure in a caller-provided
 * struct pw_error when one is passed (it may be NULL). The message is one
 * line, without a trailing period, suitable for a log line or an HTTP 400.
 */
#ifndef PAPERWIRE_ERROR_H
#define PAPERWIRE_ERROR_H

#include <stddef.h>

#define PW_ERROR_BYTES 256

struct pw_error {
	char msg[PW_ERROR_BYTES];
};

/* Formats into err (if not NULL) and returns -1, so callers can write
 * "return pw_error_set(err, ...);". */
int pw_error_set(struct pw_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to an existing message. Returns -1. */
int pw_error_prefix(struct pw_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
