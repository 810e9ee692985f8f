/* test-protocols.c: the protocols database's compiler side (SPEC 9):
 * protocols(5) lines read as glibc reads them, the registry's records,
 * P1 and P3, the index, the export, and refusing two databases at once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The equivalence checks read protocols(5) text with glibc_parse() below,
 * a transliteration of glibc 2.36's nss_readline.c and files-parse.c
 * LINE_PARSER for files-proto.c, written apart from the compiler's reader
 * so that a mistake in one is not repeated in the other.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "index-format.h"
#include "index-write.h"
#include "iana-services.h"

/* ---- protocols(5) as glibc's files backend reads it ---- */

struct gline {
	char *name;
	int number;
	char **aliases;           /* NULL-terminated */
};

struct gfile {
	struct gline *v;
	size_t count;
};

/* One line of fgets(): buf holds it with its newline, if any. 0 when
 * glibc skips it, 1 with *out filled. */
static int glibc_line(char *buf, struct gline *out)
{
	char *p = buf, *line, *endp;
	unsigned long v;
	size_t n = 0;

	/* __nss_readline: skip leading white space, blank and '#' lines;
	 * memmove(buf, p, strlen(p)) leaves the old NUL where it was */
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if (p != buf)
		memmove(buf, p, strlen(p));
	/* LINE_PARSER: cut at '#' or newline */
	line = strpbrk(buf, "#\n");
	if (line)
		*line = '\0';
	line = buf;
	/* STRING_FIELD (p_name, isspace, 1) */
	out->name = line;
	while (*line && !isspace((unsigned char)*line))
		line++;
	if (*line) {
		*line = '\0';
		do
			line++;
		while (isspace((unsigned char)*line));
	}
	/* INT_FIELD (p_proto, isspace, 1, 10, ): Debian 12's glibc rejects a
	 * value past 32 bits (see registry_protocols.c) */
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
	out->number = (int)(unsigned)v;
	line = endp;
	/* TRAILING_LIST_PARSER: the words left */
	out->aliases = calloc(strlen(line) / 2 + 2, sizeof(char *));
	assert_non_null(out->aliases);
	while (*line) {
		char *w = line;

		while (*line && !isspace((unsigned char)*line))
			line++;
		if (line > w)
			out->aliases[n++] = w;
		if (*line)
			*line++ = '\0';
	}
	return 1;
}

static void glibc_parse(const char *text, struct gfile *f)
{
	const char *p = text;

	memset(f, 0, sizeof(*f));
	f->v = calloc(strlen(text) + 1, sizeof(*f->v));
	assert_non_null(f->v);
	while (*p) {
		size_t n = strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
		char *buf = strndup(p, n);

		assert_non_null(buf);
		if (glibc_line(buf, &f->v[f->count]))
			f->count++;
		else
			free(buf);
		p += n;
	}
}

static void gfile_free(struct gfile *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->v[i].name);     /* the line's buffer */
		free(f->v[i].aliases);
	}
	free(f->v);
}

static const struct gline *glibc_byname(const struct gfile *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++) {
		if (strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
		for (char **a = f->v[i].aliases; *a; a++)
			if (strcmp(*a, name) == 0)
				return &f->v[i];
	}
	return NULL;
}

static const struct gline *glibc_bynumber(const struct gfile *f, int number)
{
	for (size_t i = 0; i < f->count; i++)
		if (f->v[i].number == number)
			return &f->v[i];
	return NULL;
}

/* Whether entry e of idx is line g: name, number and aliases in order. */
static int same(const struct iana_index *idx, size_t e, const struct gline *g)
{
	struct iana_entry x;
	const char *a;
	unsigned k = 0;

	if (iana_index_entry(idx, e, &x) < 0 || strcmp(x.name, g->name) != 0 ||
	    (int)x.port != g->number || x.proto[0])
		return 0;
	a = x.aliases;
	for (; g->aliases[k]; k++, a += strlen(a) + 1)
		if (k >= x.alias_count || strcmp(a, g->aliases[k]) != 0)
			return 0;
	return k == x.alias_count;
}

