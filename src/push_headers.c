/*
 * push_headers.c: the headers of one delivery attempt, built fresh each
 * time: the content type, and by kind
 *
 * - webhook: webhook-id (the stored one), webhook-timestamp (now) and,
 *   with a secret, webhook-signature (Standard Webhooks v1) and
 *   X-Hub-Signature-256 over the stored body;
 * - WebSub: Link rel="hub" and rel="self" (the topic) and, with a secret,
 *   X-Hub-Signature;
 * - publish ping: nothing more.
 *
 * The subscription is read again for each attempt, so a disabled or
 * deleted one gets no request, and a secret is never kept in memory
 * longer than one attempt's preparation.
 */
#include "push_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caps.h"
#include "feedroute.h"
#include "push_sign.h"

static int header(struct strv *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int header(struct strv *h, const char *fmt, ...)
{
	char line[CAP_QUERY_BYTES + 2 * CAP_PUSH_URL_BYTES + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	return strv_push(h, line);
}

/* webhook-id, webhook-timestamp and, with a secret, the signatures. */
static int webhook_headers(struct push *p, const struct delivery *d,
    struct strv *h, int64_t now, const char **why, struct pw_error *err)
{
	char sig[PUSH_SIGN_STANDARD_BYTES], hex[PUSH_SIGN_HEX_BYTES];
	char *secret = NULL;
	bool disabled, found;
	int rc = -1;

	if (store_push_sub_secret(
	        p->sp, d->sub_id, &secret, &disabled, &found, err) != 0)
		return -1;
	if (!found || disabled) {
		*why = found ? "subscription disabled" : "subscription deleted";
		free(secret);
		return 0;
	}
	if (secret != NULL && (push_sign_standard(secret, d->id, now, d->body,
	                           d->body_len, sig, err) != 0 ||
	                          push_sign_hex(secret, strlen(secret), d->body,
	                              d->body_len, hex, err) != 0))
		goto out;
	if (header(h, "webhook-id: %s", d->id) ||
	    header(h, "webhook-timestamp: %lld", (long long)now) ||
	    (secret != NULL &&
	        (header(h, "webhook-signature: %s", sig) ||
	            header(h, "X-Hub-Signature-256: %s", hex)))) {
		pw_error_set(err, "out of memory");
		goto out;
	}
	rc = 0;
out:
	free(secret);
	return rc;
}

/* The Link headers and, with a secret, X-Hub-Signature. */
static int websub_headers(struct push *p, const struct delivery *d,
    struct strv *h, int64_t now, const char **why, struct pw_error *err)
{
	char hex[PUSH_SIGN_HEX_BYTES], hub[FEEDROUTE_HUB_BYTES];
	const char *hub_url = feedroute_hub_url(p->app->cfg, hub, sizeof(hub));
	struct websub_sub ws;
	bool found;
	int rc = -1;

	memset(&ws, 0, sizeof(ws));
	if (store_push_websub_get(p->sp, d->sub_id, &ws, &found, err) != 0)
		return -1;
	if (!found || ws.lease_expires <= now) {
		*why = "no longer subscribed";
		rc = 0;
		goto out;
	}
	if (ws.secret != NULL && push_sign_hex(ws.secret, strlen(ws.secret),
	                             d->body, d->body_len, hex, err) != 0)
		goto out;
	if ((hub_url != NULL &&
	        header(h, "Link: <%s>; rel=\"hub\", <%s>; rel=\"self\"",
	            hub_url, d->topic) != 0) ||
	    (ws.secret != NULL && header(h, "X-Hub-Signature: %s", hex) != 0)) {
		pw_error_set(err, "out of memory");
		goto out;
	}
	rc = 0;
out:
	websub_sub_clear(&ws);
	return rc;
}

int push_headers_build(struct push *p, const struct delivery *d, struct strv *h,
    const char **why, struct pw_error *err)
{
	int64_t now = (int64_t)time(NULL);

	*why = NULL;
	if (header(h, "Content-Type: %s", d->content_type) != 0)
		return pw_error_set(err, "out of memory");
	if (d->kind == DELIVERY_WEBHOOK)
		return webhook_headers(p, d, h, now, why, err);
	if (d->kind == DELIVERY_WEBSUB)
		return websub_headers(p, d, h, now, why, err);
	return 0;
}
