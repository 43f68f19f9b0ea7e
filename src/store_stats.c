/*
 * store_stats.c: the store's size; see store_stats.h.
 */
#include "store_stats.h"

#include <stdio.h>
#include <string.h>

#include <sys/stat.h>

#include "store_int.h"

/* The one integer a PRAGMA answers; -1 on error. */
static int64_t pragma(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int store_stats_get(
    struct store *s, struct store_stats *out, struct pw_error *err)
{
	const char *file = sqlite3_db_filename(s->db, "main");
	int64_t pages, page_size, free_pages;
	char wal[4096];
	struct stat sb;

	memset(out, 0, sizeof(*out));
	out->entries = store_count(s, NULL);
	pages = pragma(s, "PRAGMA page_count");
	page_size = pragma(s, "PRAGMA page_size");
	free_pages = pragma(s, "PRAGMA freelist_count");
	if (out->entries < 0 || pages < 0 || page_size < 0 || free_pages < 0)
		return store_db_error(s, err, "size");
	out->database_bytes = pages * page_size;
	out->free_bytes = free_pages * page_size;
	/* An in-memory database has no file name ("" or NULL). */
	if (file != NULL && file[0] != '\0' &&
	    (size_t)snprintf(wal, sizeof(wal), "%s-wal", file) < sizeof(wal) &&
	    stat(wal, &sb) == 0)
		out->wal_bytes = (int64_t)sb.st_size;
	return 0;
}
