/* test-xml.c: the XML reader (IANA's service-names-port-numbers.xml).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "iana-services.h"

#define HEAD "<?xml version='1.0' encoding='UTF-8'?>\n"
#define OPEN "<registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n"

/* Records as the real file has them; the comments give the line numbers. */
static const char sample[] = HEAD OPEN                                   /* 1-2 */
	"  <title>Service Name and Transport Protocol Port Number Registry</title>\n"
	"  <updated>2024-03-18</updated>\n"
	"  <record>\n"                                                      /* 5 */
	"    <protocol>tcp</protocol>\n"
	"    <xref type=\"person\" data=\"Jon_Postel\"/>\n"
	"    <description>Reserved</description>\n"
	"    <number>0</number>\n"
	"  </record>\n"
	"  <record updated=\"2021-10-01\">\n"                               /* 11 */
	"    <name>http</name>\n"
	"    <protocol>tcp</protocol>\n"
	"    <assignee>\n"
	"      <xref type=\"person\" data=\"IESG\"/>\n"
	"    </assignee>\n"
	"    <description>World Wide Web HTTP</description>\n"
	"    <number>80</number>\n"
	"    <xref type=\"person\" data=\"IETF_Chair\"/>\n"
	"    <xref type=\"rfc\" data=\"rfc9110\"/>\n"
	"    <note>Defined TXT keys: u=&lt;username&gt; p=&lt;password&gt;</note>\n"
	"  </record>\n"
	"  <record>\n"                                                      /* 23 */
	"    <name>www-http</name>\n"
	"    <protocol>tcp</protocol>\n"
	"    <xref type=\"person\" data=\"Tim_Berners_Lee\"/>\n"
	"    <description>World Wide Web HTTP</description>\n"
	"    <number>80</number>\n"
	"    <note>This is a duplicate of the \"http\" service and should not be used for discovery purposes.\n"
	"      u=&lt;username&gt; p=&lt;password&gt;\n"
	"        Known Subtypes: _printer\n"
	"    </note>\n"
	"  </record>\n"
	"  <record date=\"1988-01\">\n"                                     /* 34 */
	"    <name>x11</name>\n"
	"    <protocol>tcp</protocol>\n"
	"    <description>X Window System</description>\n"
	"    <number>6000-6063</number>\n"
	"    <xref type=\"person\" data=\"Stephen_Gildea\"/>\n"
	"  </record>\n"
	"  <record date=\"2011-03-14\">\n"                                  /* 41 */
	"    <name>adisk</name>\n"
	"    <protocol>tcp</protocol>\n"
	"    <description>Automatic Disk Discovery</description>\n"
	"  </record>\n"
	"  <record>\n"                                                      /* 46 */
	"    <name>noproto</name>\n"
	"    <number>4000</number>\n"
	"  </record>\n"
	"  <record>\n"                                                      /* 50 */
	"    <description>Reserved</description>\n"
	"    <number>1011-1020</number>\n"
	"  </record>\n"
	"  <people>\n"
	"    <person id=\"Jon_Postel\">\n"                                  /* 55 */
	"      <name>Jon Postel</name>\n"
	"      <uri>mailto:postel&amp;isi.edu</uri>\n"
	"      <updated>1998-10</updated>\n"
	"    </person>\n"
	"    <person id=\"IESG\">\n"
	"      <org>IESG</org>\n"
	"      <uri>mailto:iesg&amp;ietf.org</uri>\n"
	"    </person>\n"
	"  </people>\n"
	"</registry>\n";

struct parsed {
	struct registry reg;
	struct diags d;
};

static struct parsed *parse_ok(const char *xml)
{
	struct parsed *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	assert_int_equal(fixture_parse(&p->reg, xml, FMT_XML, &p->d), 0);
	assert_int_equal(p->d.count, 0);
	return p;
}

static void parsed_free(struct parsed *p)
{
	registry_free(&p->reg);
	diags_free(&p->d);
	free(p);
}

