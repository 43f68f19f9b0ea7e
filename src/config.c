/*
 * config.c: load and validate the JSON configuration.
 *
 * The keys of each object are described by a table (name, kind, bounds,
 * setter), so loading, checking and the error messages come from one
 * place. Every error is collected, not just the first; nothing here exits.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "caps.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_DATABASE "paperwire.db"
#define DEFAULT_TITLE "paperwire"
#define DEFAULT_SOURCE_NAME "hf-daily"
#define DEFAULT_INTERVAL 900

void config_errors_init(struct config_errors *e)
{
	e->msgs.v = NULL;
	e->msgs.n = 0;
}

void config_errors_free(struct config_errors *e)
{
	strv_free(&e->msgs);
}

/* Appends one "key: message" line; always returns -1. */
int config_error_add(struct config_errors *errs, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	strv_push(&errs->msgs, line);
	return -1;
}

static void source_cfg_free(struct source_cfg *s)
{
	free(s->name);
	free(s->type);
	free(s->url);
	strv_free(&s->headers);
	json_decref(s->options);
}

static void feed_cfg_free(struct feed_cfg *f)
{
	free(f->name);
	free(f->title);
	free(f->description);
	filter_free(&f->filter);
}

static void free_sources(struct config *c)
{
	for (size_t i = 0; i < c->n_sources; i++)
		source_cfg_free(&c->sources[i]);
	free(c->sources);
	c->sources = NULL;
	c->n_sources = 0;
}

static void free_feeds(struct config *c)
{
	for (size_t i = 0; i < c->n_feeds; i++)
		feed_cfg_free(&c->feeds[i]);
	free(c->feeds);
	c->feeds = NULL;
	c->n_feeds = 0;
}

void config_free(struct config *c)
{
	free(c->listen);
	free(c->database);
	free(c->base_url);
	free(c->title);
	free_sources(c);
	free_feeds(c);
	config_push_free(c);
	memset(c, 0, sizeof(*c));
}

/* Replaces *slot by a copy of value; 0 or -1. */
static int set_str(char **slot, const char *value)
{
	char *copy = value != NULL ? strdup(value) : NULL;

	if (value != NULL && copy == NULL)
		return -1;
	free(*slot);
	*slot = copy;
	return 0;
}

/* A source with every default applied for its type. */
static int source_defaults(
    struct source_cfg *s, const char *name, const struct source_ops *ops)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->interval = DEFAULT_INTERVAL;
	s->enabled = true;
	s->min_request_interval = -1;
	if (set_str(&s->name, name) || set_str(&s->type, ops->type) ||
	    set_str(&s->url, ops->default_url))
		return -1;
	return 0;
}

int config_default(struct config *c)
{
	memset(c, 0, sizeof(*c));
	config_push_defaults(c);
	if (set_str(&c->listen, DEFAULT_LISTEN) ||
	    set_str(&c->database, DEFAULT_DATABASE) ||
	    set_str(&c->title, DEFAULT_TITLE))
		return -1;
	c->sources = calloc(1, sizeof(*c->sources));
	if (c->sources == NULL)
		return -1;
	c->n_sources = 1;
	return source_defaults(
	    &c->sources[0], DEFAULT_SOURCE_NAME, &source_hf_daily_ops);
}

int config_split_listen(const char *listen, char **host, int *port)
{
	const char *colon, *hstart, *hend;
	char *end;
	long p;

	*host = NULL;
	if (listen[0] == '[') {
		hstart = listen + 1;
		hend = strchr(listen, ']');
		if (hend == NULL || hend[1] != ':')
			return -1;
		colon = hend + 1;
	} else {
		hstart = listen;
		colon = strrchr(listen, ':');
		if (colon == NULL ||
		    memchr(listen, ':', (size_t)(colon - listen)))
			return -1;
		hend = colon;
	}
	if (hend == hstart)
		return -1;
	errno = 0;
	p = strtol(colon + 1, &end, 10);
	if (errno != 0 || end == colon + 1 || *end != '\0' || p < 0 ||
	    p > 65535)
		return -1;
	*host = strndup(hstart, (size_t)(hend - hstart));
	if (*host == NULL)
		return -1;
	*port = (int)p;
	return 0;
}

