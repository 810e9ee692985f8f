/* common-index.c: every reader function over one validated index.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The index may be hostile: what is checked here is what must hold for any
 * file that idx_validate() accepted (SPEC 5). It checks the structure only;
 * what lies inside the tables is checked where it is read, so a call may
 * fail with EPROTO, but only when idx_validate_tables() or
 * idx_validate_records() (what `iana-services check` runs) finds the file
 * bad too. Answers name entries that exist, strings lie inside the STRINGS
 * section and end there, and a caller's buffer is written only inside
 * buflen, and not at all on ERANGE. Whether the answers are the right ones is
 * checked by common-compile.c, where the index comes from the writer.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "common.h"

#define POISON 0xa5
#define MAX_PROBES 48
#define SERVENT_ENTRIES 8

/* UBSan stops at the first report, as ASan does, also when the binary is
 * run by hand; run.sh adds suppressions for the known bugs. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: check failed: %s\n    ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static const char *const protos[] = {
	NULL, "tcp", "udp", "sctp", "dccp", "udplite", "TCP", "",
};
#define NPROTOS (sizeof(protos) / sizeof(protos[0]))

/* s is a string of the STRINGS section, starting and ending inside it, or
 * the reader's own "" for an offset out of range (idx_string()). */
#define PROTOENT_BUF (IDX_MAX_NAMES_SIZE + (IDX_MAX_ALIASES + 2) * sizeof(char *) + 16)

static void check_string(const struct iana_index *idx, const char *s, const char *what)
{
	const char *end = idx->strings + idx->strings_size;

	if ((s < idx->strings || s >= end) && s[0] == 0)
		return;
	FUZZ_CHECK(s >= idx->strings && s < end, "%s at %p is outside STRINGS [%p, %p)",
	           what, (const void *)s, (const void *)idx->strings, (const void *)end);
	FUZZ_CHECK(memchr(s, 0, (size_t)(end - s)) != NULL,
	           "%s is not terminated inside STRINGS", what);
}

/* A protocol name as an index may hold one (nss-iana-index(5)). */
static int is_proto_name(const char *p)
{
	size_t n = strlen(p);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f)
			return 0;
	return n <= 255;
}

static void check_entries(const struct iana_index *idx, int tables_valid)
{
	size_t n = iana_index_entry_count(idx);
	struct iana_entry e;

	for (size_t i = 0; i < n; i++) {
		const char *a;
		int r = iana_index_entry(idx, i, &e);

		FUZZ_CHECK(r == 0 || (r == -EPROTO && !tables_valid),
		           "entry %zu of %zu: %d", i, n, r);
		if (r < 0)
			continue;
		check_string(idx, e.name, "entry name");
		FUZZ_CHECK(e.name[0] != 0, "entry %zu has an empty name", i);
		FUZZ_CHECK(is_proto_name(e.proto), "entry %zu: protocol \"%s\"", i, e.proto);
		FUZZ_CHECK(e.port <= 65535, "entry %zu: port %u", i, e.port);
		a = e.aliases;
		for (unsigned k = 0; k < e.alias_count; k++) {
			check_string(idx, a, "alias");
			FUZZ_CHECK(a[0] != 0, "entry %zu: alias %u is empty", i, k);
			a += strlen(a) + 1;
		}
	}
	FUZZ_CHECK(iana_index_entry(idx, n, &e) == -ENOENT, "entry past the end");
}

/* One servent call on a buffer of exactly buflen bytes starting off bytes
 * into its allocation, so that ASan sees a write past buflen and the
 * poison shows a write before it. 1 on success, 0 on ERANGE. */
