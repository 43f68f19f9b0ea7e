/*
 * config_push.c: the configuration keys of push: "admin_token",
 * "webhooks", "delivery" and "websub", each checked with a
 * "key: message" for every problem, like the rest of config.c.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "caps.h"
#include "netguard.h"

#define ADMIN_TOKEN_MIN 16
#define FACTOR_MAX 10.0
#define LEASE_LIMIT (365 * 86400)

void config_push_defaults(struct config *c)
{
	push_retry_defaults(&c->delivery);
	c->websub.mode = WEBSUB_BUILTIN;
	c->websub.lease_seconds = CAP_WEBSUB_LEASE_DEFAULT;
	c->websub.min_lease_seconds = CAP_WEBSUB_LEASE_MIN;
	c->websub.max_lease_seconds = CAP_WEBSUB_LEASE_MAX;
}

void config_push_free(struct config *c)
{
	strv_free(&c->allow_cidrs);
	c->allow_private_all = false;
	free(c->admin_token);
	c->admin_token = NULL;
	for (size_t i = 0; i < c->n_webhooks; i++)
		subs_clear(&c->webhooks[i]);
	free(c->webhooks);
	c->webhooks = NULL;
	c->n_webhooks = 0;
	free(c->websub.hub_url);
	c->websub.hub_url = NULL;
}

int config_push_token(
    struct config *c, const char *value, struct config_errors *errs)
{
	size_t n = strlen(value);
	char *copy;

	/* Visible ASCII only, so the token fits an Authorization header as
	 * it is; the message never repeats the value (it is a secret). */
	for (size_t i = 0; i < n; i++)
		if (value[i] <= 0x20 || value[i] >= 0x7f)
			n = 0;
	if (n < ADMIN_TOKEN_MIN || n > CAP_ADMIN_TOKEN_BYTES)
		return config_error_add(errs,
		    "admin_token: expected %d to %d visible ASCII characters",
		    ADMIN_TOKEN_MIN, CAP_ADMIN_TOKEN_BYTES);
	copy = strdup(value);
	if (copy == NULL)
		return config_error_add(errs, "admin_token: out of memory");
	free(c->admin_token);
	c->admin_token = copy;
	return 0;
}

struct webhook_report {
	struct config_errors *errs;
	size_t idx;
};

static void report_webhook(void *arg, const char *msg)
{
	struct webhook_report *r = arg;

	config_error_add(r->errs, "webhooks[%zu].%s", r->idx, msg);
}

static int load_webhooks(
    struct config *c, const json_t *arr, struct config_errors *errs)
{
	size_t n;
	int rc = 0;

	if (!json_is_array(arr))
		return config_error_add(errs, "webhooks: expected an array");
	n = json_array_size(arr);
	if (n > CAP_PUSH_SUBSCRIPTIONS)
		return config_error_add(errs,
		    "webhooks: more than %d subscriptions",
		    CAP_PUSH_SUBSCRIPTIONS);
	c->webhooks = calloc(n ? n : 1, sizeof(*c->webhooks));
	if (c->webhooks == NULL)
		return config_error_add(errs, "webhooks: out of memory");
	for (size_t i = 0; i < n; i++, c->n_webhooks++) {
		struct sub *s = &c->webhooks[i];
		struct webhook_report r = {errs, i};
		char id[SUBS_ID_BYTES];

		subs_init(s);
		s->origin = SUBS_ORIGIN_CONFIG;
		if (!json_is_object(json_array_get(arr, i))) {
			rc = config_error_add(
			    errs, "webhooks[%zu]: expected an object", i);
			continue;
		}
		if (subs_parse(s, json_array_get(arr, i), c, report_webhook,
		        &r) != 0) {
			rc = -1;
			continue;
		}
		subs_config_id(s, id);
		s->id = strdup(id);
		if (s->id == NULL)
			return config_error_add(
			    errs, "webhooks: out of memory");
		for (size_t j = 0; j < i; j++)
			if (c->webhooks[j].id != NULL &&
			    strcmp(c->webhooks[j].id, id) == 0)
				rc = config_error_add(errs,
				    "webhooks[%zu]: the same subscription as "
				    "webhooks[%zu]",
				    i, j);
	}
	return rc;
}

/* A number of seconds from min to max (integer or not) as milliseconds. */
static int get_seconds_ms(const json_t *v, const char *key, double min,
    double max, struct config_errors *errs, int64_t *out)
{
	double d;

	if (!json_is_number(v))
		return config_error_add(
		    errs, "%s: expected a number of seconds", key);
	d = json_number_value(v);
	if (!(d >= min && d <= max))
		return config_error_add(errs,
		    "%s: expected a number of seconds from %g to %g", key, min,
		    max);
	*out = (int64_t)(d * 1000.0 + 0.5);
	return 0;
}

