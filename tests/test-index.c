/* test-index.c: compile, map and query an index; refuse broken ones.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fixture.h"
#include "index-format.h"
#include "index-internal.h"
#include "index-write.h"

static const char registry[] = CSV_HEADER
	",0,tcp,Reserved,[Jon_Postel],[Jon_Postel],,,,,,\n"
	"http,80,tcp,World Wide Web HTTP,[Tim_Berners_Lee],[Tim_Berners_Lee],,,[RFC9110],,,\n"
	"http,80,udp,World Wide Web HTTP,,,,,,,,\n"
	"www,80,tcp,World Wide Web HTTP,,,,,,,,\"This is a duplicate of the \"\"http\"\" service.\"\n"
	"www-http,80,tcp,World Wide Web HTTP,,,,,,,,\"This is a duplicate of the \"\"http\"\" service.\"\n"
	"x11,6000-6063,tcp,X Window System,,,1988-01,2020-02-02,,,,\n"
	"x11,6000-6063,udp,X Window System,,,,,,,,\n"
	"arp,,,Address Resolution Protocol,,,,,,,,\n"
	"FOO,1,udp,capitals first,,,,,,,,\n"
	"foo,2,tcp,then lower case,,,,,,,,\n"
	"foo,3,udp,lower case on udp,,,,,,,,\n"
	"sctponly,9,sctp,only on sctp,,,,,,,,\n";

struct fix {
	char *path;
	struct iana_index *idx;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	f->path = fixture_index(registry, FMT_CSV);
	assert_int_equal(iana_index_open(f->path, &f->idx), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	iana_index_close(f->idx);
	fixture_remove(f->path);
	free(f);
	return 0;
}

static struct iana_entry by_name(const struct iana_index *idx, const char *name,
                                 const char *proto)
{
	struct iana_entry e;
	size_t i;

	assert_int_equal(iana_index_find_name(idx, name, proto, &i), 0);
	assert_int_equal(iana_index_entry(idx, i, &e), 0);
	return e;
}

static struct iana_entry by_port(const struct iana_index *idx, unsigned port,
                                 const char *proto)
{
	struct iana_entry e;
	size_t i;

	assert_int_equal(iana_index_find_port(idx, htons((uint16_t)port), proto, &i), 0);
	assert_int_equal(iana_index_entry(idx, i, &e), 0);
	return e;
}

static void names(void **state)
{
	struct fix *f = *state;
	struct iana_entry e;
	size_t i;

	e = by_name(f->idx, "http", NULL);
	assert_int_equal(e.port, 80);
	assert_string_equal(e.proto, "tcp");
	assert_int_equal(e.alias_count, 2);
	assert_string_equal(e.aliases, "www");
	assert_string_equal(e.aliases + 4, "www-http");
	e = by_name(f->idx, "HTTP", "UDP");            /* RFC 6335 5.1: any case */
	assert_string_equal(e.name, "http");
	assert_string_equal(e.proto, "udp");
	e = by_name(f->idx, "www-http", "tcp");
	assert_string_equal(e.name, "http");
	assert_int_equal(iana_index_find_name(f->idx, "www", "udp", &i), -ENOENT);
	e = by_name(f->idx, "x11", "udp");
	assert_int_equal(e.port, 6000);
	assert_string_equal(e.proto, "udp");
	e = by_name(f->idx, "sctponly", NULL);
	assert_string_equal(e.proto, "sctp");
	assert_int_equal(iana_index_find_name(f->idx, "sctponly", "tcp", &i), -ENOENT);
	assert_int_equal(iana_index_find_name(f->idx, "http", "udplite", &i), -ENOENT);
	assert_int_equal(iana_index_find_name(f->idx, "arp", NULL, &i), -ENOENT);
	assert_int_equal(iana_index_find_name(f->idx, "", NULL, &i), -ENOENT);
	assert_int_equal(iana_index_find_name(f->idx, "nonesuch", NULL, &i), -ENOENT);
}

/* Names that differ only in case: the exact spelling wins, as in glibc's
 * files backend; any other spelling finds the first in entry order. */
static void case_variants(void **state)
{
	struct fix *f = *state;

	assert_int_equal(by_name(f->idx, "FOO", NULL).port, 1);
	assert_int_equal(by_name(f->idx, "foo", NULL).port, 2);
	assert_int_equal(by_name(f->idx, "Foo", NULL).port, 1);
	assert_int_equal(by_name(f->idx, "foo", "udp").port, 3);
	assert_int_equal(by_name(f->idx, "FOO", "udp").port, 1);
	assert_int_equal(by_name(f->idx, "FOO", "tcp").port, 2);   /* only "foo" has tcp */
}

