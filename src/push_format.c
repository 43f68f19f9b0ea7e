/*
 * push_format.c: webhook messages, built with jansson and serialized once.
 *
 * Slack and Discord render markup in the text they are sent, so every
 * piece of entry text is escaped for the service (Slack mrkdwn: &, <, >;
 * Discord markdown: a backslash before each markup character) and then
 * cut to a byte budget with text_excerpt, which keeps the cut on a
 * sentence or word boundary. Links are used only when they are plain
 * http(s) URLs that cannot break out of the service's link syntax.
 */
#include "push_format.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "caps.h"
#include "text.h"
#include "timefmt.h"

/* Authors listed in a standard message (author_count gives the total). */
#define STANDARD_AUTHORS_MAX 200
/* The longest URL a Slack or Discord message links to. */
#define LINK_MAX 500

/* Slack: bytes of raw text per part (escaping may grow them fivefold,
 * and every block's text must stay under 3000 characters). */
#define SLACK_TITLE 400
#define SLACK_AUTHORS 400
#define SLACK_ABSTRACT 500

/* Discord: byte budgets per part, chosen so the embed stays under 6000
 * characters in all (title 256 + authors 700 + code 700 + links 1024 +
 * footer 200 + description 3000 + field names). */
#define DISCORD_TITLE 256
#define DISCORD_AUTHORS 700
#define DISCORD_FIELD 1024
#define DISCORD_CODE 700
#define DISCORD_FOOTER 200
#define DISCORD_DESCRIPTION 3000
#define DISCORD_COLOR 16750848 /* #FF9D00, the Hugging Face orange */

static const char *const format_names[] = {
    [PUSH_FORMAT_STANDARD] = "standard",
    [PUSH_FORMAT_SLACK] = "slack",
    [PUSH_FORMAT_DISCORD] = "discord",
};

int push_format_parse(const char *name, enum push_format *out)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]);
	     i++) {
		if (name != NULL && strcmp(name, format_names[i]) == 0) {
			*out = (enum push_format)i;
			return 0;
		}
	}
	return -1;
}

const char *push_format_name(enum push_format f)
{
	return (size_t)f < sizeof(format_names) / sizeof(format_names[0])
	           ? format_names[f]
	           : "standard";
}

/* A JSON string of s (cleaned if it is not clean UTF-8), or JSON null
 * when s is NULL. NULL on out of memory. */
static json_t *jstr(const char *s)
{
	char *clean;
	json_t *v;

	if (s == NULL)
		return json_null();
	if (text_is_clean_utf8(s, strlen(s)))
		return json_string(s);
	clean = text_clean(s, strlen(s), 0);
	v = clean != NULL ? json_string(clean) : NULL;
	free(clean);
	return v;
}

static json_t *jtime(int64_t t)
{
	char b[TIMEFMT_BYTES];

	return t > 0 ? json_string(timefmt_rfc3339(t, b)) : json_null();
}

static json_t *jcount(int64_t n)
{
	return n >= 0 ? json_integer((json_int_t)n) : json_null();
}

