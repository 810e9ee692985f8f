/* fuzz-protocols.c: registry_parse_protocols() on any bytes, then a small
 * Protocol Numbers registry after it (SPEC P3's `F REGISTRY`),
 * protocols_build(), the index, its lookups and its export.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the reader made of each line is checked against glibc_line(), a
 * transliteration of glibc 2.36's nss_readline and LINE_PARSER for
 * files-proto.c written apart from the reader; the index must answer every
 * name, alias and number of the input as glibc reading the input does, and
 * so must the export, read back the same way.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "index-write.h"
#include "services.h"

static const char registry[] =
	"<?xml version='1.0' encoding='UTF-8'?>\n"
	"<registry xmlns=\"http://www.iana.org/assignments\" id=\"protocol-numbers\">\n"
	"<title>Protocol Numbers</title><updated>2026-03-09</updated>\n"
	"<registry id=\"protocol-numbers-1\"><title>Assigned</title>\n"
	"<record><value>0</value><name>HOPOPT</name><description>IPv6 Hop-by-Hop"
	"</description><ipv6>Y</ipv6><xref type=\"rfc\" data=\"rfc8200\"/></record>\n"
	"<record><value>6</value><name>TCP</name><description>Transmission Control"
	"</description><xref type=\"rfc\" data=\"rfc9293\"/></record>\n"
	"<record><value>13</value><name>ARGUS (deprecated)</name></record>\n"
	"<record><value>50</value><name>ESP</name></record>\n"
	"<record><value>89</value><name>OSPFIGP</name></record>\n"
	"<record><value>124</value><name>ISIS over IPv4</name></record>\n"
	"<record><value>138</value><name>manet</name></record>\n"
	"<record><value>148-252</value><description>Unassigned</description></record>\n"
	"<record><value>255</value><name>Reserved</name></record>\n"
	"</registry></registry>\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct gline {
	const char *name;
	int number;
	const char **aliases;
	size_t alias_count;
	char *buf;
};

/* One line as fgets() gives it (with its newline, if any): 1 when glibc
 * answers it, and *g. */
static int glibc_line(char *buf, struct gline *g)
{
	char *p = buf, *line, *endp;
	unsigned long v;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if (p != buf)
		memmove(buf, p, strlen(p));     /* not the NUL: glibc's quirk */
	line = strpbrk(buf, "#\n");
	if (line)
		*line = '\0';
	line = buf;
	g->name = line;
	while (*line && !isspace((unsigned char)*line))
		line++;
	if (*line) {
		*line = '\0';
		do
			line++;
		while (isspace((unsigned char)*line));
	}
	v = strtoul(line, &endp, 10);
	if (endp == line || v > 0xffffffffu)
		return 0;
	if (isspace((unsigned char)*endp)) {
		do
			endp++;
		while (isspace((unsigned char)*endp));
	} else if (*endp) {
		return 0;
	}
	g->number = (int)(unsigned)v;
	g->alias_count = 0;
	g->aliases = calloc(strlen(endp) / 2 + 2, sizeof(*g->aliases));
	if (!g->aliases)
		abort();
	for (line = endp; *line;) {
		char *w = line;

		while (*line && !isspace((unsigned char)*line))
			line++;
		if (line > w)
			g->aliases[g->alias_count++] = w;
		if (*line)
			*line++ = '\0';
	}
	return 1;
}

struct gfile {
	struct gline *v;
	size_t count;
	unsigned long *line;     /* each entry's line number */
};

static void glibc_parse(const char *text, size_t len, struct gfile *f)
{
	const char *p = text, *end = text + len;
	unsigned long n = 0;

	f->count = 0;
	f->v = calloc(len / 2 + 2, sizeof(*f->v));
	f->line = calloc(len / 2 + 2, sizeof(*f->line));
	if (!f->v || !f->line)
		abort();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t k = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		char *buf = strndup(p, k);

		if (!buf)
			abort();
		n++;
		f->v[f->count].buf = buf;
		if (glibc_line(buf, &f->v[f->count]))
			f->line[f->count++] = n;
		else
			free(buf);
		p += k;
	}
}

static void gfile_free(struct gfile *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->v[i].buf);
		free(f->v[i].aliases);
	}
	free(f->v);
	free(f->line);
}

/* Whether entry e is line g, names, number and aliases in order. */
static int same(const struct iana_index *idx, size_t e, const struct gline *g)
{
	struct iana_entry x;
	const char *a;

	if (iana_index_entry(idx, e, &x) < 0 || strcmp(x.name, g->name) != 0 ||
	    (int)x.port != g->number || x.proto[0] || x.alias_count != g->alias_count)
		return 0;
	a = x.aliases;
	for (size_t k = 0; k < g->alias_count; k++, a += strlen(a) + 1)
		if (strcmp(a, g->aliases[k]) != 0)
			return 0;
	return 1;
}

static const struct gline *first_named(const struct gfile *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++) {
		if (strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
		for (size_t k = 0; k < f->v[i].alias_count; k++)
			if (strcmp(f->v[i].aliases[k], name) == 0)
				return &f->v[i];
	}
	return NULL;
}

static const struct gline *first_numbered(const struct gfile *f, int number)
{
	for (size_t i = 0; i < f->count; i++)
		if (f->v[i].number == number)
			return &f->v[i];
	return NULL;
}

