/* test-api.c: the public library, linked as a program would link it:
 * the handle API and the getservbyname(3)- and getprotobyname(3)-
 * compatible calls (SPEC 9, P4), including many threads calling the
 * non-reentrant forms at once, and each database refusing the other's
 * index (P5).
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
#include <time.h>
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

/* A protocols(5) file, netbase's spelling: the entries in this order. */
static const char protocols_text[] =
	"# protocols for test-api\n"
	"ip\t0\tIP\t\t# internet protocol, pseudo protocol number\n"
	"icmp\t1\tICMP\n"
	"tcp\t6\tTCP\t\t# transmission control protocol\n"
	"udp\t17\tUDP\n"
	"ospf\t89\tOSPFIGP\n"
	"mptcp\t262\tMPTCP\n";
static const struct {
	const char *name, *alias;
	int number;
} protocols[] = {
	{ "ip", "IP", 0 }, { "icmp", "ICMP", 1 }, { "tcp", "TCP", 6 },
	{ "udp", "UDP", 17 }, { "ospf", "OSPFIGP", 89 }, { "mptcp", "MPTCP", 262 },
};
#define NPROTOCOLS (sizeof(protocols) / sizeof(protocols[0]))

static char dir[] = "/tmp/nss-iana-api-XXXXXX";
static char index_path[64], csv_path[64], proto_path[64], proto_text_path[64];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The index is made by the tool, so that this program links nothing but
 * the public library. */
static int setup(void **state)
{
	char cmd[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(csv_path, sizeof(csv_path), "%s/registry.csv", dir);
	snprintf(index_path, sizeof(index_path), "%s/services.idx", dir);
	snprintf(proto_text_path, sizeof(proto_text_path), "%s/protocols", dir);
	snprintf(proto_path, sizeof(proto_path), "%s/protocols.idx", dir);
	write_file(csv_path, registry);
	write_file(proto_text_path, protocols_text);
	snprintf(cmd, sizeof(cmd), "'%s/iana-services' compile -o %s %s >/dev/null",
	         getenv("top_builddir"), index_path, csv_path);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "'%s/iana-services' compile --format protocols -o %s %s "
	         ">/dev/null", getenv("top_builddir"), proto_path, proto_text_path);
	assert_int_equal(system(cmd), 0);
	/* before the first call: each database reads its variable at its
	 * first use, and again at most once a second */
	setenv("NSS_IANA_INDEX", index_path, 1);
	setenv("NSS_IANA_PROTOCOLS_INDEX", proto_path, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(index_path);
	unlink(csv_path);
	unlink(proto_path);
	unlink(proto_text_path);
	rmdir(dir);
	return 0;
}

static void default_path(void **state)
{
	(void)state;
	assert_string_equal(iana_index_default_path(), index_path);
	assert_string_equal(iana_index_database_path(IANA_DATABASE_SERVICES), index_path);
	assert_string_equal(iana_index_database_path(IANA_DATABASE_PROTOCOLS), proto_path);
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

/* p is protocols[k], every string inside buf[0, len). */
static void assert_protocol(const struct protoent *p, size_t k, const char *buf, size_t len)
{
	assert_non_null(p);
	assert_string_equal(p->p_name, protocols[k].name);
	assert_int_equal(p->p_proto, protocols[k].number);
	assert_non_null(p->p_aliases);
	assert_non_null(p->p_aliases[0]);
	assert_string_equal(p->p_aliases[0], protocols[k].alias);
	assert_null(p->p_aliases[1]);
	if (buf) {
		assert_true(p->p_name >= buf && p->p_name < buf + len);
		assert_true((const char *)p->p_aliases >= buf &&
		            (const char *)(p->p_aliases + 2) <= buf + len);
		assert_true(p->p_aliases[0] >= buf &&
		            p->p_aliases[0] + strlen(p->p_aliases[0]) < buf + len);
	}
}

static void proto_by_name(void **state)
{
	static const char *const spellings[] = { "TCP", "tcp", "Tcp", "tCP" };
	struct protoent p, *res;
	char buf[512];

	(void)state;
	/* P2: any case finds the entry, which keeps its own spelling */
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		res = NULL;
		memset(&p, 0, sizeof(p));
		assert_int_equal(iana_getprotobyname_r(spellings[i], &p, buf, sizeof(buf), &res), 0);
		assert_ptr_equal(res, &p);
		assert_protocol(res, 2, buf, sizeof(buf));
	}
	/* by an alias */
	assert_int_equal(iana_getprotobyname_r("ospfigp", &p, buf, sizeof(buf), &res), 0);
	assert_protocol(res, 4, buf, sizeof(buf));
	/* not found: 0 and NULL, as glibc */
	res = &p;
	assert_int_equal(iana_getprotobyname_r("nonesuch", &p, buf, sizeof(buf), &res), 0);
	assert_null(res);
	res = &p;
	assert_int_equal(iana_getprotobyname_r("tc", &p, buf, sizeof(buf), &res), 0);
	assert_null(res);
}

static void proto_by_number(void **state)
{
	/* -1, past 65535, and numbers whose low 16 bits are an entry's */
	static const int absent[] = { 2, 255, -1, 70000, 65536 + 6, -65536 + 6, 0x10000 };
	struct protoent p, *res;
	char buf[512];

	(void)state;
	for (size_t k = 0; k < NPROTOCOLS; k++) {
		res = NULL;
		assert_int_equal(iana_getprotobynumber_r(protocols[k].number, &p, buf, sizeof(buf),
		                                         &res), 0);
		assert_ptr_equal(res, &p);
		assert_protocol(res, k, buf, sizeof(buf));
	}
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		res = &p;
		assert_int_equal(iana_getprotobynumber_r(absent[i], &p, buf, sizeof(buf), &res), 0);
		assert_null(res);
	}
}

