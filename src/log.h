/*
 * log.h: one line per event on stderr.
 *
 * The default format is logfmt ("ts=... level=info msg=\"...\" key=value");
 * log_set_format(LOG_JSON) writes one JSON object per line instead. Fields
 * are given as alternating key and value strings ending with NULL, so every
 * value is quoted and escaped the same way. Secrets are never passed here.
 */
#ifndef PAPERWIRE_LOG_H
#define PAPERWIRE_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };
enum log_format { LOG_LOGFMT = 0, LOG_JSON };

void log_set_level(enum log_level level);
void log_set_format(enum log_format format);
/* Parses "debug", "info", "warn", "error"; 0 or -1. */
int log_parse_level(const char *s, enum log_level *out);
/* true when events of this level are written (skip costly fields else). */
bool log_enabled(enum log_level level);

/* Ends a field list: a typed null pointer, as variadic functions need. */
#define LOG_END ((const char *)NULL)

/* log_event(LOG_INFO, "poll finished", "source", name, "entries", "30",
 * LOG_END) */
void log_event(enum log_level level, const char *msg, ...)
    __attribute__((sentinel));

#endif
