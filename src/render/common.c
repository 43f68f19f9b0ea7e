/*
 * common.c: what every feed format shares: the renderer registry, the item
 * body (HTML and plain text), the item date, author truncation, and the
 * checks that keep links and ids safe to emit.
 *
 * The item HTML is an HTML fragment, not part of the XML document: it is
 * built here in a buffer with every piece of entry text escaped by
 * render_html_escape, and the XML writer escapes the whole fragment once
 * more when it becomes element content.
 */
#include "render_priv.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../caps.h"
#include "../text.h"

static const struct render_ops *const renderers[] = {
    &render_rss_ops,
    &render_atom_ops,
    &render_json_ops,
};

const struct render_ops *render_find(const char *ext)
{
	if (ext == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
		if (strcmp(renderers[i]->ext, ext) == 0)
			return renderers[i];
	return NULL;
}

/* true when url is one render_url accepts. */
static bool url_usable(const char *url)
{
	char *safe = render_url(url);
	bool ok = safe != NULL;

	free(safe);
	return ok;
}

int render_meta_check(const struct feed_meta *meta, struct pw_error *err)
{
	if (meta->title == NULL)
		return pw_error_set(err, "feed has no title");
	if (!url_usable(meta->self_url))
		return pw_error_set(err, "feed self URL is not an http(s) URL");
	if (!url_usable(meta->home_url))
		return pw_error_set(err, "feed home URL is not an http(s) URL");
	return 0;
}

int64_t render_item_date(const struct entry *e)
{
	if (e->first_seen_at > 0)
		return e->first_seen_at;
	if (e->published_at > 0)
		return e->published_at;
	return e->listed_at > 0 ? e->listed_at : 0;
}

size_t render_authors_shown(const struct entry *e, bool *truncated)
{
	*truncated = e->authors.n > CAP_FEED_AUTHORS_SHOWN;
	return *truncated ? CAP_FEED_AUTHORS_SHOWN : e->authors.n;
}

const char *render_clean(const char *s, char **tmp)
{
	*tmp = NULL;
	if (s == NULL)
		return NULL;
	if (text_is_clean_utf8(s, strlen(s)))
		return s;
	*tmp = text_clean(s, strlen(s), 0);
	return *tmp;
}

int render_html_escape(struct buf *out, const char *s)
{
	const char *run = s;
	const char *rep;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		if (buf_append(out, run, (size_t)(s - run)) != 0 ||
		    buf_puts(out, rep) != 0)
			return -1;
		run = s + 1;
	}
	return buf_append(out, run, (size_t)(s - run));
}

/*
 * Bytes a link may carry as they are: the URI characters of RFC 3986
 * (unreserved, reserved, and '%' of existing escapes). Everything else
 * (controls, space, quotes, angle brackets, non-ASCII) is percent-encoded,
 * which also maps an IRI to its URI as RFC 3987 section 3.1 does.
 */
static bool url_byte_ok(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

/* true when the byte at s may stay as it is: ok() holds for it, and a '%'
 * starts an existing escape (a stray '%' is encoded as "%25"). */
static bool keep_byte(const char *s, bool (*ok)(unsigned char))
{
	if (!ok((unsigned char)*s))
		return false;
	return *s != '%' ||
	       (isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]));
}

/* Appends s with every byte keep_byte rejects percent-encoded. */
static int percent_encode(
    struct buf *out, const char *s, bool (*ok)(unsigned char))
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (keep_byte(s, ok)) {
			if (buf_append(out, s, 1) != 0)
				return -1;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 15];
		if (buf_append(out, esc, sizeof(esc)) != 0)
			return -1;
	}
	return 0;
}

