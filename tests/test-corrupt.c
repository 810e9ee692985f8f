/* test-corrupt.c: a valid index of the full registry, truncated at every
 * length and changed by seeded random flips and overwrites of its header,
 * section table and tables, before it is opened and after. Every such file
 * is refused, or gives answers that are well-formed and keep the format's
 * limits; the checksum catches every change. Built with
 * --enable-sanitizers, ASan checks that nothing reads outside the bytes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * IANA_CORRUPT_FLIPS sets the number of random changes (default 100000) and
 * IANA_CORRUPT_STRIDE the step between truncation lengths (default 1), for
 * slow runs under valgrind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "fixture.h"
#include "index-internal.h"
#include "index-write.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

static unsigned char *good;
static size_t size;

/* The full registry, compiled in memory. */
static int setup(void **state)
{
	const char *dir = getenv("REGISTRY_DIR");
	struct registry reg;
	struct services svc;
	struct diags d = { 0 };
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/service-names-port-numbers.2024-06.csv",
	         dir ? dir : ".");
	registry_init(&reg);
	if (registry_read_file(&reg, path, FMT_CSV, &d) < 0) {
		fprintf(stderr, "FULL REGISTRY MISSING: %s (set REGISTRY_DIR)\n", path);
		return -1;
	}
	assert_int_equal(services_build(&svc, &reg, &d), 0);
	/* one watched file, absent, so that WATCH is read too */
	assert_int_equal(index_build(&reg, &svc, &(struct index_watch){
		.path = "/nonexistent/nss-iana-test-corrupt", .absent = 1 }, 1, "test",
		&good, &size), 0);
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(good);
	return 0;
}

/* A name as the format allows one: 1..IDX_MAX_NAME bytes that a services(5)
 * line can hold. */
