/*
 * test_push.c: the pure parts of push: Standard Webhooks and X-Hub
 * signatures (known answers from the specification and GitHub's
 * documentation, checked with Python's hmac independently), the retry
 * schedule with an injected clock and random number, and the message of
 * each format, parsed back with jansson and checked against the limits of
 * the services.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "caps.h"
#include "entry.h"
#include "push_format.h"
#include "push_retry.h"
#include "push_sign.h"

/* The Standard Webhooks known answer (quoted in the issue and the
 * specification's examples). */
#define KA_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define KA_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define KA_TS 1614265330
#define KA_BODY "{\"test\": 2432232314}"
#define KA_SIG "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

/* 2025-06-15T12:00:00Z (python3: calendar.timegm((2025,6,15,12,0,0))). */
#define NOW 1749988800

/* ---- signatures ---- */

static void sign(const char *secret, const char *id, int64_t ts,
    const char *body, char out[PUSH_SIGN_STANDARD_BYTES])
{
	struct pw_error err;

	assert_int_equal(
	    push_sign_standard(secret, id, ts, body, strlen(body), out, &err),
	    0);
}

static void test_known_answer(void **state)
{
	char sig[PUSH_SIGN_STANDARD_BYTES];

	sign(KA_SECRET, KA_ID, KA_TS, KA_BODY, sig);
	assert_string_equal(sig, KA_SIG);
}

static void test_tampering(void **state)
{
	char sig[PUSH_SIGN_STANDARD_BYTES];

	/* One byte of the body, the id or the timestamp changed. */
	sign(KA_SECRET, KA_ID, KA_TS, "{\"test\": 2432232315}", sig);
	assert_string_not_equal(sig, KA_SIG);
	assert_memory_equal(sig, "v1,", 3);
	sign(KA_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJel", KA_TS, KA_BODY, sig);
	assert_string_not_equal(sig, KA_SIG);
	sign(KA_SECRET, KA_ID, KA_TS + 1, KA_BODY, sig);
	assert_string_not_equal(sig, KA_SIG);
	/* Another key. */
	sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", KA_ID, KA_TS, KA_BODY,
	    sig);
	assert_string_not_equal(sig, KA_SIG);
	/* An empty body signs "id.ts." (python3: hmac over
	 * b"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330."). */
	sign(KA_SECRET, KA_ID, KA_TS, "", sig);
	assert_string_equal(
	    sig, "v1,v48jdbgvh29KJz2Qc+ghw8G6vG3nAKnujWBg8oM/62A=");
}

