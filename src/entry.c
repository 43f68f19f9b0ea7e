/* entry.c: the entry model's constructors, copies and lists. */
#include "entry.h"

#include <stdlib.h>
#include <string.h>

void strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

int strv_push_owned(struct strv *sv, char *s)
{
	char **nv;

	if (s == NULL)
		return -1;
	nv = realloc(sv->v, (sv->n + 1) * sizeof(*nv));
	if (nv == NULL) {
		free(s);
		return -1;
	}
	sv->v = nv;
	sv->v[sv->n++] = s;
	return 0;
}

int strv_push(struct strv *sv, const char *s)
{
	char *copy = strdup(s);

	if (copy == NULL)
		return -1;
	return strv_push_owned(sv, copy);
}

int strv_contains(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

int strv_copy(struct strv *dst, const struct strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (strv_push(dst, src->v[i]) != 0)
			return -1;
	return 0;
}

void entry_init(struct entry *e)
{
	memset(e, 0, sizeof(*e));
	e->upvotes = -1;
	e->comments = -1;
	e->github_stars = -1;
}

void entry_clear(struct entry *e)
{
	free(e->id);
	free(e->title);
	free(e->summary);
	strv_free(&e->authors);
	free(e->github_repo);
	free(e->project_page);
	free(e->ai_summary);
	strv_free(&e->ai_keywords);
	free(e->thumbnail);
	free(e->organization);
	strv_free(&e->sources);
	free(e->hf_url);
	free(e->arxiv_url);
	free(e->pdf_url);
	free(e->url);
	strv_free(&e->categories);
	free(e->comment);
	entry_init(e);
}

struct entry *entry_new(void)
{
	struct entry *e = malloc(sizeof(*e));

	if (e != NULL)
		entry_init(e);
	return e;
}

void entry_free(struct entry *e)
{
	if (e == NULL)
		return;
	entry_clear(e);
	free(e);
}

/* Copies an optional string; 0 or -1. */
static int dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	if (src == NULL)
		return 0;
	*dst = strdup(src);
	return *dst != NULL ? 0 : -1;
}

int entry_copy(struct entry *dst, const struct entry *src)
{
	entry_clear(dst);
	dst->published_at = src->published_at;
	dst->listed_at = src->listed_at;
	dst->first_seen_at = src->first_seen_at;
	dst->updated_at = src->updated_at;
	dst->upvotes = src->upvotes;
	dst->comments = src->comments;
	dst->github_stars = src->github_stars;
	if (dup_opt(&dst->id, src->id) || dup_opt(&dst->title, src->title) ||
	    dup_opt(&dst->summary, src->summary) ||
	    strv_copy(&dst->authors, &src->authors) ||
	    dup_opt(&dst->github_repo, src->github_repo) ||
	    dup_opt(&dst->project_page, src->project_page) ||
	    dup_opt(&dst->ai_summary, src->ai_summary) ||
	    strv_copy(&dst->ai_keywords, &src->ai_keywords) ||
	    dup_opt(&dst->thumbnail, src->thumbnail) ||
	    dup_opt(&dst->organization, src->organization) ||
	    strv_copy(&dst->sources, &src->sources) ||
	    dup_opt(&dst->hf_url, src->hf_url) ||
	    dup_opt(&dst->arxiv_url, src->arxiv_url) ||
	    dup_opt(&dst->pdf_url, src->pdf_url) ||
	    dup_opt(&dst->url, src->url) ||
	    strv_copy(&dst->categories, &src->categories) ||
	    dup_opt(&dst->comment, src->comment)) {
		entry_clear(dst);
		return -1;
	}
	return 0;
}

const char *entry_link(const struct entry *e)
{
	if (e->hf_url != NULL)
		return e->hf_url;
	return e->arxiv_url != NULL ? e->arxiv_url : e->url;
}

void entry_list_init(struct entry_list *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

int entry_list_push(struct entry_list *l, struct entry *e)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		struct entry **nv = realloc(l->v, ncap * sizeof(*nv));

		if (nv == NULL) {
			entry_free(e);
			return -1;
		}
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = e;
	return 0;
}

void entry_list_free(struct entry_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		entry_free(l->v[i]);
	free(l->v);
	entry_list_init(l);
}

int entry_list_move(struct entry_list *to, struct entry_list *from)
{
	size_t old = to->n;
	int rc = 0;

	for (size_t i = 0; i < from->n; i++) {
		struct entry *e = from->v[i];

		from->v[i] = NULL;
		if (entry_list_push(to, e) != 0) {
			rc = -1;
			break;
		}
	}
	if (rc != 0) {
		for (size_t i = old; i < to->n; i++)
			entry_free(to->v[i]);
		to->n = old;
	}
	entry_list_free(from);
	return rc;
}

struct entry *entry_list_find(const struct entry_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->id != NULL && strcmp(l->v[i]->id, id) == 0)
			return l->v[i];
	return NULL;
}
