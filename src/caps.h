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

#endif