static void test_secret_check(void **state)
{
	struct pw_error err;

	assert_int_equal(push_sign_secret_check(KA_SECRET, &err), 0);
	/* 64 bytes (the most) and 16 bytes (too few), from python3
	 * base64.b64encode(bytes(range(n))). */
	assert_int_equal(
	    push_sign_secret_check("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX"
	                           "GBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1"
	                           "Njc4OTo7PD0+Pw==",
	        &err),
	    0);
	assert_int_equal(
	    push_sign_secret_check("whsec_AAECAwQFBgcICQoLDA0ODw==", &err), -1);
	assert_non_null(strstr(err.msg, "whsec_"));
	/* 65 bytes: too many. */
	assert_int_equal(
	    push_sign_secret_check("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX"
	                           "GBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1"
	                           "Njc4OTo7PD0+P0A=",
	        &err),
	    -1);
	assert_int_equal(
	    push_sign_secret_check("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &err),
	    -1);
	assert_int_equal(push_sign_secret_check("whsec_", &err), -1);
	assert_int_equal(push_sign_secret_check(
	                     "whsec_MfKQ9r8GKYqrTwjU PD8ILPZIo2LaLaS", &err),
	    -1);
	assert_int_equal(push_sign_secret_check(
	                     "whsec_MfKQ9r8GKYqrTwjU=D8ILPZIo2LaLaSw", &err),
	    -1);
	assert_int_equal(push_sign_secret_check(
	                     "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", &err),
	    -1);
	/* Signing with a bad secret fails rather than signing with junk. */
	{
		char sig[PUSH_SIGN_STANDARD_BYTES];

		assert_int_equal(push_sign_standard("whsec_!!!!", KA_ID, KA_TS,
		                     KA_BODY, strlen(KA_BODY), sig, &err),
		    -1);
	}
}

static void test_secret_new(void **state)
{
	char a[PUSH_SIGN_SECRET_BYTES], b[PUSH_SIGN_SECRET_BYTES];
	struct pw_error err;

	assert_int_equal(push_sign_secret_new(a, &err), 0);
	assert_int_equal(push_sign_secret_new(b, &err), 0);
	assert_memory_equal(a, "whsec_", 6);
	/* 32 bytes are 44 base64 characters. */
	assert_int_equal(strlen(a), 6 + 44);
	assert_int_equal(push_sign_secret_check(a, &err), 0);
	assert_string_not_equal(a, b);
}

static void test_hex_signature(void **state)
{
	char out[PUSH_SIGN_HEX_BYTES];
	struct pw_error err;
	const char *key = "It's a Secret to Everybody";

	/* GitHub's documented example for X-Hub-Signature-256. */
	assert_int_equal(
	    push_sign_hex(key, strlen(key), "Hello, World!", 13, out, &err), 0);
	assert_string_equal(out, "sha256=757107ea0eb2509fc211221cce984b8a37570"
	                         "b6d7586c22c46f4379c8b043e17");
	assert_int_equal(
	    push_sign_hex(key, strlen(key), "Hello, World?", 13, out, &err), 0);
	assert_string_not_equal(out, "sha256=757107ea0eb2509fc211221cce984b8a3"
	                             "7570b6d7586c22c46f4379c8b043e17");
}

static void test_random_hex(void **state)
{
	char a[33], b[33];
	struct pw_error err;

	assert_int_equal(push_sign_random_hex(a, 16, &err), 0);
	assert_int_equal(push_sign_random_hex(b, 16, &err), 0);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "0123456789abcdef"), 32);
	assert_string_not_equal(a, b);
}

/* ---- the retry schedule ---- */

static struct push_policy policy(void)
{
	struct push_policy p;

	push_retry_defaults(&p);
	p.first_delay_ms = 1000;
	p.factor = 2.0;
	p.max_delay_ms = 5000;
	p.max_attempts = 5;
	return p;
}

static void test_classify(void **state)
{
	assert_int_equal(push_retry_classify(200), PUSH_DONE);
	assert_int_equal(push_retry_classify(204), PUSH_DONE);
	assert_int_equal(push_retry_classify(299), PUSH_DONE);
	assert_int_equal(push_retry_classify(410), PUSH_GONE);
	assert_int_equal(push_retry_classify(0), PUSH_RETRY);
	assert_int_equal(push_retry_classify(199), PUSH_RETRY);
	assert_int_equal(push_retry_classify(300), PUSH_RETRY);
	assert_int_equal(push_retry_classify(302), PUSH_RETRY);
	assert_int_equal(push_retry_classify(404), PUSH_RETRY);
	assert_int_equal(push_retry_classify(429), PUSH_RETRY);
	assert_int_equal(push_retry_classify(500), PUSH_RETRY);
	assert_int_equal(push_retry_classify(503), PUSH_RETRY);
}

static void test_schedule(void **state)
{
	struct push_policy p = policy();
	const int64_t t = 1000000;

	/* rnd 0: no jitter. 1 s, 2 s, 4 s, then the 5 s cap. */
	assert_int_equal(push_retry_next(&p, 1, 500, 0, t, 0), t + 1000);
	assert_int_equal(push_retry_next(&p, 2, 500, 0, t, 0), t + 2000);
	assert_int_equal(push_retry_next(&p, 3, 0, 0, t, 0), t + 4000);
	assert_int_equal(push_retry_next(&p, 4, 502, 0, t, 0), t + 5000);
	/* The fifth failed attempt was the last: dead. */
	assert_int_equal(push_retry_next(&p, 5, 500, 0, t, 0), -1);
	assert_int_equal(push_retry_next(&p, 6, 500, 0, t, 0), -1);
	/* Jitter: rnd % (delay / 10 + 1) is added: 1000 + 50 % 101. */
	assert_int_equal(push_retry_next(&p, 1, 500, 0, t, 50), t + 1050);
	assert_int_equal(push_retry_next(&p, 1, 500, 0, t, 101), t + 1000);
	assert_int_equal(push_retry_next(&p, 1, 500, 0, t, 100), t + 1100);
	for (uint32_t r = 0; r < 5000; r += 7) {
		int64_t n = push_retry_next(&p, 4, 500, 0, t, r);

		assert_true(n >= t + 5000 && n <= t + 5500);
	}
}

