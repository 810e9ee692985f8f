/* test-text.c: the plain-text rendering, with rows as the seed has them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"

static const char text[] =
	"Internet Assigned Numbers Authority\n"
	"\n"
	"Service Name and Transport Protocol Port Number Registry\n"
	"\n"
	"Last Updated\n"
	"2025-04-07\n"
	"Plain text\n"
	"Service Name Port Number Transport Protocol Description Assignee Contact "
	"Registration Date Modification Date Reference Service Code Unauthorized Use "
	"Reported Assignment Notes\n"
	"7403-7409 Unassigned\n"
	"7420 tcp Reserved\n"
	"neo4j 7474 tcp Neo4j Graph Database [Neo_Technology_Inc] [Julian_Simpson] 2013-02-08\n"
	"7492-7499 Unassigned Known Unauthorized Use on port 7499\n"
	"cwmp 7547 tcp Broadband Forum CWMP [Broadband_Forum] [Broadband_Forum] 2006-01 2019-12-13\n"
	"simco 7626 tcp SImple Middlebox COnfiguration (SIMCO) Server [RFC4540]\n"
	"s-bfd 7784 udp Seamless Bidirectional Forwarding Detection (S-BFD) [IESG] "
	"[IETF_Chair] 2014-12-24 2016-07-14 [RFC7881]\n"
	"pmdmgr 7426 tcp OpenView DM Postmaster Manager [Dave_Lamb] [Dave_Lamb]\n"
	"\n"
	"Contact Information\n"
	"\n"
	"ID Name Organization Contact URI Last Updated\n"
	"[Julian_Simpson] Julian Simpson Neo Technology, Inc mailto:julian.simpson&neotechnology.com 2016-09-29\n"
	"[Tristan_Seifert_3] Tristan Seifert mailto:t&tseifert.me 2018-01-18\n"
	"[Dave_Lamb] Dave Lamb mailto:rdl&rdl.cnd.hp.com\n";

static const struct registry_record *row(const struct registry *reg, size_t i)
{
	assert_true(i < reg->count);
	return &reg->records[i];
}

static void rows(void **state)
{
	struct registry reg;
	struct diags d = { 0 };
	const struct registry_record *r;

	(void)state;
	assert_int_equal(fixture_parse(&reg, text, FMT_TEXT, &d), 0);
	assert_int_equal(d.count, 0);
	assert_string_equal(reg.title, "Service Name and Transport Protocol Port Number Registry");
	assert_string_equal(reg.updated, "2025-04-07");
	assert_int_equal(reg.count, 8);

	r = row(&reg, 0);
	assert_string_equal(r->f[F_NAME], "");
	assert_string_equal(r->f[F_PORT], "7403-7409");
	assert_string_equal(r->f[F_PROTO], "");
	assert_string_equal(r->f[F_DESCRIPTION], "Unassigned");
	assert_int_equal(r->line, 9);

	r = row(&reg, 1);
	assert_string_equal(r->f[F_NAME], "");
	assert_string_equal(r->f[F_PORT], "7420");
	assert_string_equal(r->f[F_PROTO], "tcp");
	assert_string_equal(r->f[F_DESCRIPTION], "Reserved");

	r = row(&reg, 2);
	assert_string_equal(r->f[F_NAME], "neo4j");
	assert_string_equal(r->f[F_PORT], "7474");
	assert_string_equal(r->f[F_PROTO], "tcp");
	assert_string_equal(r->f[F_DESCRIPTION], "Neo4j Graph Database");
	assert_string_equal(r->f[F_ASSIGNEE], "[Neo_Technology_Inc]");
	assert_string_equal(r->f[F_CONTACT], "[Julian_Simpson]");
	assert_string_equal(r->f[F_REGISTERED], "2013-02-08");
	assert_string_equal(r->f[F_MODIFIED], "");

	r = row(&reg, 3);
	assert_string_equal(r->f[F_DESCRIPTION], "Unassigned");
	assert_string_equal(r->f[F_UNAUTHORIZED], "Known Unauthorized Use on port 7499");

	r = row(&reg, 4);
	assert_string_equal(r->f[F_REGISTERED], "2006-01");
	assert_string_equal(r->f[F_MODIFIED], "2019-12-13");

	r = row(&reg, 5);
	assert_string_equal(r->f[F_DESCRIPTION], "SImple Middlebox COnfiguration (SIMCO) Server");
	assert_string_equal(r->f[F_ASSIGNEE], "");
	assert_string_equal(r->f[F_REFERENCE], "[RFC4540]");

	r = row(&reg, 6);
	assert_string_equal(r->f[F_ASSIGNEE], "[IESG]");
	assert_string_equal(r->f[F_CONTACT], "[IETF_Chair]");
	assert_string_equal(r->f[F_MODIFIED], "2016-07-14");
	assert_string_equal(r->f[F_REFERENCE], "[RFC7881]");

	r = row(&reg, 7);
	assert_string_equal(r->f[F_CONTACT], "[Dave_Lamb]");
	assert_string_equal(r->f[F_REGISTERED], "");

	assert_int_equal(reg.person_count, 3);
	assert_string_equal(reg.people[0].id, "Julian_Simpson");
	assert_string_equal(reg.people[0].name, "Julian Simpson");
	assert_string_equal(reg.people[0].org, "Neo Technology, Inc");
	assert_string_equal(reg.people[0].uri, "mailto:julian.simpson&neotechnology.com");
	assert_string_equal(reg.people[0].updated, "2016-09-29");
	assert_string_equal(reg.people[1].name, "Tristan Seifert");
	assert_string_equal(reg.people[1].org, "");
	assert_string_equal(reg.people[2].updated, "");
	registry_free(&reg);
	diags_free(&d);
}

/* The seed excerpt (tests/data/) must read with no diagnostic at all. */
static void shipped_seed(void **state)
{
	char *path;
	struct registry reg;
	struct diags d = { 0 };
	const char *dir = getenv("top_srcdir");

	(void)state;
	assert_non_null(dir);
	assert_true(asprintf(&path, "%s/tests/data/seed-excerpt.txt", dir) > 0);
	registry_init(&reg);
	assert_int_equal(registry_read_file(&reg, path, FMT_AUTO, &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(reg.count, 101);
	assert_string_equal(reg.updated, "2025-04-07");
	assert_true(reg.person_count > 30);
	free(path);
	registry_free(&reg);
	diags_free(&d);
}

static void no_table(void **state)
{
	struct registry reg;
	struct diags d = { 0 };

	(void)state;
	assert_int_equal(fixture_parse(&reg, "Internet Assigned Numbers Authority\n\nx\n",
	                               FMT_TEXT, &d), -EINVAL);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(d.v[0].message, "no record table"));
	registry_free(&reg);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows),
		cmocka_unit_test(shipped_seed),
		cmocka_unit_test(no_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
