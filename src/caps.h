/*
 * caps.h: every limit paperwire enforces, in one place.
 *
 * Each buffer filled from the network or from a client has a cap chosen
 * here; going over a cap is a clean error (an aborted transfer, a 400 or a
 * 413), never a crash. docs/limits.md lists these for operators.
 */
#ifndef PAPERWIRE_CAPS_H
#define PAPERWIRE_CAPS_H

/* Upstream fetching. */
#define CAP_FETCH_BODY_BYTES (16L * 1024 * 1024) /* after decompression */
#define CAP_FETCH_CONNECT_TIMEOUT_MS 10000L
#define CAP_FETCH_TOTAL_TIMEOUT_MS 60000L
#define CAP_FETCH_LOW_SPEED_BYTES 64L   /* bytes per second ...      */
#define CAP_FETCH_LOW_SPEED_SECONDS 20L /* ... sustained this long   */
#define CAP_FETCH_REDIRECTS 5L
#define CAP_FETCH_CONCURRENT 8L

/* Polling. */
#define CAP_POLL_PAGES 10       /* pages followed per list date       */
#define CAP_POLL_DAYS 14        /* hf_daily "days" upper bound        */
#define CAP_INTERVAL_MIN 1      /* seconds; tests poll fast           */
#define CAP_INTERVAL_MAX 604800 /* one week                           */
#define CAP_BACKOFF_FIRST 30    /* seconds after the first failure    */
#define CAP_BACKOFF_MAX 3600    /* longest back-off between attempts  */
#define CAP_RETRY_AFTER_MAX                                                    \
	86400 /* a Retry-After longer than a day is clamped */

/* Parsed documents. */
#define CAP_ITEMS_PER_DOCUMENT 5000
#define CAP_JSON_DEPTH 64
#define CAP_TITLE_BYTES 2048
#define CAP_SUMMARY_BYTES 65536
#define CAP_FIELD_BYTES 4096 /* urls, names, keywords, ids         */
#define CAP_AUTHORS 5000
#define CAP_KEYWORDS 100

/* Serving. */
#define CAP_FEED_LIMIT_DEFAULT 50
#define CAP_FEED_LIMIT_MAX 500
#define CAP_FEED_AUTHORS_SHOWN                                                 \
	50                   /* a feed item lists at most this many authors */
#define CAP_QUERY_BYTES 8192 /* a query string longer than this is a 400  */
#define CAP_QUERY_TERMS 32   /* words and phrases in q                     */
#define CAP_QUERY_VALUE_BYTES                                                  \
	512 /* one parameter value                       */
/* Request line plus headers. Larger than CAP_QUERY_BYTES so an over-long
 * query reaches the router, which answers a 400 naming the parameter. */
#define CAP_HTTP_HEADERS_BYTES 131072
#define CAP_HTTP_BODY_BYTES 65536
#define CAP_HTTP_TIMEOUT_SECONDS 30
#define CAP_HTTP_WRITE_BYTES (1024L * 1024)    /* one write call to a client */
#define CAP_RESPONSE_BYTES (32L * 1024 * 1024) /* a rendered feed */
#define CAP_CACHE_ENTRIES 256 /* rendered responses kept in memory     */
#define CAP_DAYS_MAX 3650

/* Configuration. */
#define CAP_CONFIG_BYTES (1024L * 1024)
#define CAP_NAME_BYTES 64 /* source and feed names                 */

/* Search sources and fetch etiquette (hf_search, hostgate). */
#define CAP_SEARCH_QUERY_CHARS 250  /* hf_search "query", in characters */
#define CAP_SEARCH_LIMIT_MAX 120    /* hf_search "limit" upper bound     */
#define CAP_SEARCH_LIMIT_DEFAULT 50 /* hf_search "limit" when not given  */
#define CAP_HOST_INTERVAL_MAX 3600  /* min_request_interval, seconds     */
#define CAP_HOST_INTERVAL_ARXIV 3   /* default for *.arxiv.org hosts     */