static void test_retry_after(void **state)
{
	struct push_policy p = policy();
	const int64_t t = 2000000;

	/* 429 and 503 wait for Retry-After when it is longer. */
	assert_int_equal(push_retry_next(&p, 1, 429, 30, t, 0), t + 30000);
	assert_int_equal(push_retry_next(&p, 1, 503, 3, t, 0), t + 3000);
	/* Shorter than the back-off: the back-off stands. */
	assert_int_equal(push_retry_next(&p, 3, 503, 2, t, 0), t + 4000);
	/* Other statuses ignore it. */
	assert_int_equal(push_retry_next(&p, 1, 500, 30, t, 0), t + 1000);
	assert_int_equal(push_retry_next(&p, 1, 0, 30, t, 0), t + 1000);
	/* Clamped. */
	assert_int_equal(push_retry_next(&p, 1, 429, 10 * 86400, t, 0),
	    t + (int64_t)CAP_PUSH_RETRY_AFTER_MAX * 1000);
	/* Still dead after the last attempt. */
	assert_int_equal(push_retry_next(&p, 5, 429, 30, t, 0), -1);
}

static void test_schedule_edges(void **state)
{
	struct push_policy p = policy();

	/* Factor 1: a constant delay. */
	p.factor = 1.0;
	assert_int_equal(push_retry_next(&p, 4, 500, 0, 0, 0), 1000);
	/* Many attempts never overflow past the cap. */
	p.factor = 10.0;
	p.max_attempts = 100;
	p.max_delay_ms = 3600000;
	assert_int_equal(push_retry_next(&p, 99, 500, 0, 0, 0), 3600000);
	/* Defaults: 10 s first, 12 attempts. */
	push_retry_defaults(&p);
	assert_int_equal(push_retry_next(&p, 1, 500, 0, 0, 0), 10000);
	assert_int_equal(push_retry_next(&p, 11, 500, 0, 0, 0), 3600000);
	assert_int_equal(push_retry_next(&p, 12, 500, 0, 0, 0), -1);
	assert_int_equal(p.timeout_ms, 15000);
}

/* ---- messages ---- */

static struct entry *sample(void)
{
	struct entry *e = entry_new();

	assert_non_null(e);
	e->id = strdup("arxiv:2306.03091");
	e->title = strdup("Fast & <Loud> *Attention*");
	e->summary = strdup("We propose a thing. It works well. "
	                    "It is fast.");
	assert_int_equal(strv_push(&e->authors, "Ada Lovelace"), 0);
	assert_int_equal(strv_push(&e->authors, "Alan Turing"), 0);
	e->upvotes = 42;
	e->comments = 3;
	e->github_repo = strdup("https://github.com/x/y");
	e->github_stars = 120;
	e->hf_url = strdup("https://huggingface.co/papers/2306.03091");
	e->arxiv_url = strdup("https://arxiv.org/abs/2306.03091");
	e->pdf_url = strdup("https://arxiv.org/pdf/2306.03091");
	e->first_seen_at = NOW - 3600;
	assert_int_equal(strv_push(&e->sources, "hf-daily"), 0);
	return e;
}

static const struct push_context ctx = {
    "sub_0123", "my hook", "hot", "paperwire"};