/* Every key of f answered by idx as glibc reading f answers it. */
static void check_answers(const struct iana_index *idx, const struct gfile *f,
                          const char *what)
{
	size_t e;

	for (size_t i = 0; i < f->count; i++) {
		const struct gline *g = &f->v[i];

		for (size_t k = 0; k <= g->alias_count; k++) {
			const char *key = k ? g->aliases[k - 1] : g->name;

			FUZZ_CHECK(iana_index_find_name(idx, key, NULL, &e) == 0 &&
			           same(idx, e, first_named(f, key)),
			           "%s line %lu: \"%s\" is not answered as glibc does", what,
			           f->line[i], key);
		}
		FUZZ_CHECK(iana_index_find_port(idx, htons((uint16_t)g->number), NULL, &e) == 0 &&
		           same(idx, e, first_numbered(f, g->number)),
		           "%s line %lu: %d is not answered as glibc does", what, f->line[i],
		           g->number);
	}
}

/* The records read from the input are glibc's lines, one for one. */
static void check_read(const struct registry *reg, const struct gfile *f)
{
	FUZZ_CHECK(reg->count == f->count, "%zu records, glibc reads %zu lines", reg->count,
	           f->count);
	for (size_t i = 0; i < f->count; i++) {
		const struct registry_record *r = &reg->records[i];
		const struct gline *g = &f->v[i];
		char num[16];

		snprintf(num, sizeof(num), "%u", (unsigned)g->number);
		FUZZ_CHECK(r->local && r->line == f->line[i] && strcmp(r->f[F_NAME], g->name) == 0 &&
		           strcmp(r->f[F_PORT], num) == 0, "line %lu: read \"%s\" %s", r->line,
		           r->f[F_NAME], r->f[F_PORT]);
		FUZZ_CHECK(r->alias_count == g->alias_count, "line %lu: %zu aliases, glibc %zu",
		           r->line, r->alias_count, g->alias_count);
		for (size_t k = 0; k < g->alias_count; k++)
			FUZZ_CHECK(strcmp(r->aliases[k], g->aliases[k]) == 0, "line %lu: alias %zu",
			           r->line, k);
	}
}

static void check_index(const struct registry *reg, const struct services *svc,
                        const struct gfile *f)
{
	unsigned char *bytes;
	void *m;
	size_t len, tlen;
	struct iana_index idx;
	struct gfile back;
	char *text;
	int r = index_build(reg, svc, NULL, 0, "fuzz", &bytes, &len);

	FUZZ_CHECK(r == 0, "index_build: %s", strerror(-r));
	if (posix_memalign(&m, 16, len) != 0)
		abort();
	memcpy(m, bytes, len);
	memset(&idx, 0, sizeof(idx));
	FUZZ_CHECK(idx_validate(&idx, m, len) == 0, "the index does not validate");
	FUZZ_CHECK(iana_index_verify(&idx) == 0, "the index does not verify");
	FUZZ_CHECK(iana_index_entry_count(&idx) == svc->count, "entry count");
	fuzz_exercise_index(&idx, NULL, 0);
	check_answers(&idx, f, "index");

	/* the export, read by glibc, is the index entry for entry */
	FUZZ_CHECK(protocols_export(&idx, &text, &tlen) == 0, "protocols_export");
	glibc_parse(text, tlen, &back);
	FUZZ_CHECK(back.count == svc->count, "the export has %zu lines for %zu entries",
	           back.count, svc->count);
	for (size_t i = 0; i < back.count; i++)
		FUZZ_CHECK(same(&idx, i, &back.v[i]), "export line of entry %zu", i);
	check_answers(&idx, &back, "export");
	gfile_free(&back);
	free(text);
	free(m);
	free(bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct registry reg;
	struct services svc;
	struct diags d = { 0 };
	struct gfile f;
	const char *text = (const char *)data;
	int r;

	registry_init(&reg);
	r = registry_parse_protocols(&reg, text, size, "fuzz", &d);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOMEM, "parse: %d", r);
	FUZZ_CHECK((r == -EINVAL) == (d.errors > 0), "parse %d with %zu errors", r, d.errors);
	if (r == -EINVAL && !memchr(data, 0, size)) {
		/* the line refused is one glibc ignores */
		glibc_parse(text, size, &f);
		for (size_t i = 0; i < f.count; i++)
			FUZZ_CHECK(f.line[i] != d.v[0].line, "line %lu refused, glibc reads it: %s",
			           d.v[0].line, d.v[0].message);
		gfile_free(&f);
	}
	if (r == 0 && !memchr(data, 0, size)) {
		glibc_parse(text, size, &f);
		check_read(&reg, &f);
		r = registry_parse_xml(&reg, registry, sizeof(registry) - 1, "registry", &d);
		FUZZ_CHECK(r == 0 && reg.database == IDX_DB_PROTOCOLS, "the registry: %d", r);
		r = protocols_build(&svc, &reg, &d);
		FUZZ_CHECK(r == 0 || r == -EINVAL, "protocols_build: %s", strerror(-r));
		FUZZ_CHECK((r == -EINVAL) == (d.errors > 0), "build %d with %zu errors", r,
		           d.errors);
		if (r == 0)
			check_index(&reg, &svc, &f);
		services_free(&svc);
		gfile_free(&f);
	}
	registry_free(&reg);
	diags_free(&d);
	return 0;
}
