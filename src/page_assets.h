/*
 * page_assets.h: the front page's style sheet and script, inlined into
 * the page (no external assets). The script only enhances: the feed list
 * and the source table are plain HTML; the filter builder needs it.
 *
 * The page's Content-Security-Policy allows exactly these two texts by
 * their SHA-256 (page.c), so they must be served byte for byte.
 */
#ifndef PAPERWIRE_PAGE_ASSETS_H
#define PAPERWIRE_PAGE_ASSETS_H

extern const char page_assets_css[];
extern const char page_assets_js[];

#endif