/* Push: webhooks, the delivery queue and the WebSub hub. */
#define CAP_PUSH_URL_BYTES 2048         /* a target or callback URL */
#define CAP_PUSH_NAME_BYTES 200         /* a subscription's display name */
#define CAP_PUSH_SUBSCRIPTIONS 10000    /* webhook subscriptions in all */
#define CAP_PUSH_BACKFILL_MAX 100       /* "backfill" upper bound */
#define CAP_PUSH_MESSAGE_BYTES 262144   /* one webhook message body */
#define CAP_PUSH_RESPONSE_BYTES 4096    /* receiver answer read, then cut */
#define CAP_PUSH_TIMEOUT_DEFAULT 15     /* seconds per attempt */
#define CAP_PUSH_TIMEOUT_MAX 300        /* "delivery.timeout" upper bound */
#define CAP_PUSH_ATTEMPTS_MAX 100       /* "delivery.max_attempts" bound */
#define CAP_PUSH_DELAY_MAX 86400        /* first_delay, max_delay: seconds */
#define CAP_PUSH_PER_HOST_MAX 64        /* "delivery.per_host_concurrency" */
#define CAP_PUSH_INFLIGHT 128           /* deliveries in flight at once */
#define CAP_PUSH_RETRY_AFTER_MAX 86400  /* a longer Retry-After is clamped */
#define CAP_PUSH_DONE_KEEP 604800       /* seconds a done delivery is kept */
#define CAP_PUSH_DEAD_LISTED 100        /* dead deliveries one GET lists */
#define CAP_ADMIN_TOKEN_BYTES 256       /* "admin_token" length bound */
#define CAP_WEBSUB_SECRET_BYTES 199     /* hub.secret: under 200 (WebSub) */
#define CAP_WEBSUB_LEASE_DEFAULT 864000 /* ten days */
#define CAP_WEBSUB_LEASE_MIN 3600       /* default shortest lease granted */
#define CAP_WEBSUB_LEASE_MAX 2592000    /* default longest (30 days) */
#define CAP_WEBSUB_SUBSCRIPTIONS 10000  /* active hub subscriptions */
#define CAP_WEBSUB_PENDING 256          /* verifications in flight */
#define CAP_WEBSUB_BODY_BYTES (4L * 1024 * 1024) /* one distributed feed */

/* Operations: metrics, access log, shutdown, health probe, front page. */
#define CAP_METRICS_SERIES 1000   /* series per metric family            */
#define CAP_METRICS_COLLECTORS 16 /* scrape-time gauge collectors      */
#define CAP_METRICS_BYTES (4L * 1024 * 1024) /* one /metrics answer    */
#define CAP_ACCESSLOG_TARGET_BYTES 1024      /* path?query in one log line  */
#define CAP_ACCESSLOG_UA_BYTES 256           /* User-Agent in one log line  */
#define CAP_SHUTDOWN_DRAIN_MS 4000 /* SIGTERM: finish responses, then exit */
#define CAP_HEALTHCHECK_TIMEOUT_MS 5000L /* paperwire --healthcheck    */
#define CAP_PAGE_COUNT_MAX 500  /* front page counts a feed's entries to */
#define CAP_PAGE_TTL_SECONDS 60 /* front page cached at most this long */

/* Feeds and arXiv (sources/feed*.c, sources/arxiv.c). */
#define CAP_FEED_TEXT_BYTES (1024L * 1024) /* one element's text, read  */
#define CAP_ARXIV_RESULTS 1000         /* arxiv "max_results" upper bound   */
#define CAP_ARXIV_QUERY_BYTES 1024     /* arxiv "query" length              */
#define CAP_ARXIV_CATEGORIES_BYTES 512 /* arxiv "categories" length     */
#define CAP_FEED_INHERITED_AUTHOR_BYTES 1024 /* feed authors per item  */

/* Hostile clients (http.c). A connection over the cap is closed at once;
 * a request whose line and headers have not all arrived this many seconds
 * after its connection became ready is dropped, however steadily its
 * bytes trickle in (evhttp's own timeout restarts on every read). */
#define CAP_HTTP_CONNECTIONS 1024   /* client connections open at once */
#define CAP_HTTP_REQUEST_SECONDS 10 /* absolute deadline for one request */
#define CAP_HTTP_FD_RESERVE 128     /* descriptors kept for the rest */

#endif
