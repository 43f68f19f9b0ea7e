/*
 * netguard.h: which network addresses paperwire may connect to for URLs
 * that users supply (webhook targets, WebSub callbacks).
 *
 * Special-purpose IPv4 and IPv6 ranges (loopback, private, link-local,
 * CGNAT, multicast, reserved, documentation, benchmarking, unique-local,
 * and the v4-mapped, v4-compatible, NAT64 and 6to4 forms of blocked IPv4
 * addresses) are refused unless the operator's allowlist opens them. The
 * check runs at connect time on the address actually connected to
 * (CURLOPT_OPENSOCKETFUNCTION), so DNS rebinding and redirects cannot
 * slip past it.
 *
 * Ownership: struct netguard is new from netguard_new and freed by
 * netguard_free.
 */
#ifndef PAPERWIRE_NETGUARD_H
#define PAPERWIRE_NETGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "error.h"

struct netguard;

/* new: a guard that blocks every special-purpose range; allow_all true
 * disables it (the operator's allow_private_networks). NULL on OOM. */
struct netguard *netguard_new(bool allow_all);
void netguard_free(struct netguard *g);
/* new: an independent copy of g, or NULL (out of memory). */
struct netguard *netguard_dup(const struct netguard *g);

/* Opens one CIDR range ("10.0.0.0/8", "fd00::/8", "192.168.1.5") to
 * connections. 0, or -1 with err set when the text is not a CIDR. */
int netguard_allow(struct netguard *g, const char *cidr, struct pw_error *err);

/*
 * NULL when the address may be connected to; otherwise a short reason
 * naming the range ("loopback", "private", ...), static. Addresses of
 * families other than IPv4 and IPv6 are refused.
 */
const char *netguard_check(
    const struct netguard *g, const struct sockaddr *sa, socklen_t len);

/* The same classification for a textual address (tests, config). NULL if
 * allowed, a reason if blocked, "not an IP address" if unparsable. */
const char *netguard_check_text(const struct netguard *g, const char *addr);

#endif