static json_t *render(enum push_format f, const struct entry *e)
{
	struct pw_error err;
	size_t len = 0;
	char *body = push_format_body(f, &ctx, e, NOW, &len, &err);
	json_t *root;

	assert_non_null(body);
	assert_int_equal(len, strlen(body));
	root = json_loads(body, 0, NULL);
	assert_non_null(root);
	free(body);
	return root;
}

static const char *str_at(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_true(json_is_string(v));
	return json_string_value(v);
}

static void test_format_names(void **state)
{
	enum push_format f;

	assert_int_equal(push_format_parse("standard", &f), 0);
	assert_int_equal(f, PUSH_FORMAT_STANDARD);
	assert_int_equal(push_format_parse("slack", &f), 0);
	assert_int_equal(f, PUSH_FORMAT_SLACK);
	assert_int_equal(push_format_parse("discord", &f), 0);
	assert_int_equal(f, PUSH_FORMAT_DISCORD);
	assert_int_equal(push_format_parse("Slack", &f), -1);
	assert_int_equal(push_format_parse("", &f), -1);
	assert_string_equal(push_format_name(PUSH_FORMAT_DISCORD), "discord");
}

static void test_standard(void **state)
{
	struct entry *e = sample();
	json_t *root = render(PUSH_FORMAT_STANDARD, e), *data, *entry, *a;

	assert_string_equal(str_at(root, "type"), "entry.matched");
	assert_string_equal(str_at(root, "timestamp"), "2025-06-15T12:00:00Z");
	data = json_object_get(root, "data");
	assert_string_equal(
	    str_at(json_object_get(data, "subscription"), "id"), "sub_0123");
	assert_string_equal(
	    str_at(json_object_get(data, "subscription"), "name"), "my hook");
	assert_string_equal(str_at(data, "feed"), "hot");
	entry = json_object_get(data, "entry");
	assert_string_equal(str_at(entry, "id"), "arxiv:2306.03091");
	assert_string_equal(
	    str_at(entry, "title"), "Fast & <Loud> *Attention*");
	assert_string_equal(
	    str_at(entry, "link"), "https://huggingface.co/papers/2306.03091");
	assert_string_equal(
	    str_at(entry, "first_seen_at"), "2025-06-15T11:00:00Z");
	assert_int_equal(
	    json_integer_value(json_object_get(entry, "upvotes")), 42);
	assert_int_equal(
	    json_integer_value(json_object_get(entry, "github_stars")), 120);
	a = json_object_get(entry, "authors");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(
	    json_string_value(json_array_get(a, 1)), "Alan Turing");
	assert_int_equal(
	    json_integer_value(json_object_get(entry, "author_count")), 2);
	/* Unknown values are null, never missing. */
	assert_true(json_is_null(json_object_get(entry, "published_at")));
	assert_true(json_is_null(json_object_get(entry, "ai_summary")));
	assert_true(json_is_array(json_object_get(entry, "ai_keywords")));
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(entry, "sources"), 0)),
	    "hf-daily");
	json_decref(root);

	/* Without a name or a feed, both are null. */
	{
		struct push_context bare = {"sub_1", NULL, NULL, NULL};
		struct pw_error err;
		size_t len;
		char *body = push_format_body(
		    PUSH_FORMAT_STANDARD, &bare, e, NOW, &len, &err);

		root = json_loads(body, 0, NULL);
		data = json_object_get(root, "data");
		assert_true(json_is_null(json_object_get(data, "feed")));
		assert_true(json_is_null(json_object_get(
		    json_object_get(data, "subscription"), "name")));
		json_decref(root);
		free(body);
	}
	entry_free(e);
}

/* Every "text" of every block, checked against Slack's 3000. */
static void check_slack_blocks(json_t *blocks)
{
	size_t i;
	json_t *b;

	assert_true(json_array_size(blocks) <= 50);
	json_array_foreach(blocks, i, b)
	{
		json_t *t = json_object_get(b, "text");

		if (t == NULL)
			t = json_array_get(json_object_get(b, "elements"), 0);
		assert_string_equal(str_at(t, "type"), "mrkdwn");
		assert_true(strlen(str_at(t, "text")) <= 3000);
	}
}

