/* fuzz-services.c: registry_parse_services() on any bytes, merged after a
 * small registry as an administrator's local file is (SPEC 2, R4), then
 * the compiler on the result.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The registry comes first so that the input's lines can add aliases to
 * its entries, repeat them in another case, or clash with its synonyms.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char registry[] =
	"Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
	"Registration Date,Modification Date,Reference,Service Code,"
	"Unauthorized Use Reported,Assignment Notes\n"
	",0,tcp,Reserved,[Jon_Postel],[Jon_Postel],,,,,,\n"
	"echo,7,tcp,Echo,[Jon_Postel],[Jon_Postel],,,,,,\n"
	"echo,7,udp,Echo,[Jon_Postel],[Jon_Postel],,,,,,\n"
	"ssh,22,tcp,The Secure Shell (SSH) Protocol,,,,,[RFC4251],,,\n"
	"whois,43,tcp,Who Is,[Jon_Postel],[Jon_Postel],,,,,,\n"
	"whoispp,63,tcp,whois++,[Rickard_Schoultz],[Rickard_Schoultz],,,,,,\n"
	"whois++,63,tcp,whois++,[Rickard_Schoultz],[Rickard_Schoultz],,,,,,"
	"\"This entry is an alias to \"\"whoispp\"\".\"\n"
	"http,80,tcp,World Wide Web HTTP,[IESG],[IETF_Chair],,2021-10-01,[RFC9110],,,\n"
	"www,80,tcp,World Wide Web HTTP,[IESG],[IETF_Chair],,2021-10-01,[RFC9110],,,"
	"\"This is a duplicate of the \"\"http\"\" service and should not be used "
	"for discovery purposes.\"\n"
	"http,80,sctp,HTTP,[Randall_Stewart],[Randall_Stewart],,2022-02-07,[RFC9260],,,\n"
	",81,,Unassigned,,,,,,,,\n"
	"x11,6000-6063,tcp,X Window System,[Stephen_Gildea],[Stephen_Gildea],,,,,"
	"Known Unauthorized Use on port 6003,\n"
	"neo4j,7474,tcp,Neo4j Graph Database,[Neo_Technology_Inc],[Julian_Simpson],"
	"2013-02-08,,,,,\n"
	"ndl-ahp-svc,,tcp,NDL-AHP-SVC,[John_Richmond_2],[Leslie_Mulder],,,,,,\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int word_is(const char *w, size_t len, const char *s)
{
	return len == strlen(s) && memcmp(w, s, len) == 0;
}

/* Whether the word w is "port/proto" as glibc's files backend reads it
 * (strtoul with base 0, cut to 16 bits; any slashes; a protocol, or none)
 * and the record says so. A value past 32 bits makes the line one that
 * Debian 12's glibc 2.36 ignores (registry_services.c): no record. */
static int port_word_is(const char *w, size_t n, const struct registry_record *r)
{
	char *copy = strndup(w, n), *end, num[16];
	unsigned long v;
	int same;

	if (!copy)
		return 0;
	v = strtoul(copy, &end, 0);
	snprintf(num, sizeof(num), "%lu", v & 0xffff);
	same = end != copy && v <= 0xffffffffu && (*end == '\0' || *end == '/') &&
	       strcmp(num, r->f[F_PORT]) == 0;
	while (*end == '/')
		end++;
	same &= strcmp(end, r->f[F_PROTO]) == 0;
	free(copy);
	return same;
}

#define SEPARATORS " \t\r\v\f"

/* name port/proto [aliases...] [# comment]: each record is its line's words
 * in order, its description the comment. */
static void check_read(const struct registry *reg, size_t first, const char *data,
                       size_t len)
{
	struct fuzz_lines l;

	fuzz_lines(&l, data, len);
	for (size_t i = first; i < reg->count; i++) {
		const struct registry_record *r = &reg->records[i];
		const char *s, *e, *hash, *w, *c;
		size_t n, k;

		FUZZ_CHECK(r->line >= 1 && r->line <= l.count, "record %zu at line %lu of %zu",
		           i, r->line, l.count);
		s = l.start[r->line - 1];
		e = l.end[r->line - 1];
		hash = memchr(s, '#', (size_t)(e - s));
		FUZZ_CHECK(fuzz_word(s, hash ? hash : e, SEPARATORS, 0, &w, &n) &&
		           word_is(w, n, r->f[F_NAME]), "line %lu: name \"%s\"", r->line,
		           r->f[F_NAME]);
		FUZZ_CHECK(fuzz_word(s, hash ? hash : e, SEPARATORS, 1, &w, &n) &&
		           port_word_is(w, n, r),
		           "line %lu: port \"%s\", protocol \"%s\"", r->line, r->f[F_PORT],
		           r->f[F_PROTO]);
		for (k = 0; fuzz_word(s, hash ? hash : e, SEPARATORS, k + 2, &w, &n); k++)
			FUZZ_CHECK(k < r->alias_count && word_is(w, n, r->aliases[k]),
			           "line %lu: alias %zu", r->line, k);
		FUZZ_CHECK(k == r->alias_count, "line %lu: %zu aliases, read %zu", r->line, k,
		           r->alias_count);
		c = hash ? hash + 1 : e;
		while (c < e && (*c == ' ' || *c == '\t'))
			c++;
		FUZZ_CHECK(word_is(c, (size_t)(e - c), r->f[F_DESCRIPTION]),
		           "line %lu: description \"%s\"", r->line, r->f[F_DESCRIPTION]);
	}
	fuzz_lines_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_compile(registry_parse_services, check_read, registry, strlen(registry),
	             registry_parse_csv, data, size);
	return 0;
}