static int servent_once(const struct iana_index *idx, size_t entry, size_t buflen,
                        size_t off, const struct iana_entry *e)
{
	unsigned char *base;
	char *buf, *end;
	const char *a;
	struct servent se;
	void *m;
	int r;

	/* 16-aligned, so that off decides the padding the alias array needs */
	if (posix_memalign(&m, 16, off + buflen) != 0)
		abort();
	base = m;
	buf = (char *)base + off;
	end = buf + buflen;
	memset(base, POISON, off + buflen);
	r = iana_index_servent(idx, entry, &se, buf, buflen);
	for (size_t i = 0; i < off; i++)
		FUZZ_CHECK(base[i] == POISON, "servent wrote %zu bytes before the buffer", off - i);
	if (r == -ERANGE) {
		for (size_t i = 0; i < buflen; i++)
			FUZZ_CHECK((unsigned char)buf[i] == POISON,
			           "servent said ERANGE but wrote byte %zu of %zu", i, buflen);
		free(base);
		return 0;
	}
	FUZZ_CHECK(r == 0, "servent(entry %zu, buflen %zu) = %d", entry, buflen, r);
#define IN_BUF(p) ((const char *)(p) >= buf && (const char *)(p) < end)
#define TERMINATED(p) (IN_BUF(p) && memchr((p), 0, (size_t)(end - (const char *)(p))))
	FUZZ_CHECK(TERMINATED(se.s_name), "s_name not a string inside the buffer (%zu)", buflen);
	FUZZ_CHECK(TERMINATED(se.s_proto), "s_proto not a string inside the buffer (%zu)", buflen);
	FUZZ_CHECK(IN_BUF(se.s_aliases) &&
	           (uintptr_t)se.s_aliases % alignof(char *) == 0 &&
	           (size_t)(end - (char *)se.s_aliases) >= (e->alias_count + 1) * sizeof(char *),
	           "s_aliases array outside the buffer or misaligned (%zu)", buflen);
	FUZZ_CHECK(strcmp(se.s_name, e->name) == 0, "s_name \"%s\", entry \"%s\"",
	           se.s_name, e->name);
	FUZZ_CHECK(strcmp(se.s_proto, e->proto) == 0, "s_proto \"%s\", entry \"%s\"",
	           se.s_proto, e->proto);
	FUZZ_CHECK(ntohs((uint16_t)se.s_port) == e->port, "s_port %d, entry %u",
	           ntohs((uint16_t)se.s_port), e->port);
	a = e->aliases;
	for (unsigned k = 0; k < e->alias_count; k++, a += strlen(a) + 1) {
		FUZZ_CHECK(TERMINATED(se.s_aliases[k]), "alias %u not inside the buffer", k);
		FUZZ_CHECK(strcmp(se.s_aliases[k], a) == 0, "alias %u \"%s\", entry \"%s\"",
		           k, se.s_aliases[k], a);
	}
	FUZZ_CHECK(se.s_aliases[e->alias_count] == NULL, "s_aliases not NULL-terminated");
#undef TERMINATED
#undef IN_BUF
	free(base);
	return 1;
}

/* An entry that does not read gives the same error from servent when
 * the buffer has room for any entry within the limits (about 17 KiB). With
 * less, ERANGE may come first: servent computes the size before it copies
 * the names, and checks them in its copy, which no other process can
 * change under it; glibc then retries with a larger buffer. So a failed
 * call may have written inside the buffer (the copy it refused), but on
 * ERANGE nothing. The buffers are exactly buflen bytes of the heap: ASan
 * sees a write past them. */
static void check_bad_servent(const struct iana_index *idx, size_t entry)
{
	static const size_t sizes[] = { 256, 32 * 1024 };
	struct iana_entry e;
	struct servent se;
	int want = iana_index_entry(idx, entry, &e);

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		char *buf = malloc(sizes[k]);
		int r;

		if (!buf)
			abort();
		memset(buf, POISON, sizes[k]);
		r = iana_index_servent(idx, entry, &se, buf, sizes[k]);
		FUZZ_CHECK(r == want || (r == -ERANGE && k == 0),
		           "servent(entry %zu, %zu bytes) = %d, entry() = %d", entry, sizes[k], r,
		           want);
		for (size_t i = 0; r == -ERANGE && i < sizes[k]; i++)
			FUZZ_CHECK((unsigned char)buf[i] == POISON,
			           "servent said ERANGE but wrote byte %zu", i);
		free(buf);
	}
}

/* Buffers of 0..64 bytes and 1024: ERANGE up to the size the entry needs,
 * success from there on. A misaligned buffer needs padding before the alias
 * array: never less than an aligned one, never more than alignment - 1
 * bytes more. */
static void check_servent(const struct iana_index *idx, size_t entry)
{
	const size_t align = alignof(char *);
	struct iana_entry e;
	size_t need = 0;
	int ok = 0;

	if (iana_index_entry(idx, entry, &e) < 0) {
		check_bad_servent(idx, entry);
		return;
	}
	for (size_t n = 0; n <= 64; n++) {
		int r = servent_once(idx, entry, n, 0, &e);

		FUZZ_CHECK(r || !ok, "servent succeeded with %zu bytes, not with %zu", n - 1, n);
		if (r && !ok)
			need = n;
		ok = r;
	}
	FUZZ_CHECK(servent_once(idx, entry, 1024, 0, &e) || !ok, "1024 bytes too few");
	if (!ok) {
		servent_once(idx, entry, 1024, 3, &e);
		return;
	}
	for (size_t off = 1; off < align; off++) {
		FUZZ_CHECK(servent_once(idx, entry, need + align - 1, off, &e),
		           "%zu bytes too few at misalignment %zu", need + align - 1, off);
		FUZZ_CHECK(need == 0 || !servent_once(idx, entry, need - 1, off, &e),
		           "%zu bytes enough at misalignment %zu", need - 1, off);
	}
}