static void records(void **state)
{
	struct parsed *p = parse_ok(sample);
	const struct registry_record *r = p->reg.records;

	(void)state;
	assert_int_equal(p->reg.count, 7);
	assert_int_equal(registry_detect(sample, sizeof(sample) - 1), FMT_XML);

	/* old records name one person directly: assignee and contact */
	assert_string_equal(r[0].f[F_NAME], "");
	assert_string_equal(r[0].f[F_PORT], "0");
	assert_string_equal(r[0].f[F_PROTO], "tcp");
	assert_string_equal(r[0].f[F_DESCRIPTION], "Reserved");
	assert_string_equal(r[0].f[F_ASSIGNEE], "[Jon_Postel]");
	assert_string_equal(r[0].f[F_CONTACT], "[Jon_Postel]");
	assert_int_equal(r[0].line, 5);

	assert_string_equal(r[1].f[F_NAME], "http");
	assert_string_equal(r[1].f[F_PORT], "80");
	assert_string_equal(r[1].f[F_ASSIGNEE], "[IESG]");
	assert_string_equal(r[1].f[F_CONTACT], "[IETF_Chair]");
	assert_string_equal(r[1].f[F_REFERENCE], "[RFC9110]");
	assert_string_equal(r[1].f[F_REGISTERED], "");
	assert_string_equal(r[1].f[F_MODIFIED], "2021-10-01");
	assert_string_equal(r[1].f[F_NOTES], "Defined TXT keys: u=<username> p=<password>");
	assert_int_equal(r[1].line, 11);

	/* inner line breaks and indentation stay; the ends are trimmed */
	assert_string_equal(r[2].f[F_NOTES],
	                    "This is a duplicate of the \"http\" service and should not be "
	                    "used for discovery purposes.\n"
	                    "      u=<username> p=<password>\n"
	                    "        Known Subtypes: _printer");

	assert_string_equal(r[3].f[F_PORT], "6000-6063");
	assert_string_equal(r[3].f[F_REGISTERED], "1988-01");
	assert_int_equal(r[3].line, 34);
	assert_string_equal(r[4].f[F_PORT], "");
	assert_string_equal(r[5].f[F_PROTO], "");
	assert_string_equal(r[6].f[F_NAME], "");
	assert_string_equal(r[6].f[F_PORT], "1011-1020");
	assert_int_equal(r[6].line, 50);
	parsed_free(p);
}

/* What the records above yield, by the same rules as the CSV's. */
static void entries(void **state)
{
	struct parsed *p = parse_ok(sample);
	struct services svc;

	(void)state;
	assert_int_equal(services_build(&svc, &p->reg, &p->d), 0);
	assert_int_equal(svc.count, 1 + 64);
	assert_string_equal(svc.entries[0].name, "http");
	assert_int_equal(svc.entries[0].port, 80);
	assert_int_equal(svc.entries[0].alias_count, 1);
	assert_string_equal(svc.entries[0].aliases[0], "www-http");
	assert_string_equal(svc.entries[1].name, "x11");
	assert_int_equal(svc.entries[1].port, 6000);
	assert_int_equal(svc.entries[64].port, 6063);
	assert_int_equal(svc.skipped[SKIP_UNNAMED], 2);
	assert_int_equal(svc.skipped[SKIP_NO_PORT], 1);
	assert_int_equal(svc.skipped[SKIP_NO_PROTO], 1);
	services_free(&svc);
	parsed_free(p);
}

static void people_and_metadata(void **state)
{
	struct parsed *p = parse_ok(sample);
	const struct registry_person *v = p->reg.people;

	(void)state;
	assert_string_equal(p->reg.title, "Service Name and Transport Protocol Port Number Registry");
	/* the registry's date, not the last person's */
	assert_string_equal(p->reg.updated, "2024-03-18");
	assert_int_equal(p->reg.person_count, 2);
	assert_string_equal(v[0].id, "Jon_Postel");
	assert_string_equal(v[0].name, "Jon Postel");
	assert_string_equal(v[0].org, "");
	assert_string_equal(v[0].uri, "mailto:postel&isi.edu");
	assert_string_equal(v[0].updated, "1998-10");
	assert_string_equal(v[1].id, "IESG");
	assert_string_equal(v[1].org, "IESG");
	assert_string_equal(v[1].updated, "");
	parsed_free(p);
}

/* Through the index: a record's assignee leads to the person. */
static void people_resolve(void **state)
{
	char *path = fixture_index(sample, FMT_XML);
	struct iana_index *idx;
	struct iana_record rec;
	struct iana_person person;
	struct iana_meta meta;
	char id[64];

	(void)state;
	assert_int_equal(iana_index_open(path, &idx), 0);
	assert_int_equal(iana_index_record(idx, 1, &rec), 0);
	assert_string_equal(rec.name, "http");
	assert_string_equal(rec.assignee, "[IESG]");
	assert_int_equal(iana_index_record(idx, 0, &rec), 0);
	assert_int_equal(sscanf(rec.assignee, "[%63[^]]]", id), 1);
	assert_int_equal(iana_index_person(idx, id, &person), 0);
	assert_string_equal(person.name, "Jon Postel");
	assert_string_equal(person.uri, "mailto:postel&isi.edu");
	assert_int_equal(iana_index_person(idx, "Nobody", &person), -ENOENT);
	assert_int_equal(iana_index_meta(idx, &meta), 0);
	assert_string_equal(meta.updated, "2024-03-18");
	iana_index_close(idx);
	fixture_remove(path);
}

