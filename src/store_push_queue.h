/*
 * store_push_queue.h: the deliveries queue, the outbox of push (see
 * store_push.h for the ownership rules). A delivery is "pending" with the
 * time of its next attempt in Unix milliseconds, "done", or "dead".
 */
#ifndef PAPERWIRE_STORE_PUSH_QUEUE_H
#define PAPERWIRE_STORE_PUSH_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "caps.h"
#include "error.h"

struct store_push;

enum delivery_kind {
	DELIVERY_WEBHOOK = 0, /* a message to a webhook subscription */
	DELIVERY_WEBSUB,      /* a feed to a WebSub subscriber */
	DELIVERY_PING,        /* hub.mode=publish to an external hub */
};

struct delivery {
	int64_t seq; /* queue order */
	char *id;    /* "msg_...", the webhook-id */
	enum delivery_kind kind;
	char *sub_id;       /* webhook or WebSub subscription; NULL for pings */
	char *entry_id;     /* webhooks only */
	char *url;          /* where it is POSTed */
	char *topic;        /* WebSub: the feed URL */
	char *content_type; /* of body */
	char *body;
	size_t body_len;
	int attempts;            /* made so far */
	int64_t next_attempt_ms; /* Unix milliseconds */
	int64_t created_at;      /* Unix seconds */
};

void delivery_init(struct delivery *d);
void delivery_clear(struct delivery *d);

/* Queues d as pending (seq is assigned). 0 or -1. */
int store_push_queue_add(
    struct store_push *sp, const struct delivery *d, struct pw_error *err);

/* A pending delivery that is due. */
struct delivery_due {
	int64_t seq;
	char url[CAP_PUSH_URL_BYTES + 1];
};

/* Fills up to max pending deliveries due at now_ms, in queue order;
 * *n tells how many. 0 or -1. */
int store_push_queue_due(struct store_push *sp, int64_t now_ms,
    struct delivery_due *out, size_t max, size_t *n, struct pw_error *err);
/* The earliest next attempt after now_ms among pending deliveries, or 0
 * when there is none. */
int64_t store_push_queue_next(struct store_push *sp, int64_t now_ms);
/* Loads a delivery (body included) into the initialized d; *found false
 * when it is gone. 0 or -1. */
int store_push_queue_load(struct store_push *sp, int64_t seq,
    struct delivery *d, bool *found, struct pw_error *err);

/* What one attempt came to. */
struct delivery_result {
	int64_t seq;
	const char *sub_id; /* webhook subscription to count it for, or NULL */
	const char *status; /* "pending", "done" or "dead" */
	int attempts;
	int64_t next_attempt_ms;
	long http_status;  /* 0: no HTTP answer */
	const char *error; /* NULL on success */
	int64_t now;       /* Unix seconds */
};

/* Records an attempt's result (call inside a transaction to batch). */
int store_push_queue_result(struct store_push *sp,
    const struct delivery_result *r, struct pw_error *err);

/* Deletes done deliveries last updated before before (Unix seconds). */
int store_push_queue_prune(
    struct store_push *sp, int64_t before, struct pw_error *err);

/* Pending deliveries: how many, and the created_at of the oldest (0
 * when none). 0 or -1. */
int store_push_queue_pending(
    struct store_push *sp, int64_t *count, int64_t *oldest);

/* new: a JSON array of the subscription's dead deliveries, newest first,
 * at most CAP_PUSH_DEAD_LISTED (NULL on error, err set). */
json_t *store_push_queue_dead_json(
    struct store_push *sp, const char *sub_id, struct pw_error *err);
/* Makes the subscription's dead deliveries pending again, due at now_ms
 * with their attempts reset; *n tells how many. 0 or -1. */
int store_push_queue_replay(struct store_push *sp, const char *sub_id,
    int64_t now_ms, int64_t *n, struct pw_error *err);

#endif