static void check_records(const struct iana_index *idx, int tables_valid)
{
	int valid = idx_validate_records(idx) == 0;
	size_t n = iana_index_record_count(idx);
	struct iana_record r;
	struct iana_person p;
	struct iana_meta m;

	for (size_t i = 0; i < n; i++) {
		int x = iana_index_record(idx, i, &r);

		FUZZ_CHECK(x == 0 || x == -EPROTO, "record %zu: %d", i, x);
		FUZZ_CHECK(x == 0 || !valid, "record %zu unreadable in a valid index", i);
		if (x < 0)
			continue;
		check_string(idx, r.name, "record name");
		check_string(idx, r.proto, "record protocol");
		check_string(idx, r.description, "description");
		check_string(idx, r.assignee, "assignee");
		check_string(idx, r.contact, "contact");
		check_string(idx, r.registered, "registration date");
		check_string(idx, r.modified, "modification date");
		check_string(idx, r.reference, "reference");
		check_string(idx, r.service_code, "service code");
		check_string(idx, r.unauthorized, "unauthorized use");
		check_string(idx, r.notes, "notes");
		/* the assignee as a person ID, as `iana-services lookup` does */
		if (r.assignee[0] == '[') {
			char id[128];
			size_t len = strcspn(r.assignee + 1, "]");

			if (len < sizeof(id)) {
				memcpy(id, r.assignee + 1, len);
				id[len] = 0;
				if (iana_index_person(idx, id, &p) == 0)
					FUZZ_CHECK(strcmp(p.id, id) == 0, "person \"%s\" for \"%s\"",
					           p.id, id);
			}
		}
	}
	FUZZ_CHECK(iana_index_record(idx, n, &r) == -ENOENT, "record past the end");

	/* Sorted people (a valid index) must all be found by binary search. */
	for (uint32_t i = 0; i < idx->person_count; i++) {
		const char *id = idx_string(idx, idx->people[i].id);
		int x = iana_index_person(idx, id, &p);

		FUZZ_CHECK(x == 0 || !valid, "person %u \"%s\" not found", i, id);
		if (x < 0)
			continue;
		FUZZ_CHECK(strcmp(p.id, id) == 0, "person \"%s\" for \"%s\"", p.id, id);
		check_string(idx, p.id, "person id");
		check_string(idx, p.name, "person name");
		check_string(idx, p.org, "person org");
		check_string(idx, p.uri, "person uri");
		check_string(idx, p.updated, "person updated");
	}
	iana_index_person(idx, "", &p);
	iana_index_person(idx, "IESG", &p);

	FUZZ_CHECK(iana_index_meta(idx, &m) == 0, "meta");
	check_string(idx, m.title, "title");
	check_string(idx, m.updated, "updated");
	check_string(idx, m.tool_version, "tool version");
	check_string(idx, m.sources, "sources");

	int v = iana_index_verify(idx);

	FUZZ_CHECK(v == 0 || v == -EPROTO || v == -EBADMSG, "verify: %d", v);
	FUZZ_CHECK((valid && tables_valid) || v < 0, "verify passed a bad index");
}

struct probes {
	char name[MAX_PROBES][64];
	size_t n;
};

static void probe_add(struct probes *p, const char *s, size_t len, int upper)
{
	if (p->n == MAX_PROBES)
		return;
	if (len >= sizeof(p->name[0]))
		len = sizeof(p->name[0]) - 1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		p->name[p->n][i] = upper && c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
	}
	p->name[p->n][len] = 0;
	p->n++;
}

static void find_all(const struct iana_index *idx, int tables_valid,
                     const struct probes *pr, const unsigned *ports, size_t nports,
                     size_t *found, size_t *nfound)
{
	size_t count = iana_index_entry_count(idx), e;

	for (size_t i = 0; i < pr->n; i++) {
		for (size_t k = 0; k < NPROTOS; k++) {
			int r = iana_index_find_name(idx, pr->name[i], protos[k], &e);

			FUZZ_CHECK(r == 0 || r == -ENOENT || (r == -EPROTO && !tables_valid),
			           "find_name(\"%s\"): %d", pr->name[i], r);
			if (r < 0)
				continue;
			FUZZ_CHECK(e < count, "find_name(\"%s\") gave entry %zu of %zu",
			           pr->name[i], e, count);
			if (*nfound < SERVENT_ENTRIES)
				found[(*nfound)++] = e;
		}
	}
	for (size_t i = 0; i < nports; i++) {
		for (size_t k = 0; k < NPROTOS; k++) {
			int r = iana_index_find_port(idx, (int)htons((uint16_t)ports[i]), protos[k], &e);

			FUZZ_CHECK(r == 0 || r == -ENOENT || (r == -EPROTO && !tables_valid),
			           "find_port(%u): %d", ports[i], r);
			if (r == 0)
				FUZZ_CHECK(e < count, "find_port(%u) gave entry %zu of %zu",
				           ports[i], e, count);
		}
	}
	FUZZ_CHECK(iana_index_find_name(idx, NULL, NULL, &e) == -ENOENT, "NULL name");
}

