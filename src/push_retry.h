/*
 * push_retry.h: what one delivery attempt's outcome means, and when the
 * next attempt is due. Pure arithmetic, so the schedule is testable with
 * an injected clock and an injected random number.
 *
 * Outcomes: a 2xx answer is done; 410 Gone ends the subscription; any
 * other answer (3xx included: redirects are not followed), a timeout or
 * a connection error is retried. The delay before attempt n + 1 is
 * first_delay * factor^(n - 1), at most max_delay, plus up to 10% jitter
 * so many deliveries that failed together do not retry in step. A 429 or
 * 503 with Retry-After waits at least that long (clamped to
 * CAP_PUSH_RETRY_AFTER_MAX). After max_attempts failed attempts the
 * delivery is dead.
 */
#ifndef PAPERWIRE_PUSH_RETRY_H
#define PAPERWIRE_PUSH_RETRY_H

#include <stdbool.h>
#include <stdint.h>

/* The delivery schedule (config key "delivery"); times in milliseconds. */
struct push_policy {
	int64_t timeout_ms;     /* one attempt, connect to last byte */
	int64_t first_delay_ms; /* before the second attempt */
	double factor;          /* growth per further attempt, >= 1 */
	int64_t max_delay_ms;   /* longest wait between attempts */
	int max_attempts;       /* then the delivery is dead */
	int per_host;           /* concurrent requests per target host */
};

/* The defaults: 15 s timeout, 10 s doubling to 1 h, 12 attempts (about
 * 5 h in all), 4 requests at a time per host. */
void push_retry_defaults(struct push_policy *p);

enum push_outcome {
	PUSH_DONE,  /* 2xx */
	PUSH_GONE,  /* 410: the receiver wants no more */
	PUSH_RETRY, /* anything else; dead when attempts are used up */
};

/* The outcome of an attempt that got HTTP status (0: no HTTP answer). */
enum push_outcome push_retry_classify(long status);

/*
 * The absolute time (ms) of the next attempt after failed attempt number
 * attempts (1 for the first), made at now_ms, or -1 when no attempt is
 * left (the delivery is dead). retry_after_s is the Retry-After of the
 * answer in seconds (0: none), honoured only for 429 and 503. rnd is a
 * random number for the jitter (random() in the daemon, fixed in tests).
 */
int64_t push_retry_next(const struct push_policy *p, int attempts, long status,
    int64_t retry_after_s, int64_t now_ms, uint32_t rnd);

#endif
