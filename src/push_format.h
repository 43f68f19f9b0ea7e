/*
 * push_format.h: the message a webhook subscription receives for one
 * matching entry, in each format. Pure: an entry in, bytes out.
 *
 * standard  Standard Webhooks v1 payload:
 *           {"type":"entry.matched","timestamp":"<RFC 3339>",
 *            "data":{"subscription":{"id":...,"name":...},
 *                    "feed":<name or null>,"entry":{<the entry>}}}
 *           The entry object carries every field of the entry model,
 *           unknown values as null, so its keys never change.
 * slack     an incoming-webhook message: "text" (the fallback shown in
 *           notifications) and Block Kit blocks with the linked title,
 *           authors, counters, links and the first sentences of the
 *           abstract, each block within Slack's 3000-character limit.
 * discord   an execute-webhook message with one embed (title 256,
 *           description 4096, field values 1024, footer 2048, all
 *           together under 6000 characters) and mentions disabled, so a
 *           paper title can never ping a channel.
 *
 * Limits are counted in bytes, which are never fewer than characters, so
 * a message within them in bytes is within them in characters too.
 */
#ifndef PAPERWIRE_PUSH_FORMAT_H
#define PAPERWIRE_PUSH_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "entry.h"
#include "error.h"

enum push_format {
	PUSH_FORMAT_STANDARD = 0,
	PUSH_FORMAT_SLACK,
	PUSH_FORMAT_DISCORD,
};

/* "standard", "slack", "discord" to the enum; 0 or -1 when unknown. */
int push_format_parse(const char *name, enum push_format *out);
/* The name of a format (static). */
const char *push_format_name(enum push_format f);

/* What a message says about where it comes from. All borrowed. */
struct push_context {
	const char *sub_id;
	const char *sub_name; /* may be NULL */
	const char *feed;     /* the configured feed followed, or NULL */
	const char *service;  /* the service's title, for footers */
};

/*
 * new: the message body for e in format f, matched at time now (Unix
 * seconds), as compact JSON with UTF-8 kept as is; *len is its length.
 * NULL with err set on out of memory or when it would exceed
 * CAP_PUSH_MESSAGE_BYTES.
 */
char *push_format_body(enum push_format f, const struct push_context *ctx,
    const struct entry *e, int64_t now, size_t *len, struct pw_error *err);

/* new: the entry as the JSON object of the standard format's data.entry.
 * NULL on out of memory. */
json_t *push_format_entry_json(const struct entry *e);

#endif
