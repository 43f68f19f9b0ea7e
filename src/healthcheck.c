/*
 * healthcheck.c: the --healthcheck probe; see healthcheck.h.
 */
#include "healthcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "caps.h"
#include "config.h"

#define HEALTHCHECK_BODY_MAX (1024L * 1024)

static size_t discard(char *data, size_t size, size_t nmemb, void *arg)
{
	long *seen = arg;
	size_t n = size * nmemb;

	*seen += (long)n;
	return *seen > HEALTHCHECK_BODY_MAX ? 0 : n;
}

/* new: "http://HOST:PORT/path" for a path on the listen address. */
static char *local_url(const char *path, const char *listen)
{
	char *host = NULL, *url = NULL;
	const char *h;
	size_t n;
	int port;

	if (config_split_listen(listen, &host, &port) != 0)
		return NULL;
	h = host;
	if (strcmp(h, "0.0.0.0") == 0 || h[0] == '\0')
		h = "127.0.0.1";
	else if (strcmp(h, "::") == 0)
		h = "::1";
	n = strlen(h) + strlen(path) + 32;
	url = malloc(n);
	if (url != NULL)
		snprintf(url, n,
		    strchr(h, ':') != NULL ? "http://[%s]:%d%s"
		                           : "http://%s:%d%s",
		    h, port, path);
	free(host);
	return url;
}

int healthcheck_run(const char *target, const char *listen)
{
	char *url = target[0] == '/' ? local_url(target, listen) : NULL;
	const char *u = target[0] == '/' ? url : target;
	char errbuf[CURL_ERROR_SIZE] = "";
	long status = 0, seen = 0;
	CURLcode rc = CURLE_FAILED_INIT;
	CURL *e;

	if (u == NULL) {
		fprintf(stderr, "paperwire: --healthcheck: bad listen %s\n",
		    listen);
		return 1;
	}
	e = curl_easy_init();
	if (e != NULL) {
		curl_easy_setopt(e, CURLOPT_URL, u);
		curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(
		    e, CURLOPT_TIMEOUT_MS, CAP_HEALTHCHECK_TIMEOUT_MS);
		curl_easy_setopt(e, CURLOPT_USERAGENT,
		    "paperwire-healthcheck/" PAPERWIRE_VERSION);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(e, CURLOPT_WRITEDATA, &seen);
		curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
		rc = curl_easy_perform(e);
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(e);
	}
	if (rc == CURLE_OK && status >= 200 && status <= 299) {
		printf("%s: HTTP %ld\n", u, status);
		free(url);
		return 0;
	}
	if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && status > 0))
		fprintf(stderr, "paperwire: healthcheck: %s: HTTP %ld\n", u,
		    status);
	else
		fprintf(stderr, "paperwire: healthcheck: %s: %s\n", u,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
	free(url);
	return 1;
}
