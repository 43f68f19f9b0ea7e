/*
 * test_netguard.c: the address classifier on parsed addresses of every
 * blocked range (first and last address of each), public addresses, the
 * IPv6 forms that embed IPv4, and the operator's allowlist. No packet is
 * sent: everything here is parsing and table lookups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "netguard.h"

static struct netguard *guard(void)
{
	struct netguard *g = netguard_new(false);

	assert_non_null(g);
	return g;
}

static void check_blocked(
    const struct netguard *g, const char *a, const char *reason)
{
	const char *w = netguard_check_text(g, a);

	if (w == NULL)
		fail_msg("%s should be blocked", a);
	else if (reason != NULL && strcmp(w, reason) != 0)
		fail_msg("%s: reason \"%s\", want \"%s\"", a, w, reason);
}

#define BLOCKED(g, a, reason) check_blocked(g, a, reason)

#define ALLOWED(g, a)                                                          \
	do {                                                                   \
		const char *w_ = netguard_check_text(g, a);                    \
		if (w_ != NULL)                                                \
			fail_msg("%s should be allowed, got \"%s\"", a, w_);   \
	} while (0)

static void test_ipv4_ranges(void **state)
{
	struct netguard *g = guard();
	/* First and last address of every blocked IPv4 range. */
	static const char *const cases[][3] = {
	    {"0.0.0.0", "0.255.255.255", "this network"},
	    {"10.0.0.0", "10.255.255.255", "private"},
	    {"100.64.0.0", "100.127.255.255", "shared address space (CGNAT)"},
	    {"127.0.0.0", "127.255.255.255", "loopback"},
	    {"169.254.0.0", "169.254.255.255", "link-local"},
	    {"172.16.0.0", "172.31.255.255", "private"},
	    {"192.0.0.0", "192.0.0.255", "IETF protocol assignments"},
	    {"192.0.2.0", "192.0.2.255", "documentation"},
	    {"192.88.99.0", "192.88.99.255", "6to4 relay anycast"},
	    {"192.168.0.0", "192.168.255.255", "private"},
	    {"198.18.0.0", "198.19.255.255", "benchmarking"},
	    {"198.51.100.0", "198.51.100.255", "documentation"},
	    {"203.0.113.0", "203.0.113.255", "documentation"},
	    {"224.0.0.0", "239.255.255.255", "multicast"},
	    {"240.0.0.0", "255.255.255.254", "reserved"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BLOCKED(g, cases[i][0], cases[i][2]);
		BLOCKED(g, cases[i][1], cases[i][2]);
	}
	BLOCKED(g, "255.255.255.255", NULL);
	/* Neighbours just outside the ranges are public. */
	ALLOWED(g, "9.255.255.255");
	ALLOWED(g, "11.0.0.0");
	ALLOWED(g, "100.63.255.255");
	ALLOWED(g, "100.128.0.0");
	ALLOWED(g, "126.255.255.255");
	ALLOWED(g, "128.0.0.0");
	ALLOWED(g, "172.15.255.255");
	ALLOWED(g, "172.32.0.0");
	ALLOWED(g, "192.167.255.255");
	ALLOWED(g, "192.169.0.0");
	ALLOWED(g, "198.17.255.255");
	ALLOWED(g, "198.20.0.0");
	ALLOWED(g, "223.255.255.255");
	ALLOWED(g, "8.8.8.8");
	ALLOWED(g, "1.1.1.1");
	netguard_free(g);
}

