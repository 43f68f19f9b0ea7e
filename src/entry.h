/*
 * entry.h: the one normalized model every source produces and every
 * renderer, filter and webhook consumes.
 *
 * Ownership: a struct entry owns every string and vector in it; entry_free
 * releases them. An entry_list owns its entries. Strings are valid UTF-8
 * plain text (sources sanitize with text_clean before filling them), or
 * NULL when the upstream did not give the field.
 */
#ifndef PAPERWIRE_ENTRY_H
#define PAPERWIRE_ENTRY_H

#include <stddef.h>
#include <stdint.h>

/* A vector of owned strings. */
struct strv {
	char **v;
	size_t n;
};

void strv_free(struct strv *sv);
/* Pushes a copy of s; returns 0 or -1 (out of memory). */
int strv_push(struct strv *sv, const char *s);
/* Steals s (a malloc'd string) into the vector; frees it on failure. */
int strv_push_owned(struct strv *sv, char *s);
/* 1 if s (exactly) is in the vector. */
int strv_contains(const struct strv *sv, const char *s);
/* Deep copy; returns 0 or -1. dst must be empty. */
int strv_copy(struct strv *dst, const struct strv *src);

struct entry {
	char *id;    /* "arxiv:2306.03091" (no version) or "<source>:<guid>" */
	char *title; /* plain text, whitespace collapsed */
	char *summary;         /* the abstract, plain text */
	struct strv authors;   /* visible authors, in order */
	int64_t published_at;  /* Unix seconds; 0 unknown (arXiv publication) */
	int64_t listed_at;     /* Unix seconds of the first daily-list date; 0
	                          unknown */
	int64_t first_seen_at; /* set by the store, never by sources */
	int64_t updated_at;    /* set by the store */
	int64_t upvotes;       /* -1 unknown */
	int64_t comments;      /* -1 unknown */
	int64_t github_stars;  /* -1 unknown */
	char *github_repo;     /* https URL */
	char *project_page;
	char *ai_summary;
	struct strv ai_keywords;
	char *thumbnail;
	char *organization; /* display name */
	struct strv
	    sources;     /* names of the configured sources that listed it */
	char *hf_url;    /* https://huggingface.co/papers/<id> */
	char *arxiv_url; /* https://arxiv.org/abs/<id> */
	char *pdf_url;   /* https://arxiv.org/pdf/<id> */
	char *url;       /* the item's own link (feeds that are not papers) */
	struct strv categories; /* arXiv or feed categories ("cs.CL") */
	char *comment; /* arXiv author comment ("12 pages, NeurIPS 2026") */
};

/* A zeroed entry with every counter set to -1 (unknown). */
void entry_init(struct entry *e);
/* Frees what e owns (not e itself) and re-initializes it. */
void entry_clear(struct entry *e);
/* new: a heap entry_init'ed entry, or NULL. */
struct entry *entry_new(void);
/* Frees e and what it owns; NULL is fine. */
void entry_free(struct entry *e);
/* Deep copy into an initialized dst (dst is cleared first). 0 or -1. */
int entry_copy(struct entry *dst, const struct entry *src);

/* The link a reader should open: hf_url, else arxiv_url, else url, else
 * NULL. */
const char *entry_link(const struct entry *e);

/* A growable list of heap entries. */
struct entry_list {
	struct entry **v;
	size_t n;
	size_t cap;
};

void entry_list_init(struct entry_list *l);
/* Steals e; frees it on failure. Returns 0 or -1. */
int entry_list_push(struct entry_list *l, struct entry *e);
/* Frees every entry and the array. */
void entry_list_free(struct entry_list *l);
/*
 * Moves every entry of from to the end of to, all or nothing: when memory
 * runs out, to is cut back to its old length (the moved entries freed).
 * from is left empty either way. 0 or -1.
 */
int entry_list_move(struct entry_list *to, struct entry_list *from);

/* The entry with this id, or NULL (borrowed). */
struct entry *entry_list_find(const struct entry_list *l, const char *id);

#endif
