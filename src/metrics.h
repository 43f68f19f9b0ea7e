/*
 * metrics.h: a small registry of counters and gauges with labels, served
 * at GET /metrics in the Prometheus text exposition format (version 0.0.4).
 *
 * A family is a static struct metrics_family defined by the module that
 * updates it, next to the code that counts:
 *
 *   static struct metrics_family m_polls = {
 *       .type = METRICS_COUNTER,
 *       .name = "paperwire_source_polls_total",
 *       .help = "Poll attempts that ended, per source.",
 *       .labels = {"source"},
 *   };
 *   metrics_add(&m_polls, METRICS_LABELS(name), 1);
 *
 * A family joins the registry the first time it is used (or is given to
 * metrics_register, which makes it appear in /metrics before its first
 * sample; an unlabelled family then shows 0). A series (one combination of
 * label values) is created on its first update. Label values are copied;
 * any UTF-8 is fine (it is escaped on output). Names follow Prometheus
 * conventions: paperwire_ prefix, base units in the name (_seconds,
 * _bytes), counters end in _total.
 *
 * Gauges that are cheaper to read at scrape time than to keep up to date
 * (queue depth, database size) are set by a collector: a function
 * registered with metrics_collector_add that metrics_render calls first.
 *
 * For the webhook sender (issue 3) the families are defined here, so their
 * names are settled and /metrics shows them once registered:
 *
 *   metrics_add(&metrics_webhook_deliveries, METRICS_LABELS(outcome), 1);
 *       outcome: "delivered", "failed" (will be retried), "dead" (gave
 *       up), "rejected" (the receiver answered 410 Gone: the
 *       subscription ended; other 4xx answers are retried, as "failed")
 *   metrics_set(&metrics_webhook_queue_depth, NULL, pending);
 *   metrics_set(&metrics_webhook_oldest_pending_age, NULL, seconds);
 *
 * the two gauges best from a collector that asks the store at scrape
 * time: metrics_collector_add(webhook_collect, sender).
 *
 * Not thread-safe: the one event loop owns it (the whole daemon is single
 * threaded). Ownership: families are borrowed (static storage); the
 * registry owns the series and frees them in metrics_reset.
 */
#ifndef PAPERWIRE_METRICS_H
#define PAPERWIRE_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define METRICS_MAX_LABELS 3

enum metrics_type { METRICS_COUNTER = 0, METRICS_GAUGE };

struct metrics_series;

struct metrics_family {
	enum metrics_type type;
	const char *name; /* [a-zA-Z_:][a-zA-Z0-9_:]* */
	const char *help; /* one line */
	/* Label names, [a-zA-Z_][a-zA-Z0-9_]*, ended by NULL (or by the end
	 * of the array). */
	const char *labels[METRICS_MAX_LABELS + 1];

	/* Private to metrics.c. */
	size_t n_labels;
	size_t n_series;
	struct metrics_series *series;
	struct metrics_family *next;
	bool registered;
	bool invalid;
};

/* A NULL-terminated array of label values, in the family's label order. */
#define METRICS_LABELS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Adds f to the registry (idempotent). An invalid name or label name is
 * refused: -1, and every later update of f fails. */
int metrics_register(struct metrics_family *f);

/*
 * Adds delta to a series (created at 0). values holds exactly one value
 * per label name (NULL for an unlabelled family). A counter refuses a
 * negative delta. -1 on a wrong number of values, out of memory, or when
 * the family already holds CAP_METRICS_SERIES series.
 */
int metrics_add(
    struct metrics_family *f, const char *const *values, double delta);

/* Sets a gauge's series to value. -1 as metrics_add, or for a counter. */
int metrics_set(
    struct metrics_family *f, const char *const *values, double value);

/* The value of a series, or 0 when it does not exist. */
double metrics_get(struct metrics_family *f, const char *const *values);

/* Removes every series, in every family, whose label name has this
 * value (a source dropped by a configuration reload). */
void metrics_forget(const char *label, const char *value);

/* A function run by metrics_render before it writes, to set gauges. */
typedef void (*metrics_collect_fn)(void *arg);
/* 0, or -1 when CAP_METRICS_COLLECTORS are registered already. */
int metrics_collector_add(metrics_collect_fn fn, void *arg);
void metrics_collector_remove(metrics_collect_fn fn, void *arg);

/*
 * Runs the collectors, then appends every registered family to out:
 * "# HELP", "# TYPE" and one line per series, families in registration
 * order, series in creation order. 0, or -1 when out's cap was reached.
 */
int metrics_render(struct buf *out);

/* Frees every series and empties the registry and the collectors (at
 * shutdown, and between unit tests). */
void metrics_reset(void);

/* The webhook sender's families (see above). */
extern struct metrics_family metrics_webhook_deliveries;
extern struct metrics_family metrics_webhook_queue_depth;
extern struct metrics_family metrics_webhook_oldest_pending_age;

#endif
