/*
 * pollstats.c: the poller's metrics; see pollstats.h for the names.
 */
#include "pollstats.h"

#include "metrics.h"

static struct metrics_family m_polls = {
    .type = METRICS_COUNTER,
    .name = "paperwire_source_polls_total",
    .help = "Poll attempts that ended (succeeded or failed), per source.",
    .labels = {"source"},
};
static struct metrics_family m_failures = {
    .type = METRICS_COUNTER,
    .name = "paperwire_source_poll_failures_total",
    .help = "Poll attempts that failed, per source.",
    .labels = {"source"},
};
static struct metrics_family m_consecutive = {
    .type = METRICS_GAUGE,
    .name = "paperwire_source_consecutive_failures",
    .help = "Polls in a row that failed, per source (0 after a success).",
    .labels = {"source"},
};
static struct metrics_family m_last_success = {
    .type = METRICS_GAUGE,
    .name = "paperwire_source_last_success_timestamp_seconds",
    .help = "Unix time of the last successful poll, per source (0: never).",
    .labels = {"source"},
};
static struct metrics_family m_ingested = {
    .type = METRICS_COUNTER,
    .name = "paperwire_source_entries_ingested_total",
    .help = "Entries polls brought in, per source and outcome (inserted, "
            "updated, unchanged).",
    .labels = {"source", "outcome"},
};

static void set_state(const char *name, const struct source_state *st)
{
	metrics_set(&m_consecutive, METRICS_LABELS(name), (double)st->failures);
	metrics_set(
	    &m_last_success, METRICS_LABELS(name), (double)st->last_success);
}

void pollstats_source(const char *name, const struct source_state *st)
{
	metrics_add(&m_polls, METRICS_LABELS(name), 0);
	metrics_add(&m_failures, METRICS_LABELS(name), 0);
	metrics_add(&m_ingested, METRICS_LABELS(name, "inserted"), 0);
	metrics_add(&m_ingested, METRICS_LABELS(name, "updated"), 0);
	metrics_add(&m_ingested, METRICS_LABELS(name, "unchanged"), 0);
	set_state(name, st);
}

void pollstats_poll_end(const char *name, bool ok, size_t inserted,
    size_t updated, size_t unchanged, const struct source_state *st)
{
	metrics_add(&m_polls, METRICS_LABELS(name), 1);
	metrics_add(&m_failures, METRICS_LABELS(name), ok ? 0 : 1);
	metrics_add(
	    &m_ingested, METRICS_LABELS(name, "inserted"), (double)inserted);
	metrics_add(
	    &m_ingested, METRICS_LABELS(name, "updated"), (double)updated);
	/* A failed poll's commit may have failed too; its gathered entries
	 * are then not known to be stored, so only successes count them. */
	if (ok)
		metrics_add(&m_ingested, METRICS_LABELS(name, "unchanged"),
		    (double)unchanged);
	set_state(name, st);
}
