/* test-csv.c: the CSV reader (RFC 4180 as IANA writes it).
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

static void quoted_notes_span_lines(void **state)
{
	static const char csv[] = CSV_HEADER
		"http,80,tcp,World Wide Web HTTP,[Tim_Berners_Lee],[Tim_Berners_Lee],,,[RFC9110],,,\r\n"
		"www-http,80,tcp,World Wide Web HTTP,[Tim_Berners_Lee],[Tim_Berners_Lee],,,,,,"
		"\"This is a duplicate of the \"\"http\"\" service and should not be used.\n"
		"      u=<username> p=<password>\n"
		"        Known Subtypes: _printer\"\r\n"
		"echo,7,udp,Echo,,,,,,,,\r\n";
	struct registry reg;
	struct diags d = { 0 };

	(void)state;
	assert_int_equal(fixture_parse(&reg, csv, FMT_CSV, &d), 0);
	assert_int_equal(reg.count, 3);
	assert_string_equal(reg.records[1].f[F_NAME], "www-http");
	assert_string_equal(reg.records[1].f[F_NOTES],
	                    "This is a duplicate of the \"http\" service and should not be used.\n"
	                    "      u=<username> p=<password>\n"
	                    "        Known Subtypes: _printer");
	assert_string_equal(reg.records[0].f[F_REFERENCE], "[RFC9110]");
	/* rows are numbered by the line they start on */
	assert_int_equal(reg.records[0].line, 2);
	assert_int_equal(reg.records[1].line, 3);
	assert_int_equal(reg.records[2].line, 6);
	assert_int_equal(d.count, 0);
	registry_free(&reg);
	diags_free(&d);
}

static void empty_fields_and_lf(void **state)
{
	static const char csv[] =
		"Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
		"Registration Date,Modification Date,Reference,Service Code,"
		"Unauthorized Use Reported,Assignment Notes\n"
		",0,tcp,Reserved,[Jon_Postel],[Jon_Postel],,,,,,\n"
		"arp,,,Address Resolution Protocol,,,,,,,,\n"
		"\"\",\"\",\"\",\"\",,,,,,,,"; /* no newline at the end */
	struct registry reg;
	struct diags d = { 0 };

	(void)state;
	assert_int_equal(fixture_parse(&reg, csv, FMT_CSV, &d), 0);
	assert_int_equal(reg.count, 3);
	assert_string_equal(reg.records[0].f[F_NAME], "");
	assert_string_equal(reg.records[0].f[F_PORT], "0");
	assert_string_equal(reg.records[1].f[F_PORT], "");
	assert_string_equal(reg.records[1].f[F_DESCRIPTION], "Address Resolution Protocol");
	for (int f = 0; f < F_COUNT; f++)
		assert_string_equal(reg.records[2].f[f], "");
	registry_free(&reg);
	diags_free(&d);
}

static void columns_found_by_name(void **state)
{
	static const char csv[] =
		"Transport Protocol,Extra,Port Number,Service Name\n"
		"udp,x,53,domain\n";
	struct registry reg;
	struct diags d = { 0 };

	(void)state;
	assert_int_equal(fixture_parse(&reg, csv, FMT_CSV, &d), 0);
	assert_int_equal(reg.count, 1);
	assert_string_equal(reg.records[0].f[F_NAME], "domain");
	assert_string_equal(reg.records[0].f[F_PORT], "53");
	assert_string_equal(reg.records[0].f[F_PROTO], "udp");
	assert_string_equal(reg.records[0].f[F_DESCRIPTION], "");
	registry_free(&reg);
	diags_free(&d);
}

/* A malformed input gives one DIAG_ERROR naming the line. */
static void expect_error(const char *csv, unsigned long line, const char *message)
{
	struct registry reg;
	struct diags d = { 0 };

	assert_int_equal(fixture_parse(&reg, csv, FMT_CSV, &d), -EINVAL);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.count, 1);
	assert_int_equal(d.v[0].kind, DIAG_ERROR);
	assert_int_equal(d.v[0].line, line);
	assert_non_null(strstr(d.v[0].message, message));
	assert_string_equal(d.v[0].file, "test.csv");
	registry_free(&reg);
	diags_free(&d);
}

static void malformed(void **state)
{
	(void)state;
	expect_error(CSV_HEADER "a,1,tcp,\"never closed,,,,,,,,\nb,2,tcp\n", 2,
	             "unterminated quoted field");
	expect_error(CSV_HEADER "a,1,tcp,d,,,,,,,,\nb,2,tcp\n", 3, "3 fields, the header has 12");
	expect_error(CSV_HEADER "a,1,tcp,\"d\"x,,,,,,,,\n", 2, "text after a closing quote");
	expect_error(CSV_HEADER "a,1,tcp,d\"x,,,,,,,,\n", 2, "quote inside an unquoted field");
	expect_error("Name,Port\nx,1\n", 1, "no \"Service Name\" column");
	expect_error("", 0, "empty file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoted_notes_span_lines),
		cmocka_unit_test(empty_fields_and_lf),
		cmocka_unit_test(columns_found_by_name),
		cmocka_unit_test(malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