/* A name is compared with the query before its length is known: one that
 * begins with the query is not it. Entry 1's name "abc" begins with "ab"
 * and its alias is "AB": taken for an exact "ab", it would hide entry 2,
 * spelled so. */
static void prefix_is_not_name(void **state)
{
	struct iana_index *idx;
	char *path = fixture_index("abc 1/tcp AB\nab 2/tcp\n", FMT_SERVICES);
	size_t i;

	(void)state;
	assert_int_equal(iana_index_open(path, &idx), 0);
	assert_int_equal(by_name(idx, "ab", NULL).port, 2);
	assert_int_equal(by_name(idx, "AB", NULL).port, 1);
	assert_int_equal(by_name(idx, "Ab", NULL).port, 1);
	assert_int_equal(by_name(idx, "abc", NULL).port, 1);
	assert_int_equal(iana_index_find_name(idx, "a", NULL, &i), -ENOENT);
	assert_int_equal(iana_index_find_name(idx, "abcd", NULL, &i), -ENOENT);
	iana_index_close(idx);
	fixture_remove(path);
}

static void ports(void **state)
{
	struct fix *f = *state;
	size_t i;

	assert_string_equal(by_port(f->idx, 80, NULL).name, "http");
	assert_string_equal(by_port(f->idx, 80, "udp").proto, "udp");
	assert_string_equal(by_port(f->idx, 6010, "tcp").name, "x11");
	assert_string_equal(by_port(f->idx, 6063, "udp").name, "x11");
	assert_int_equal(iana_index_find_port(f->idx, htons(6064), NULL, &i), -ENOENT);
	assert_int_equal(iana_index_find_port(f->idx, htons(0), NULL, &i), -ENOENT);
	assert_int_equal(iana_index_find_port(f->idx, htons(9), "udp", &i), -ENOENT);
	assert_int_equal(iana_index_find_port(f->idx, htons(80), "dccp", &i), -ENOENT);
}

/* The protocol of the servent for port, any protocol. */
static const char *proto_of(const struct iana_index *idx, unsigned port, char *buf, size_t len)
{
	struct servent s;
	size_t i;

	assert_int_equal(iana_index_find_port(idx, htons((uint16_t)port), NULL, &i), 0);
	assert_int_equal(iana_index_servent(idx, i, &s, buf, len), 0);
	return s.s_proto;
}

/* The first two protocols are matched and copied from copies made at
 * open, the others from the file: both give the same answers. Here the
 * first is too long to copy ("verylongproto"), the second is "TCP", and
 * "tcp" and "tc" come after; every spelling is exact before it is folded. */
static void protocol_spellings(void **state)
{
	static const char text[] = "alpha 1/verylongproto\n"
	                           "beta 2/TCP\n"
	                           "gamma 3/tcp\n"
	                           "delta 4/tc\n"
	                           "beta 5/tcp\n";
	char *path = fixture_index(text, FMT_SERVICES);
	struct iana_index *idx;
	char buf[256];
	size_t i;

	(void)state;
	assert_int_equal(iana_index_open(path, &idx), 0);
	assert_int_equal(by_name(idx, "alpha", "verylongproto").port, 1);
	assert_int_equal(iana_index_find_name(idx, "alpha", "verylongprot", &i), -ENOENT);
	assert_int_equal(iana_index_find_name(idx, "alpha", "verylongprotox", &i), -ENOENT);
	assert_int_equal(by_name(idx, "beta", "TCP").port, 2);
	assert_int_equal(by_name(idx, "beta", "tcp").port, 5);
	assert_int_equal(by_name(idx, "gamma", "tcp").port, 3);
	assert_int_equal(iana_index_find_name(idx, "gamma", "TCP", &i), -ENOENT);
	assert_int_equal(iana_index_find_name(idx, "gamma", "tc", &i), -ENOENT);
	assert_int_equal(iana_index_find_name(idx, "gamma", "tcpx", &i), -ENOENT);
	assert_int_equal(iana_index_find_name(idx, "gamma", "", &i), -ENOENT);
	assert_int_equal(by_name(idx, "delta", "tc").port, 4);
	assert_int_equal(by_name(idx, "delta", "TC").port, 4);
	assert_int_equal(by_port(idx, 2, "TCP").port, 2);
	assert_int_equal(iana_index_find_port(idx, htons(2), "tcp", &i), -ENOENT);
	/* each answer names its protocol as the file spells it */
	assert_string_equal(proto_of(idx, 1, buf, sizeof(buf)), "verylongproto");
	assert_string_equal(proto_of(idx, 2, buf, sizeof(buf)), "TCP");
	assert_string_equal(proto_of(idx, 3, buf, sizeof(buf)), "tcp");
	assert_string_equal(proto_of(idx, 4, buf, sizeof(buf)), "tc");
	iana_index_close(idx);
	fixture_remove(path);
}

