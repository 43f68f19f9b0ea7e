/*
 * push_int.h: what push.c, push_match.c and push_send.c share; no other
 * module includes it.
 *
 * push.c owns the lifecycle and the matcher's view of the subscriptions
 * (loaded from the database with their filters compiled, reloaded when
 * marked stale); push_match.c is the poller's commit hook; push_send.c
 * delivers the queue.
 */
#ifndef PAPERWIRE_PUSH_INT_H
#define PAPERWIRE_PUSH_INT_H

#include "push.h"

#include "filter.h"
#include "store_push.h"

/* A webhook subscription as the matcher sees it. */
struct push_sub {
	struct sub sub;
	struct filter filter;
};

/* A WebSub subscription with its topic resolved. */
struct push_ws {
	struct websub_sub ws;
	struct filter filter;
	char *path;  /* the topic's feed path, "/feeds/hot.atom" */
	char *query; /* its raw query string, "" when none */
};

struct push_sender;

struct push {
	struct app *app;
	struct store_push *sp;
	struct push_sub *subs; /* enabled webhook subscriptions */
	size_t n_subs;
	struct push_ws *ws; /* WebSub subscriptions with a live lease */
	size_t n_ws;
	bool stale; /* reload both lists before the next match */
	struct push_sender *sender;
	/* Where webhook targets and WebSub callbacks may connect; rebuilt
	 * from the configuration on every reload. */
	struct netguard *guard;
};

/* Reloads the subscriptions and their filters if marked stale. 0 or -1. */
int push_refresh(struct push *p, int64_t now, struct pw_error *err);

/* The hook poller_set_commit_hook takes (push_match.c); arg is the push. */
int push_match_hook(void *arg, struct store *store,
    const char *const *changed_ids, size_t n, int64_t now,
    struct pw_error *err);

/* Formats the message of (s, e) matched at now and queues it
 * (push_match.c). A message that cannot be formatted (over
 * CAP_PUSH_MESSAGE_BYTES) is logged and skipped. 0, or -1 when the store
 * failed. */
int push_match_enqueue(struct push *p, const struct sub *s,
    const struct entry *e, int64_t now, struct pw_error *err);

/* Writes the webhook-id of (subscription, entry): "msg_" and 32 hex
 * digits of a hash of the pair, so it is the same on every attempt and
 * every replay. out has room for PUSH_MSG_ID_BYTES. */
#define PUSH_MSG_ID_BYTES 40
void push_msg_id(const char *sub_id, const char *entry_id, char *out);
/* A random message id for deliveries that are not about one entry. */
int push_msg_id_random(char *out, struct pw_error *err);

/* Milliseconds since the epoch (wall clock: stored in the queue). */
int64_t push_now_ms(void);

/*
 * push_headers.c: appends to h the "Name: value" header lines of one
 * attempt of d, signed as of now. When d's subscription was disabled or
 * deleted since it was queued, *why says so and no request should be
 * made. 0, or -1 on out of memory or a store or signing failure.
 */
int push_headers_build(struct push *p, const struct delivery *d, struct strv *h,
    const char **why, struct pw_error *err);

/* push_send.c: the sender. */
struct push_sender *push_send_new(struct push *p, struct pw_error *err);
/* Writes the results not yet recorded, then frees the sender. */
void push_send_free(struct push_sender *s);
/* Looks at the queue soon (after the current callback: after the poll's
 * transaction committed). */
void push_send_kick(struct push_sender *s);

#endif
