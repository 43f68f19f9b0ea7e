/*
 * app.h: the long-lived objects of one running daemon, borrowed by the
 * HTTP routes. main.c creates and frees them in order.
 */
#ifndef PAPERWIRE_APP_H
#define PAPERWIRE_APP_H

#include <stdint.h>

#include <event2/event.h>

#include "config.h"
#include "fetch.h"
#include "poller.h"
#include "respcache.h"
#include "store.h"

struct http;
struct push;
struct websub;

struct app {
	struct event_base *base;
	struct config *cfg;
	struct store *store;
	struct fetch *fetch;
	struct poller *poller;
	struct respcache *cache;
	struct http *http;
	struct push *push;     /* webhooks and the delivery queue (push.h) */
	struct websub *websub; /* the built-in WebSub hub (websub.h) */
	int64_t started_at;
};

#endif
