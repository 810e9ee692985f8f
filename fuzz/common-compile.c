/* common-compile.c: parse, compile, read back: what `iana-services compile`
 * does, in memory, with the writer's output checked against its input.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The parsers must only ever fail with a diagnostic. When the input reads
 * cleanly, the index the writer makes from it must validate, verify and
 * answer every lookup as SPEC L1-L3 say (checked here by brute force over
 * the entries), hold every record, person and metadata string unchanged,
 * and export to a services(5) file that reads back to the same entries
 * (the file glibc's files backend answers from, SPEC L4).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "common.h"
#include "index-write.h"
#include "services.h"

/* One range record can give 65,536 entries; a few hundred of them would
 * make every run slow and the fuzzer report timeouts and memory limits
 * instead of bugs. Inputs that could give more entries than this are
 * parsed but not compiled. */
#define MAX_PORTS (1u << 17)
/* Brute-force lookup checks cost probes x entries. */
#define MAX_PROBES 32
#define MAX_ORACLE_ENTRIES 4096
#define MAX_PEOPLE 1024

/* A query's protocol: any (NULL), or the index's protocol code p. */
static const char *proto_of(const struct services *svc, unsigned p)
{
	return p ? svc->protos[p - 1] : NULL;
}

static const char *str(const char *s)
{
	return s ? s : "(null)";
}

#define CHECK_STR(a, b, what, i) \
	FUZZ_CHECK(strcmp((a), (b)) == 0, "%s of %zu: index \"%s\", compiled \"%s\"", \
	           (what), (size_t)(i), (a), (b))

/* Every diagnostic names its file and a line that exists (SPEC 6). */
static void check_diags(const struct diags *d, const char *file, const char *data,
                        size_t len)
{
	unsigned long lines = 1;

	for (size_t i = 0; i < len; i++)
		lines += data[i] == '\n' || data[i] == '\r';
	for (size_t i = 0; i < d->count; i++) {
		const struct diag *x = &d->v[i];

		FUZZ_CHECK(x->message && x->message[0], "diagnostic %zu has no message", i);
		FUZZ_CHECK(x->file && x->file[0], "diagnostic \"%s\" names no file", x->message);
		if (strcmp(x->file, file) == 0)
			FUZZ_CHECK(x->line <= lines, "diagnostic \"%s\" at line %lu of %lu",
			           x->message, x->line, lines);
	}
}

static const char *first_message(const struct diags *d)
{
	return d->count ? d->v[0].message : "(no diagnostic)";
}

/* How many entries the records could give at most: a range's length each. */
static size_t port_bound(const struct registry *reg)
{
	size_t total = 0;

	for (size_t i = 0; i < reg->count; i++) {
		const char *p = reg->records[i].f[F_PORT];
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;

		if (*end == '-')
			hi = strtoul(end + 1, NULL, 10);
		total += lo <= hi && hi <= 65535 ? hi - lo + 1 : 1;
	}
	return total;
}

static void check_entries(const struct iana_index *idx, const struct services *svc)
{
	FUZZ_CHECK(iana_index_entry_count(idx) == svc->count, "%zu entries, %zu compiled",
	           iana_index_entry_count(idx), svc->count);
	for (size_t i = 0; i < svc->count; i++) {
		const struct service_entry *s = &svc->entries[i];
		struct iana_entry e;
		const char *a;

		FUZZ_CHECK(iana_index_entry(idx, i, &e) == 0, "entry %zu", i);
		CHECK_STR(e.name, s->name, "name of entry", i);
		CHECK_STR(e.proto, svc->protos[s->proto - 1], "protocol of entry", i);
		FUZZ_CHECK(e.port == s->port, "entry %zu: port %u, compiled %u", i, e.port, s->port);
		FUZZ_CHECK(e.alias_count == s->alias_count, "entry %zu: %u aliases, compiled %zu",
		           i, e.alias_count, s->alias_count);
		a = e.aliases;
		for (size_t k = 0; k < s->alias_count; k++, a += strlen(a) + 1)
			CHECK_STR(a, s->aliases[k], "alias of entry", i);
	}
}