char *render_url(const char *url)
{
	struct buf b;
	size_t skip;

	if (url == NULL)
		return NULL;
	if (strncasecmp(url, "https://", 8) == 0)
		skip = 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		skip = 7;
	else
		return NULL;
	/* A host must follow the scheme: "http:///x" and "http://" are not
	 * links a reader can open. */
	if (url[skip] == '\0' || strchr("/?#", url[skip]) != NULL)
		return NULL;
	buf_init(&b, CAP_FIELD_BYTES * 3);
	if (percent_encode(&b, url, url_byte_ok) != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* The characters the W3C Feed Validator accepts unescaped in a URN's
 * namespace-specific string, narrowed to the unreserved ones and ':'. */
static bool urn_byte_ok(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-._:", c) != NULL;
}

/* true when s is a plausible arXiv identifier: new style "2306.03091" or
 * old style "hep-th/9901001", so it can be put in a URL as it is. */
static bool arxiv_id_ok(const char *s)
{
	if (*s == '\0' || *s == '/' || *s == '.')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		        *s == '/'))
			return false;
	return true;
}

char *render_entry_iri(const char *id)
{
	struct buf b;
	int rc;

	if (id == NULL)
		return NULL;
	buf_init(&b, CAP_FIELD_BYTES * 3 + 64);
	if (strncmp(id, "arxiv:", 6) == 0 && arxiv_id_ok(id + 6)) {
		rc = buf_puts(&b, "https://arxiv.org/abs/") ||
		     buf_puts(&b, id + 6);
	} else {
		rc = buf_puts(&b, "urn:paperwire:") ||
		     percent_encode(&b, id, urn_byte_ok);
	}
	if (rc != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Separator between the parts of the stats line. */
#define DOT " \xC2\xB7 "

/* Appends " · " before every part but the first of a line. */
static int part_sep(struct buf *b, bool *first)
{
	if (*first) {
		*first = false;
		return 0;
	}
	return buf_puts(b, DOT);
}

/* Appends a counter part like "12 upvotes"; nothing when unknown. */
static int count_part(struct buf *b, bool *first, const char *prefix, int64_t n,
    const char *one, const char *many)
{
	if (n < 0)
		return 0;
	if (part_sep(b, first) != 0)
		return -1;
	return buf_printf(
	    b, "%s%lld%s", prefix, (long long)n, n == 1 ? one : many);
}

/* Appends "▲ N upvotes · M comments · ★ S" with only the known counters.
 * The parts are digits and fixed words, so the same text serves HTML and
 * plain text. */
static int counters(struct buf *b, bool *first, const struct entry *e)
{
	if (count_part(b, first, "\xE2\x96\xB2 ", e->upvotes, " upvote",
	        " upvotes") != 0 ||
	    count_part(b, first, "", e->comments, " comment", " comments") != 0)
		return -1;
	return count_part(b, first, "\xE2\x98\x85 ", e->github_stars, "", "");
}

/* Appends <a href="url">label</a> when url is an http(s) link. */
static int link_part(
    struct buf *b, bool *first, const char *url, const char *label)
{
	char *safe = render_url(url);
	int rc;

	if (safe == NULL)
		return 0;
	rc = part_sep(b, first) || buf_puts(b, "<a href=\"") ||
	     render_html_escape(b, safe) || buf_puts(b, "\">") ||
	     render_html_escape(b, label) || buf_puts(b, "</a>");
	free(safe);
	return rc ? -1 : 0;
}

/* The "▲ N upvotes · M comments · ★ S · code · ..." paragraph. */
static int html_stats(struct buf *b, const struct entry *e)
{
	size_t start = b->len;
	bool first = true;

	if (buf_puts(b, "<p>") != 0 || counters(b, &first, e) != 0 ||
	    link_part(b, &first, e->github_repo, "code") ||
	    link_part(b, &first, e->project_page, "project page") ||
	    link_part(b, &first, e->arxiv_url, "arXiv") ||
	    link_part(b, &first, e->pdf_url, "PDF"))
		return -1;
	if (first) {
		/* Nothing known: drop the empty paragraph. */
		b->len = start;
		b->data[start] = '\0';
		return 0;
	}
	return buf_puts(b, "</p>\n");
}

/* Appends the strings joined with ", ", each through esc (or as they are
 * when esc is NULL). */
static int join_list(struct buf *b, const struct strv *sv,
    int (*esc)(struct buf *, const char *))
{
	for (size_t i = 0; i < sv->n; i++) {
		const char *k = sv->v[i];

		if ((i > 0 && buf_puts(b, ", ") != 0) ||
		    (esc != NULL ? esc(b, k) : buf_puts(b, k)) != 0)
			return -1;
	}
	return 0;
}

static int keyword_list(struct buf *b, const struct entry *e,
    int (*esc)(struct buf *, const char *))
{
	return join_list(b, &e->ai_keywords, esc);
}

char *render_item_html(const struct entry *e)
{
	struct buf b;

	buf_init(&b, CAP_RESPONSE_BYTES);
	if (e->summary != NULL &&
	    (buf_puts(&b, "<p>") || render_html_escape(&b, e->summary) ||
	        buf_puts(&b, "</p>\n")))
		goto fail;
	if (e->ai_summary != NULL &&
	    (buf_puts(&b, "<p><strong>AI summary:</strong> ") ||
	        render_html_escape(&b, e->ai_summary) ||
	        buf_puts(&b, "</p>\n")))
		goto fail;
	if (html_stats(&b, e) != 0)
		goto fail;
	if (e->ai_keywords.n > 0 &&
	    (buf_puts(&b, "<p>Keywords: ") ||
	        keyword_list(&b, e, render_html_escape) ||
	        buf_puts(&b, "</p>\n")))
		goto fail;
	if (e->categories.n > 0 &&
	    (buf_puts(&b, "<p>Categories: ") ||
	        join_list(&b, &e->categories, render_html_escape) ||
	        buf_puts(&b, "</p>\n")))
		goto fail;
	if (e->comment != NULL &&
	    (buf_puts(&b, "<p>Comment: ") ||
	        render_html_escape(&b, e->comment) || buf_puts(&b, "</p>\n")))
		goto fail;
	/* Drop the last newline so the fragment ends with its last tag. */
	if (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	return buf_steal(&b);
fail:
	buf_free(&b);
	return NULL;
}

/* Appends "label: url\n" when url is an http(s) link. */
static int text_link(struct buf *b, const char *label, const char *url)
{
	char *safe = render_url(url);
	int rc;

	if (safe == NULL)
		return 0;
	rc = buf_printf(b, "%s: %s\n", label, safe);
	free(safe);
	return rc;
}

/* Starts a new paragraph: a blank line unless the text is still empty. */
static int text_para(struct buf *b)
{
	return b->len > 0 ? buf_puts(b, "\n") : 0;
}

char *render_item_text(const struct entry *e)
{
	struct buf b;
	bool first = true;
	size_t mark;

	buf_init(&b, CAP_RESPONSE_BYTES);
	if (e->summary != NULL && buf_printf(&b, "%s\n", e->summary) != 0)
		goto fail;
	if (e->ai_summary != NULL &&
	    (text_para(&b) ||
	        buf_printf(&b, "AI summary: %s\n", e->ai_summary)))
		goto fail;
	if (text_para(&b) != 0)
		goto fail;
	mark = b.len;
	if (counters(&b, &first, e) != 0 || (!first && buf_puts(&b, "\n") != 0))
		goto fail;
	if (text_link(&b, "Code", e->github_repo) ||
	    text_link(&b, "Project page", e->project_page) ||
	    text_link(&b, "arXiv", e->arxiv_url) ||
	    text_link(&b, "PDF", e->pdf_url))
		goto fail;
	if (b.len == mark && mark > 0) {
		/* No stats and no links: take back the paragraph break. */
		b.data[--b.len] = '\0';
	}
	if (e->ai_keywords.n > 0 &&
	    (text_para(&b) || buf_puts(&b, "Keywords: ") ||
	        keyword_list(&b, e, NULL) || buf_puts(&b, "\n")))
		goto fail;
	if (e->categories.n > 0 &&
	    (text_para(&b) || buf_puts(&b, "Categories: ") ||
	        join_list(&b, &e->categories, NULL) || buf_puts(&b, "\n")))
		goto fail;
	if (e->comment != NULL &&
	    (text_para(&b) || buf_puts(&b, "Comment: ") ||
	        buf_puts(&b, e->comment) || buf_puts(&b, "\n")))
		goto fail;
	if (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	return buf_steal(&b);
fail:
	buf_free(&b);
	return NULL;
}
