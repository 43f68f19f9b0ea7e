/*
 * buf.h: a growable byte buffer with a cap chosen at creation.
 *
 * The contents are always NUL-terminated (the NUL is not counted in len),
 * so a buffer of text can be handed to C string functions. Appending past
 * the cap fails cleanly and leaves the buffer as it was.
 * Ownership: a struct buf owns its data; buf_steal hands it to the caller.
 */
#ifndef PAPERWIRE_BUF_H
#define PAPERWIRE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t cap; /* allocated bytes */
	size_t max; /* most bytes len may reach */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps the allocation */

/* Return 0, or -1 when the cap would be exceeded or memory ran out. */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Returns the data (new, NUL-terminated, never NULL on success) and
 * resets the buffer to empty. NULL if memory ran out. */
char *buf_steal(struct buf *b);

/* A NUL-terminated view of the contents ("" when empty); borrowed. */
const char *buf_str(const struct buf *b);

#endif
