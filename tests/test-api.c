/* test-api.c: the public library, linked as a program would link it:
 * the handle API and the getservbyname(3)-compatible calls, including
 * many threads calling the non-reentrant forms at once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <unistd.h>

#include "iana-services.h"

#define CSV_HEADER "Service Name,Port Number,Transport Protocol,Description,Assignee," \
	"Contact,Registration Date,Modification Date,Reference,Service Code," \
	"Unauthorized Use Reported,Assignment Notes\n"

static const char registry[] = CSV_HEADER
	"http,80,tcp,World Wide Web HTTP,,,,,,,,\n"
	"http,80,udp,World Wide Web HTTP,,,,,,,,\n"
	"www,80,tcp,World Wide Web HTTP,,,,,,,,\"This is a duplicate of the \"\"http\"\" service.\"\n"
	"neo4j,7474,tcp,Neo4j Graph Database,,,,,,,,\n"
	"x11,6000-6063,tcp,X Window System,,,,,,,,\n";

static char dir[] = "/tmp/nss-iana-api-XXXXXX";
static char index_path[64], csv_path[64];

/* The index is made by the tool, so that this program links nothing but
 * the public library. */
static int setup(void **state)
{
	char cmd[512];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(csv_path, sizeof(csv_path), "%s/registry.csv", dir);
	snprintf(index_path, sizeof(index_path), "%s/services.idx", dir);
	f = fopen(csv_path, "w");
	assert_non_null(f);
	fputs(registry, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s/iana-services' compile -o %s %s >/dev/null",
	         getenv("top_builddir"), index_path, csv_path);
	assert_int_equal(system(cmd), 0);
	setenv("NSS_IANA_INDEX", index_path, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(index_path);
	unlink(csv_path);
	rmdir(dir);
	return 0;
}

static void default_path(void **state)
{
	(void)state;
	assert_string_equal(iana_index_default_path(), index_path);
}

static void reentrant(void **state)
{
	struct servent s, *res = (void *)1;
	char buf[512];

	(void)state;
	assert_int_equal(iana_getservbyname_r("WWW", "tcp", &s, buf, sizeof(buf), &res), 0);
	assert_ptr_equal(res, &s);
	assert_string_equal(s.s_name, "http");
	assert_int_equal(ntohs((uint16_t)s.s_port), 80);
	assert_int_equal(iana_getservbyport_r(htons(6010), NULL, &s, buf, sizeof(buf), &res), 0);
	assert_string_equal(res->s_name, "x11");
	/* not found: 0 and NULL, as glibc */
	assert_int_equal(iana_getservbyname_r("neo4j", "udp", &s, buf, sizeof(buf), &res), 0);
	assert_null(res);
	assert_int_equal(iana_getservbyport_r(htons(1), NULL, &s, buf, sizeof(buf), &res), 0);
	assert_null(res);
	/* short buffer: ERANGE, and errno says so */
	errno = 0;
	assert_int_equal(iana_getservbyname_r("http", NULL, &s, buf, 10, &res), ERANGE);
	assert_null(res);
	assert_int_equal(errno, ERANGE);
}

static void enumeration(void **state)
{
	struct servent s, *res;
	char buf[512];
	size_t n = 0;

	(void)state;
	iana_setservent(0);
	while (iana_getservent_r(&s, buf, sizeof(buf), &res) == 0 && res)
		n++;
	iana_endservent();
	assert_int_equal(n, 2 + 1 + 64);
	iana_setservent(1);
	assert_non_null(iana_getservent());
	assert_string_equal(iana_getservent()->s_proto, "udp");
	iana_endservent();
	assert_string_equal(iana_getservent()->s_name, "http");
	iana_endservent();
}

static void non_reentrant(void **state)
{
	struct servent *s;

	(void)state;
	s = iana_getservbyname("neo4j", NULL);
	assert_non_null(s);
	assert_string_equal(s->s_name, "neo4j");
	assert_null(s->s_aliases[0]);
	s = iana_getservbyport(htons(80), "tcp");
	assert_non_null(s);
	assert_string_equal(s->s_aliases[0], "www");
	assert_null(iana_getservbyname("nonesuch", NULL));
}

/* Every thread checks its own answers while the others overwrite theirs. */
static void *hammer(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < 20000; i++) {
		unsigned port = 6000 + (unsigned)((id * 7 + i) % 64);
		struct servent *s = iana_getservbyport(htons((uint16_t)port), "tcp");

		if (!s || strcmp(s->s_name, "x11") != 0 || ntohs((uint16_t)s->s_port) != port)
			return (void *)1;
		s = iana_getservbyname(i % 2 ? "www" : "neo4j", NULL);
		if (!s || strcmp(s->s_name, i % 2 ? "http" : "neo4j") != 0)
			return (void *)1;
	}
	return NULL;
}

static void threads(void **state)
{
	pthread_t t[16];

	(void)state;
	for (long i = 0; i < 16; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer, (void *)i), 0);
	for (int i = 0; i < 16; i++) {
		void *r;

		assert_int_equal(pthread_join(t[i], &r), 0);
		assert_null(r);
	}
}

static void handle_api(void **state)
{
	struct iana_index *idx;
	struct iana_record r;
	struct iana_meta m;
	size_t e;

	(void)state;
	assert_int_equal(iana_index_open(index_path, &idx), 0);
	assert_int_equal(iana_index_verify(idx), 0);
	assert_int_equal(iana_index_entry_count(idx), 67);
	assert_int_equal(iana_index_find_name(idx, "x11", "tcp", &e), 0);
	assert_int_equal(iana_index_record_count(idx), 5);
	assert_int_equal(iana_index_record(idx, 4, &r), 0);
	assert_string_equal(r.description, "X Window System");
	assert_int_equal(r.port_hi, 6063);
	assert_int_equal(iana_index_meta(idx, &m), 0);
	assert_true(m.tool_version[0] != 0);
	iana_index_close(idx);
}

static void unavailable(void **state)
{
	struct servent s, *res;
	char buf[64];
	struct iana_index *idx;

	(void)state;
	assert_int_equal(iana_index_open("/nonexistent", &idx), -ENOENT);
	/* The default index was mapped already; it stays until replaced. */
	assert_int_equal(iana_getservbyname_r("neo4j", "tcp", &s, buf, sizeof(buf), &res), 0);
	assert_non_null(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_path),
		cmocka_unit_test(reentrant),
		cmocka_unit_test(enumeration),
		cmocka_unit_test(non_reentrant),
		cmocka_unit_test(threads),
		cmocka_unit_test(handle_api),
		cmocka_unit_test(unavailable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