/* Checks a URL with curl's parser and an allowed scheme list. */
static int check_url(const char *url, bool allow_file, const char **why)
{
	CURLU *u = curl_url();
	char *scheme = NULL;
	int rc = -1;

	*why = "not a valid absolute URL";
	if (u == NULL)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		goto out;
	if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	    (allow_file && strcmp(scheme, "file") == 0)) {
		rc = 0;
	} else {
		*why = allow_file ? "only http, https and file URLs are allowed"
		                  : "only http and https URLs are allowed";
	}
out:
	curl_free(scheme);
	curl_url_cleanup(u);
	return rc;
}

/* Feed and source names appear in URL paths and metric labels. */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CAP_NAME_BYTES)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		        ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

static int get_string(const json_t *v, const char *key,
    struct config_errors *errs, const char **out)
{
	if (!json_is_string(v))
		return config_error_add(errs, "%s: expected a string", key);
	*out = json_string_value(v);
	return 0;
}

static int get_int(const json_t *v, const char *key, long min, long max,
    struct config_errors *errs, int *out)
{
	json_int_t n;

	if (!json_is_integer(v))
		return config_error_add(errs,
		    "%s: expected an integer from %ld to %ld", key, min, max);
	n = json_integer_value(v);
	if (n < min || n > max)
		return config_error_add(errs,
		    "%s: expected an integer from %ld to %ld", key, min, max);
	*out = (int)n;
	return 0;
}

static int get_bool(
    const json_t *v, const char *key, struct config_errors *errs, bool *out)
{
	if (!json_is_boolean(v))
		return config_error_add(
		    errs, "%s: expected true or false", key);
	*out = json_is_true(v);
	return 0;
}

/* Keys every source takes; each type adds its own (ops->keys). */
static const char *const source_keys[] = {"name", "type", "url", "interval",
    "enabled", "headers", "min_request_interval", NULL};
static const char *const feed_keys[] = {
    "name", "title", "description", "filter", NULL};
static const char *const top_keys[] = {"listen", "database", "base_url",
    "title", "sources", "feeds", "admin_token", "webhooks", "delivery",
    "websub", "allow_private_networks", NULL};

/* Reports every key of obj that is not in known. */
static int check_keys(const json_t *obj, const char *prefix,
    const char *const *known, struct config_errors *errs)
{
	const char *key;
	json_t *v;
	int rc = 0;

	json_object_foreach((json_t *)obj, key, v)
	{
		bool ok = false;

		for (size_t i = 0; known[i] != NULL; i++)
			ok = ok || strcmp(key, known[i]) == 0;
		if (!ok)
			rc = config_error_add(
			    errs, "%s%s: unknown key", prefix, key);
	}
	return rc;
}

/* Reports keys that are neither common to all sources nor the type's. */
static int check_source_keys(
    const json_t *obj, size_t idx, struct config_errors *errs)
{
	const char *type = json_string_value(json_object_get(obj, "type"));
	const struct source_ops *ops =
	    source_find(type != NULL ? type : "hf_daily");
	const char *key;
	json_t *v;
	int rc = 0;

	json_object_foreach((json_t *)obj, key, v)
	{
		bool ok = false;

		for (size_t i = 0; source_keys[i] != NULL; i++)
			ok = ok || strcmp(key, source_keys[i]) == 0;
		for (size_t i = 0;
		     ops != NULL && ops->keys != NULL && ops->keys[i] != NULL;
		     i++)
			ok = ok || strcmp(key, ops->keys[i]) == 0;
		if (!ok)
			rc = config_error_add(errs,
			    "sources[%zu].%s: unknown key%s%s", idx, key,
			    ops != NULL ? " for type " : "",
			    ops != NULL ? ops->type : "");
	}
	return rc;
}

struct report_ctx {
	struct config_errors *errs;
	size_t idx;
	int reported;
};

static void report_source_key(void *arg, const char *key, const char *msg)
{
	struct report_ctx *r = arg;

	config_error_add(r->errs, "sources[%zu].%s: %s", r->idx, key, msg);
	r->reported++;
}

/*
 * "headers": {"Authorization": "Bearer ..."} becomes "Name: value" lines.
 * Names must be HTTP tokens and values free of CR, LF and NUL, so a
 * header can never smuggle another one. Values are secrets: never logged.
 */
static int load_headers(struct source_cfg *s, const json_t *obj, size_t idx,
    struct config_errors *errs)
{
	const char *name;
	json_t *v;
	int rc = 0;

