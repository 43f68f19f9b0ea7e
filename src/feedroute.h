/*
 * feedroute.h: what the feed route offers other modules: resolving a feed
 * URL into the filter it shows, rendering it outside an HTTP request (the
 * WebSub hub distributes feed bodies), and the hub URL feeds advertise.
 * feedroute_handle itself is declared in http.h with the other routes.
 */
#ifndef PAPERWIRE_FEEDROUTE_H
#define PAPERWIRE_FEEDROUTE_H

#include <stddef.h>

#include "app.h"
#include "buf.h"
#include "caps.h"
#include "error.h"
#include "filter.h"
#include "render/render.h"

/*
 * Resolves a feed path ("/feed.atom", "/feeds/hot.json") and its raw
 * query string ("" when none) into the merged filter (into f, which the
 * caller has filter_init'ed and frees), the renderer, and the named feed
 * (NULL for /feed.*; borrowed). 0, or -1 with *status 404 (not a feed),
 * 400 (a bad query; err names the parameter) or 500, and err set.
 */
int feedroute_resolve(const struct app *app, const char *path,
    const char *query, struct filter *f, const struct render_ops **ops,
    const struct feed_cfg **feed, int *status, struct pw_error *err);

/* Renders the feed at path?query as of now into out (capped by
 * out->max); *content_type is static. 0 or -1 with err set. */
int feedroute_render(struct app *app, const char *path, const char *query,
    struct buf *out, const char **content_type, struct pw_error *err);

/* Room for the built-in hub's URL. */
#define FEEDROUTE_HUB_BYTES (CAP_PUSH_URL_BYTES + 64)

/* The WebSub hub URL feeds advertise (the built-in one is written into
 * out, of len bytes), or NULL when the config turns the hub off. */
const char *feedroute_hub_url(const struct config *cfg, char *out, size_t len);

#endif