/* A protoent is the servent less its protocol (SPEC 9): the same names,
 * the port as the number, the same errors; never a byte outside buf. */
static void check_protoent(const struct iana_index *idx, size_t entry)
{
	struct iana_entry e;
	struct protoent pe;
	char *buf = malloc(PROTOENT_BUF);
	const char *a;
	int r, er;

	if (!buf)
		abort();
	er = iana_index_entry(idx, entry, &e);
	r = iana_index_protoent(idx, entry, &pe, buf, PROTOENT_BUF);
	if (er < 0) {
		FUZZ_CHECK(r < 0, "protoent(entry %zu) read an entry that does not", entry);
	} else if (r == 0) {
		FUZZ_CHECK(strcmp(pe.p_name, e.name) == 0, "protoent name");
		FUZZ_CHECK(pe.p_proto == (int)e.port, "protoent number %d, port %u", pe.p_proto,
		           e.port);
		a = e.aliases;
		for (unsigned i = 0; i < e.alias_count; i++, a += strlen(a) + 1)
			FUZZ_CHECK(pe.p_aliases[i] && strcmp(pe.p_aliases[i], a) == 0,
			           "protoent alias %u", i);
		FUZZ_CHECK(pe.p_aliases[e.alias_count] == NULL, "protoent aliases end");
	}
	FUZZ_CHECK(iana_index_protoent(idx, entry, &pe, buf, 0) == (r == 0 ? -ERANGE : r) ||
	           r == -EPROTO, "protoent with no buffer");
	free(buf);
}

void fuzz_exercise_index(const struct iana_index *idx, const unsigned char *extra,
                         size_t extra_len)
{
	static const char *const fixed[] = { "http", "HTTP", "x11", "X11", "www", "ssh",
	                                     "whois++", "sql*net", "", "-" };
	size_t count = iana_index_entry_count(idx), found[2 * SERVENT_ENTRIES], nfound = 0;
	unsigned ports[16] = { 0, 1, 80, 6000, 6063, 65535 };
	size_t nports = 6;
	struct probes pr = { .n = 0 };
	struct iana_entry e;
	int tables_valid = idx_validate_tables(idx) == 0;

	check_entries(idx, tables_valid);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		probe_add(&pr, fixed[i], strlen(fixed[i]), 0);
	/* fuzzer bytes: NUL-separated names, and the first two as a port */
	for (size_t i = 0; i < extra_len;) {
		const unsigned char *nul = memchr(extra + i, 0, extra_len - i);
		size_t len = nul ? (size_t)(nul - extra - i) : extra_len - i;

		probe_add(&pr, (const char *)extra + i, len, 0);
		i += len + 1;
	}
	if (extra_len >= 2)
		ports[nports++] = (unsigned)extra[0] << 8 | extra[1];
	/* names from the index itself: the first entries and the last, in
	 * their own spelling and upper case */
	for (size_t i = 0; i < count && pr.n + 2 <= MAX_PROBES && i < 12; i++) {
		size_t k = i < 6 ? i : count - 1 - (i - 6);
		const char *a;

		if (k >= count || iana_index_entry(idx, k, &e) < 0)
			continue;
		probe_add(&pr, e.name, strlen(e.name), 0);
		probe_add(&pr, e.name, strlen(e.name), 1);
		a = e.aliases;
		if (e.alias_count)
			probe_add(&pr, a, strlen(a), 1);
		if (nports < sizeof(ports) / sizeof(ports[0]))
			ports[nports++] = e.port;
	}
	find_all(idx, tables_valid, &pr, ports, nports, found, &nfound);

	for (size_t i = 0; i < count && i < 4; i++)
		found[nfound++] = i;
	if (count)
		found[nfound++] = count - 1;
	FUZZ_CHECK(iana_index_database(idx) == IANA_DATABASE_SERVICES ||
	           iana_index_database(idx) == IANA_DATABASE_PROTOCOLS, "database");
	for (size_t i = 0; i < nfound; i++) {
		check_servent(idx, found[i]);
		check_protoent(idx, found[i]);
	}
	{
		struct servent se;
		char buf[64];

		FUZZ_CHECK(iana_index_servent(idx, count, &se, buf, sizeof(buf)) == -ENOENT,
		           "servent past the end");
	}
	check_records(idx, tables_valid);
}