/* nss-mdns's smallest-buffer loop: ERANGE until it fits, and nothing
 * past buflen is ever written. */
static void smallest_buffer(void **state)
{
	struct fix *f = *state;
	char buf[256];
	struct servent s;
	size_t i, n;
	int r = -ERANGE;

	assert_int_equal(iana_index_find_name(f->idx, "http", "tcp", &i), 0);
	for (n = 0; n < sizeof(buf); n++) {
		memset(buf, 0xa5, sizeof(buf));
		r = iana_index_servent(f->idx, i, &s, buf, n);
		for (size_t k = n; k < sizeof(buf); k++)
			assert_int_equal((unsigned char)buf[k], 0xa5);
		if (r == 0)
			break;
		assert_int_equal(r, -ERANGE);
	}
	assert_int_equal(r, 0);
	assert_true(n >= 3 * sizeof(char *) + sizeof("http") + sizeof("www") +
	                 sizeof("www-http") + sizeof("tcp"));
	assert_string_equal(s.s_name, "http");
	assert_string_equal(s.s_proto, "tcp");
	assert_int_equal(ntohs((uint16_t)s.s_port), 80);
	assert_string_equal(s.s_aliases[0], "www");
	assert_string_equal(s.s_aliases[1], "www-http");
	assert_null(s.s_aliases[2]);
	assert_int_equal((uintptr_t)s.s_aliases % sizeof(char *), 0);
	/* an odd buffer address still gives an aligned alias array */
	assert_int_equal(iana_index_servent(f->idx, i, &s, buf + 1, sizeof(buf) - 1), 0);
	assert_int_equal((uintptr_t)s.s_aliases % sizeof(char *), 0);
}