	if (!json_is_object(obj))
		return config_error_add(errs,
		    "sources[%zu].headers: expected an object "
		    "of header names and string values",
		    idx);
	json_object_foreach((json_t *)obj, name, v)
	{
		const char *value = json_string_value(v);
		char line[CAP_FIELD_BYTES];
		size_t n = strlen(name);

		if (n == 0 || n > 64 ||
		    strspn(name,
		        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		        "0123456789!#$%&'*+-.^_`|~") != n) {
			rc = config_error_add(errs,
			    "sources[%zu].headers: \"%.64s\" is not "
			    "a valid header name",
			    idx, name);
			continue;
		}
		if (value == NULL || strpbrk(value, "\r\n") != NULL ||
		    strlen(value) + n + 3 > sizeof(line)) {
			rc = config_error_add(errs,
			    "sources[%zu].headers.%s: expected a "
			    "string without line breaks",
			    idx, name);
			continue;
		}
		snprintf(line, sizeof(line), "%s: %s", name, value);
		if (strv_push(&s->headers, line) != 0)
			return config_error_add(
			    errs, "sources[%zu].headers: out of memory", idx);
	}
	return rc;
}

static int load_source(struct source_cfg *s, const json_t *obj, size_t idx,
    struct config_errors *errs)
{
	char key[96];
	const char *str = NULL, *type = "hf_daily", *name;
	const struct source_ops *ops;
	json_t *v;
	int rc = 0;

	snprintf(key, sizeof(key), "sources[%zu]", idx);
	memset(s, 0, sizeof(*s));
	if (!json_is_object(obj))
		return config_error_add(errs, "%s: expected an object", key);
	snprintf(key, sizeof(key), "sources[%zu].", idx);
	rc |= check_source_keys(obj, idx, errs);

	v = json_object_get(obj, "type");
	snprintf(key, sizeof(key), "sources[%zu].type", idx);
	if (v != NULL && get_string(v, key, errs, &type) != 0) {
		rc = -1;
		type = "hf_daily";
	}
	ops = source_find(type);
	if (ops == NULL) {
		/* Keep checking the other keys against the default type, so
		 * every error is reported at once. */
		rc = config_error_add(errs,
		    "%s: unknown source type \"%s\" (known: %s)", key, type,
		    source_type_names());
		ops = &source_hf_daily_ops;
	}

	name = type;
	v = json_object_get(obj, "name");
	snprintf(key, sizeof(key), "sources[%zu].name", idx);
	if (v != NULL && get_string(v, key, errs, &name) != 0)
		rc = -1;
	else if (!valid_name(name))
		rc = config_error_add(errs,
		    "%s: use 1 to %d characters from a-z, 0-9, - and _", key,
		    CAP_NAME_BYTES);
	if (source_defaults(s, name, ops) != 0)
		return config_error_add(errs, "%s: out of memory", key);

	if ((v = json_object_get(obj, "url")) != NULL) {
		const char *why;

		snprintf(key, sizeof(key), "sources[%zu].url", idx);
		if (get_string(v, key, errs, &str) != 0)
			rc = -1;
		else if (check_url(str, true, &why) != 0)
			rc = config_error_add(errs, "%s: %s", key, why);
		else
			set_str(&s->url, str);
	}
	if ((v = json_object_get(obj, "interval")) != NULL) {
		snprintf(key, sizeof(key), "sources[%zu].interval", idx);
		rc |= get_int(v, key, CAP_INTERVAL_MIN, CAP_INTERVAL_MAX, errs,
		    &s->interval);
	}
	if ((v = json_object_get(obj, "enabled")) != NULL) {
		snprintf(key, sizeof(key), "sources[%zu].enabled", idx);
		rc |= get_bool(v, key, errs, &s->enabled);
	}
	if ((v = json_object_get(obj, "headers")) != NULL)
		rc |= load_headers(s, v, idx, errs);
	if ((v = json_object_get(obj, "min_request_interval")) != NULL) {
		snprintf(
		    key, sizeof(key), "sources[%zu].min_request_interval", idx);
		rc |= get_int(v, key, 0, CAP_HOST_INTERVAL_MAX, errs,
		    &s->min_request_interval);
	}
	/* The type's own keys: the adapter validates and later reads them. */
	if (ops->check != NULL) {
		struct report_ctx rctx = {errs, idx, 0};

		if (ops->check(obj, report_source_key, &rctx) != 0 ||
		    rctx.reported > 0)
			rc = -1;
	}
	s->options = json_incref((json_t *)obj);
	return rc;
}