/* Every name, alias and number of f answered by idx as glibc answers
 * from f; the number of keys checked. */
static size_t check_answers(const struct iana_index *idx, const struct gfile *f)
{
	size_t keys = 0, e;

	for (size_t i = 0; i < f->count; i++) {
		const struct gline *g = &f->v[i];

		for (size_t k = 0; k == 0 || g->aliases[k - 1]; k++) {
			const char *key = k ? g->aliases[k - 1] : g->name;

			if (iana_index_find_name(idx, key, NULL, &e) < 0)
				fail_msg("%s: not found", key);
			if (!same(idx, e, glibc_byname(f, key)))
				fail_msg("%s: entry %zu is not glibc's answer", key, e);
			keys++;
		}
		if (iana_index_find_port(idx, htons((uint16_t)g->number), NULL, &e) < 0)
			fail_msg("%d: not found", g->number);
		if (!same(idx, e, glibc_bynumber(f, g->number)))
			fail_msg("%d: entry %zu is not glibc's answer", g->number, e);
		keys++;
	}
	return keys;
}

static int has_name_case(const struct iana_entry *y, const char *name)
{
	const char *a = y->aliases;

	if (strcasecmp(y->name, name) == 0)
		return 1;
	for (unsigned k = 0; k < y->alias_count; k++, a += strlen(a) + 1)
		if (strcasecmp(a, name) == 0)
			return 1;
	return 0;
}

/* P3 on the entries that the registry added after the file's lines: none
 * has a keyword that an earlier entry of its number has, in any case. */
static void check_absorbed(const struct iana_index *idx, size_t lines)
{
	for (size_t i = lines; i < iana_index_entry_count(idx); i++) {
		struct iana_entry x, y;

		assert_int_equal(iana_index_entry(idx, i, &x), 0);
		for (size_t j = 0; j < i; j++) {
			assert_int_equal(iana_index_entry(idx, j, &y), 0);
			if (y.port == x.port && has_name_case(&y, x.name))
				fail_msg("%s %u: entry %zu has it already", x.name, x.port, j);
		}
	}
}

/* ---- building ---- */

static const char *registry_dir(void)
{
	const char *dir = getenv("REGISTRY_DIR");

	return dir && *dir ? dir : "../../shared/registry";
}

static char *data_path(const char *dir, const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, n;
	char buf[4096];

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		text = realloc(text, len + n + 1);
		assert_non_null(text);
		memcpy(text + len, buf, n);
		len += n;
	}
	fclose(f);
	if (text)
		text[len] = '\0';
	return text;
}

/* The index of the files read in order, opened; NULL and *err when the
 * inputs or the build are refused. */
static struct iana_index *compile(const char *const *paths, size_t n, int *err,
                                  struct diags *d)
{
	struct registry reg;
	struct services svc;
	unsigned char *data;
	size_t len;
	char path[] = "/tmp/nss-iana-proto-XXXXXX";
	struct iana_index *idx = NULL;
	int fd, r = 0;

	registry_init(&reg);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = registry_read_file(&reg, paths[i], FMT_AUTO, d);
	if (r == 0) {
		r = protocols_build(&svc, &reg, d);
		assert_int_equal(reg.database, IDX_DB_PROTOCOLS);
		if (r == 0) {
			assert_int_equal(index_build(&reg, &svc, NULL, 0, "test", &data, &len), 0);
			fd = mkstemp(path);
			assert_true(fd >= 0);
			close(fd);
			assert_int_equal(atomic_write(path, data, len, 0644), 0);
			free(data);
			assert_int_equal(iana_index_open(path, &idx), 0);
			unlink(path);
		}
		services_free(&svc);
	}
	registry_free(&reg);
	*err = r;
	return idx;
}

