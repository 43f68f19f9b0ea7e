/*
 * respcache.h: rendered responses kept in memory, so a feed reader polling
 * an unchanged feed costs a lookup, not a query and a render.
 *
 * An entry is valid while the store's generation is the one it was
 * rendered at and its expiry has not passed (filters with days= move with
 * the clock). Bodies are reference-counted so a response being written to
 * a slow client survives eviction. The ETag is a strong validator derived
 * from the SHA-256 of the identity body.
 *
 * Ownership: respcache_get returns a borrowed pointer valid until the next
 * cache call; take a reference (cached_ref) to keep it longer.
 */
#ifndef PAPERWIRE_RESPCACHE_H
#define PAPERWIRE_RESPCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct cached {
	int refs;
	struct buf body; /* identity encoding */
	struct buf gz;   /* gzip encoding, filled on first demand */
	int gz_state;    /* 0 not tried, 1 ready, -1 failed */
	char etag[48];   /* "\"<32 hex>\"" */
	int64_t last_modified;
	const char *content_type; /* static string */
};

struct respcache;

/* new: a cache of at most max entries. NULL on out of memory. */
struct respcache *respcache_new(size_t max);
void respcache_free(struct respcache *rc);

/* The valid entry for key, or NULL. Borrowed. */
struct cached *respcache_get(
    struct respcache *rc, const char *key, uint64_t generation, int64_t now);

/*
 * Stores a response under key (replacing an older one), stealing body's
 * data (body is left empty). Returns the new entry (borrowed), or NULL on
 * out of memory, in which case body is freed.
 */
struct cached *respcache_put(struct respcache *rc, const char *key,
    uint64_t generation, int64_t expires, struct buf *body,
    const char *content_type, int64_t last_modified);

/* Fills the entry's ETag for body (SHA-256, first 16 bytes as hex). */
void cached_set_etag(struct cached *c);

void cached_ref(struct cached *c);
void cached_unref(struct cached *c);

/* The gzip body, compressing on first use; NULL if compression failed. */
const struct buf *cached_gzip(struct cached *c);

/* Entries held (for metrics). */
size_t respcache_size(const struct respcache *rc);

#endif