static int get_int_range(const json_t *v, const char *key, long min, long max,
    struct config_errors *errs, int *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return config_error_add(errs,
		    "%s: expected an integer from %ld to %ld", key, min, max);
	*out = (int)json_integer_value(v);
	return 0;
}

static int load_delivery(
    struct config *c, const json_t *obj, struct config_errors *errs)
{
	static const char *const keys[] = {"timeout", "first_delay", "factor",
	    "max_delay", "max_attempts", "per_host_concurrency", NULL};
	struct push_policy *p = &c->delivery;
	const char *key;
	json_t *v;
	int rc = 0, timeout = 0;

	if (!json_is_object(obj))
		return config_error_add(errs, "delivery: expected an object");
	json_object_foreach((json_t *)obj, key, v)
	{
		bool known = false;

		for (size_t i = 0; keys[i] != NULL; i++)
			known = known || strcmp(key, keys[i]) == 0;
		if (!known)
			rc = config_error_add(
			    errs, "delivery.%.64s: unknown key", key);
	}
	if ((v = json_object_get(obj, "timeout")) != NULL) {
		if (get_int_range(v, "delivery.timeout", 1,
		        CAP_PUSH_TIMEOUT_MAX, errs, &timeout) == 0)
			p->timeout_ms = timeout * 1000LL;
		else
			rc = -1;
	}
	if ((v = json_object_get(obj, "first_delay")) != NULL)
		rc |= get_seconds_ms(v, "delivery.first_delay", 0.01,
		    CAP_PUSH_DELAY_MAX, errs, &p->first_delay_ms);
	if ((v = json_object_get(obj, "max_delay")) != NULL)
		rc |= get_seconds_ms(v, "delivery.max_delay", 0.01,
		    CAP_PUSH_DELAY_MAX, errs, &p->max_delay_ms);
	if ((v = json_object_get(obj, "factor")) != NULL) {
		if (!json_is_number(v) ||
		    !(json_number_value(v) >= 1.0 &&
		        json_number_value(v) <= FACTOR_MAX))
			rc = config_error_add(errs,
			    "delivery.factor: expected a number from 1 to %g",
			    FACTOR_MAX);
		else
			p->factor = json_number_value(v);
	}
	if ((v = json_object_get(obj, "max_attempts")) != NULL)
		rc |= get_int_range(v, "delivery.max_attempts", 1,
		    CAP_PUSH_ATTEMPTS_MAX, errs, &p->max_attempts);
	if ((v = json_object_get(obj, "per_host_concurrency")) != NULL)
		rc |= get_int_range(v, "delivery.per_host_concurrency", 1,
		    CAP_PUSH_PER_HOST_MAX, errs, &p->per_host);
	if (rc == 0 && p->max_delay_ms < p->first_delay_ms)
		rc = config_error_add(errs,
		    "delivery.max_delay: must not be less than first_delay");
	return rc;
}

/* 0 when url is an absolute http(s) URL. */
static int http_url(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL;
	int rc = -1;

	if (u != NULL && strlen(url) <= CAP_PUSH_URL_BYTES &&
	    curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0))
		rc = 0;
	curl_free(scheme);
	curl_url_cleanup(u);
	return rc;
}

static int load_websub(
    struct config *c, const json_t *obj, struct config_errors *errs)
{
	static const char *const keys[] = {"hub", "lease_seconds",
	    "min_lease_seconds", "max_lease_seconds", NULL};
	struct websub_cfg *w = &c->websub;
	const char *key, *hub;
	json_t *v;
	int rc = 0;