static void entries_and_records(void **state)
{
	struct fix *f = *state;
	struct iana_record r;
	struct iana_entry e;
	int arp = 0, reserved = 0;

	assert_int_equal(iana_index_entry_count(f->idx), 2 + 128 + 3 + 1);
	assert_int_equal(iana_index_entry(f->idx, 0, &e), 0);
	assert_string_equal(e.name, "http");
	assert_int_equal(iana_index_entry(f->idx, 2, &e), 0);
	assert_string_equal(e.name, "x11");
	assert_int_equal(e.port, 6000);
	assert_int_equal(iana_index_entry(f->idx, 65, &e), 0);
	assert_int_equal(e.port, 6063);
	assert_int_equal(iana_index_entry(f->idx, 134, &e), -ENOENT);

	assert_int_equal(iana_index_record_count(f->idx), 12);
	for (size_t i = 0; i < 12; i++) {
		assert_int_equal(iana_index_record(f->idx, i, &r), 0);
		arp += strcmp(r.name, "arp") == 0 && !(r.flags & IANA_RECORD_HAS_PORT);
		reserved += r.name[0] == 0 && strcmp(r.description, "Reserved") == 0;
	}
	assert_int_equal(arp, 1);
	assert_int_equal(reserved, 1);
	assert_int_equal(iana_index_record(f->idx, 5, &r), 0);
	assert_string_equal(r.name, "x11");
	assert_int_equal(r.port_lo, 6000);
	assert_int_equal(r.port_hi, 6063);
	assert_string_equal(r.registered, "1988-01");
	assert_string_equal(r.modified, "2020-02-02");
	assert_int_equal(iana_index_record(f->idx, 1, &r), 0);
	assert_string_equal(r.reference, "[RFC9110]");
	assert_string_equal(r.assignee, "[Tim_Berners_Lee]");
	assert_int_equal(iana_index_record(f->idx, 3, &r), 0);
	assert_true(r.flags & IANA_RECORD_ALIAS);
	assert_int_equal(iana_index_verify(f->idx), 0);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *p;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	p = malloc((size_t)st.st_size);
	assert_int_equal(read(fd, p, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return p;
}

static void deterministic(void **state)
{
	struct fix *f = *state;
	char *again = fixture_index(registry, FMT_CSV);
	size_t a, b;
	unsigned char *x = slurp(f->path, &a), *y = slurp(again, &b);

	assert_int_equal(a, b);
	assert_memory_equal(x, y, a);
	free(x);
	free(y);
	fixture_remove(again);
}

struct named_hash {
	uint32_t hash;
	uint32_t n;
};

static int named_hash_cmp(const void *a, const void *b)
{
	const struct named_hash *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* Two names "cN" whose hashes (seed 0, any case) are equal: among 300,000
 * 32-bit hashes, about ten pairs are expected, so one is found. */
static void colliding_names(char *a, char *b, size_t size)
{
	enum { N = 300000 };
	struct named_hash *v = malloc(N * sizeof(*v));
	char name[32];

	assert_non_null(v);
	for (uint32_t i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "c%u", i);
		v[i] = (struct named_hash){ idx_hash_name(name, strlen(name), 0, 1), i };
	}
	qsort(v, N, sizeof(*v), named_hash_cmp);
	for (uint32_t i = 1; i < N; i++)
		if (v[i].hash == v[i - 1].hash) {
			snprintf(a, size, "c%u", v[i - 1].n);
			snprintf(b, size, "c%u", v[i].n);
			free(v);
			return;
		}
	free(v);
	fail_msg("no two names collide");
}

/* A name slot holds the key's hash, and a match is confirmed against all
 * names of the slot's entry. K and N below collide under seed 0; K's udp
 * slot (entry 4, which has N as an alias) comes before N's in the probe,
 * so a reader would answer N/udp with port 200 instead of 100 unless the
 * writer picks a seed under which the names of one entry differ. */
static void hash_seed(void **state)
{
	char k[32], n[32], text[256];
	const struct idx_header *h;
	struct iana_index *idx;
	char *path;

	(void)state;
	colliding_names(k, n, sizeof(k));
	snprintf(text, sizeof(text), "%s 50/tcp\n%s 90/tcp\n%s 100/udp\n%s 200/udp %s\n",
	         k, n, n, k, n);
	path = fixture_index(text, FMT_SERVICES);
	assert_int_equal(iana_index_open(path, &idx), 0);
	h = (const void *)idx->map;
	assert_int_not_equal(h->hash_seed, 0);
	assert_int_equal(by_name(idx, n, "udp").port, 100);
	assert_int_equal(by_name(idx, k, "udp").port, 200);
	assert_int_equal(by_name(idx, n, "tcp").port, 90);
	assert_int_equal(by_name(idx, k, NULL).port, 50);
	assert_int_equal(iana_index_verify(idx), 0);
	iana_index_close(idx);
	fixture_remove(path);
}

static void write_file(const char *path, const void *data, size_t len)
{
	assert_int_equal(atomic_write(path, data, len, 0644), 0);
}

/* The index's name tables hashed again under another seed, in data: each
 * slot's key found among its entry's names and put where the new hash
 * starts its probe. */
static void reseed(unsigned char *data, const struct iana_index *idx, uint32_t seed)
{
	struct idx_header *h = (void *)data;
	const struct idx_section *sec = (const void *)(data + sizeof(*h));

	for (uint32_t i = 0; i < h->section_count; i++) {
		struct idx_name_slot *slot = (void *)(data + sec[i].offset), *old;
		int fold = sec[i].id == SEC_NAMES;
		uint32_t mask = sec[i].count - 1;

		if (sec[i].id != SEC_NAMES && sec[i].id != SEC_VARIANTS)
			continue;
		old = malloc(sec[i].size);
		assert_non_null(old);
		memcpy(old, slot, sec[i].size);
		memset(slot, 0xff, sec[i].size);
		for (uint32_t j = 0; j < sec[i].count; j++) {
			struct iana_entry e;
			const char *name;
			size_t len;
			unsigned a = 0;
			uint32_t hash, at;

			if (old[j].value == SLOT_EMPTY)
				continue;
			assert_int_equal(idx_entry(idx, old[j].value >> 8, &e, &len), 0);
			for (name = e.name; a <= e.alias_count; a++, name += strlen(name) + 1)
				if (idx_hash_name(name, strlen(name), idx->hash_seed, fold) == old[j].hash)
					break;
			assert_true(a <= e.alias_count);
			hash = idx_hash_name(name, strlen(name), seed, fold);
			at = idx_name_start(hash, old[j].value & 0xff) & mask;
			while (slot[at].value != SLOT_EMPTY)
				at = (at + 1) & mask;
			slot[at] = (struct idx_name_slot){ .hash = hash, .value = old[j].value };
		}
		free(old);
	}
	h->hash_seed = seed;
	h->max_probe = IDX_MAX_PROBE;
	h->checksum = idx_checksum(data, h->file_size);
}

/* Twins, slots of a table with one hash and protocol, are allowed, up to
 * IDX_MAX_TWINS, as long as no two of their entries share a name: a lookup
 * compares the entries of each twin in turn. Two names K and N that
 * collide under seed 0: in two entries, the index hashed under seed 0 is
 * accepted and answers both; with N also an alias of K's entry, a lookup
 * of N could stop at K's entry, and check refuses it. */
static void twin_slots(void **state)
{
	char k[32], n[32], text[128], *path, *tmp;
	struct iana_index *idx, *twins;
	unsigned char *data;
	size_t len;

	(void)state;
	colliding_names(k, n, sizeof(k));
	snprintf(text, sizeof(text), "%s 100/udp\n%s 200/udp\n", n, k);
	path = fixture_index(text, FMT_SERVICES);
	tmp = fixture_index(text, FMT_SERVICES);
	assert_int_equal(iana_index_open(path, &idx), 0);
	data = slurp(path, &len);
	reseed(data, idx, 0);
	write_file(tmp, data, len);
	assert_int_equal(iana_index_open(tmp, &twins), 0);
	assert_int_equal(iana_index_verify(twins), 0);
	assert_int_equal(by_name(twins, n, NULL).port, 100);
	assert_int_equal(by_name(twins, k, NULL).port, 200);
	assert_int_equal(by_name(twins, n, "udp").port, 100);
	assert_int_equal(by_name(twins, k, "udp").port, 200);
	iana_index_close(twins);
	iana_index_close(idx);
	free(data);
	fixture_remove(path);

	snprintf(text, sizeof(text), "%s 100/udp\n%s 200/udp %s\n", n, k, n);
	path = fixture_index(text, FMT_SERVICES);
	assert_int_equal(iana_index_open(path, &idx), 0);
	assert_int_not_equal(((const struct idx_header *)idx->map)->hash_seed, 0);
	assert_int_equal(iana_index_verify(idx), 0);
	data = slurp(path, &len);
	reseed(data, idx, 0);
	write_file(tmp, data, len);
	assert_int_equal(iana_index_open(tmp, &twins), 0);
	assert_int_equal(iana_index_verify(twins), -EPROTO);
	iana_index_close(twins);
	iana_index_close(idx);
	free(data);
	fixture_remove(path);
	fixture_remove(tmp);
}

static void broken_files(void **state)
{
	struct fix *f = *state;
	char *tmp = fixture_index(registry, FMT_CSV);
	struct iana_index *idx;
	size_t len;
	unsigned char *data = slurp(f->path, &len);

	for (size_t n = 0; n < len; n += n < 256 ? 1 : 97) {
		write_file(tmp, data, n);
		assert_int_equal(iana_index_open(tmp, &idx), -EPROTO);
	}
	for (size_t at = 0; at < len; at += 13) {
		data[at] ^= 0x40;
		write_file(tmp, data, len);
		if (iana_index_open(tmp, &idx) == 0) {
			assert_int_not_equal(iana_index_verify(idx), 0);
			iana_index_close(idx);
		}
		data[at] ^= 0x40;
	}
	assert_int_equal(iana_index_open("/nonexistent/services.idx", &idx), -ENOENT);
	assert_int_equal(iana_index_open("/", &idx), -EPROTO);
	/* a FIFO in the index's place is refused at once, not waited on */
	assert_int_equal(mkfifo(tmp, 0600) == 0 || (unlink(tmp) == 0 && mkfifo(tmp, 0600) == 0), 1);
	assert_int_equal(iana_index_open(tmp, &idx), -EPROTO);
	unlink(tmp);
	free(data);
	fixture_remove(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(case_variants),
		cmocka_unit_test(prefix_is_not_name),
		cmocka_unit_test(ports),
		cmocka_unit_test(protocol_spellings),
		cmocka_unit_test(smallest_buffer),
		cmocka_unit_test(entries_and_records),
		cmocka_unit_test(deterministic),
		cmocka_unit_test(hash_seed),
		cmocka_unit_test(twin_slots),
		cmocka_unit_test(broken_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