static int is_name(const char *s)
{
	size_t n = strnlen(s, IDX_MAX_NAME + 1);

	if (n == 0 || n > IDX_MAX_NAME)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!idx_name_byte((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Lookups and enumeration on a file that validated: every answer is an
 * entry in range whose strings fit the buffer and keep the limits. */
static void exercise(const struct iana_index *idx, unsigned seed)
{
	static const char *const names[] = { "http", "HTTP", "x11", "www", "sql*net", "" };
	static const char *const protos[] = { NULL, "tcp", "udp", "sctp", "dccp" };
	char buf[2048];
	struct servent s;
	size_t e, n = iana_index_entry_count(idx);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		for (size_t p = 0; p < 5; p++)
			if (iana_index_find_name(idx, names[i], protos[p], &e) == 0)
				assert_true(e < n);
	for (unsigned k = 0; k < 8; k++) {
		unsigned port = (seed * 2654435761u + k * 7919u) % 65536;

		if (iana_index_find_port(idx, htons((uint16_t)port), protos[k % 5], &e) == 0)
			assert_true(e < n);
	}
	for (size_t i = 0; i < 32 && n; i++) {
		e = (seed + i * 389) % n;
		if (iana_index_servent(idx, e, &s, buf, sizeof(buf)) == 0) {
			size_t k = 0;

			assert_non_null(memchr(s.s_name, 0, (size_t)(buf + sizeof(buf) - s.s_name)));
			assert_non_null(memchr(s.s_proto, 0, (size_t)(buf + sizeof(buf) - s.s_proto)));
			/* within the limits of the format, whatever the file */
			assert_true(is_name(s.s_name));
			for (; s.s_aliases[k]; k++)
				assert_true(is_name(s.s_aliases[k]));
			assert_true(k <= IDX_MAX_ALIASES);
		}
	}
	/* the watched paths, read again at every once-a-second check: the
	 * path named is "" or a string inside STRINGS */
	{
		const char *path = NULL;

		if (iana_index_stale(idx, &path) < 0 && path[0])
			assert_true(path >= idx->strings &&
			            path < idx->strings + idx->strings_size &&
			            memchr(path, 0, (size_t)(idx->strings + idx->strings_size - path)));
	}
	for (size_t i = 0; i < 16 && iana_index_record_count(idx); i++) {
		struct iana_record r;

		iana_index_record(idx, (seed + i * 911) % iana_index_record_count(idx), &r);
	}
}

static int validate(struct iana_index *idx, const unsigned char *data, size_t len)
{
	memset(idx, 0, sizeof(*idx));
	return idx_validate(idx, data, len);
}

/* Every length: as cut, and with the header's size made to match. From
 * the longest down, the bytes past the length are poisoned a granule at a
 * time (ASan's 8 bytes), so a read past them is caught. */
static void truncations(void **state)
{
	const char *env = getenv("IANA_CORRUPT_STRIDE");
	size_t stride = env && atoi(env) > 0 ? (size_t)atoi(env) : 1, tried = 0;
	unsigned char *data = malloc(size);
	struct iana_index idx;
	size_t accepted = 0;

	(void)state;
	memcpy(data, good, size);
	for (size_t n = size + 1; n-- > 0;) {
		uint64_t fake = n;

		if (n % 8 == 0 && n < size)
			POISON(data + n, size - n < 8 ? size - n : 8);
		if (n != size && n % stride)
			continue;
		tried++;
		if (validate(&idx, data, n) == 0)
			assert_int_equal(n, size);
		if (n < sizeof(struct idx_header))
			continue;
		memcpy(data + offsetof(struct idx_header, file_size), &fake, sizeof(fake));
		if (validate(&idx, data, n) == 0) {
			accepted++;
			exercise(&idx, (unsigned)n);
			if (n == size)
				assert_int_equal(iana_index_verify(&idx), 0);
			else
				assert_int_not_equal(iana_index_verify(&idx), 0);
		}
		memcpy(data + offsetof(struct idx_header, file_size), &good[24], 8);
	}
	UNPOISON(data, size);
	printf("# truncations: %zu of %zu lengths, each as cut and with a matching "
	       "header; %zu accepted (the whole file)\n", tried, size + 1, accepted);
	assert_int_equal(accepted, 1);
	free(data);
}

static unsigned long next_random(unsigned long *s)
{
	*s = *s * 6364136223846793005ul + 1442695040888963407ul;
	return *s >> 33;
}

/* Where to aim: the header and section table, a section's own fields, or
 * anywhere. */
static size_t target(unsigned long *rng)
{
	const struct idx_header *h = (const void *)good;
	const struct idx_section *sec = (const void *)(good + sizeof(*h));

	switch (next_random(rng) % 4) {
	case 0:
		return next_random(rng) % h->header_size;
	case 1: {
		const struct idx_section *s = &sec[next_random(rng) % h->section_count];

		return s->size ? s->offset + next_random(rng) % s->size : 0;
	}
	default:
		return next_random(rng) % size;
	}
}

static void flips(void **state)
{
	const char *env = getenv("IANA_CORRUPT_FLIPS");
	unsigned long rng = 20261126, n = env ? strtoul(env, NULL, 10) : 100000;
	unsigned char *data = malloc(size);
	unsigned long accepted = 0, refused = 0;

	(void)state;
	memcpy(data, good, size);
	for (unsigned long i = 0; i < n; i++) {
		struct iana_index idx;
		size_t at = target(&rng), len = 1 + next_random(&rng) % 4;
		unsigned char saved[4];

		if (at + len > size)
			at = size - len;
		memcpy(saved, data + at, len);
		for (size_t k = 0; k < len; k++) {
			unsigned long r = next_random(&rng);

			/* half flip bits, half overwrite with a boundary value */
			data[at + k] = r & 1 ? data[at + k] ^ (unsigned char)(1 + (r >> 1) % 255)
			                     : (unsigned char[]){ 0, 0xff, 0x7f, 0x80 }[(r >> 1) % 4];
		}
		if (memcmp(saved, data + at, len) != 0) {
			if (validate(&idx, data, size) == 0) {
				accepted++;
				exercise(&idx, (unsigned)i);
				assert_int_not_equal(iana_index_verify(&idx), 0);
			} else {
				refused++;
			}
		}
		memcpy(data + at, saved, len);
	}
	printf("# flips and overwrites: %lu tried, %lu refused on open, %lu accepted "
	       "and exercised, all rejected by the checksum\n", n, refused, accepted);
	free(data);
}

/* The file changed in place after it was opened (issue 20, finding 2):
 * validated once, then bytes changed under the open index, as a writer
 * would change the mapping of a running process before its next check.
 * Every lookup then gives a wrong answer or EPROTO, and still reads
 * nothing outside the file's bytes (ASan: the copy is exactly size bytes)
 * and returns no string that does not keep the limits. */
static void changed_after_open(void **state)
{
	const char *env = getenv("IANA_CORRUPT_FLIPS");
	unsigned long rng = 20261206, n = (env ? strtoul(env, NULL, 10) : 100000) / 5;
	unsigned char *data = malloc(size);
	struct iana_index idx;

	(void)state;
	memcpy(data, good, size);
	assert_int_equal(validate(&idx, data, size), 0);
	for (unsigned long i = 0; i < n; i++) {
		size_t at = target(&rng), len = 1 + next_random(&rng) % 4;
		unsigned char saved[4];

		if (at + len > size)
			at = size - len;
		memcpy(saved, data + at, len);
		for (size_t k = 0; k < len; k++)
			data[at + k] = (unsigned char[]){ 0, 0xff, 0x7f, 'A', ' ', '\n' }
			               [next_random(&rng) % 6];
		exercise(&idx, (unsigned)i);
		memcpy(data + at, saved, len);
	}
	printf("# changed after open: %lu changes, each exercised on the index opened before it\n",
	       n);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truncations),
		cmocka_unit_test(flips),
		cmocka_unit_test(changed_after_open),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