static void check_records(const struct iana_index *idx, const struct registry *reg,
                          const struct services *svc)
{
	FUZZ_CHECK(iana_index_record_count(idx) == reg->count, "%zu records, %zu read",
	           iana_index_record_count(idx), reg->count);
	for (size_t i = 0; i < reg->count; i++) {
		const struct registry_record *r = &reg->records[i];
		const struct service_record *sr = &svc->records[i];
		struct iana_record x;

		FUZZ_CHECK(iana_index_record(idx, i, &x) == 0, "record %zu", i);
		CHECK_STR(x.name, r->f[F_NAME], "name of record", i);
		CHECK_STR(x.proto, r->f[F_PROTO], "protocol of record", i);
		CHECK_STR(x.description, r->f[F_DESCRIPTION], "description of record", i);
		CHECK_STR(x.assignee, r->f[F_ASSIGNEE], "assignee of record", i);
		CHECK_STR(x.contact, r->f[F_CONTACT], "contact of record", i);
		CHECK_STR(x.registered, r->f[F_REGISTERED], "registration date of record", i);
		CHECK_STR(x.modified, r->f[F_MODIFIED], "modification date of record", i);
		CHECK_STR(x.reference, r->f[F_REFERENCE], "reference of record", i);
		CHECK_STR(x.service_code, r->f[F_SERVICE_CODE], "service code of record", i);
		CHECK_STR(x.unauthorized, r->f[F_UNAUTHORIZED], "unauthorized use of record", i);
		CHECK_STR(x.notes, r->f[F_NOTES], "notes of record", i);
		FUZZ_CHECK(x.flags == sr->flags, "record %zu: flags %u, compiled %u", i, x.flags,
		           sr->flags);
		FUZZ_CHECK(x.port_lo == sr->port_lo && x.port_hi == sr->port_hi,
		           "record %zu: ports %u-%u, compiled %u-%u", i, x.port_lo, x.port_hi,
		           sr->port_lo, sr->port_hi);
	}
}

/* Of two people with one ID, the index keeps the first. */
static void check_people(const struct iana_index *idx, const struct registry *reg)
{
	size_t n = reg->person_count < MAX_PEOPLE ? reg->person_count : MAX_PEOPLE;

	for (size_t i = 0; i < n; i++) {
		const struct registry_person *p = &reg->people[i], *first = p;
		struct iana_person x;

		if (!p->id[0])
			continue;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(reg->people[j].id, p->id) == 0) {
				first = &reg->people[j];
				break;
			}
		}
		FUZZ_CHECK(iana_index_person(idx, p->id, &x) == 0, "person \"%s\" not found", p->id);
		CHECK_STR(x.id, first->id, "id of person", i);
		CHECK_STR(x.name, first->name, "name of person", i);
		CHECK_STR(x.org, first->org, "org of person", i);
		CHECK_STR(x.uri, first->uri, "uri of person", i);
		CHECK_STR(x.updated, first->updated, "updated of person", i);
	}
}

static void check_meta(const struct iana_index *idx, const struct registry *reg)
{
	struct iana_meta m;

	FUZZ_CHECK(iana_index_meta(idx, &m) == 0, "meta");
	CHECK_STR(m.title, reg->title, "title", 0);
	CHECK_STR(m.updated, reg->updated, "updated", 0);
	CHECK_STR(m.sources, reg->sources, "sources", 0);
	CHECK_STR(m.tool_version, PACKAGE_VERSION, "tool version", 0);
}

/* 2: the entry is spelled exactly so; 1: so but for ASCII case; 0: neither. */
static int spelling(const struct service_entry *e, const char *name)
{
	int r = strcmp(e->name, name) == 0 ? 2 : strcasecmp(e->name, name) == 0;

	for (size_t k = 0; k < e->alias_count && r < 2; k++) {
		if (strcmp(e->aliases[k], name) == 0)
			r = 2;
		else if (strcasecmp(e->aliases[k], name) == 0)
			r = 1;
	}
	return r;
}

/* SPEC L1, with the exact spelling first where names differ only in case
 * (what glibc's files backend answers for it, L4): -1 when none. */
static long expect_name(const struct services *svc, const char *name, unsigned proto)
{
	long ci = -1;

	for (size_t i = 0; i < svc->count; i++) {
		const struct service_entry *e = &svc->entries[i];
		int s;

		if (proto != 0 && e->proto != proto)
			continue;
		s = spelling(e, name);
		if (s == 2)
			return (long)i;
		if (s == 1 && ci < 0)
			ci = (long)i;
	}
	return ci;
}

/* SPEC L2 */
static long expect_port(const struct services *svc, unsigned port, unsigned proto)
{
	for (size_t i = 0; i < svc->count; i++)
		if (svc->entries[i].port == port &&
		    (proto == 0 || svc->entries[i].proto == proto))
			return (long)i;
	return -1;
}

