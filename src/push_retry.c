/*
 * push_retry.c: outcome classification and the retry schedule.
 */
#include "push_retry.h"

#include "caps.h"

void push_retry_defaults(struct push_policy *p)
{
	p->timeout_ms = CAP_PUSH_TIMEOUT_DEFAULT * 1000LL;
	p->first_delay_ms = 10000;
	p->factor = 2.0;
	p->max_delay_ms = 3600000;
	p->max_attempts = 12;
	p->per_host = 4;
}

enum push_outcome push_retry_classify(long status)
{
	if (status >= 200 && status <= 299)
		return PUSH_DONE;
	if (status == 410)
		return PUSH_GONE;
	return PUSH_RETRY;
}

int64_t push_retry_next(const struct push_policy *p, int attempts, long status,
    int64_t retry_after_s, int64_t now_ms, uint32_t rnd)
{
	double d = (double)p->first_delay_ms;
	int64_t delay;

	if (attempts >= p->max_attempts)
		return -1;
	/* Grow step by step and stop at the cap, so a large attempt count
	 * never overflows. */
	for (int i = 1; i < attempts && d < (double)p->max_delay_ms; i++)
		d *= p->factor;
	if (d > (double)p->max_delay_ms)
		d = (double)p->max_delay_ms;
	delay = (int64_t)d;
	if (delay >= 10)
		delay += (int64_t)(rnd % (uint32_t)(delay / 10 + 1));
	if ((status == 429 || status == 503) && retry_after_s > 0) {
		if (retry_after_s > CAP_PUSH_RETRY_AFTER_MAX)
			retry_after_s = CAP_PUSH_RETRY_AFTER_MAX;
		if (retry_after_s * 1000 > delay)
			delay = retry_after_s * 1000;
	}
	return now_ms + delay;
}
