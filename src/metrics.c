/*
 * metrics.c: the registry of counters and gauges and its Prometheus text
 * exposition (https://prometheus.io/docs/instrumenting/exposition_formats/).
 *
 * Families are few (tens) and so are their series (one per source, route
 * or status), so a linked list per family searched linearly is both the
 * simplest and fast enough: an update is a handful of string compares.
 */
#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"

struct metrics_series {
	char *values[METRICS_MAX_LABELS];
	double value;
	struct metrics_series *next;
};

struct collector {
	metrics_collect_fn fn;
	void *arg;
};

static struct metrics_family *families; /* registration order */
static struct metrics_family **families_tail = &families;
static struct collector collectors[CAP_METRICS_COLLECTORS];
static size_t n_collectors;

struct metrics_family metrics_webhook_deliveries = {
    .type = METRICS_COUNTER,
    .name = "paperwire_webhook_deliveries_total",
    .help = "Webhook delivery attempts, by outcome.",
    .labels = {"outcome"},
};
struct metrics_family metrics_webhook_queue_depth = {
    .type = METRICS_GAUGE,
    .name = "paperwire_webhook_queue_depth",
    .help = "Webhook deliveries waiting to be sent or retried.",
};
struct metrics_family metrics_webhook_oldest_pending_age = {
    .type = METRICS_GAUGE,
    .name = "paperwire_webhook_oldest_pending_age_seconds",
    .help = "Age of the oldest webhook delivery still pending.",
};

static bool valid_name(const char *s, bool colon)
{
	if (s == NULL || s[0] == '\0' || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (; *s != '\0'; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || c == '_' ||
		        (colon && c == ':')))
			return false;
	}
	return true;
}

static void series_free(struct metrics_series *s, size_t n_labels)
{
	for (size_t i = 0; i < n_labels; i++)
		free(s->values[i]);
	free(s);
}

int metrics_register(struct metrics_family *f)
{
	if (f->registered)
		return f->invalid ? -1 : 0;
	f->n_labels = 0;
	while (
	    f->n_labels < METRICS_MAX_LABELS && f->labels[f->n_labels] != NULL)
		f->n_labels++;
	f->invalid = !valid_name(f->name, true) || f->help == NULL;
	for (size_t i = 0; i < f->n_labels; i++)
		if (!valid_name(f->labels[i], false) ||
		    strncmp(f->labels[i], "__", 2) == 0)
			f->invalid = true;
	f->registered = true;
	f->series = NULL;
	f->n_series = 0;
	f->next = NULL;
	*families_tail = f;
	families_tail = &f->next;
	if (f->invalid)
		return -1;
	/* An unlabelled family has exactly one series: show it from the
	 * start, so a counter reads 0 rather than being absent. */
	if (f->n_labels == 0)
		return metrics_add(f, NULL, 0);
	return 0;
}

/* The series of f for values; created when create is true. NULL when it
 * does not exist (or cannot be made). */
static struct metrics_series *find(
    struct metrics_family *f, const char *const *values, bool create)
{
	struct metrics_series *s, **tail;
	size_t n = 0;

	if (metrics_register(f) != 0 && f->invalid)
		return NULL;
	while (values != NULL && n <= f->n_labels && values[n] != NULL)
		n++;
	if (n != f->n_labels)
		return NULL;
	for (tail = &f->series; (s = *tail) != NULL; tail = &s->next) {
		size_t i = 0;

		while (i < n && strcmp(s->values[i], values[i]) == 0)
			i++;
		if (i == n)
			return s;
	}
	if (!create || f->n_series >= CAP_METRICS_SERIES)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		s->values[i] = strdup(values[i]);
		if (s->values[i] == NULL) {
			series_free(s, i);
			return NULL;
		}
	}
	*tail = s;
	f->n_series++;
	return s;
}

int metrics_add(
    struct metrics_family *f, const char *const *values, double delta)
{
	struct metrics_series *s;

	if (f->type == METRICS_COUNTER && !(delta >= 0))
		return -1;
	s = find(f, values, true);
	if (s == NULL)
		return -1;
	s->value += delta;
	return 0;
}

int metrics_set(
    struct metrics_family *f, const char *const *values, double value)
{
	struct metrics_series *s;

	if (f->type != METRICS_GAUGE)
		return -1;
	s = find(f, values, true);
	if (s == NULL)
		return -1;
	s->value = value;
	return 0;
}

double metrics_get(struct metrics_family *f, const char *const *values)
{
	struct metrics_series *s = find(f, values, false);

	return s != NULL ? s->value : 0;
}

