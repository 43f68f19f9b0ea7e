/*
 * store_stats.h: how big the store is, for /metrics.
 *
 * Reads SQLite's page counters and the WAL file's size; no table is
 * scanned beyond store_count's COUNT(*).
 */
#ifndef PAPERWIRE_STORE_STATS_H
#define PAPERWIRE_STORE_STATS_H

#include <stdint.h>

#include "error.h"
#include "store.h"

struct store_stats {
	int64_t entries;        /* rows in entries */
	int64_t database_bytes; /* page_count * page_size of the main file */
	int64_t free_bytes;     /* of which on the freelist (reusable) */
	int64_t wal_bytes;      /* the -wal file now; 0 in memory or without */
};

/* Fills *out. 0, or -1 with err set. */
int store_stats_get(
    struct store *s, struct store_stats *out, struct pw_error *err);

#endif