static int load_feed(struct feed_cfg *f, const json_t *obj, size_t idx,
    struct config_errors *errs)
{
	char key[96];
	const char *str = NULL;
	struct pw_error ferr;
	json_t *v;
	int rc = 0;

	memset(f, 0, sizeof(*f));
	filter_init(&f->filter);
	snprintf(key, sizeof(key), "feeds[%zu]", idx);
	if (!json_is_object(obj))
		return config_error_add(errs, "%s: expected an object", key);
	snprintf(key, sizeof(key), "feeds[%zu].", idx);
	rc |= check_keys(obj, key, feed_keys, errs);

	snprintf(key, sizeof(key), "feeds[%zu].name", idx);
	v = json_object_get(obj, "name");
	if (v == NULL)
		rc = config_error_add(errs, "%s: required", key);
	else if (get_string(v, key, errs, &str) != 0)
		rc = -1;
	else if (!valid_name(str))
		rc = config_error_add(errs,
		    "%s: use 1 to %d characters from a-z, 0-9, - and _", key,
		    CAP_NAME_BYTES);
	else
		set_str(&f->name, str);

	if ((v = json_object_get(obj, "title")) != NULL) {
		snprintf(key, sizeof(key), "feeds[%zu].title", idx);
		if (get_string(v, key, errs, &str) != 0)
			rc = -1;
		else
			set_str(&f->title, str);
	}
	if (f->title == NULL && f->name != NULL)
		set_str(&f->title, f->name);
	if ((v = json_object_get(obj, "description")) != NULL) {
		snprintf(key, sizeof(key), "feeds[%zu].description", idx);
		if (get_string(v, key, errs, &str) != 0)
			rc = -1;
		else
			set_str(&f->description, str);
	}
	if ((v = json_object_get(obj, "filter")) != NULL) {
		snprintf(key, sizeof(key), "feeds[%zu].filter", idx);
		if (!json_is_object(v))
			rc = config_error_add(
			    errs, "%s: expected an object", key);
		else if (filter_from_json(&f->filter, v, &ferr) != 0)
			rc = config_error_add(errs, "%s.%s", key, ferr.msg);
	}
	return rc;
}

static int load_array(struct config *c, const json_t *root, const char *name,
    struct config_errors *errs)
{
	const json_t *arr = json_object_get(root, name);
	bool is_sources = strcmp(name, "sources") == 0;
	size_t n;
	int rc = 0;

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr))
		return config_error_add(errs, "%s: expected an array", name);
	n = json_array_size(arr);
	if (is_sources) {
		free_sources(c);
		c->sources = calloc(n ? n : 1, sizeof(*c->sources));
		if (c->sources == NULL)
			return config_error_add(
			    errs, "%s: out of memory", name);
		for (size_t i = 0; i < n; i++, c->n_sources++)
			rc |= load_source(
			    &c->sources[i], json_array_get(arr, i), i, errs);
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (c->sources[i].name && c->sources[j].name &&
				    strcmp(c->sources[i].name,
				        c->sources[j].name) == 0)
					rc = config_error_add(errs,
					    "sources[%zu].name: \"%s\" is "
					    "already used by sources[%zu]",
					    i, c->sources[i].name, j);
	} else {
		free_feeds(c);
		c->feeds = calloc(n ? n : 1, sizeof(*c->feeds));
		if (c->feeds == NULL)
			return config_error_add(
			    errs, "%s: out of memory", name);
		for (size_t i = 0; i < n; i++, c->n_feeds++)
			rc |= load_feed(
			    &c->feeds[i], json_array_get(arr, i), i, errs);
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (c->feeds[i].name && c->feeds[j].name &&
				    strcmp(c->feeds[i].name,
				        c->feeds[j].name) == 0)
					rc = config_error_add(errs,
					    "feeds[%zu].name: \"%s\" is "
					    "already used by feeds[%zu]",
					    i, c->feeds[i].name, j);
	}
	return rc;
}

/* Validates and stores one deployment key (file, environment or flag). */
static int set_deploy_key(struct config *c, const char *key, const char *value,
    struct config_errors *errs)
{
	const char *why;
	char *host = NULL;
	int port;

