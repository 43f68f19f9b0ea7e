/* respcache.c: a small LRU of rendered responses keyed by route + query. */
#include "respcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "digest.h"
#include "gz.h"

struct slot {
	char *key;
	uint64_t hash;
	uint64_t generation;
	int64_t expires;
	uint64_t last_use;
	struct cached *c;
};

struct respcache {
	struct slot *slots;
	size_t n, max;
	uint64_t tick;
};

/* FNV-1a: only to skip string compares, not for security. */
static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

struct respcache *respcache_new(size_t max)
{
	struct respcache *rc = calloc(1, sizeof(*rc));

	if (rc == NULL)
		return NULL;
	rc->slots = calloc(max, sizeof(*rc->slots));
	if (rc->slots == NULL) {
		free(rc);
		return NULL;
	}
	rc->max = max;
	return rc;
}

static void slot_clear(struct slot *s)
{
	free(s->key);
	if (s->c != NULL)
		cached_unref(s->c);
	memset(s, 0, sizeof(*s));
}

void respcache_free(struct respcache *rc)
{
	if (rc == NULL)
		return;
	for (size_t i = 0; i < rc->n; i++)
		slot_clear(&rc->slots[i]);
	free(rc->slots);
	free(rc);
}

static struct slot *find(struct respcache *rc, const char *key, uint64_t h)
{
	for (size_t i = 0; i < rc->n; i++)
		if (rc->slots[i].hash == h &&
		    strcmp(rc->slots[i].key, key) == 0)
			return &rc->slots[i];
	return NULL;
}

struct cached *respcache_get(
    struct respcache *rc, const char *key, uint64_t generation, int64_t now)
{
	struct slot *s = find(rc, key, hash_key(key));

	if (s == NULL || s->generation != generation || now >= s->expires)
		return NULL;
	s->last_use = ++rc->tick;
	return s->c;
}

void cached_set_etag(struct cached *c)
{
	char hex[DIGEST_HEX_BYTES];

	digest_sha256_hex("", buf_str(&c->body), c->body.len, hex);
	snprintf(c->etag, sizeof(c->etag), "\"%.32s\"", hex);
}

struct cached *respcache_put(struct respcache *rc, const char *key,
    uint64_t generation, int64_t expires, struct buf *body,
    const char *content_type, int64_t last_modified)
{
	uint64_t h = hash_key(key);
	struct slot *s = find(rc, key, h);
	struct cached *c = calloc(1, sizeof(*c));
	char *k = strdup(key);

	if (c == NULL || k == NULL) {
		free(c);
		free(k);
		buf_free(body);
		return NULL;
	}
	c->refs = 1;
	c->body = *body;
	buf_init(body, body->max);
	buf_init(&c->gz, CAP_RESPONSE_BYTES);
	c->content_type = content_type;
	c->last_modified = last_modified;
	cached_set_etag(c);

	if (s == NULL && rc->n < rc->max) {
		s = &rc->slots[rc->n++];
	} else if (s == NULL) {
		s = &rc->slots[0];
		for (size_t i = 1; i < rc->n; i++)
			if (rc->slots[i].last_use < s->last_use)
				s = &rc->slots[i];
	}
	slot_clear(s);
	s->key = k;
	s->hash = h;
	s->generation = generation;
	s->expires = expires;
	s->last_use = ++rc->tick;
	s->c = c;
	return c;
}

void cached_ref(struct cached *c)
{
	c->refs++;
}

void cached_unref(struct cached *c)
{
	if (--c->refs > 0)
		return;
	buf_free(&c->body);
	buf_free(&c->gz);
	free(c);
}

const struct buf *cached_gzip(struct cached *c)
{
	if (c->gz_state == 0)
		c->gz_state =
		    gz_compress(buf_str(&c->body), c->body.len, &c->gz) == 0
		        ? 1
		        : -1;
	return c->gz_state == 1 ? &c->gz : NULL;
}

size_t respcache_size(const struct respcache *rc)
{
	return rc->n;
}
