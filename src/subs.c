/*
 * subs.c: webhook subscriptions read from JSON, shown as JSON, and turned
 * into the filter they follow.
 */
#include "subs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buf.h"
#include "caps.h"
#include "config.h"
#include "digest.h"
#include "push_sign.h"
#include "text.h"
#include "timefmt.h"

#define STR_(x) #x
#define CAP_STR(x) STR_(x)

static const char *const sub_keys[] = {
    "url", "feed", "filter", "format", "secret", "name", "backfill", NULL};

void subs_init(struct sub *s)
{
	memset(s, 0, sizeof(*s));
	s->format = PUSH_FORMAT_STANDARD;
	s->origin = SUBS_ORIGIN_API;
}

void subs_clear(struct sub *s)
{
	free(s->id);
	free(s->name);
	free(s->url);
	free(s->feed);
	json_decref(s->filter);
	free(s->secret);
	free(s->disabled_reason);
	subs_init(s);
}

/* Copies an optional string; 0 or -1. */
static int dup_opt(char **dst, const char *src)
{
	*dst = src != NULL ? strdup(src) : NULL;
	return src != NULL && *dst == NULL ? -1 : 0;
}

int subs_copy(struct sub *dst, const struct sub *src)
{
	subs_clear(dst);
	dst->format = src->format;
	dst->origin = src->origin;
	dst->backfill = src->backfill;
	dst->created_at = src->created_at;
	dst->disabled = src->disabled;
	dst->filter = src->filter != NULL ? json_deep_copy(src->filter) : NULL;
	if (dup_opt(&dst->id, src->id) || dup_opt(&dst->name, src->name) ||
	    dup_opt(&dst->url, src->url) || dup_opt(&dst->feed, src->feed) ||
	    dup_opt(&dst->secret, src->secret) ||
	    dup_opt(&dst->disabled_reason, src->disabled_reason) ||
	    (src->filter != NULL && dst->filter == NULL)) {
		subs_clear(dst);
		return -1;
	}
	return 0;
}