	if (strcmp(key, "listen") == 0) {
		if (config_split_listen(value, &host, &port) != 0)
			return config_error_add(errs,
			    "%s: expected HOST:PORT (for example "
			    "127.0.0.1:8080)",
			    key);
		free(host);
		return set_str(&c->listen, value);
	}
	if (strcmp(key, "database") == 0) {
		if (value[0] == '\0')
			return config_error_add(
			    errs, "%s: must not be empty", key);
		return set_str(&c->database, value);
	}
	if (strcmp(key, "base_url") == 0) {
		size_t n = strlen(value);

		if (check_url(value, false, &why) != 0)
			return config_error_add(errs, "%s: %s", key, why);
		if (strchr(value, '?') != NULL || strchr(value, '#') != NULL)
			return config_error_add(
			    errs, "%s: must not have a query or fragment", key);
		if (set_str(&c->base_url, value) != 0)
			return -1;
		while (n > 0 && c->base_url[n - 1] == '/')
			c->base_url[--n] = '\0';
		return 0;
	}
	if (strcmp(key, "title") == 0)
		return set_str(&c->title, value);
	if (strcmp(key, "admin_token") == 0)
		return config_push_token(c, value, errs);
	return config_error_add(errs, "%s: unknown key", key);
}

int config_load_json(
    struct config *c, const char *text, size_t len, struct config_errors *errs)
{
	json_error_t jerr;
	json_t *root;
	size_t before = errs->msgs.n;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return config_error_add(errs, "line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return config_error_add(
		    errs, "(top level): expected a JSON object");
	}
	check_keys(root, "", top_keys, errs);
	for (size_t i = 0; i < 4; i++) {
		const char *str = NULL;
		json_t *v = json_object_get(root, top_keys[i]);

		if (v != NULL && get_string(v, top_keys[i], errs, &str) == 0)
			set_deploy_key(c, top_keys[i], str, errs);
	}
	load_array(c, root, "sources", errs);
	load_array(c, root, "feeds", errs);
	config_push_load(c, root, errs);
	json_decref(root);
	return errs->msgs.n == before ? 0 : -1;
}

int config_load_file(
    struct config *c, const char *path, struct config_errors *errs)
{
	FILE *fp = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0;
	int rc = -1;

	if (fp == NULL)
		return config_error_add(
		    errs, "cannot open: %s", strerror(errno));
	text = malloc(CAP_CONFIG_BYTES + 1);
	if (text == NULL) {
		config_error_add(errs, "out of memory");
		goto out;
	}
	len = fread(text, 1, CAP_CONFIG_BYTES + 1, fp);
	if (ferror(fp)) {
		config_error_add(errs, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (len > CAP_CONFIG_BYTES) {
		config_error_add(
		    errs, "larger than %ld bytes", CAP_CONFIG_BYTES);
		goto out;
	}
	rc = config_load_json(c, text, len, errs);
out:
	free(text);
	fclose(fp);
	return rc;
}

int config_apply_env(struct config *c, struct config_errors *errs)
{
	static const char *const vars[][2] = {
	    {"PAPERWIRE_LISTEN", "listen"},
	    {"PAPERWIRE_DATABASE", "database"},
	    {"PAPERWIRE_BASE_URL", "base_url"},
	    {"PAPERWIRE_ADMIN_TOKEN", "admin_token"},
	};
	size_t before = errs->msgs.n;

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i][0]);
		char key[64];

		if (v == NULL || v[0] == '\0')
			continue;
		snprintf(
		    key, sizeof(key), "%s (from %s)", vars[i][1], vars[i][0]);
		if (set_deploy_key(c, vars[i][1], v, errs) != 0 &&
		    errs->msgs.n > before) {
			/* Name the variable, not just the key, in the message.
			 */
			char *m = errs->msgs.v[errs->msgs.n - 1];
			char line[512];

			snprintf(line, sizeof(line), "%s%s", key,
			    m + strlen(vars[i][1]));
			free(m);
			errs->msgs.v[errs->msgs.n - 1] = strdup(line);
		}
	}
	return errs->msgs.n == before ? 0 : -1;
}

int config_set_override(struct config *c, const char *key, const char *value,
    struct config_errors *errs)
{
	return set_deploy_key(c, key, value, errs);
}

int config_finish(struct config *c, struct config_errors *errs)
{
	char url[300];

	if (c->base_url != NULL)
		return 0;
	snprintf(url, sizeof(url), "http://%s", c->listen);
	return set_deploy_key(c, "base_url", url, errs);
}

const struct feed_cfg *config_feed(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->n_feeds; i++)
		if (c->feeds[i].name != NULL &&
		    strcmp(c->feeds[i].name, name) == 0)
			return &c->feeds[i];
	return NULL;
}