/* A short buffer is ERANGE (errno too) and *result NULL; the smallest that
 * works holds the alias array, "tcp" and "TCP" and nothing more, plus the
 * padding that aligns the array. */
static void proto_erange(void **state)
{
	union {
		char *align;
		char bytes[256];
	} u;
	struct protoent p, *res;
	size_t need = 2 * sizeof(char *) + sizeof("tcp") + sizeof("TCP");

	(void)state;
	for (size_t off = 0; off < 2; off++) {
		char *buf = u.bytes + off;
		size_t pad = off ? sizeof(char *) - off : 0, smallest = 0;

		for (size_t len = 0; len < sizeof(u.bytes) - off; len++) {
			int r;

			res = &p;
			errno = 0;
			r = iana_getprotobyname_r("Tcp", &p, buf, len, &res);
			if (r == 0) {
				smallest = len;
				break;
			}
			assert_int_equal(r, ERANGE);
			assert_int_equal(errno, ERANGE);
			assert_null(res);
			/* and by number, the same */
			res = &p;
			errno = 0;
			assert_int_equal(iana_getprotobynumber_r(6, &p, buf, len, &res), ERANGE);
			assert_int_equal(errno, ERANGE);
			assert_null(res);
		}
		assert_int_equal(smallest, need + pad);
		assert_ptr_equal(res, &p);
		assert_protocol(res, 2, buf, smallest);
		/* by number with the same buffer */
		res = NULL;
		assert_int_equal(iana_getprotobynumber_r(6, &p, buf, smallest, &res), 0);
		assert_protocol(res, 2, buf, smallest);
	}
}

static void proto_enumeration(void **state)
{
	struct protoent p, *res;
	char buf[512];
	size_t n = 0;

	(void)state;
	iana_setprotoent(0);
	for (;;) {
		res = NULL;
		assert_int_equal(iana_getprotoent_r(&p, buf, sizeof(buf), &res), 0);
		if (!res)
			break;
		assert_true(n < NPROTOCOLS);
		assert_ptr_equal(res, &p);
		assert_protocol(res, n, buf, sizeof(buf));
		n++;
	}
	assert_int_equal(n, NPROTOCOLS);
	/* at the end it stays at the end */
	res = &p;
	assert_int_equal(iana_getprotoent_r(&p, buf, sizeof(buf), &res), 0);
	assert_null(res);
	/* setprotoent rewinds */
	iana_setprotoent(1);
	assert_int_equal(iana_getprotoent_r(&p, buf, sizeof(buf), &res), 0);
	assert_protocol(res, 0, buf, sizeof(buf));
	assert_int_equal(iana_getprotoent_r(&p, buf, sizeof(buf), &res), 0);
	assert_protocol(res, 1, buf, sizeof(buf));
	/* a short buffer does not move the stream */
	res = &p;
	assert_int_equal(iana_getprotoent_r(&p, buf, 4, &res), ERANGE);
	assert_null(res);
	assert_int_equal(iana_getprotoent_r(&p, buf, sizeof(buf), &res), 0);
	assert_protocol(res, 2, buf, sizeof(buf));
	/* endprotoent: the next stream starts at the first entry */
	iana_endprotoent();
	assert_int_equal(iana_getprotoent_r(&p, buf, sizeof(buf), &res), 0);
	assert_protocol(res, 0, buf, sizeof(buf));
	iana_endprotoent();
}