static void check_name(const struct iana_index *idx, const struct services *svc,
                       const char *name)
{
	for (unsigned p = 0; p <= svc->proto_count; p++) {
		long want = expect_name(svc, name, p);
		size_t got;
		int r = iana_index_find_name(idx, name, proto_of(svc, p), &got);

		FUZZ_CHECK(r == (want < 0 ? -ENOENT : 0) && (want < 0 || got == (size_t)want),
		           "find_name(\"%s\", %s) = %d, entry %zu; expected entry %ld",
		           name, str(proto_of(svc, p)), r, r ? (size_t)0 : got, want);
	}
}

static void check_port(const struct iana_index *idx, const struct services *svc,
                       unsigned port)
{
	for (unsigned p = 0; p <= svc->proto_count; p++) {
		long want = expect_port(svc, port, p);
		size_t got;
		int r = iana_index_find_port(idx, (int)htons((uint16_t)port), proto_of(svc, p),
		                             &got);

		FUZZ_CHECK(r == (want < 0 ? -ENOENT : 0) && (want < 0 || got == (size_t)want),
		           "find_port(%u, %s) = %d, entry %zu; expected entry %ld",
		           port, str(proto_of(svc, p)), r, r ? (size_t)0 : got, want);
	}
}

static void check_lookups(const struct iana_index *idx, const struct services *svc)
{
	size_t n = svc->count, probes = n <= MAX_ORACLE_ENTRIES ? MAX_PROBES : 4;
	char upper[256];

	for (size_t i = 0; i < n && i < probes; i++) {
		/* spread over the entries: the last ones collide most */
		const struct service_entry *e = &svc->entries[n <= probes ? i : i * n / probes];
		size_t len = strlen(e->name);

		check_name(idx, svc, e->name);
		if (e->alias_count)
			check_name(idx, svc, e->aliases[e->alias_count - 1]);
		if (len < sizeof(upper)) {
			for (size_t k = 0; k <= len; k++)
				upper[k] = (char)(e->name[k] >= 'a' && e->name[k] <= 'z' ?
				                  e->name[k] - 32 : e->name[k]);
			check_name(idx, svc, upper);
		}
		check_port(idx, svc, e->port);
	}
	check_name(idx, svc, "http");
	check_name(idx, svc, "no-such-service");
	check_port(idx, svc, 0);
	check_port(idx, svc, 65535);
}

/* The export, read back as a services(5) file, gives the same entries:
 * every line stands as written, nothing is skipped or merged. */
static void check_export(const struct iana_index *idx)
{
	struct registry back;
	struct services sb;
	struct diags d = { 0 };
	char *text = NULL;
	size_t len = 0;

	int protocols = iana_index_database(idx) == IANA_DATABASE_PROTOCOLS;

	/* a protocols index exports protocols(5) lines, which read back as
	 * local lines through protocols_build() */
	FUZZ_CHECK((protocols ? protocols_export(idx, &text, &len) :
	            services_export(idx, &text, &len)) == 0, "export");
	registry_init(&back);
	FUZZ_CHECK((protocols ? registry_parse_protocols(&back, text, len, "export", &d) :
	            registry_parse_services(&back, text, len, "export", &d)) == 0 && !d.errors,
	           "the export does not read back: %s", first_message(&d));
	FUZZ_CHECK((protocols ? protocols_build(&sb, &back, &d) :
	            services_build(&sb, &back, &d)) == 0, "building the export");
	FUZZ_CHECK(d.count == 0, "the export reads back with: %s", first_message(&d));
	check_entries(idx, &sb);
	services_free(&sb);
	registry_free(&back);
	diags_free(&d);
	free(text);
}

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void check_index(const struct registry *reg, const struct services *svc,
                        const uint8_t *input, size_t input_len)
{
	unsigned char *data = NULL, *map, *again = NULL;
	struct iana_index idx;
	size_t len = 0, len2 = 0;
	void *m;
	int r;

	r = index_build(reg, svc, NULL, 0, PACKAGE_VERSION, &data, &len);
	FUZZ_CHECK(r == 0, "index_build: %s", strerror(-r));
	/* exactly len bytes, aligned as a mapping is, so ASan sees any read
	 * past the end of the file */
	if (posix_memalign(&m, 16, len) != 0)
		abort();
	map = m;
	memcpy(map, data, len);
	memset(&idx, 0, sizeof(idx));
	FUZZ_CHECK(idx_validate(&idx, map, len) == 0, "the writer's index does not validate");
	r = iana_index_verify(&idx);
	FUZZ_CHECK(r == 0, "the writer's index does not verify: %s", strerror(-r));

	fuzz_exercise_index(&idx, NULL, 0);
	check_entries(&idx, svc);
	check_records(&idx, reg, svc);
	check_people(&idx, reg);
	check_meta(&idx, reg);
	check_lookups(&idx, svc);
	check_export(&idx);

	/* SPEC 5: the same inputs give the same bytes. A second build costs as
	 * much as the first, so one input in eight, chosen by its bytes. */
	if (fnv(input, input_len) % 8 == 0) {
		r = index_build(reg, svc, NULL, 0, PACKAGE_VERSION, &again, &len2);
		FUZZ_CHECK(r == 0 && len2 == len && memcmp(again, data, len) == 0,
		           "two builds from the same input differ");
		free(again);
	}
	free(map);
	free(data);
}

