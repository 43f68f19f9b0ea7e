/*
 * log.c: logfmt (default) or JSON lines on stderr, one line per event.
 *
 * Each line is assembled in a local buffer and written with one fputs so
 * lines from different events never interleave.
 */
#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"

static enum log_level log_min = LOG_INFO;
static enum log_format log_fmt = LOG_LOGFMT;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level)
{
	log_min = level;
}

void log_set_format(enum log_format format)
{
	log_fmt = format;
}

bool log_enabled(enum log_level level)
{
	return level >= log_min;
}

int log_parse_level(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]);
	     i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* logfmt quotes a value when it is empty or holds space, '=' or '"'. */
static void put_logfmt_value(struct buf *b, const char *v)
{
	bool quote = v[0] == '\0' || strpbrk(v, " =\"\t\n\r\\") != NULL;

	if (!quote) {
		buf_puts(b, v);
		return;
	}
	buf_puts(b, "\"");
	for (const char *p = v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else if ((unsigned char)*p < 0x20)
			buf_printf(b, "\\u%04x", (unsigned char)*p);
		else
			buf_append(b, p, 1);
	}
	buf_puts(b, "\"");
}

/* A JSON string literal; bytes >= 0x80 pass through (values are UTF-8). */
static void put_json_string(struct buf *b, const char *v)
{
	buf_puts(b, "\"");
	for (const char *p = v; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_append(b, p, 1);
	}
	buf_puts(b, "\"");
}

static void put_field(struct buf *b, bool first, const char *key, const char *v)
{
	if (log_fmt == LOG_JSON) {
		if (!first)
			buf_puts(b, ",");
		put_json_string(b, key);
		buf_puts(b, ":");
		put_json_string(b, v);
	} else {
		if (!first)
			buf_puts(b, " ");
		buf_puts(b, key);
		buf_puts(b, "=");
		put_logfmt_value(b, v);
	}
}

void log_event(enum log_level level, const char *msg, ...)
{
	char ts[40];
	struct timespec now;
	struct tm tm;
	struct buf b;
	va_list ap;
	const char *k, *v;

	if (level < log_min)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, now.tv_nsec / 1000000L);

	buf_init(&b, 16384);
	if (log_fmt == LOG_JSON)
		buf_puts(&b, "{");
	put_field(&b, true, "ts", ts);
	put_field(&b, false, "level", level_names[level]);
	put_field(&b, false, "msg", msg);
	va_start(ap, msg);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		put_field(&b, false, k, v != NULL ? v : "");
	}
	va_end(ap);
	buf_puts(&b, log_fmt == LOG_JSON ? "}\n" : "\n");
	fputs(buf_str(&b), stderr);
	fflush(stderr);
	buf_free(&b);
}