	if (!json_is_object(obj))
		return config_error_add(errs, "websub: expected an object");
	json_object_foreach((json_t *)obj, key, v)
	{
		bool known = false;

		for (size_t i = 0; keys[i] != NULL; i++)
			known = known || strcmp(key, keys[i]) == 0;
		if (!known)
			rc = config_error_add(
			    errs, "websub.%.64s: unknown key", key);
	}
	if ((v = json_object_get(obj, "hub")) != NULL) {
		hub = json_string_value(v);
		if (hub != NULL && strcmp(hub, "builtin") == 0) {
			w->mode = WEBSUB_BUILTIN;
		} else if (hub != NULL && strcmp(hub, "off") == 0) {
			w->mode = WEBSUB_OFF;
		} else if (hub != NULL && http_url(hub) == 0) {
			w->mode = WEBSUB_EXTERNAL;
			w->hub_url = strdup(hub);
			if (w->hub_url == NULL)
				rc = config_error_add(
				    errs, "websub.hub: out of memory");
		} else {
			rc = config_error_add(errs,
			    "websub.hub: expected \"builtin\", "
			    "\"off\" or an http(s) URL");
		}
	}
	if ((v = json_object_get(obj, "lease_seconds")) != NULL)
		rc |= get_int_range(v, "websub.lease_seconds", 1, LEASE_LIMIT,
		    errs, &w->lease_seconds);
	if ((v = json_object_get(obj, "min_lease_seconds")) != NULL)
		rc |= get_int_range(v, "websub.min_lease_seconds", 1,
		    LEASE_LIMIT, errs, &w->min_lease_seconds);
	if ((v = json_object_get(obj, "max_lease_seconds")) != NULL)
		rc |= get_int_range(v, "websub.max_lease_seconds", 1,
		    LEASE_LIMIT, errs, &w->max_lease_seconds);
	if (rc != 0)
		return rc;
	if (w->min_lease_seconds > w->max_lease_seconds)
		return config_error_add(errs,
		    "websub.min_lease_seconds: must not be "
		    "more than max_lease_seconds");
	/* A default lease the bounds leave out is clamped; one given
	 * explicitly must lie within them. */
	if (json_object_get(obj, "lease_seconds") != NULL &&
	    (w->lease_seconds < w->min_lease_seconds ||
	        w->lease_seconds > w->max_lease_seconds))
		return config_error_add(errs,
		    "websub.lease_seconds: must lie between "
		    "min_lease_seconds and max_lease_seconds");
	if (w->lease_seconds < w->min_lease_seconds)
		w->lease_seconds = w->min_lease_seconds;
	if (w->lease_seconds > w->max_lease_seconds)
		w->lease_seconds = w->max_lease_seconds;
	return 0;
}

/*
 * "allow_private_networks": true opens every address to user-supplied
 * URLs; a list of CIDR ranges ("10.0.0.0/8", "fd00::/8") opens those.
 */
static int load_allow_private(
    struct config *c, const json_t *v, struct config_errors *errs)
{
	struct netguard *g;
	struct pw_error err;
	size_t i;
	json_t *item;
	int rc = 0;

	if (json_is_boolean(v)) {
		c->allow_private_all = json_is_true(v);
		return 0;
	}
	if (!json_is_array(v))
		return config_error_add(errs,
		    "allow_private_networks: expected "
		    "true, false or a list of CIDR ranges");
	g = netguard_new(false);
	if (g == NULL)
		return config_error_add(
		    errs, "allow_private_networks: out of memory");
	json_array_foreach(v, i, item)
	{
		const char *cidr = json_string_value(item);

		if (cidr == NULL)
			rc = config_error_add(errs,
			    "allow_private_networks[%zu]: expected a string",
			    i);
		else if (netguard_allow(g, cidr, &err) != 0)
			rc = config_error_add(errs,
			    "allow_private_networks[%zu]: %s", i, err.msg);
		else if (strv_push(&c->allow_cidrs, cidr) != 0)
			rc = config_error_add(
			    errs, "allow_private_networks: out of memory");
	}
	netguard_free(g);
	return rc;
}

struct netguard *config_netguard(const struct config *c)
{
	struct netguard *g = netguard_new(c->allow_private_all);

	for (size_t i = 0; g != NULL && i < c->allow_cidrs.n; i++) {
		if (netguard_allow(g, c->allow_cidrs.v[i], NULL) != 0) {
			netguard_free(g);
			return NULL;
		}
	}
	return g;
}

int config_push_load(
    struct config *c, const json_t *root, struct config_errors *errs)
{
	const json_t *v;
	int rc = 0;

	if ((v = json_object_get(root, "admin_token")) != NULL) {
		if (!json_is_string(v))
			rc = config_error_add(
			    errs, "admin_token: expected a string");
		else
			rc |= config_push_token(c, json_string_value(v), errs);
	}
	if ((v = json_object_get(root, "webhooks")) != NULL)
		rc |= load_webhooks(c, v, errs);
	if ((v = json_object_get(root, "delivery")) != NULL)
		rc |= load_delivery(c, v, errs);
	if ((v = json_object_get(root, "websub")) != NULL)
		rc |= load_websub(c, v, errs);
	if ((v = json_object_get(root, "allow_private_networks")) != NULL)
		rc |= load_allow_private(c, v, errs);
	return rc;
}