static char *temp_file(const char *text)
{
	char *path = strdup("/tmp/nss-iana-proto-in-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* The index of protocols(5) text and, when xml is not NULL, that registry
 * after it. */
static struct iana_index *compile_text(const char *text, const char *xml, int *err,
                                       struct diags *d)
{
	char *a = temp_file(text), *b = xml ? temp_file(xml) : NULL;
	const char *paths[] = { a, b };
	struct iana_index *idx = compile(paths, b ? 2 : 1, err, d);

	unlink(a);
	free(a);
	if (b)
		unlink(b);
	free(b);
	return idx;
}

#define XML_HEAD "<?xml version='1.0' encoding='UTF-8'?>\n" \
	"<registry xmlns=\"http://www.iana.org/assignments\" id=\"protocol-numbers\">\n" \
	"<title>Protocol Numbers</title><updated>2026-03-09</updated>\n" \
	"<registry id=\"protocol-numbers-1\"><title>Assigned Internet Protocol Numbers</title>\n" \
	"<xref type=\"rfc\" data=\"rfc5237\"/><note>not a record</note>\n"
#define XML_TAIL "</registry><people><person id=\"Jon_Postel\"><name>Jon Postel</name>" \
	"</person></people></registry>\n"
#define REC(v, n) "<record><value>" v "</value><name>" n "</name>" \
	"<description>about " n "</description><xref type=\"rfc\" data=\"rfc791\"/></record>\n"

static const char p1_xml[] = XML_HEAD
	REC("6", "TCP")
	REC("13", "ARGUS (deprecated)")
	REC("124", "ISIS over IPv4")
	REC("135", "Mobility  Header")
	REC("138", "manet")
	"<record><value>0</value><name>HOPOPT</name><description>IPv6 Hop-by-Hop Option"
	"</description><ipv6>Y</ipv6><xref type=\"rfc\" data=\"rfc8200\"/></record>\n"
	"<record date=\"1995-06\"><value>148-252</value><description>Unassigned</description>"
	"<xref type=\"person\" data=\"Jon_Postel\"/></record>\n"
	"<record><value>253</value><description>Use for experimentation and testing"
	"</description></record>\n"
	REC("255", "Reserved")
	REC("256", "BIG")
	REC("x", "WHAT")
	REC("7", "A#B")
	XML_TAIL;

/* ---- the tests ---- */

struct lines {
	struct registry reg;
	struct diags d;
	int r;
};

static void parse(struct lines *l, const char *text)
{
	memset(l, 0, sizeof(*l));
	registry_init(&l->reg);
	l->r = registry_parse_protocols(&l->reg, text, strlen(text), "p", &l->d);
}

static void parse_free(struct lines *l)
{
	registry_free(&l->reg);
	diags_free(&l->d);
}

/* The text's one line gives a record: name, number text, aliases. */
static void accepted(const char *text, const char *name, const char *number,
                     const char *aliases, const char *comment)
{
	struct lines l;
	char joined[256] = "";

	parse(&l, text);
	assert_int_equal(l.r, 0);
	assert_int_equal(l.reg.count, 1);
	assert_string_equal(l.reg.records[0].f[F_NAME], name);
	assert_string_equal(l.reg.records[0].f[F_PORT], number);
	assert_string_equal(l.reg.records[0].f[F_DESCRIPTION], comment);
	for (size_t i = 0; i < l.reg.records[0].alias_count; i++) {
		strcat(joined, i ? " " : "");
		strcat(joined, l.reg.records[0].aliases[i]);
	}
	assert_string_equal(joined, aliases);
	assert_true(l.reg.records[0].local);
	parse_free(&l);
}

/* glibc skips the line: the reader refuses it with its line number, and
 * the independent reading agrees that glibc skips it. */
static void refused(const char *line)
{
	struct lines l;
	char *text;
	struct gfile g;

	assert_true(asprintf(&text, "ok 1\n%s\n", line) > 0);
	parse(&l, text);
	assert_int_equal(l.r, -EINVAL);
	assert_int_equal(l.d.errors, 1);
	assert_int_equal(l.d.v[0].line, 2);
	glibc_parse(text, &g);
	assert_int_equal(g.count, 1);
	gfile_free(&g);
	parse_free(&l);
	free(text);
}

static void glibc_edge_cases(void **state)
{
	struct lines l;

	(void)state;
	accepted("tcp 6 TCP # transmission control\n", "tcp", "6", "TCP",
	         "transmission control");
	accepted("tcp\t6\tTCP\t\t# c", "tcp", "6", "TCP", "c");
	accepted("tcp 6#comment right after", "tcp", "6", "", "comment right after");
	accepted("tcp\v6\fTCP\rX\n", "tcp", "6", "TCP X", "");
	accepted("tcp 6 TCP\r\n", "tcp", "6", "TCP", "");
	accepted("tcp +6", "tcp", "6", "", "");
	accepted("tcp -0", "tcp", "0", "", "");
	accepted("tcp 006", "tcp", "6", "", "");       /* base 10: not octal */
	accepted("big 4294967295", "big", "4294967295", "", "");   /* (int) -1 */
	accepted("  lead 9\n", "lead", "9", "", "");
	/* the last line, no newline: glibc's memmove leaves "9" behind */
	accepted("  last 9", "last", "9", "9", "");
	accepted(" \tlast 80", "last", "8080", "", "");
	accepted("t\xc3\xa9st 7 \x01x", "t\xc3\xa9st", "7", "\x01x", "");

	refused("tc#p 6");              /* '#' cuts the name's line */
	refused("tcp 6x");
	refused("tcp 0x6");             /* base 10 reads 0, then 'x' */
	refused("tcp 4294967296");      /* past 32 bits */
	refused("tcp 4294967302");
	refused("tcp -1");              /* ULONG_MAX, past 32 bits */
	refused("tcp");
	refused("tcp # 6");
	refused("  6 lead");            /* the name is "6", "lead" no number */

	parse(&l, "# only a comment\n\n   \n\t# indented comment\n");
	assert_int_equal(l.r, 0);
	assert_int_equal(l.reg.count, 0);
	assert_int_equal(l.reg.database, IDX_DB_PROTOCOLS);
	parse_free(&l);
}

/* What glibc answers but the index cannot hold is refused: exit 2. */
static void beyond_the_index(void **state)
{
	static const char *const lines[] = {
		"big 65536", "big 4294967295", "ctl\x01 1", "del\x7f 1",
	};
	char name[300], aliases[65 * 4 + 16];
	struct diags d = { 0 };
	int err;

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char *text;

		assert_true(asprintf(&text, "ok 1 OK\n%s\n", lines[i]) > 0);
		assert_null(compile_text(text, NULL, &err, &d));
		assert_int_equal(err, -EINVAL);
		assert_int_equal(d.v[d.count - 1].line, 2);
		free(text);
	}
	assert_non_null(strstr(d.v[0].message, "past 65535"));
	memset(name, 'n', 256);
	strcpy(name + 256, " 1 # c\n");
	assert_null(compile_text(name, NULL, &err, &d));
	assert_int_equal(err, -EINVAL);
	strcpy(aliases, "many 1 # c\nmany 1");
	for (int i = 0; i < 65; i++)
		sprintf(aliases + strlen(aliases), " a%d", i);
	assert_null(compile_text(aliases, NULL, &err, &d));
	assert_int_equal(err, -EINVAL);
	diags_free(&d);
}

static void expect_entry(const struct iana_index *idx, const char *key, const char *name,
                         unsigned number, const char *alias)
{
	struct iana_entry x;
	size_t e;

	if (iana_index_find_name(idx, key, NULL, &e) < 0)
		fail_msg("%s: not found", key);
	assert_int_equal(iana_index_entry(idx, e, &x), 0);
	assert_string_equal(x.name, name);
	assert_int_equal(x.port, number);
	assert_string_equal(x.proto, "");
	assert_int_equal(x.alias_count, alias ? 1 : 0);
	if (alias)
		assert_string_equal(x.aliases, alias);
}

static void p1_registry(void **state)
{
	struct registry reg;
	struct services svc;
	struct diags d = { 0 };
	struct iana_index *idx;
	struct iana_record rec;
	size_t e;
	int err;

	(void)state;
	assert_int_equal(fixture_parse(&reg, p1_xml, FMT_XML, &d), 0);
	assert_int_equal(reg.database, IDX_DB_PROTOCOLS);
	assert_string_equal(reg.title, "Protocol Numbers");
	assert_string_equal(reg.updated, "2026-03-09");
	assert_int_equal(reg.count, 12);
	assert_string_equal(reg.records[0].f[F_PORT], "6");
	assert_string_equal(reg.records[0].f[F_REFERENCE], "[RFC791]");
	assert_string_equal(reg.records[5].f[F_IPV6], "Y");
	assert_string_equal(reg.records[6].f[F_CONTACT], "[Jon_Postel]");
	assert_int_equal(protocols_build(&svc, &reg, &d), 0);
	assert_int_equal(svc.database, IDX_DB_PROTOCOLS);
	assert_int_equal(svc.proto_count, 1);
	assert_string_equal(svc.protos[0], "");
	assert_int_equal(svc.count, 6);
	assert_int_equal(svc.skipped[SKIP_UNNAMED], 3);
	assert_int_equal(svc.skipped[SKIP_BAD_PORT], 2);
	assert_int_equal(svc.skipped[SKIP_BAD_NAME], 1);
	assert_int_equal(svc.records[6].flags, IANA_RECORD_HAS_PORT);
	assert_int_equal(svc.records[6].port_lo, 148);
	assert_int_equal(svc.records[6].port_hi, 252);
	assert_int_equal(svc.records[5].flags, IANA_RECORD_HAS_PORT | IANA_RECORD_IPV6);
	assert_int_equal(svc.records[10].flags, 0);          /* value "x" */
	services_free(&svc);
	registry_free(&reg);

	idx = compile_text(p1_xml, NULL, &err, &d);
	assert_non_null(idx);
	assert_int_equal(iana_index_database(idx), IANA_DATABASE_PROTOCOLS);
	expect_entry(idx, "tcp", "tcp", 6, "TCP");
	expect_entry(idx, "TCP", "tcp", 6, "TCP");
	expect_entry(idx, "Tcp", "tcp", 6, "TCP");
	expect_entry(idx, "argus", "argus", 13, "ARGUS");
	expect_entry(idx, "isis-over-ipv4", "isis-over-ipv4", 124, "ISIS-over-IPv4");
	expect_entry(idx, "mobility-header", "mobility-header", 135, "Mobility-Header");
	expect_entry(idx, "manet", "manet", 138, NULL);
	expect_entry(idx, "hopopt", "hopopt", 0, "HOPOPT");
	assert_int_equal(iana_index_find_name(idx, "reserved", NULL, &e), -ENOENT);
	assert_int_equal(iana_index_find_port(idx, htons(255), NULL, &e), -ENOENT);
	assert_int_equal(iana_index_find_port(idx, htons(200), NULL, &e), -ENOENT);
	assert_int_equal(iana_index_find_port(idx, htons(6), NULL, &e), 0);
	assert_int_equal(iana_index_find_port(idx, htons(6), "tcp", &e), -ENOENT);
	assert_int_equal(iana_index_record(idx, 6, &rec), 0);
	assert_int_equal(rec.port_lo, 148);
	iana_index_close(idx);
	diags_free(&d);
}

/* P3: a registry keyword an earlier entry of the same number has, in any
 * case, adds nothing; any other keyword is an entry after the lines. */
static void p3_absorption(void **state)
{
	static const char local[] =
		"ospf 89 OSPFIGP\n"
		"esp 50 IPSEC-ESP\n"
		"isis 124 ISIS\n"
		"tcp 7 TCP\n"            /* the registry's TCP is 6: not the same */
		"Ospf 89 again\n";       /* a line repeated is its own entry */
	static const char xml[] = XML_HEAD REC("89", "OSPFIGP") REC("50", "ESP")
		REC("124", "ISIS over IPv4") REC("6", "TCP") REC("89", "ospf") XML_TAIL;
	struct diags d = { 0 };
	struct iana_index *idx;
	struct iana_entry x;
	size_t e;
	int err;

	(void)state;
	idx = compile_text(local, xml, &err, &d);
	assert_non_null(idx);
	assert_int_equal(iana_index_entry_count(idx), 7);
	expect_entry(idx, "OSPFIGP", "ospf", 89, "OSPFIGP");
	expect_entry(idx, "ospfigp", "ospf", 89, "OSPFIGP");
	expect_entry(idx, "ESP", "esp", 50, "IPSEC-ESP");
	expect_entry(idx, "isis", "isis", 124, "ISIS");
	expect_entry(idx, "ISIS-over-IPv4", "isis-over-ipv4", 124, "ISIS-over-IPv4");
	expect_entry(idx, "Ospf", "Ospf", 89, "again");
	assert_int_equal(iana_index_find_port(idx, htons(6), NULL, &e), 0);
	assert_int_equal(iana_index_entry(idx, e, &x), 0);
	assert_string_equal(x.name, "tcp");
	assert_int_equal(iana_index_find_port(idx, htons(89), NULL, &e), 0);
	assert_int_equal(e, 0);
	/* entry order: the lines, then what the registry adds */
	assert_int_equal(iana_index_entry(idx, 5, &x), 0);
	assert_string_equal(x.name, "isis-over-ipv4");
	assert_int_equal(iana_index_entry(idx, 6, &x), 0);
	assert_string_equal(x.name, "tcp");
	assert_int_equal(x.port, 6);
	iana_index_close(idx);
	diags_free(&d);
}

static char *registry_xml(const char *name)
{
	char *path = data_path(registry_dir(), name);

	if (access(path, R_OK) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

/* P3/R9: netbase's /etc/protocols then the registry answers every key of
 * the file as glibc's files backend does, and so does the export. */
static void netbase_and_registry(void **state)
{
	char *netbase = data_path(getenv("top_srcdir") ? getenv("top_srcdir") : "..",
	                          "tests/data/netbase-protocols");
	char *xml = registry_xml("protocol-numbers.2026-03-09.xml"), *text, *out;
	const char *paths[2] = { netbase, xml };
	struct diags d = { 0 };
	struct iana_index *idx, *back;
	struct gfile g, ge;
	size_t len, keys;
	int err;

	(void)state;
	if (!xml) {
		free(netbase);
		skip();
	}
	text = slurp(netbase);
	assert_non_null(text);
	glibc_parse(text, &g);
	assert_true(g.count > 50);
	idx = compile(paths, 2, &err, &d);
	assert_non_null(idx);
	keys = check_answers(idx, &g);
	check_absorbed(idx, g.count);
	print_message("# netbase: %zu lines, %zu keys answered as glibc does\n", g.count,
	              keys);

	/* the export, read by glibc, answers every key of the index as the
	 * index does, and every key of netbase's file as that file does */
	assert_int_equal(protocols_export(idx, &out, &len), 0);
	glibc_parse(out, &ge);
	assert_int_equal(ge.count, iana_index_entry_count(idx));
	for (size_t i = 0; i < ge.count; i++)
		assert_true(same(idx, i, &ge.v[i]));
	check_answers(idx, &ge);
	paths[0] = temp_file(out);
	back = compile(paths, 1, &err, &d);
	assert_non_null(back);
	check_answers(back, &g);
	assert_int_equal(iana_index_entry_count(back), iana_index_entry_count(idx));
	assert_non_null(strstr(out, "\nmanet\t138\t\t# MANET Protocols [RFC5498]\n"));
	assert_non_null(strstr(out, "\nisis-over-ipv4\t124\tISIS-over-IPv4\n"));
	assert_non_null(strstr(out, "# /etc/protocols: Protocol Numbers\n"));
	unlink(paths[0]);
	free((char *)paths[0]);
	iana_index_close(back);
	gfile_free(&ge);
	free(out);
	iana_index_close(idx);
	gfile_free(&g);
	free(text);
	free(netbase);
	free(xml);
	diags_free(&d);
}

/* Both registries, either date, compile alone. */
static void registries_alone(void **state)
{
	static const char *const names[] = {
		"protocol-numbers.2023-03-16.xml", "protocol-numbers.2026-03-09.xml",
	};
	struct diags d = { 0 };
	int err;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char *xml = registry_xml(names[i]);
		const char *paths[] = { xml };
		struct iana_index *idx;

		if (!xml)
			skip();
		idx = compile(paths, 1, &err, &d);
		assert_non_null(idx);
		expect_entry(idx, "tcp", "tcp", 6, "TCP");
		expect_entry(idx, "isis-over-ipv4", "isis-over-ipv4", 124, "ISIS-over-IPv4");
		iana_index_close(idx);
		free(xml);
	}
	assert_int_equal(d.errors, 0);
	diags_free(&d);
}

static void detection(void **state)
{
	static const char services_xml[] = "<?xml version='1.0'?>\n"
		"<registry xmlns=\"http://www.iana.org/assignments\" "
		"id=\"service-names-port-numbers\"><title>S</title>"
		"<record><name>http</name><protocol>tcp</protocol><number>80</number>"
		"</record></registry>\n";
	char *svc = temp_file("http 80/tcp www\n"), *proto = temp_file("tcp 6 TCP\n");
	char *either = temp_file("# local\nfoo 250\nbar 251#c\n");
	char *pxml = temp_file(p1_xml), *sxml = temp_file(services_xml);
	struct registry reg;
	struct diags d = { 0 };

	(void)state;
	assert_int_equal(registry_detect("ip 0 IP # x\n", 12), FMT_PROTOCOLS);
	assert_int_equal(registry_detect("ip\t0\tIP\n", 8), FMT_PROTOCOLS);
	assert_int_equal(registry_detect("manet 138 # c\n", 14), FMT_PROTOCOLS);
	assert_int_equal(registry_detect("http 80/tcp\n", 12), FMT_SERVICES);
	assert_int_equal(registry_detect("first 80\nsecond 2/tcp\n", 22), FMT_SERVICES);
	assert_int_equal(registry_detect("first 80\nsecond 2 b\n", 20), FMT_PROTOCOLS);
	assert_int_equal(registry_detect("first 010\n", 10), FMT_SERVICES);

	/* mixed databases are refused, whichever comes first */
	registry_init(&reg);
	assert_int_equal(registry_read_file(&reg, svc, FMT_AUTO, &d), 0);
	assert_int_equal(registry_read_file(&reg, proto, FMT_AUTO, &d), -EINVAL);
	assert_non_null(strstr(d.v[d.count - 1].message, "compile one database at a time"));
	assert_string_equal(d.v[d.count - 1].file, proto);
	registry_free(&reg);
	registry_init(&reg);
	assert_int_equal(registry_read_file(&reg, pxml, FMT_AUTO, &d), 0);
	assert_int_equal(registry_read_file(&reg, sxml, FMT_AUTO, &d), -EINVAL);
	registry_free(&reg);

	/* "name N" lines take the other inputs' database */
	registry_init(&reg);
	assert_int_equal(registry_read_file(&reg, either, FMT_AUTO, &d), 0);
	assert_int_equal(reg.database, 0);
	assert_int_equal(registry_read_file(&reg, pxml, FMT_AUTO, &d), 0);
	assert_int_equal(reg.database, IDX_DB_PROTOCOLS);
	registry_free(&reg);
	registry_init(&reg);
	assert_int_equal(registry_read_file(&reg, proto, FMT_AUTO, &d), 0);
	assert_int_equal(registry_read_file(&reg, either, FMT_AUTO, &d), 0);
	assert_int_equal(reg.database, IDX_DB_PROTOCOLS);
	assert_int_equal(reg.count, 3);
	registry_free(&reg);

	/* --format protocols-xml reads a document as protocols */
	registry_init(&reg);
	assert_int_equal(registry_read_file(&reg, pxml, FMT_PROTOCOLS_XML, &d), 0);
	assert_int_equal(reg.database, IDX_DB_PROTOCOLS);
	registry_free(&reg);
	for (char **p = (char *[]){ svc, proto, either, pxml, sxml, NULL }; *p; p++) {
		unlink(*p);
		free(*p);
	}
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(glibc_edge_cases),
		cmocka_unit_test(beyond_the_index),
		cmocka_unit_test(p1_registry),
		cmocka_unit_test(p3_absorption),
		cmocka_unit_test(netbase_and_registry),
		cmocka_unit_test(registries_alone),
		cmocka_unit_test(detection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
