/*
 * netguard.c: the special-purpose address registries (IANA IPv4 and IPv6
 * Special-Purpose Address Registries, RFC 6890 and successors) as tables,
 * and the check made before each outbound connection to a user URL.
 */
#include "netguard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A range in IPv6 form (IPv4 ranges are stored as ::ffff:a.b.c.d/96+n). */
struct range {
	uint8_t addr[16];
	unsigned prefix; /* bits */
	const char *why;
};

struct netguard {
	bool allow_all;
	struct range *allowed;
	size_t n_allowed;
};

static const uint8_t v4mapped_prefix[12] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* Blocked IPv4 ranges: a.b.c.d/len with a reason. */
static const struct {
	uint8_t a, b, c, d;
	unsigned len;
	const char *why;
} blocked4[] = {
    {0, 0, 0, 0, 8, "this network"},
    {10, 0, 0, 0, 8, "private"},
    {100, 64, 0, 0, 10, "shared address space (CGNAT)"},
    {127, 0, 0, 0, 8, "loopback"},
    {169, 254, 0, 0, 16, "link-local"},
    {172, 16, 0, 0, 12, "private"},
    {192, 0, 0, 0, 24, "IETF protocol assignments"},
    {192, 0, 2, 0, 24, "documentation"},
    {192, 31, 196, 0, 24, "AS112"},
    {192, 52, 193, 0, 24, "AMT"},
    {192, 88, 99, 0, 24, "6to4 relay anycast"},
    {192, 168, 0, 0, 16, "private"},
    {192, 175, 48, 0, 24, "AS112"},
    {198, 18, 0, 0, 15, "benchmarking"},
    {198, 51, 100, 0, 24, "documentation"},
    {203, 0, 113, 0, 24, "documentation"},
    {224, 0, 0, 0, 4, "multicast"},
    {240, 0, 0, 0, 4, "reserved"},
};

/* Blocked IPv6 ranges, written as text and parsed once. The v4-mapped,
 * v4-compatible, NAT64 and 6to4 ranges are handled by extracting the
 * embedded IPv4 address instead (see classify6). */
static const struct {
	const char *prefix;
	unsigned len;
	const char *why;
} blocked6[] = {
    {"::", 128, "unspecified"},
    {"::1", 128, "loopback"},
    {"100::", 64, "discard-only"},
    {"2001::", 23, "IETF protocol assignments"},
    {"2001:db8::", 32, "documentation"},
    {"3fff::", 20, "documentation"},
    {"5f00::", 16, "segment routing"},
    {"fc00::", 7, "unique-local"},
    {"fe80::", 10, "link-local"},
    {"fec0::", 10, "site-local"},
    {"ff00::", 8, "multicast"},
};