static void proto_non_reentrant(void **state)
{
	struct protoent *p;
	size_t n = 0;

	(void)state;
	assert_protocol(iana_getprotobyname("Udp"), 3, NULL, 0);
	assert_protocol(iana_getprotobynumber(1), 1, NULL, 0);
	assert_protocol(iana_getprotobynumber(262), 5, NULL, 0);
	assert_null(iana_getprotobyname("nonesuch"));
	assert_null(iana_getprotobynumber(2));
	assert_null(iana_getprotobynumber(-1));
	assert_null(iana_getprotobynumber(70000));
	iana_setprotoent(0);
	while ((p = iana_getprotoent()) != NULL) {
		assert_true(n < NPROTOCOLS);
		assert_protocol(p, n, NULL, 0);
		n++;
	}
	assert_int_equal(n, NPROTOCOLS);
	iana_setprotoent(0);
	assert_protocol(iana_getprotoent(), 0, NULL, 0);
	iana_endprotoent();
}

/* Services and protocols calls in turn, each answer checked; a servent
 * from the non-reentrant calls survives a protocols call in between. */
static void *hammer_both(void *arg)
{
	long id = (long)arg;
	struct protoent p, *pr;
	struct servent s, *sr;
	char buf[256];

	for (int i = 0; i < 10000; i++) {
		size_t k = (size_t)(id + i) % NPROTOCOLS;
		unsigned port = 6000 + (unsigned)((id * 7 + i) % 64);

		if (i % 2) {
			struct servent *sv = iana_getservbyport(htons((uint16_t)port), "tcp");
			struct protoent *pv;

			if (!sv || strcmp(sv->s_name, "x11") != 0)
				return (void *)1;
			pv = i % 4 == 1 ? iana_getprotobynumber(protocols[k].number) :
			                  iana_getprotobyname(protocols[k].alias);
			if (!pv || strcmp(pv->p_name, protocols[k].name) != 0 ||
			    pv->p_proto != protocols[k].number ||
			    strcmp(pv->p_aliases[0], protocols[k].alias) != 0 ||
			    strcmp(sv->s_name, "x11") != 0 ||
			    ntohs((uint16_t)sv->s_port) != port)
				return (void *)1;
		} else {
			if (iana_getservbyname_r("www", "tcp", &s, buf, sizeof(buf), &sr) != 0 ||
			    !sr || strcmp(sr->s_name, "http") != 0 ||
			    ntohs((uint16_t)sr->s_port) != 80)
				return (void *)1;
			if (iana_getprotobyname_r(protocols[k].name, &p, buf, sizeof(buf), &pr) != 0 ||
			    !pr || pr->p_proto != protocols[k].number ||
			    strcmp(pr->p_aliases[0], protocols[k].alias) != 0)
				return (void *)1;
		}
	}
	return NULL;
}

static void threads_both(void **state)
{
	pthread_t t[4];

	(void)state;
	for (long i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer_both, (void *)i), 0);
	for (int i = 0; i < 4; i++) {
		void *r;

		assert_int_equal(pthread_join(t[i], &r), 0);
		assert_null(r);
	}
}