static json_t *jstrv(const struct strv *sv, size_t max)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < sv->n && i < max; i++)
		if (json_array_append_new(a, jstr(sv->v[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* Sets o[key] = v (stolen); -1 when v is NULL or memory ran out. */
static int put(json_t *o, const char *key, json_t *v)
{
	return v != NULL ? json_object_set_new(o, key, v) : -1;
}

json_t *push_format_entry_json(const struct entry *e)
{
	json_t *o = json_object();

	if (o == NULL || put(o, "id", jstr(e->id)) ||
	    put(o, "title", jstr(e->title)) ||
	    put(o, "link", jstr(entry_link(e))) ||
	    put(o, "summary", jstr(e->summary)) ||
	    put(o, "authors", jstrv(&e->authors, STANDARD_AUTHORS_MAX)) ||
	    put(o, "author_count", json_integer((json_int_t)e->authors.n)) ||
	    put(o, "published_at", jtime(e->published_at)) ||
	    put(o, "listed_at", jtime(e->listed_at)) ||
	    put(o, "first_seen_at", jtime(e->first_seen_at)) ||
	    put(o, "updated_at", jtime(e->updated_at)) ||
	    put(o, "upvotes", jcount(e->upvotes)) ||
	    put(o, "comments", jcount(e->comments)) ||
	    put(o, "github_repo", jstr(e->github_repo)) ||
	    put(o, "github_stars", jcount(e->github_stars)) ||
	    put(o, "project_page", jstr(e->project_page)) ||
	    put(o, "ai_summary", jstr(e->ai_summary)) ||
	    put(o, "ai_keywords", jstrv(&e->ai_keywords, CAP_KEYWORDS)) ||
	    put(o, "thumbnail", jstr(e->thumbnail)) ||
	    put(o, "organization", jstr(e->organization)) ||
	    put(o, "sources", jstrv(&e->sources, SIZE_MAX)) ||
	    put(o, "hf_url", jstr(e->hf_url)) ||
	    put(o, "arxiv_url", jstr(e->arxiv_url)) ||
	    put(o, "pdf_url", jstr(e->pdf_url)) ||
	    put(o, "url", jstr(e->url)) ||
	    put(o, "categories", jstrv(&e->categories, SIZE_MAX)) ||
	    put(o, "comment", jstr(e->comment))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* true when url can be a link target in Slack and Discord markup: an
 * http(s) URL of printable ASCII without the characters that end or
 * split a link there. */
static bool link_ok(const char *url)
{
	size_t n;

	if (url == NULL)
		return false;
	n = strlen(url);
	if (n > LINK_MAX || (strncmp(url, "https://", 8) != 0 &&
	                        strncmp(url, "http://", 7) != 0))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];

		if (c <= 0x20 || c >= 0x7f || strchr("<>|\"\\`()[]", c))
			return false;
	}
	return true;
}

/* Appends s escaped for Slack mrkdwn (&, <, >). 0 or -1. */
static int slack_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		const char *rep = *s == '&'   ? "&amp;"
		                  : *s == '<' ? "&lt;"
		                  : *s == '>' ? "&gt;"
		                              : NULL;

		if (rep != NULL ? buf_puts(b, rep) : buf_append(b, s, 1))
			return -1;
	}
	return 0;
}

/* Appends s with a backslash before each Discord markdown character:
 * emphasis, code, spoilers and links anywhere, and the characters that
 * start a heading, a list or a quote at the start (text is one line). */
static int discord_escape(struct buf *b, const char *s)
{
	if (*s != '\0' && strchr("#->", *s) != NULL &&
	    buf_append(b, "\\", 1) != 0)
		return -1;
	for (; *s != '\0'; s++)
		if ((strchr("\\*_~`|[]", *s) != NULL &&
		        buf_append(b, "\\", 1) != 0) ||
		    buf_append(b, s, 1) != 0)
			return -1;
	return 0;
}

/* Appends the excerpt of s (at most max bytes) escaped by esc. */
static int excerpt_into(struct buf *b, const char *s, size_t max,
    int (*esc)(struct buf *, const char *))
{
	char *x = text_excerpt(s, max);
	int rc = x != NULL ? esc(b, x) : -1;

	free(x);
	return rc;
}

/* new: the escaped text cut to max bytes (escaping first, so the result
 * fits the budget whatever it escaped). */
static char *escaped_excerpt(
    const char *s, size_t max, int (*esc)(struct buf *, const char *))
{
	struct buf b;
	char *out = NULL;

	buf_init(&b, CAP_PUSH_MESSAGE_BYTES);
	if (esc(&b, s) == 0)
		out = text_excerpt(buf_str(&b), max);
	buf_free(&b);
	return out;
}

/* Appends the authors joined by ", " (at most CAP_FEED_AUTHORS_SHOWN). */
static int join_authors(struct buf *b, const struct entry *e)
{
	for (size_t i = 0; i < e->authors.n && i < CAP_FEED_AUTHORS_SHOWN; i++)
		if ((i > 0 && buf_puts(b, ", ") != 0) ||
		    buf_puts(b, e->authors.v[i]) != 0)
			return -1;
	if (e->authors.n > CAP_FEED_AUTHORS_SHOWN)
		return buf_puts(b, ", et al.");
	return 0;
}

static json_t *standard_body(
    const struct push_context *ctx, const struct entry *e, int64_t now)
{
	json_t *root = json_object(), *data, *sub;

	if (put(root, "type", json_string("entry.matched")) ||
	    put(root, "timestamp", jtime(now)) ||
	    put(root, "data", data = json_object()) ||
	    put(data, "subscription", sub = json_object()) ||
	    put(sub, "id", jstr(ctx->sub_id)) ||
	    put(sub, "name", jstr(ctx->sub_name)) ||
	    put(data, "feed", jstr(ctx->feed)) ||
	    put(data, "entry", push_format_entry_json(e))) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* Appends " · " between parts of a line (first tells whether one came). */
static int sep(struct buf *b, bool *first, const char *s)
{
	int rc = *first ? 0 : buf_puts(b, s);

	*first = false;
	return rc;
}

/* The counters and links line shared by Slack (mrkdwn links) and
 * Discord (markdown links): "▲ 42 upvotes · 3 comments · code ★ 120". */
static int stats_line(struct buf *b, const struct entry *e, bool slack)
{
	static const char dot[] = " \xC2\xB7 ";
	const char *labels[] = {"code", "project", "arXiv", "PDF"};
	const char *urls[] = {
	    e->github_repo, e->project_page, e->arxiv_url, e->pdf_url};
	bool first = true;

	if (e->upvotes >= 0 &&
	    (sep(b, &first, dot) || buf_printf(b, "\xE2\x96\xB2 %lld upvotes",
	                                (long long)e->upvotes)))
		return -1;
	if (e->comments >= 0 &&
	    (sep(b, &first, dot) ||
	        buf_printf(b, "%lld comments", (long long)e->comments)))
		return -1;
	for (size_t i = 0; i < 4; i++) {
		if (!link_ok(urls[i]))
			continue;
		if (sep(b, &first, dot) ||
		    (slack ? buf_printf(b, "<%s|%s>", urls[i], labels[i])
		           : buf_printf(b, "[%s](%s)", labels[i], urls[i])))
			return -1;
		if (i == 0 && e->github_stars >= 0 &&
		    buf_printf(b, " \xE2\x98\x85 %lld",
		        (long long)e->github_stars) != 0)
			return -1;
	}
	return 0;
}

/* Appends a block {"type": type, ...} holding one mrkdwn text. */
static int slack_block(json_t *blocks, const char *type, const char *text)
{
	json_t *block = json_object(), *t = json_object(), *elems;

	/* Each object joins its parent before it is filled, so a failure
	 * leaves nothing unowned. */
	if (json_array_append_new(blocks, block) != 0 ||
	    put(block, "type", json_string(type))) {
		json_decref(t);
		return -1;
	}
	if (strcmp(type, "context") == 0) {
		if (put(block, "elements", elems = json_array())) {
			json_decref(t);
			return -1;
		}
		if (json_array_append_new(elems, t) != 0)
			return -1;
	} else if (put(block, "text", t)) {
		return -1;
	}
	return put(t, "type", json_string("mrkdwn")) ||
	       put(t, "text", jstr(text));
}

static json_t *slack_body(const struct entry *e)
{
	json_t *root = json_object(), *blocks;
	const char *link = entry_link(e);
	struct buf b;
	char *title = text_excerpt(e->title, SLACK_TITLE);
	int rc = -1;

	buf_init(&b, CAP_PUSH_MESSAGE_BYTES);
	if (title == NULL || put(root, "blocks", blocks = json_array()))
		goto out;
	/* The fallback text of notifications: plain, so not escaped beyond
	 * what Slack requires of every text field. */
	if (slack_escape(&b, title) ||
	    (link_ok(link) && buf_printf(&b, " %s", link)) ||
	    put(root, "text", jstr(buf_str(&b))))
		goto out;
	buf_reset(&b);
	if (link_ok(link) ? buf_printf(&b, "*<%s|", link) : buf_puts(&b, "*"))
		goto out;
	if (slack_escape(&b, title) || buf_puts(&b, link_ok(link) ? ">*" : "*"))
		goto out;
	if (slack_block(blocks, "section", buf_str(&b)))
		goto out;
	if (e->authors.n > 0) {
		struct buf names;
		int arc;

		buf_reset(&b);
		buf_init(&names, CAP_PUSH_MESSAGE_BYTES);
		arc = join_authors(&names, e) ||
		      excerpt_into(
		          &b, buf_str(&names), SLACK_AUTHORS, slack_escape) ||
		      slack_block(blocks, "context", buf_str(&b));
		buf_free(&names);
		if (arc)
			goto out;
	}
	if (e->summary != NULL && e->summary[0] != '\0') {
		buf_reset(&b);
		if (excerpt_into(
		        &b, e->summary, SLACK_ABSTRACT, slack_escape) ||
		    slack_block(blocks, "section", buf_str(&b)))
			goto out;
	}
	buf_reset(&b);
	if (stats_line(&b, e, true))
		goto out;
	if (b.len > 0 && slack_block(blocks, "context", buf_str(&b)))
		goto out;
	if (put(root, "unfurl_links", json_false()))
		goto out;
	rc = 0;
out:
	free(title);
	buf_free(&b);
	if (rc != 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* Appends {"name": name, "value": value, "inline": inl} to fields. */
static int discord_field(
    json_t *fields, const char *name, const char *value, bool inl)
{
	json_t *f = json_object();

	if (json_array_append_new(fields, f) != 0)
		return -1;
	return put(f, "name", json_string(name)) ||
	       put(f, "value", jstr(value)) ||
	       put(f, "inline", json_boolean(inl));
}

static json_t *discord_body(
    const struct push_context *ctx, const struct entry *e, int64_t now)
{
	json_t *root = json_object(), *embeds, *embed = NULL, *fields = NULL,
	       *mentions, *footer = NULL;
	const char *link = entry_link(e);
	char *title = text_excerpt(e->title, DISCORD_TITLE), *x = NULL;
	struct buf b;
	int rc = -1;

	/* Each object is attached as soon as it is made, so freeing root
	 * frees whatever was built when a later step fails. */
	buf_init(&b, CAP_PUSH_MESSAGE_BYTES);
	if (put(root, "allowed_mentions", mentions = json_object()) ||
	    put(mentions, "parse", json_array()) ||
	    put(root, "embeds", embeds = json_array()) ||
	    json_array_append_new(embeds, embed = json_object()) != 0 ||
	    put(embed, "fields", fields = json_array()) ||
	    put(embed, "footer", footer = json_object()))
		goto out;
	if (title == NULL || put(embed, "title", jstr(title)) ||
	    (link_ok(link) && put(embed, "url", json_string(link))) ||
	    put(embed, "color", json_integer(DISCORD_COLOR)) ||
	    put(embed, "timestamp",
	        jtime(e->first_seen_at > 0 ? e->first_seen_at : now)))
		goto out;
	if (e->summary != NULL && e->summary[0] != '\0') {
		x = escaped_excerpt(
		    e->summary, DISCORD_DESCRIPTION, discord_escape);
		if (x == NULL || put(embed, "description", jstr(x)))
			goto out;
		free(x);
		x = NULL;
	}
	if (e->authors.n > 0) {
		if (join_authors(&b, e))
			goto out;
		x = escaped_excerpt(
		    buf_str(&b), DISCORD_AUTHORS, discord_escape);
		if (x == NULL || discord_field(fields, "Authors", x, false))
			goto out;
		free(x);
		x = NULL;
	}
	buf_reset(&b);
	if (stats_line(&b, e, false))
		goto out;
	if (b.len > 0) {
		x = text_excerpt(buf_str(&b), DISCORD_FIELD);
		if (x == NULL || discord_field(fields, "Paper", x, false))
			goto out;
		free(x);
		x = NULL;
	}
	buf_reset(&b);
	if (buf_puts(&b, ctx->service != NULL ? ctx->service : "paperwire") ||
	    (ctx->feed != NULL && buf_printf(&b, " \xC2\xB7 %s", ctx->feed)))
		goto out;
	x = text_excerpt(buf_str(&b), DISCORD_FOOTER);
	if (x == NULL || put(footer, "text", jstr(x)))
		goto out;
	rc = 0;
out:
	free(x);
	free(title);
	buf_free(&b);
	if (rc != 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

char *push_format_body(enum push_format f, const struct push_context *ctx,
    const struct entry *e, int64_t now, size_t *len, struct pw_error *err)
{
	json_t *root;
	char *text;

	if (e->id == NULL || e->title == NULL) {
		pw_error_set(err, "entry without id or title");
		return NULL;
	}
	switch (f) {
	case PUSH_FORMAT_SLACK:
		root = slack_body(e);
		break;
	case PUSH_FORMAT_DISCORD:
		root = discord_body(ctx, e, now);
		break;
	default:
		root = standard_body(ctx, e, now);
		break;
	}
	if (root == NULL) {
		pw_error_set(err, "out of memory");
		return NULL;
	}
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL) {
		pw_error_set(err, "out of memory");
		return NULL;
	}
	*len = strlen(text);
	if (*len > CAP_PUSH_MESSAGE_BYTES) {
		pw_error_set(err,
		    "message of %zu bytes is over the %d byte cap", *len,
		    CAP_PUSH_MESSAGE_BYTES);
		free(text);
		return NULL;
	}
	return text;
}