static void report(subs_report_fn fn, void *arg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(subs_report_fn fn, void *arg, const char *fmt, ...)
{
	char line[PW_ERROR_BYTES + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fn(arg, line);
}

/* NULL when url is an absolute http(s) URL with a host, else why not. */
static const char *url_problem(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	const char *why = "not a valid absolute URL";

	if (u == NULL)
		return "out of memory";
	if (strlen(url) > CAP_PUSH_URL_BYTES)
		why = "longer than " CAP_STR(CAP_PUSH_URL_BYTES) " bytes";
	else if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	         curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	         curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		why =
		    strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0
		        ? NULL
		        : "only http and https URLs are allowed";
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return why;
}

/* Checks one string key; returns its value or NULL (reported). */
static const char *get_str(
    const json_t *obj, const char *key, subs_report_fn fn, void *arg, int *bad)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return NULL;
	if (!json_is_string(v) || json_string_length(v) == 0) {
		report(fn, arg, "%s: expected a non-empty string", key);
		*bad = 1;
		return NULL;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		report(fn, arg, "%s: holds a NUL character", key);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static void parse_filter(
    struct sub *s, const json_t *v, subs_report_fn fn, void *arg, int *bad)
{
	struct filter f;
	struct pw_error err;

	if (!json_is_object(v)) {
		report(fn, arg, "filter: expected an object");
		*bad = 1;
		return;
	}
	if (json_object_get(v, "sort") != NULL ||
	    json_object_get(v, "limit") != NULL) {
		report(fn, arg, "filter.%s: means nothing to a subscription",
		    json_object_get(v, "sort") != NULL ? "sort" : "limit");
		*bad = 1;
		return;
	}
	filter_init(&f);
	if (filter_from_json(&f, v, &err) != 0) {
		report(fn, arg, "filter.%s", err.msg);
		*bad = 1;
	} else {
		s->filter = json_deep_copy(v);
		if (s->filter == NULL) {
			report(fn, arg, "filter: out of memory");
			*bad = 1;
		}
	}
	filter_free(&f);
}

static void parse_scalars(struct sub *s, const json_t *obj,
    const struct config *cfg, subs_report_fn fn, void *arg, int *bad)
{
	const char *str, *why;
	struct pw_error err;
	const json_t *v;

	if ((str = get_str(obj, "url", fn, arg, bad)) != NULL) {
		if ((why = url_problem(str)) != NULL) {
			report(fn, arg, "url: %s", why);
			*bad = 1;
		} else if ((s->url = strdup(str)) == NULL)
			*bad = 1;
	} else if (json_object_get(obj, "url") == NULL) {
		report(fn, arg, "url: required");
		*bad = 1;
	}
	if ((str = get_str(obj, "feed", fn, arg, bad)) != NULL) {
		if (cfg != NULL && config_feed(cfg, str) == NULL) {
			report(fn, arg,
			    "feed: no feed named \"%.64s\" in the "
			    "configuration",
			    str);
			*bad = 1;
		} else if ((s->feed = strdup(str)) == NULL)
			*bad = 1;
	}
	if ((str = get_str(obj, "format", fn, arg, bad)) != NULL &&
	    push_format_parse(str, &s->format) != 0) {
		report(fn, arg, "format: expected standard, slack or discord");
		*bad = 1;
	}
	if ((str = get_str(obj, "secret", fn, arg, bad)) != NULL) {
		if (push_sign_secret_check(str, &err) != 0) {
			report(fn, arg, "secret: %s", err.msg);
			*bad = 1;
		} else if ((s->secret = strdup(str)) == NULL)
			*bad = 1;
	}
	if ((str = get_str(obj, "name", fn, arg, bad)) != NULL) {
		if (strlen(str) > CAP_PUSH_NAME_BYTES ||
		    !text_is_clean_utf8(str, strlen(str))) {
			report(fn, arg,
			    "name: expected clean UTF-8 text of at most %d "
			    "bytes",
			    CAP_PUSH_NAME_BYTES);
			*bad = 1;
		} else if ((s->name = strdup(str)) == NULL)
			*bad = 1;
	}
	if ((v = json_object_get(obj, "backfill")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > CAP_PUSH_BACKFILL_MAX) {
			report(fn, arg,
			    "backfill: expected an integer from 0 to %d",
			    CAP_PUSH_BACKFILL_MAX);
			*bad = 1;
		} else {
			s->backfill = (int)json_integer_value(v);
		}
	}
}

int subs_parse(struct sub *s, const json_t *obj, const struct config *cfg,
    subs_report_fn fn, void *arg)
{
	const char *key;
	json_t *v;
	int bad = 0;

	if (!json_is_object(obj)) {
		report(fn, arg, "(body): expected a JSON object");
		return -1;
	}
	json_object_foreach((json_t *)obj, key, v)
	{
		bool known = false;

		for (size_t i = 0; sub_keys[i] != NULL; i++)
			known = known || strcmp(key, sub_keys[i]) == 0;
		if (!known) {
			report(fn, arg, "%.64s: unknown key", key);
			bad = 1;
		}
	}
	parse_scalars(s, obj, cfg, fn, arg, &bad);
	if ((v = json_object_get(obj, "filter")) != NULL)
		parse_filter(s, v, fn, arg, &bad);
	if (json_object_get(obj, "feed") == NULL &&
	    json_object_get(obj, "filter") == NULL) {
		report(fn, arg,
		    "feed: give a feed, a filter, or both (an empty filter {} "
		    "follows every entry)");
		bad = 1;
	}
	return bad ? -1 : 0;
}

void subs_config_id(const struct sub *s, char out[SUBS_ID_BYTES])
{
	char hex[DIGEST_HEX_BYTES];
	char *filter = s->filter != NULL ? json_dumps(s->filter,
	                                       JSON_COMPACT | JSON_SORT_KEYS)
	                                 : NULL;
	struct buf b;

	/* Separators that cannot occur inside the parts keep "a"+"bc" and
	 * "ab"+"c" apart. */
	buf_init(&b, 4 * CAP_PUSH_URL_BYTES + CAP_CONFIG_BYTES);
	buf_printf(&b, "%s\n%s\n%s\n%s", s->url != NULL ? s->url : "",
	    s->feed != NULL ? s->feed : "", filter != NULL ? filter : "",
	    push_format_name(s->format));
	digest_sha256_hex("paperwire subscription", buf_str(&b), b.len, hex);
	snprintf(out, SUBS_ID_BYTES, "cfg_%.24s", hex);
	buf_free(&b);
	free(filter);
}

static json_t *jstr_opt(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *subs_to_json(const struct sub *s, bool with_secret)
{
	json_t *o = json_object();
	char t[TIMEFMT_BYTES];

	if (o == NULL)
		return NULL;
	if (json_object_set_new(o, "id", jstr_opt(s->id)) ||
	    json_object_set_new(o, "name", jstr_opt(s->name)) ||
	    json_object_set_new(o, "url", jstr_opt(s->url)) ||
	    json_object_set_new(o, "feed", jstr_opt(s->feed)) ||
	    json_object_set_new(o, "filter",
	        s->filter != NULL ? json_deep_copy(s->filter) : json_null()) ||
	    json_object_set_new(
	        o, "format", json_string(push_format_name(s->format))) ||
	    json_object_set_new(o, "origin", json_string(s->origin)) ||
	    json_object_set_new(o, "backfill", json_integer(s->backfill)) ||
	    json_object_set_new(o, "created_at",
	        json_string(timefmt_rfc3339(s->created_at, t))) ||
	    json_object_set_new(o, "disabled", json_boolean(s->disabled)) ||
	    json_object_set_new(
	        o, "disabled_reason", jstr_opt(s->disabled_reason)) ||
	    json_object_set_new(o, "signed", json_boolean(s->secret != NULL)) ||
	    (with_secret &&
	        json_object_set_new(o, "secret", jstr_opt(s->secret)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int subs_filter(const struct sub *s, const struct config *cfg, struct filter *f,
    struct pw_error *err)
{
	struct filter own;
	int rc = 0;

	if (s->feed != NULL) {
		const struct feed_cfg *feed =
		    cfg != NULL ? config_feed(cfg, s->feed) : NULL;

		if (feed == NULL)
			f->impossible = true;
		else if (filter_merge(f, &feed->filter) != 0)
			return pw_error_set(err, "out of memory");
	}
	if (s->filter == NULL)
		return 0;
	filter_init(&own);
	if (filter_from_json(&own, s->filter, err) != 0 ||
	    filter_merge(f, &own) != 0)
		rc = pw_error_set(err, "subscription %s: bad filter", s->id);
	filter_free(&own);
	return rc;
}