/* Every kind of xref, <br/>, <sc> and <unauthorized>, written as the CSV
 * has them. */
static void references_and_markup(void **state)
{
	static const char xml[] = HEAD OPEN
		"<record date=\"2023-02-17\" updated=\"2024-01-12\">\n"
		"  <name>rift-lies</name>\n"
		"  <protocol>udp</protocol>\n"
		"  <assignee><xref type=\"person\" data=\"RIFT_WG\"/></assignee>\n"
		"  <xref type=\"person\" data=\"Jordan_Head\"/>\n"
		"  <xref type=\"person\" data=\"Tony_Przygienda\"/>\n"
		"  <xref type=\"note\" data=\"1\"/>\n"
		"  <xref type=\"draft\" data=\"draft-ietf-rift-rift-16\"/>\n"
		"  <xref type=\"uri\" data=\"https://example.org/TR-352.pdf\">TR-352</xref>\n"
		"  <xref type=\"text\">n/a</xref>\n"
		"  <xref type=\"rfc\" data=\"rfc8765\">RFC8765, Section 6.1</xref>\n"
		"  <xref type=\"uri\" data=\"https://example.org/a\"/>\n"
		"  <description>Routing in Fat Trees<br/><br/>\n"
		"IANA assigned this.</description>\n"
		"  <number>914</number>\n"
		"  <sc>1145656131</sc>\n"
		"  <unauthorized>Known Unauthorized Use on 914</unauthorized>\n"
		"  <note>See <xref type=\"rfc\" data=\"rfc6614\"/>, Appendix A.\n"
		"    <paragraph>One.</paragraph>\n"
		"    <paragraph>Two.</paragraph>\n"
		"  </note>\n"
		"</record>\n"
		"<record>\n"
		"  <name>both</name>\n"
		"  <assignee><xref type=\"person\" data=\"A\"/></assignee>\n"
		"  <contact><xref type=\"person\" data=\"C\"/></contact>\n"
		"  <description><br/>Starts with a break</description>\n"
		"</record>\n"
		"</registry>\n";
	struct parsed *p = parse_ok(xml);
	const struct registry_record *r = p->reg.records;

	(void)state;
	assert_int_equal(p->reg.count, 2);
	assert_string_equal(r[0].f[F_ASSIGNEE], "[RIFT_WG]");
	assert_string_equal(r[0].f[F_CONTACT], "[Jordan_Head][Tony_Przygienda]");
	assert_string_equal(r[0].f[F_REFERENCE],
	                    "[1][draft-ietf-rift-rift-16][TR-352][n/a]"
	                    "[RFC8765, Section 6.1][https://example.org/a]");
	assert_string_equal(r[0].f[F_DESCRIPTION], "Routing in Fat Trees IANA assigned this.");
	assert_string_equal(r[0].f[F_REGISTERED], "2023-02-17");
	assert_string_equal(r[0].f[F_MODIFIED], "2024-01-12");
	assert_string_equal(r[0].f[F_SERVICE_CODE], "1145656131");
	assert_string_equal(r[0].f[F_UNAUTHORIZED], "Known Unauthorized Use on 914");
	assert_string_equal(r[0].f[F_NOTES], "See [RFC6614], Appendix A.\n"
	                    "    One.\n    Two.");
	assert_string_equal(r[1].f[F_ASSIGNEE], "[A]");
	assert_string_equal(r[1].f[F_CONTACT], "[C]");
	assert_string_equal(r[1].f[F_DESCRIPTION], "Starts with a break");
	parsed_free(p);
}

/* A prefix for the namespace, or none at all; other namespaces are not
 * the registry's. */
