/* test-nss.c: the ten NSS entry points of the built module, dlopen()ed
 * as glibc does, called with sentinel errno values (as systemd's
 * test-nss-hosts does).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "fixture.h"
#include "index-write.h"

#define SENTINEL 0x5a5a

static const char registry_a[] = CSV_HEADER
	"http,80,tcp,World Wide Web HTTP,,,,,,,,\n"
	"http,80,udp,World Wide Web HTTP,,,,,,,,\n"
	"www-http,80,tcp,World Wide Web HTTP,,,,,,,,\"This is a duplicate of the \"\"http\"\" service.\"\n"
	"neo4j,7474,tcp,Neo4j Graph Database,,,,,,,,\n";

static const char registry_b[] = CSV_HEADER
	"other,7474,tcp,Replaced,,,,,,,,\n";

static const char protocols_a[] =
	"ip\t0\tIP\n"
	"tcp\t6\tTCP\t# transmission control protocol\n"
	"udp\t17\tUDP\n"
	"mptcp\t262\tMPTCP\n";

static struct {
	void *dl;
	nss_getprotobyname_r *pbyname;
	nss_getprotobynumber_r *pbynumber;
	nss_setprotoent *psetent;
	nss_getprotoent_r *pgetent;
	nss_endprotoent *pendent;
	char *protocols;
	nss_getservbyname_r *byname;
	nss_getservbyport_r *byport;
	nss_setservent *setent;
	nss_getservent_r *getent;
	nss_endservent *endent;
	char *index;
} m;

static void *sym(const char *name)
{
	void *p = dlsym(m.dl, name);

	if (!p)
		fail_msg("%s: %s", name, dlerror());
	return p;
}

static int setup(void **state)
{
	char path[4096];
	const char *dir = getenv("top_builddir");

	(void)state;
	snprintf(path, sizeof(path), "%s/.libs/libnss_iana.so.2", dir ? dir : ".");
	m.dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!m.dl)
		fail_msg("dlopen %s: %s", path, dlerror());
	m.byname = sym("_nss_iana_getservbyname_r");
	m.byport = sym("_nss_iana_getservbyport_r");
	m.setent = sym("_nss_iana_setservent");
	m.getent = sym("_nss_iana_getservent_r");
	m.endent = sym("_nss_iana_endservent");
	m.pbyname = sym("_nss_iana_getprotobyname_r");
	m.pbynumber = sym("_nss_iana_getprotobynumber_r");
	m.psetent = sym("_nss_iana_setprotoent");
	m.pgetent = sym("_nss_iana_getprotoent_r");
	m.pendent = sym("_nss_iana_endprotoent");
	m.index = fixture_index(registry_a, FMT_CSV);
	m.protocols = fixture_index(protocols_a, FMT_PROTOCOLS);
	setenv("NSS_IANA_PROTOCOLS_INDEX", m.protocols, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_remove(m.index);
	fixture_remove(m.protocols);
	return 0;
}

/* Runs first: nothing has been mapped yet. */
static void missing_index_is_unavail(void **state)
{
	struct servent s;
	char buf[1024];
	int err = SENTINEL;

	(void)state;
	setenv("NSS_IANA_INDEX", "/nonexistent/services.idx", 1);
	assert_int_equal(m.byname("http", "tcp", &s, buf, sizeof(buf), &err),
	                 NSS_STATUS_UNAVAIL);
	assert_int_equal(err, ENOENT);
	err = SENTINEL;
	m.setent(0);
	assert_int_equal(m.getent(&s, buf, sizeof(buf), &err), NSS_STATUS_UNAVAIL);
	m.endent();
	setenv("NSS_IANA_INDEX", m.index, 1);
	sleep(2);   /* a failure is remembered for a second */
}

