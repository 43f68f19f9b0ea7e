/*
 * healthcheck.h: paperwire --healthcheck URL, a probe for container
 * health checks that needs no curl or wget in the image.
 *
 * One GET with libcurl's easy interface (this is a separate, short-lived
 * process, so a blocking call is fine here): http and https only, no
 * redirects, CAP_HEALTHCHECK_TIMEOUT_MS in all, the body read and
 * dropped (at most 1 MiB). A target starting with "/" is a path on the
 * configured listen address (0.0.0.0 and :: become the loopback
 * address), so the probe follows PAPERWIRE_LISTEN.
 */
#ifndef PAPERWIRE_HEALTHCHECK_H
#define PAPERWIRE_HEALTHCHECK_H

/* Prints one line (the status, or why it failed) and returns the exit
 * code: 0 for a 2xx answer, 1 for anything else. */
int healthcheck_run(const char *target, const char *listen);

#endif