static void namespaces(void **state)
{
	static const char prefixed[] =
		"<iana:registry xmlns:iana=\"http://www.iana.org/assignments\">\n"
		"<iana:title>\n  IANA\r  registry\n</iana:title>\n"
		"<iana:updated>2024-01-01</iana:updated>\n"
		"<iana:record><iana:name>echo</iana:name><iana:number>7</iana:number>"
		"<iana:protocol>tcp</iana:protocol>"
		"<x:name xmlns:x=\"urn:other\">not this</x:name></iana:record>\n"
		"</iana:registry>\n";
	static const char plain[] =
		"<registry><title/><record><name>echo</name><number>7</number>"
		"<description/><note>  </note></record></registry>";
	struct parsed *p = parse_ok(prefixed);

	(void)state;
	assert_string_equal(p->reg.updated, "2024-01-01");
	assert_string_equal(p->reg.title, "IANA registry");   /* one line */
	assert_int_equal(p->reg.count, 1);
	assert_string_equal(p->reg.records[0].f[F_NAME], "echo");
	assert_string_equal(p->reg.records[0].f[F_PROTO], "tcp");
	parsed_free(p);
	p = parse_ok(plain);
	assert_int_equal(p->reg.count, 1);
	assert_string_equal(p->reg.records[0].f[F_PORT], "7");
	assert_string_equal(p->reg.records[0].f[F_DESCRIPTION], "");
	assert_string_equal(p->reg.records[0].f[F_NOTES], "");
	assert_string_equal(p->reg.title, "");
	parsed_free(p);
}

static void crlf(void **state)
{
	static const char xml[] =
		"<?xml version='1.0' encoding='UTF-8'?>\r\n"
		"<registry xmlns=\"http://www.iana.org/assignments\">\r\n"
		"  <updated>2024-03-18</updated>\r\n"
		"  <record>\r\n"
		"    <name>www-http</name>\r\n"
		"    <number>80</number>\r\n"
		"    <protocol>tcp</protocol>\r\n"
		"    <note>first line\r\n"
		"      second line</note>\r\n"
		"  </record>\r\n"
		"  <record>\r\n"
		"    <name>echo</name>\r\n"
		"  </record>\r\n"
		"</registry>\r\n";
	struct parsed *p = parse_ok(xml);

	(void)state;
	assert_string_equal(p->reg.updated, "2024-03-18");
	assert_int_equal(p->reg.count, 2);
	assert_string_equal(p->reg.records[0].f[F_PROTO], "tcp");
	assert_string_equal(p->reg.records[0].f[F_NOTES], "first line\n      second line");
	assert_int_equal(p->reg.records[0].line, 4);
	assert_int_equal(p->reg.records[1].line, 11);
	parsed_free(p);
}

/* A malformed or hostile input gives one DIAG_ERROR naming the line. */
static void expect_error(const char *xml, size_t len, unsigned long line,
                         const char *message)
{
	struct registry reg;
	struct diags d = { 0 };

	registry_init(&reg);
	assert_int_equal(registry_parse_xml(&reg, xml, len, "test.xml", &d), -EINVAL);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.count, 1);
	assert_int_equal(d.v[0].kind, DIAG_ERROR);
	assert_string_equal(d.v[0].file, "test.xml");
	if (!strstr(d.v[0].message, message))
		fail_msg("\"%s\" does not say \"%s\"", d.v[0].message, message);
	assert_int_equal(d.v[0].line, line);
	registry_free(&reg);
	diags_free(&d);
}

#define EXPECT_ERROR(xml, line, message) expect_error(xml, sizeof(xml) - 1, line, message)

static void entities_refused(void **state)
{
	(void)state;
	EXPECT_ERROR("<?xml version=\"1.0\"?>\n"
	             "<!DOCTYPE registry [\n"
	             "  <!ENTITY who \"Jon Postel\">\n"
	             "]>\n"
	             "<registry><record><name>&who;</name></record></registry>\n",
	             3, "entity declarations are not allowed");
	/* XXE, by a general and by a parameter entity */
	EXPECT_ERROR("<!DOCTYPE registry [\n"
	             "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
	             "]>\n"
	             "<registry><record><name>&xxe;</name></record></registry>\n",
	             2, "entity declarations are not allowed");
	EXPECT_ERROR("<!DOCTYPE registry [\n"
	             "<!ENTITY % dtd SYSTEM \"file:///etc/passwd\">\n"
	             "%dtd;\n"
	             "]>\n"
	             "<registry/>\n",
	             2, "entity declarations are not allowed");
	/* An external DTD is never read, so what it might declare is unknown. */
	EXPECT_ERROR("<!DOCTYPE registry SYSTEM \"file:///etc/passwd\">\n"
	             "<registry><record><name>&xxe;</name></record></registry>\n",
	             2, "undeclared entity &xxe;");
	/* An undeclared entity in a standalone document is expat's error. */
	EXPECT_ERROR("<registry>\n<record><name>&xxe;</name></record></registry>\n",
	             2, "XML error at column 15: undefined entity");
}