void metrics_forget(const char *label, const char *value)
{
	for (struct metrics_family *f = families; f != NULL; f = f->next) {
		struct metrics_series **pp = &f->series;
		size_t li = 0;

		while (li < f->n_labels && strcmp(f->labels[li], label) != 0)
			li++;
		if (li == f->n_labels)
			continue;
		while (*pp != NULL) {
			struct metrics_series *s = *pp;

			if (strcmp(s->values[li], value) == 0) {
				*pp = s->next;
				series_free(s, f->n_labels);
				f->n_series--;
			} else {
				pp = &s->next;
			}
		}
	}
}

int metrics_collector_add(metrics_collect_fn fn, void *arg)
{
	if (n_collectors >= CAP_METRICS_COLLECTORS)
		return -1;
	collectors[n_collectors].fn = fn;
	collectors[n_collectors].arg = arg;
	n_collectors++;
	return 0;
}

void metrics_collector_remove(metrics_collect_fn fn, void *arg)
{
	for (size_t i = 0; i < n_collectors; i++) {
		if (collectors[i].fn == fn && collectors[i].arg == arg) {
			memmove(&collectors[i], &collectors[i + 1],
			    (n_collectors - i - 1) * sizeof(collectors[0]));
			n_collectors--;
			return;
		}
	}
}

/* HELP text escapes backslash and newline; label values also '"'. */
static int put_escaped(struct buf *out, const char *s, bool quote)
{
	const char *run = s;
	int rc = 0;

	for (; *s != '\0'; s++) {
		const char *rep = NULL;

		if (*s == '\\')
			rep = "\\\\";
		else if (*s == '\n')
			rep = "\\n";
		else if (quote && *s == '"')
			rep = "\\\"";
		if (rep == NULL)
			continue;
		rc |= buf_append(out, run, (size_t)(s - run));
		rc |= buf_puts(out, rep);
		run = s + 1;
	}
	return rc | buf_puts(out, run);
}

/* Integers print without an exponent (a counter of bytes stays exact up
 * to 2^53); everything else with enough digits to round-trip. */
static int put_value(struct buf *out, double v)
{
	if (isnan(v))
		return buf_puts(out, "NaN");
	if (isinf(v))
		return buf_puts(out, v > 0 ? "+Inf" : "-Inf");
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return buf_printf(out, "%.0f", v);
	return buf_printf(out, "%.15g", v);
}

/* Appends one family; -1 if any part did not fit. */
static int put_family(struct buf *out, const struct metrics_family *f)
{
	int rc = 0;

	rc |= buf_printf(out, "# HELP %s ", f->name);
	rc |= put_escaped(out, f->help, false);
	rc |= buf_printf(out, "\n# TYPE %s %s\n", f->name,
	    f->type == METRICS_COUNTER ? "counter" : "gauge");
	for (const struct metrics_series *s = f->series; s != NULL;
	     s = s->next) {
		rc |= buf_puts(out, f->name);
		for (size_t i = 0; i < f->n_labels; i++) {
			rc |= buf_printf(
			    out, "%s%s=\"", i == 0 ? "{" : ",", f->labels[i]);
			rc |= put_escaped(out, s->values[i], true);
			rc |= buf_puts(out, "\"");
		}
		rc |= buf_puts(out, f->n_labels > 0 ? "} " : " ");
		rc |= put_value(out, s->value);
		rc |= buf_puts(out, "\n");
	}
	return rc;
}

int metrics_render(struct buf *out)
{
	struct buf one;
	int rc = 0;

	for (size_t i = 0; i < n_collectors; i++)
		collectors[i].fn(collectors[i].arg);
	/* Each family is written whole or not at all: one cut by the cap
	 * would leave a malformed exposition. */
	buf_init(&one, out->max);
	for (const struct metrics_family *f = families; rc == 0 && f != NULL;
	     f = f->next) {
		if (f->invalid)
			continue;
		buf_reset(&one);
		if (put_family(&one, f) != 0 ||
		    buf_append(out, one.data, one.len) != 0)
			rc = -1;
	}
	buf_free(&one);
	return rc;
}

void metrics_reset(void)
{
	struct metrics_family *f = families, *next;

	for (; f != NULL; f = next) {
		next = f->next;
		while (f->series != NULL) {
			struct metrics_series *s = f->series;

			f->series = s->next;
			series_free(s, f->n_labels);
		}
		f->n_series = 0;
		f->next = NULL;
		f->registered = false;
		f->invalid = false;
	}
	families = NULL;
	families_tail = &families;
	n_collectors = 0;
}