static bool in_prefix(const uint8_t *a, const uint8_t *p, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, p, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ p[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static const char *classify4(const uint8_t v4[4])
{
	for (size_t i = 0; i < sizeof(blocked4) / sizeof(blocked4[0]); i++) {
		uint8_t p[4] = {
		    blocked4[i].a, blocked4[i].b, blocked4[i].c, blocked4[i].d};

		if (in_prefix(v4, p, blocked4[i].len))
			return blocked4[i].why;
	}
	if (v4[0] == 255 && v4[1] == 255 && v4[2] == 255 && v4[3] == 255)
		return "broadcast";
	return NULL;
}

/*
 * IPv6: forms that carry an IPv4 address are judged by that address (a
 * v4-mapped ::ffff:127.0.0.1 is loopback), and are refused outright when
 * the embedded address is one a public host could not have anyway.
 */
static const char *classify6(const uint8_t a[16])
{
	static const uint8_t nat64[12] = {
	    0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t nat64_local[6] = {0, 0x64, 0xff, 0x9b, 0, 1};
	static const uint8_t zeros[12] = {0};
	uint8_t p[16];

	if (memcmp(a, v4mapped_prefix, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return classify4(a + 12);
	if (memcmp(a, nat64_local, 6) == 0)
		return "local-use NAT64";
	if (memcmp(a, zeros, 12) == 0 &&
	    !(a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] <= 1))
		return "IPv4-compatible (deprecated)";
	if (a[0] == 0x20 && a[1] == 0x02) {
		/* 6to4 (2002::/16, deprecated by RFC 7526) embeds an IPv4
		 * address; relays make its reach unpredictable: refused. */
		const char *why = classify4(a + 2);

		return why != NULL ? why : "6to4";
	}
	for (size_t i = 0; i < sizeof(blocked6) / sizeof(blocked6[0]); i++) {
		if (inet_pton(AF_INET6, blocked6[i].prefix, p) == 1 &&
		    in_prefix(a, p, blocked6[i].len))
			return blocked6[i].why;
	}
	return NULL;
}

static bool allowed(const struct netguard *g, const uint8_t a[16])
{
	for (size_t i = 0; i < g->n_allowed; i++)
		if (in_prefix(a, g->allowed[i].addr, g->allowed[i].prefix))
			return true;
	return false;
}

/* Judges a 16-byte address (IPv4 as v4-mapped). */
static const char *judge(const struct netguard *g, const uint8_t a[16])
{
	const char *why = classify6(a);

	if (why == NULL || g->allow_all || allowed(g, a))
		return NULL;
	return why;
}

struct netguard *netguard_new(bool allow_all)
{
	struct netguard *g = calloc(1, sizeof(*g));

	if (g != NULL)
		g->allow_all = allow_all;
	return g;
}

struct netguard *netguard_dup(const struct netguard *g)
{
	struct netguard *d = netguard_new(g->allow_all);

	if (d == NULL || g->n_allowed == 0)
		return d;
	d->allowed = malloc(g->n_allowed * sizeof(*d->allowed));
	if (d->allowed == NULL) {
		free(d);
		return NULL;
	}
	memcpy(d->allowed, g->allowed, g->n_allowed * sizeof(*d->allowed));
	d->n_allowed = g->n_allowed;
	return d;
}

void netguard_free(struct netguard *g)
{
	if (g == NULL)
		return;
	free(g->allowed);
	free(g);
}

/* Parses text as IPv4 or IPv6 into 16 bytes (IPv4 v4-mapped); returns
 * the number of prefix bits the address family spans, or 0. */
static unsigned parse_addr(const char *text, uint8_t out[16])
{
	uint8_t v4[4];

	if (inet_pton(AF_INET, text, v4) == 1) {
		memcpy(out, v4mapped_prefix, 12);
		memcpy(out + 12, v4, 4);
		return 32;
	}
	if (inet_pton(AF_INET6, text, out) == 1)
		return 128;
	return 0;
}

int netguard_allow(struct netguard *g, const char *cidr, struct pw_error *err)
{
	char host[64];
	const char *slash = strchr(cidr, '/');
	size_t hlen = slash != NULL ? (size_t)(slash - cidr) : strlen(cidr);
	unsigned span, prefix;
	struct range r, *n;
	char *end;
	long bits;

	if (hlen == 0 || hlen >= sizeof(host))
		return pw_error_set(
		    err, "\"%.64s\" is not an address or CIDR range", cidr);
	memcpy(host, cidr, hlen);
	host[hlen] = '\0';
	span = parse_addr(host, r.addr);
	if (span == 0)
		return pw_error_set(
		    err, "\"%.64s\" is not an address or CIDR range", cidr);
	prefix = span;
	if (slash != NULL) {
		bits = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end != '\0' || bits < 0 ||
		    bits > (long)span)
			return pw_error_set(err,
			    "\"%.64s\": prefix length must be 0 to %u", cidr,
			    span);
		prefix = (unsigned)bits;
	}
	r.prefix = span == 32 ? 96 + prefix : prefix;
	r.why = NULL;
	n = realloc(g->allowed, (g->n_allowed + 1) * sizeof(*n));
	if (n == NULL)
		return pw_error_set(err, "out of memory");
	g->allowed = n;
	g->allowed[g->n_allowed++] = r;
	return 0;
}

const char *netguard_check(
    const struct netguard *g, const struct sockaddr *sa, socklen_t len)
{
	uint8_t a[16];

	if (sa->sa_family == AF_INET &&
	    len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		memcpy(a, v4mapped_prefix, 12);
		memcpy(a + 12, &s4->sin_addr, 4);
		return judge(g, a);
	}
	if (sa->sa_family == AF_INET6 &&
	    len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		memcpy(a, &s6->sin6_addr, 16);
		return judge(g, a);
	}
	return "not an IP address";
}

const char *netguard_check_text(const struct netguard *g, const char *addr)
{
	uint8_t a[16];

	if (parse_addr(addr, a) == 0)
		return "not an IP address";
	return judge(g, a);
}