static void billion_laughs(void **state)
{
	(void)state;
	EXPECT_ERROR("<?xml version=\"1.0\"?>\n"
	             "<!DOCTYPE lolz [\n"
	             " <!ENTITY lol \"lol\">\n"
	             " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	             " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	             " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	             " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	             " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	             " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	             " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	             " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	             " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	             "]>\n"
	             "<registry><record><description>&lol9;</description></record></registry>\n",
	             3, "entity declarations are not allowed");
}

static void malformed(void **state)
{
	static const char bad_utf8[] = HEAD OPEN
		"<record><name>caf\xe9</name></record>\n</registry>\n";

	(void)state;
	/* cut in the middle of a record */
	EXPECT_ERROR(HEAD OPEN "  <record>\n    <name>http</name>\n    <num",
	             5, "XML error at column 5: unclosed token");
	EXPECT_ERROR(HEAD OPEN "  <record>\n    <name>http</name>\n",
	             5, "XML error at column 1: no element found");
	EXPECT_ERROR(HEAD OPEN "<record><name>a</number></record></registry>\n",
	             3, "XML error at column 18: mismatched tag");
	EXPECT_ERROR(bad_utf8, 3, "XML error at column 18: not well-formed (invalid token)");
	EXPECT_ERROR("<registry>\n<name>a\0b</name></registry>", 2, "XML error at column 8");
	EXPECT_ERROR("", 1, "XML error at column 1: no element found");
	EXPECT_ERROR(HEAD "<services><record/></services>\n", 2,
	             "not an IANA registry");
	EXPECT_ERROR("<x:registry xmlns:x=\"urn:other\"/>", 1, "not an IANA registry");
}

/* Hostile sizes: an element's text is capped, whether it comes in one
 * piece or between markup, and so is nesting. */
static void limits(void **state)
{
	const size_t big = (1u << 20) + 1, pieces = big / 4 + 1;
	char *xml = malloc(pieces * 8 + 256), *w;

	(void)state;
	assert_non_null(xml);
	w = xml + sprintf(xml, "<registry>\n<record>\n<note>");
	memset(w, 'a', big);
	w += big;
	w += sprintf(w, "</note></record></registry>\n");
	expect_error(xml, (size_t)(w - xml), 3, "text longer than 1048576 bytes");

	w = xml + sprintf(xml, "<registry>\n<record>\n<note>");
	for (size_t i = 0; i < pieces; i++, w += 8)
		memcpy(w, "aaaa<i/>", 8);
	w += sprintf(w, "</note></record></registry>\n");
	expect_error(xml, (size_t)(w - xml), 3, "text longer than 1048576 bytes");

	w = xml + sprintf(xml, "<registry>\n");
	for (int i = 0; i < 70; i++)
		w += sprintf(w, "<a>");
	expect_error(xml, (size_t)(w - xml), 2, "nested more than 64 deep");
	free(xml);
}

/* The full registry of 2024-03-18, when REGISTRY_DIR has it (make check
 * sets it); its absence is a failure, not a pass. */
static const char *registry_file(const char *name)
{
	static char path[4096];
	const char *dir = getenv("REGISTRY_DIR");

	if (!dir || !*dir)
		fail_msg("REGISTRY_DIR is not set: run through make check, or set it to "
		         "the directory holding %s", name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, R_OK) != 0)
		fail_msg("full registry not found at %s (set REGISTRY_DIR or "
		         "configure --with-registry-dir)", path);
	return path;
}

static const struct registry_record *find(const struct registry *reg, const char *name,
                                          const char *port, const char *proto)
{
	for (size_t i = 0; i < reg->count; i++) {
		const struct registry_record *r = &reg->records[i];

		if (strcmp(r->f[F_NAME], name) == 0 && strcmp(r->f[F_PORT], port) == 0 &&
		    strcmp(r->f[F_PROTO], proto) == 0)
			return r;
	}
	fail_msg("no record %s %s/%s", name, port, proto);
	return NULL;
}