static void test_slack(void **state)
{
	struct entry *e = sample();
	json_t *root = render(PUSH_FORMAT_SLACK, e), *blocks;
	const char *head, *stats;

	blocks = json_object_get(root, "blocks");
	check_slack_blocks(blocks);
	head =
	    str_at(json_object_get(json_array_get(blocks, 0), "text"), "text");
	/* The title linked, with &, < and > escaped for mrkdwn. */
	assert_string_equal(head, "*<https://huggingface.co/papers/2306.03091|"
	                          "Fast &amp; &lt;Loud&gt; *Attention*>*");
	assert_non_null(
	    strstr(str_at(root, "text"), "Fast &amp; &lt;Loud&gt;"));
	assert_string_equal(
	    str_at(
	        json_array_get(
	            json_object_get(json_array_get(blocks, 1), "elements"), 0),
	        "text"),
	    "Ada Lovelace, Alan Turing");
	assert_string_equal(
	    str_at(json_object_get(json_array_get(blocks, 2), "text"), "text"),
	    "We propose a thing. It works well. It is fast.");
	stats = str_at(
	    json_array_get(
	        json_object_get(json_array_get(blocks, 3), "elements"), 0),
	    "text");
	assert_string_equal(stats,
	    "\xE2\x96\xB2 42 upvotes \xC2\xB7 3 comments \xC2\xB7 "
	    "<https://github.com/x/y|code> \xE2\x98\x85 120 \xC2\xB7 "
	    "<https://arxiv.org/abs/2306.03091|arXiv> \xC2\xB7 "
	    "<https://arxiv.org/pdf/2306.03091|PDF>");
	json_decref(root);
	entry_free(e);
}

static void test_discord(void **state)
{
	struct entry *e = sample();
	json_t *root = render(PUSH_FORMAT_DISCORD, e), *embed, *fields;

	assert_int_equal(
	    json_array_size(json_object_get(
	        json_object_get(root, "allowed_mentions"), "parse")),
	    0);
	assert_int_equal(json_array_size(json_object_get(root, "embeds")), 1);
	embed = json_array_get(json_object_get(root, "embeds"), 0);
	/* Embed titles are not markdown: kept as they are. */
	assert_string_equal(
	    str_at(embed, "title"), "Fast & <Loud> *Attention*");
	assert_string_equal(
	    str_at(embed, "url"), "https://huggingface.co/papers/2306.03091");
	assert_string_equal(str_at(embed, "description"),
	    "We propose a thing. It works well. It is fast.");
	assert_string_equal(str_at(embed, "timestamp"), "2025-06-15T11:00:00Z");
	fields = json_object_get(embed, "fields");
	assert_string_equal(
	    str_at(json_array_get(fields, 0), "name"), "Authors");
	assert_string_equal(str_at(json_array_get(fields, 0), "value"),
	    "Ada Lovelace, Alan Turing");
	assert_non_null(strstr(str_at(json_array_get(fields, 1), "value"),
	    "[code](https://github.com/x/y) \xE2\x98\x85 120"));
	assert_string_equal(str_at(json_object_get(embed, "footer"), "text"),
	    "paperwire \xC2\xB7 hot");
	json_decref(root);
	entry_free(e);
}

/* Sum of the characters Discord counts in an embed (bytes here). */
static size_t embed_size(json_t *embed)
{
	size_t n = 0, i;
	json_t *f;

	n += strlen(str_at(embed, "title"));
	if (json_object_get(embed, "description") != NULL)
		n += strlen(str_at(embed, "description"));
	n += strlen(str_at(json_object_get(embed, "footer"), "text"));
	json_array_foreach(json_object_get(embed, "fields"), i, f)
	{
		assert_true(strlen(str_at(f, "name")) <= 256);
		assert_true(strlen(str_at(f, "value")) <= 1024);
		n += strlen(str_at(f, "name")) + strlen(str_at(f, "value"));
	}
	return n;
}

/* An entry at every parser cap, full of characters that need escaping. */
static struct entry *huge(void)
{
	struct entry *e = sample();
	char *t = malloc(CAP_TITLE_BYTES + 1),
	     *s = malloc(CAP_SUMMARY_BYTES + 1);
	char name[101];