void fuzz_lines(struct fuzz_lines *l, const char *data, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n += data[i] == '\n';
	l->start = calloc(n, sizeof(*l->start));
	l->end = calloc(n, sizeof(*l->end));
	if (!l->start || !l->end)
		abort();
	l->count = 0;
	for (const char *p = data, *end = data + len;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		l->start[l->count] = p;
		l->end[l->count++] = nl ? nl : end;
		if (!nl)
			break;
		p = nl + 1;
	}
}

void fuzz_lines_free(struct fuzz_lines *l)
{
	free(l->start);
	free(l->end);
}

int fuzz_word(const char *p, const char *end, const char *seps, size_t k,
              const char **word, size_t *len)
{
	for (size_t i = 0;; i++) {
		while (p < end && memchr(seps, *p, strlen(seps)))
			p++;
		if (p == end)
			return 0;
		*word = p;
		while (p < end && !memchr(seps, *p, strlen(seps)))
			p++;
		*len = (size_t)(p - *word);
		if (i == k)
			return 1;
	}
}

/* Fill the stack below this frame with a pattern. A parser that reads a
 * local before writing it then reads the pattern, which makes a wild
 * pointer ASan stops at every time, where it would otherwise read what a
 * previous run happened to leave there: a crash that only reproduces in
 * sequence. noinline and volatile keep the compiler from dropping it. */
static __attribute__((noinline)) void poison_stack(void)
{
	volatile unsigned char junk[256 * 1024];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = 0xa5;
}

void fuzz_compile(fuzz_parser parse, fuzz_read_check check, const char *base,
                  size_t base_len, fuzz_parser base_parse, const uint8_t *data,
                  size_t size)
{
	struct registry reg;
	struct services svc;
	struct diags d = { 0 };
	size_t errors, first;
	char *text = malloc(size ? size : 1);
	int r;

	if (!text)
		abort();
	/* a copy exactly as long as the input, not NUL-terminated, as the
	 * tool hands the parsers a file's bytes */
	memcpy(text, data, size);
	registry_init(&reg);
	registry_detect(text, size);
	if (base) {
		r = base_parse(&reg, base, base_len, "base", &d);
		FUZZ_CHECK(r == 0 && !d.errors, "the built-in registry does not read: %s",
		           first_message(&d));
	}
	errors = d.errors;
	first = reg.count;
	poison_stack();
	r = parse(&reg, text, size, "fuzz", &d);
	FUZZ_CHECK(r == 0 || r == -EINVAL, "the parser returned %d", r);
	FUZZ_CHECK((r == -EINVAL) == (d.errors > errors),
	           "the parser returned %d with %zu new errors", r, d.errors - errors);
	check_diags(&d, "fuzz", text, size);
	/* a NUL byte ends a field early; the tool refuses such input before
	 * any parser sees it (registry_read_file) */
	if (check && !memchr(text, 0, size))
		check(&reg, first, text, size);

	/* Beyond the index's limits (SPEC 5: a name over 255 bytes, more
	 * than 64 aliases once merged, more than 255 protocols) the compiler
	 * refuses the input: -EINVAL, with an error naming a line, and no
	 * index. */
	if (r == 0 && port_bound(&reg) <= MAX_PORTS) {
		errors = d.errors;
		/* a Protocol Numbers registry builds as the tool builds it
		 * (src/tool/build.c), so fuzz-xml reaches protocols_build() */
		r = reg.database == IDX_DB_PROTOCOLS ? protocols_build(&svc, &reg, &d) :
		    services_build(&svc, &reg, &d);
		FUZZ_CHECK(r == 0 || r == -EINVAL, "build: %s", strerror(-r));
		FUZZ_CHECK((r == -EINVAL) == (d.errors > errors),
		           "the build returned %d with %zu new errors: %s", r,
		           d.errors - errors, first_message(&d));
		check_diags(&d, "fuzz", text, size);
		if (r == 0)
			check_index(&reg, &svc, data, size);
		services_free(&svc);
	}
	registry_free(&reg);
	diags_free(&d);
	free(text);
}