static void full_registry(void **state)
{
	static const char www_http[] = "This is a duplicate of the \"http\" service and "
		"should not be used for discovery purposes.\n"
		"      u=<username> p=<password> path=<path to document>\n";
	const char *path = registry_file("service-names-port-numbers.2024-03-18.xml");
	const struct registry_record *r;
	struct registry reg;
	struct diags d = { 0 };
	struct services svc;

	(void)state;
	registry_init(&reg);
	assert_int_equal(registry_read_file(&reg, path, FMT_AUTO, &d), 0);
	assert_int_equal(d.errors, 0);
	assert_int_equal(reg.count, 14444);
	assert_int_equal(reg.person_count, 5554);
	assert_string_equal(reg.updated, "2024-03-18");
	assert_string_equal(reg.title, "Service Name and Transport Protocol Port Number Registry");

	r = find(&reg, "", "0", "tcp");
	assert_string_equal(r->f[F_ASSIGNEE], "[Jon_Postel]");
	assert_string_equal(r->f[F_CONTACT], "[Jon_Postel]");
	r = find(&reg, "http", "80", "tcp");
	assert_string_equal(r->f[F_DESCRIPTION], "World Wide Web HTTP");
	assert_string_equal(r->f[F_ASSIGNEE], "[IESG]");
	assert_string_equal(r->f[F_CONTACT], "[IETF_Chair]");
	assert_string_equal(r->f[F_REFERENCE], "[RFC9110]");
	assert_string_equal(r->f[F_MODIFIED], "2021-10-01");
	r = find(&reg, "x11", "6000-6063", "tcp");
	assert_string_equal(r->f[F_DESCRIPTION], "X Window System");
	r = find(&reg, "www-http", "80", "tcp");
	assert_true(strncmp(r->f[F_NOTES], www_http, strlen(www_http)) == 0);
	r = find(&reg, "whoispp", "63", "tcp");
	assert_string_equal(r->f[F_DESCRIPTION], "whois++ IANA assigned this well-formed "
	                    "service name as a replacement for \"whois++\".");
	r = find(&reg, "discard", "9", "dccp");
	assert_string_equal(r->f[F_SERVICE_CODE], "1145656131");
	assert_string_equal(r->f[F_REFERENCE], "[RFC4340]");
	r = find(&reg, "finger", "79", "tcp");
	assert_string_equal(r->f[F_UNAUTHORIZED],
	                    "Unauthorized use by some mail users (see [RFC4146] for details)");

	/* and the same entries as the CSV of 2024-06 gives: see below */
	assert_int_equal(services_build(&svc, &reg, &d), 0);
	assert_int_equal(svc.count, 11638);
	assert_int_equal(svc.aliases, 188);
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
}

/* The XML of 2024-03-18 and the CSV of 2024-06 differ in three port-less
 * records only, so their services entries are the same, in the same order. */
static void same_entries_as_csv(void **state)
{
	const char *files[2] = { "service-names-port-numbers.2024-03-18.xml",
	                         "service-names-port-numbers.2024-06.csv" };
	struct registry reg[2];
	struct services svc[2];
	struct diags d = { 0 };

	(void)state;
	for (int i = 0; i < 2; i++) {
		registry_init(&reg[i]);
		assert_int_equal(registry_read_file(&reg[i], registry_file(files[i]),
		                                    FMT_AUTO, &d), 0);
		assert_int_equal(services_build(&svc[i], &reg[i], &d), 0);
	}
	assert_int_equal(d.errors, 0);
	assert_int_equal(reg[1].count - reg[0].count, 3);
	assert_int_equal(svc[0].count, svc[1].count);
	for (size_t i = 0; i < svc[0].count; i++) {
		const struct service_entry *x = &svc[0].entries[i], *c = &svc[1].entries[i];

		assert_string_equal(x->name, c->name);
		assert_int_equal(x->port, c->port);
		assert_int_equal(x->proto, c->proto);
		assert_int_equal(x->alias_count, c->alias_count);
		for (size_t a = 0; a < x->alias_count; a++)
			assert_string_equal(x->aliases[a], c->aliases[a]);
	}
	for (int i = 0; i < 2; i++) {
		services_free(&svc[i]);
		registry_free(&reg[i]);
	}
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records),
		cmocka_unit_test(entries),
		cmocka_unit_test(people_and_metadata),
		cmocka_unit_test(people_resolve),
		cmocka_unit_test(references_and_markup),
		cmocka_unit_test(namespaces),
		cmocka_unit_test(crlf),
		cmocka_unit_test(entities_refused),
		cmocka_unit_test(billion_laughs),
		cmocka_unit_test(malformed),
		cmocka_unit_test(limits),
		cmocka_unit_test(full_registry),
		cmocka_unit_test(same_entries_as_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