	memset(t, '&', CAP_TITLE_BYTES);
	t[CAP_TITLE_BYTES] = '\0';
	for (size_t i = 0; i < CAP_SUMMARY_BYTES; i++)
		s[i] = i % 7 == 6 ? ' ' : '*';
	s[CAP_SUMMARY_BYTES] = '\0';
	free(e->title);
	free(e->summary);
	e->title = t;
	e->summary = s;
	memset(name, '_', 100);
	name[100] = '\0';
	for (int i = 0; i < CAP_AUTHORS; i++)
		assert_int_equal(strv_push(&e->authors, name), 0);
	return e;
}

static void test_limits(void **state)
{
	struct entry *e = huge();
	json_t *root, *embed, *entry;

	root = render(PUSH_FORMAT_DISCORD, e);
	embed = json_array_get(json_object_get(root, "embeds"), 0);
	assert_true(strlen(str_at(embed, "title")) <= 256);
	assert_true(strlen(str_at(embed, "description")) <= 4096);
	assert_true(
	    strlen(str_at(json_object_get(embed, "footer"), "text")) <= 2048);
	assert_true(embed_size(embed) <= 6000);
	/* Cut with an ellipsis, not silently. */
	assert_non_null(strstr(str_at(embed, "description"), "\xE2\x80\xA6"));
	json_decref(root);

	root = render(PUSH_FORMAT_SLACK, e);
	check_slack_blocks(json_object_get(root, "blocks"));
	json_decref(root);

	root = render(PUSH_FORMAT_STANDARD, e);
	entry = json_object_get(json_object_get(root, "data"), "entry");
	assert_int_equal(
	    json_array_size(json_object_get(entry, "authors")), 200);
	assert_int_equal(
	    json_integer_value(json_object_get(entry, "author_count")),
	    CAP_AUTHORS + 2);
	json_decref(root);
	entry_free(e);
}

static void test_unsafe_links(void **state)
{
	struct entry *e = sample();
	json_t *root, *blocks, *embed;

	/* A link that would break out of <url|text> or [text](url) is not
	 * used as a link at all. */
	free(e->hf_url);
	e->hf_url = strdup("https://example.org/a|b>c");
	free(e->github_repo);
	e->github_repo = strdup("javascript:alert(1)");
	root = render(PUSH_FORMAT_SLACK, e);
	blocks = json_object_get(root, "blocks");
	assert_string_equal(
	    str_at(json_object_get(json_array_get(blocks, 0), "text"), "text"),
	    "*Fast &amp; &lt;Loud&gt; *Attention**");
	assert_null(strstr(
	    str_at(
	        json_array_get(
	            json_object_get(json_array_get(blocks, 3), "elements"), 0),
	        "text"),
	    "javascript"));
	json_decref(root);
	root = render(PUSH_FORMAT_DISCORD, e);
	embed = json_array_get(json_object_get(root, "embeds"), 0);
	assert_null(json_object_get(embed, "url"));
	json_decref(root);
	/* Discord markdown in the abstract is escaped. */
	free(e->summary);
	e->summary = strdup("- a *b* [c](d) `e`");
	root = render(PUSH_FORMAT_DISCORD, e);
	embed = json_array_get(json_object_get(root, "embeds"), 0);
	assert_string_equal(
	    str_at(embed, "description"), "\\- a \\*b\\* \\[c\\](d) \\`e\\`");
	json_decref(root);
	entry_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_answer),
	    cmocka_unit_test(test_tampering),
	    cmocka_unit_test(test_secret_check),
	    cmocka_unit_test(test_secret_new),
	    cmocka_unit_test(test_hex_signature),
	    cmocka_unit_test(test_random_hex),
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_schedule),
	    cmocka_unit_test(test_retry_after),
	    cmocka_unit_test(test_schedule_edges),
	    cmocka_unit_test(test_format_names),
	    cmocka_unit_test(test_standard),
	    cmocka_unit_test(test_slack),
	    cmocka_unit_test(test_discord),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_unsafe_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