static void test_ipv6_ranges(void **state)
{
	struct netguard *g = guard();

	(void)state;
	BLOCKED(g, "::", "unspecified");
	BLOCKED(g, "::1", "loopback");
	BLOCKED(g, "fc00::", "unique-local");
	BLOCKED(g, "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "unique-local");
	BLOCKED(g, "fe80::1", "link-local");
	BLOCKED(g, "febf:ffff::1", "link-local");
	BLOCKED(g, "fec0::1", "site-local");
	BLOCKED(g, "ff02::1", "multicast");
	BLOCKED(g, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "multicast");
	BLOCKED(g, "2001:db8::1", "documentation");
	BLOCKED(g, "2001::1", "IETF protocol assignments"); /* Teredo */
	BLOCKED(g, "100::1", "discard-only");
	BLOCKED(g, "64:ff9b:1::1", "local-use NAT64");
	ALLOWED(g, "2606:4700:4700::1111");
	ALLOWED(g, "2a00:1450:4001:80b::200e");
	ALLOWED(g, "fbff:ffff::1");
	netguard_free(g);
}

static void test_embedded_ipv4(void **state)
{
	struct netguard *g = guard();

	(void)state;
	/* v4-mapped, NAT64 and 6to4 forms take the embedded address's
	 * verdict; IPv4-compatible forms are refused. */
	BLOCKED(g, "::ffff:127.0.0.1", "loopback");
	BLOCKED(g, "::ffff:10.1.2.3", "private");
	BLOCKED(g, "::ffff:169.254.169.254", "link-local");
	ALLOWED(g, "::ffff:8.8.8.8");
	BLOCKED(g, "64:ff9b::7f00:1", "loopback");
	BLOCKED(g, "64:ff9b::a9fe:a9fe", "link-local");
	ALLOWED(g, "64:ff9b::808:808");
	BLOCKED(g, "2002:7f00:1::", "loopback");
	BLOCKED(g, "2002:c0a8:101::1", "private");
	BLOCKED(g, "2002:808:808::1", "6to4");
	BLOCKED(g, "::127.0.0.1", "IPv4-compatible (deprecated)");
	BLOCKED(g, "::8.8.8.8", "IPv4-compatible (deprecated)");
	netguard_free(g);
}

static void test_sockaddr(void **state)
{
	struct netguard *g = guard();
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	struct sockaddr su;

	(void)state;
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &s4.sin_addr);
	assert_string_equal(
	    netguard_check(g, (struct sockaddr *)&s4, sizeof(s4)), "loopback");
	inet_pton(AF_INET, "93.184.216.34", &s4.sin_addr);
	assert_null(netguard_check(g, (struct sockaddr *)&s4, sizeof(s4)));

	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:192.168.1.1", &s6.sin6_addr);
	assert_string_equal(
	    netguard_check(g, (struct sockaddr *)&s6, sizeof(s6)), "private");
	/* A truncated length or an unknown family is refused. */
	assert_non_null(netguard_check(g, (struct sockaddr *)&s6, 8));
	memset(&su, 0, sizeof(su));
	su.sa_family = AF_UNIX;
	assert_non_null(netguard_check(g, &su, sizeof(su)));
	netguard_free(g);
}

static void test_allowlist(void **state)
{
	struct netguard *g = guard();
	struct netguard *all = netguard_new(true);
	struct pw_error err;

	(void)state;
	assert_int_equal(netguard_allow(g, "127.0.0.0/8", &err), 0);
	assert_int_equal(netguard_allow(g, "fd00:1::/32", &err), 0);
	assert_int_equal(netguard_allow(g, "10.1.2.3", &err), 0);
	ALLOWED(g, "127.0.0.1");
	ALLOWED(g, "::ffff:127.0.0.1");
	ALLOWED(g, "fd00:1:2::3");
	ALLOWED(g, "10.1.2.3");
	BLOCKED(g, "10.1.2.4", "private");
	BLOCKED(g, "fd00:2::1", "unique-local");
	BLOCKED(g, "169.254.169.254", "link-local");

	assert_int_equal(netguard_allow(g, "nonsense", &err), -1);
	assert_int_equal(netguard_allow(g, "10.0.0.0/33", &err), -1);
	assert_int_equal(netguard_allow(g, "10.0.0.0/", &err), -1);
	assert_int_equal(netguard_allow(g, "/8", &err), -1);
	assert_int_equal(netguard_allow(g, "fd00::/129", &err), -1);
	assert_non_null(strstr(err.msg, "prefix"));

	ALLOWED(all, "127.0.0.1");
	ALLOWED(all, "fe80::1");
	assert_string_equal(
	    netguard_check_text(all, "not-an-ip"), "not an IP address");
	netguard_free(all);
	netguard_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ipv4_ranges),
	    cmocka_unit_test(test_ipv6_ranges),
	    cmocka_unit_test(test_embedded_ipv4),
	    cmocka_unit_test(test_sockaddr),
	    cmocka_unit_test(test_allowlist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