static void proto_handle_api(void **state)
{
	union {
		char *align;
		char bytes[64];
	} u;
	struct iana_index *idx, *sidx;
	struct protoent p;
	size_t e;

	(void)state;
	assert_int_equal(iana_index_open(proto_path, &idx), 0);
	assert_int_equal(iana_index_open(index_path, &sidx), 0);
	assert_int_equal(iana_index_database(idx), IANA_DATABASE_PROTOCOLS);
	assert_int_equal(iana_index_database(sidx), IANA_DATABASE_SERVICES);
	assert_int_equal(iana_index_verify(idx), 0);
	assert_int_equal(iana_index_entry_count(idx), NPROTOCOLS);
	assert_int_equal(iana_index_record_count(idx), NPROTOCOLS);
	/* an entry's protocol is "": NULL finds it */
	assert_int_equal(iana_index_find_name(idx, "Tcp", NULL, &e), 0);
	assert_int_equal(e, 2);
	assert_int_equal(iana_index_find_port(idx, htons(89), NULL, &e), 0);
	assert_int_equal(e, 4);
	assert_int_equal(iana_index_find_name(idx, "nonesuch", NULL, &e), -ENOENT);
	for (size_t k = 0; k < NPROTOCOLS; k++) {
		memset(&p, 0, sizeof(p));
		assert_int_equal(iana_index_protoent(idx, k, &p, u.bytes, sizeof(u.bytes)), 0);
		assert_protocol(&p, k, u.bytes, sizeof(u.bytes));
	}
	/* one byte short, as iana_getprotobyname_r */
	assert_int_equal(iana_index_protoent(idx, 2, &p, u.bytes,
	                                     2 * sizeof(char *) + sizeof("tcp") +
	                                     sizeof("TCP") - 1), -ERANGE);
	assert_int_equal(iana_index_protoent(idx, NPROTOCOLS, &p, u.bytes, sizeof(u.bytes)) < 0,
	                 1);
	iana_index_close(sidx);
	iana_index_close(idx);
}

/* Until time() gives another second: each database looks at its
 * variable and path again at most once a second (index_current.c). */
static void next_second(void)
{
	time_t t = time(NULL);

	while (time(NULL) == t)
		usleep(20000);
}

/* P5: an index of the other database at either path answers nothing:
 * the reentrant calls return EPROTO, *result NULL; each answers again
 * once its own index is back. */
static void wrong_database(void **state)
{
	struct servent s, *sr;
	struct protoent p, *pr;
	char buf[512];

	(void)state;
	setenv("NSS_IANA_INDEX", proto_path, 1);
	setenv("NSS_IANA_PROTOCOLS_INDEX", index_path, 1);
	next_second();
	sr = &s;
	assert_int_equal(iana_getservbyname_r("tcp", NULL, &s, buf, sizeof(buf), &sr), EPROTO);
	assert_null(sr);
	sr = &s;
	assert_int_equal(iana_getservbyport_r(htons(6), NULL, &s, buf, sizeof(buf), &sr),
	                 EPROTO);
	assert_null(sr);
	assert_null(iana_getservbyname("http", NULL));
	pr = &p;
	assert_int_equal(iana_getprotobyname_r("http", &p, buf, sizeof(buf), &pr), EPROTO);
	assert_null(pr);
	pr = &p;
	assert_int_equal(iana_getprotobynumber_r(80, &p, buf, sizeof(buf), &pr), EPROTO);
	assert_null(pr);
	assert_null(iana_getprotobyname("tcp"));

	setenv("NSS_IANA_INDEX", index_path, 1);
	setenv("NSS_IANA_PROTOCOLS_INDEX", proto_path, 1);
	next_second();
	assert_int_equal(iana_getservbyname_r("http", "tcp", &s, buf, sizeof(buf), &sr), 0);
	assert_non_null(sr);
	assert_string_equal(sr->s_name, "http");
	assert_int_equal(iana_getprotobyname_r("tcp", &p, buf, sizeof(buf), &pr), 0);
	assert_protocol(pr, 2, buf, sizeof(buf));
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
		cmocka_unit_test(proto_by_name),
		cmocka_unit_test(proto_by_number),
		cmocka_unit_test(proto_erange),
		cmocka_unit_test(proto_enumeration),
		cmocka_unit_test(proto_non_reentrant),
		cmocka_unit_test(threads_both),
		cmocka_unit_test(proto_handle_api),
		cmocka_unit_test(wrong_database),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
