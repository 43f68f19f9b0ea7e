/*
 * pollstats.h: the poller's metrics (metrics.h), one series per source.
 *
 *   paperwire_source_polls_total{source}              poll attempts ended
 *   paperwire_source_poll_failures_total{source}      of which failed
 *   paperwire_source_consecutive_failures{source}     failures in a row now
 *   paperwire_source_last_success_timestamp_seconds{source}
 *       Unix time of the last successful poll (kept across restarts by
 *       the store; 0 when there never was one)
 *   paperwire_source_entries_ingested_total{source,outcome}
 *       entries a poll wrote: outcome "inserted" or "updated"; and
 *       "unchanged" for entries a successful poll saw as stored
 */
#ifndef PAPERWIRE_POLLSTATS_H
#define PAPERWIRE_POLLSTATS_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

/* Creates the source's series (at 0) and sets its gauges from the state
 * the store kept (a restart or reload keeps the last success time). */
void pollstats_source(const char *name, const struct source_state *st);

/* Counts one ended poll; st is the state after it. */
void pollstats_poll_end(const char *name, bool ok, size_t inserted,
    size_t updated, size_t unchanged, const struct source_state *st);

#endif