static void lookups(void **state)
{
	struct servent s;
	char buf[1024];
	int err = SENTINEL;

	(void)state;
	errno = SENTINEL;
	assert_int_equal(m.byname("www-http", NULL, &s, buf, sizeof(buf), &err),
	                 NSS_STATUS_SUCCESS);
	assert_int_equal(err, SENTINEL);    /* untouched on success */
	assert_int_equal(errno, SENTINEL);
	assert_string_equal(s.s_name, "http");
	assert_string_equal(s.s_proto, "tcp");
	assert_string_equal(s.s_aliases[0], "www-http");
	assert_null(s.s_aliases[1]);
	assert_int_equal(m.byport(htons(80), "udp", &s, buf, sizeof(buf), &err),
	                 NSS_STATUS_SUCCESS);
	assert_string_equal(s.s_proto, "udp");
	assert_int_equal(m.byport(htons(7474), NULL, &s, buf, sizeof(buf), &err),
	                 NSS_STATUS_SUCCESS);
	assert_string_equal(s.s_name, "neo4j");

	assert_int_equal(m.byname("neo4j", "udp", &s, buf, sizeof(buf), &err),
	                 NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
	err = SENTINEL;
	assert_int_equal(m.byport(htons(7475), NULL, &s, buf, sizeof(buf), &err),
	                 NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
}

static void small_buffer_is_erange(void **state)
{
	struct servent s;
	char buf[1024];
	int err = SENTINEL;

	(void)state;
	assert_int_equal(m.byname("http", "tcp", &s, buf, 8, &err), NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
	err = SENTINEL;
	assert_int_equal(m.byport(htons(80), "tcp", &s, buf, 0, &err), NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
}

/* A short buffer does not skip an entry: glibc retries the same one. */
static void enumeration(void **state)
{
	static const char *const want[] = { "http/tcp", "http/udp", "neo4j/tcp" };
	struct servent s;
	char buf[1024], got[64];
	int err = SENTINEL;

	(void)state;
	assert_int_equal(m.setent(1), NSS_STATUS_SUCCESS);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(m.getent(&s, buf, 4, &err), NSS_STATUS_TRYAGAIN);
		assert_int_equal(err, ERANGE);
		assert_int_equal(m.getent(&s, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
		snprintf(got, sizeof(got), "%s/%s", s.s_name, s.s_proto);
		assert_string_equal(got, want[i]);
	}
	assert_int_equal(m.getent(&s, buf, sizeof(buf), &err), NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
	assert_int_equal(m.endent(), NSS_STATUS_SUCCESS);
	m.setent(0);
	assert_int_equal(m.getent(&s, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_string_equal(s.s_name, "http");
	m.endent();
}

/* A replaced index is seen within about a second, by a process that keeps
 * running. */
static void replaced_index_is_reloaded(void **state)
{
	char *b = fixture_index(registry_b, FMT_CSV);
	struct servent s;
	char buf[1024];
	int err = SENTINEL;

	(void)state;
	assert_int_equal(m.byport(htons(7474), NULL, &s, buf, sizeof(buf), &err),
	                 NSS_STATUS_SUCCESS);
	assert_string_equal(s.s_name, "neo4j");
	assert_int_equal(rename(b, m.index), 0);
	usleep(1100 * 1000);
	assert_int_equal(m.byport(htons(7474), NULL, &s, buf, sizeof(buf), &err),
	                 NSS_STATUS_SUCCESS);
	assert_string_equal(s.s_name, "other");
	free(b);
}

/* The protocols database: names in any case, numbers, the statuses. */
static void protocol_lookups(void **state)
{
	struct protoent p;
	char buf[1024];
	int err = SENTINEL;

	(void)state;
	errno = SENTINEL;
	assert_int_equal(m.pbyname("Tcp", &p, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_int_equal(err, SENTINEL);
	assert_int_equal(errno, SENTINEL);
	assert_string_equal(p.p_name, "tcp");
	assert_int_equal(p.p_proto, 6);
	assert_string_equal(p.p_aliases[0], "TCP");
	assert_null(p.p_aliases[1]);
	assert_int_equal(m.pbynumber(262, &p, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_string_equal(p.p_name, "mptcp");
	assert_int_equal(m.pbynumber(0, &p, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_string_equal(p.p_name, "ip");
	assert_int_equal(m.pbyname("IP", &p, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_int_equal(p.p_proto, 0);

	assert_int_equal(m.pbyname("sctp", &p, buf, sizeof(buf), &err), NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
	for (int i = 0; i < 3; i++) {
		static const int none[] = { 7, -1, 65536 + 6 };

		err = SENTINEL;
		assert_int_equal(m.pbynumber(none[i], &p, buf, sizeof(buf), &err),
		                 NSS_STATUS_NOTFOUND);
		assert_int_equal(err, ENOENT);
	}
	err = SENTINEL;
	assert_int_equal(m.pbyname("tcp", &p, buf, 8, &err), NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
}

/* Enumeration of the protocols, and a short buffer retried. */
static void protocol_enumeration(void **state)
{
	static const char *const want[] = { "ip", "tcp", "udp", "mptcp" };
	struct protoent p;
	char buf[1024];
	int err = SENTINEL;

	(void)state;
	assert_int_equal(m.psetent(0), NSS_STATUS_SUCCESS);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(m.pgetent(&p, buf, 4, &err), NSS_STATUS_TRYAGAIN);
		assert_int_equal(err, ERANGE);
		assert_int_equal(m.pgetent(&p, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
		assert_string_equal(p.p_name, want[i]);
	}
	assert_int_equal(m.pgetent(&p, buf, sizeof(buf), &err), NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
	assert_int_equal(m.pendent(), NSS_STATUS_SUCCESS);
}

/* An index of the other database at either path: UNAVAIL, EPROTO (P5). */
static void other_database_is_unavail(void **state)
{
	struct protoent p;
	struct servent s;
	char buf[1024];
	int err = SENTINEL;

	(void)state;
	setenv("NSS_IANA_PROTOCOLS_INDEX", m.index, 1);
	setenv("NSS_IANA_INDEX", m.protocols, 1);
	usleep(1100 * 1000);
	assert_int_equal(m.pbyname("tcp", &p, buf, sizeof(buf), &err), NSS_STATUS_UNAVAIL);
	assert_int_equal(err, EPROTO);
	err = SENTINEL;
	assert_int_equal(m.byname("tcp", NULL, &s, buf, sizeof(buf), &err), NSS_STATUS_UNAVAIL);
	assert_int_equal(err, EPROTO);
	setenv("NSS_IANA_PROTOCOLS_INDEX", m.protocols, 1);
	setenv("NSS_IANA_INDEX", m.index, 1);
	usleep(1100 * 1000);
	assert_int_equal(m.pbyname("tcp", &p, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(missing_index_is_unavail),
		cmocka_unit_test(lookups),
		cmocka_unit_test(small_buffer_is_erange),
		cmocka_unit_test(enumeration),
		cmocka_unit_test(protocol_lookups),
		cmocka_unit_test(protocol_enumeration),
		cmocka_unit_test(other_database_is_unavail),
		cmocka_unit_test(replaced_index_is_reloaded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
