/* test-build.c: the rules R1-R8, from records to services entries.
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
#include <cmocka.h>

#include "fixture.h"
#include "index-format.h"
#include "iana-services.h"

static const char registry[] = CSV_HEADER
	"http,80,tcp,World Wide Web HTTP,,,,,,,,\r\n"
	"http,80,udp,World Wide Web HTTP,,,,,,,,\r\n"
	"www,80,tcp,World Wide Web HTTP,,,,,,,,\"This is a duplicate of the \"\"http\"\" service and should not be used for discovery purposes.\"\r\n"
	"www-http,80,tcp,World Wide Web HTTP,,,,,,,,\"This is a duplicate of the \"\"http\"\" service and should not be used for discovery purposes.\"\r\n"
	"sql-net,66,tcp,Oracle SQL*NET,,,,,,,,\r\n"
	"sql*net,66,tcp,Oracle SQL*NET,,,,,,,,\"This entry is an alias to \"\"sql-net\"\".\"\r\n"
	"z39-50,210,tcp,ANSI Z39.50,,,,,,,,\r\n"
	"z39.50,210,tcp,ANSI Z39.50,,,,,,,,\"This entry is an alias to \"\"z39-50\"\".\"\r\n"
	"z39.50,210,udp,ANSI Z39.50,,,,,,,,\"This entry is an alias to \"\"z39-50\"\".\"\r\n"
	"x11,6000-6063,tcp,X Window System,,,,,,,,\r\n"
	"arp,,,Address Resolution Protocol,,,,,,,,\r\n"
	"active-net,3322-3325,,Active Networks,,,,,,,,\r\n"
	",4,tcp,Unassigned,,,,,,,,\r\n"
	"http,80,tcp,again,,,,,,,,\r\n"
	"HTTP,80,tcp,again in capitals,,,,,,,,\r\n"
	"Escale (Newton Dock),3173,tcp,bad name,,,,,,,,\r\n"
	"big,70000,tcp,out of range,,,,,,,,\r\n"
	"back,12-3,tcp,backwards,,,,,,,,\r\n"
	"lite,5000,udplite,unknown protocol,,,,,,,,\r\n"
	"cl/1,172,tcp,legacy slash,,,,,,,,\r\n";

struct built {
	struct registry reg;
	struct services svc;
	struct diags d;
};

static int setup(void **state)
{
	struct built *b = calloc(1, sizeof(*b));

	assert_non_null(b);
	assert_int_equal(fixture_parse(&b->reg, registry, FMT_CSV, &b->d), 0);
	assert_int_equal(services_build(&b->svc, &b->reg, &b->d), 0);
	*state = b;
	return 0;
}

static int teardown(void **state)
{
	struct built *b = *state;

	services_free(&b->svc);
	registry_free(&b->reg);
	diags_free(&b->d);
	free(b);
	return 0;
}

static const struct service_entry *entry(const struct services *s, const char *name,
                                         unsigned port, const char *proto)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->entries[i].name, name) == 0 && s->entries[i].port == port &&
		    strcmp(s->protos[s->entries[i].proto - 1], proto) == 0)
			return &s->entries[i];
	return NULL;
}

static void synonyms_become_aliases(void **state)
{
	struct built *b = *state;
	const struct service_entry *e = entry(&b->svc, "http", 80, "tcp");

	assert_non_null(e);
	assert_int_equal(e->alias_count, 2);
	assert_string_equal(e->aliases[0], "www");
	assert_string_equal(e->aliases[1], "www-http");
	e = entry(&b->svc, "sql-net", 66, "tcp");
	assert_non_null(e);
	assert_int_equal(e->alias_count, 1);
	assert_string_equal(e->aliases[0], "sql*net");
	e = entry(&b->svc, "z39-50", 210, "tcp");
	assert_non_null(e);
	assert_string_equal(e->aliases[0], "z39.50");
	assert_null(entry(&b->svc, "www", 80, "tcp"));
	assert_null(entry(&b->svc, "sql*net", 66, "tcp"));
	/* z39-50 has no udp entry: z39.50/udp stays an entry of its own */
	assert_non_null(entry(&b->svc, "z39.50", 210, "udp"));
	assert_int_equal(b->svc.aliases, 4);
	assert_true(b->svc.records[2].flags & IANA_RECORD_ALIAS);
	assert_false(b->svc.records[8].flags & IANA_RECORD_ALIAS);
}

static void ranges_give_one_entry_per_port(void **state)
{
	struct built *b = *state;
	size_t first = 0, n = 0;

	for (size_t i = 0; i < b->svc.count; i++) {
		if (strcmp(b->svc.entries[i].name, "x11") != 0)
			continue;
		if (n == 0)
			first = i;
		assert_int_equal(i, first + n);            /* consecutive */
		assert_int_equal(b->svc.entries[i].port, 6000 + n);   /* ascending */
		n++;
	}
	assert_int_equal(n, 64);
}

static void order_and_skips(void **state)
{
	struct built *b = *state;
	static const char *const order[] = { "http", "http", "sql-net", "z39-50", "z39.50", "x11" };
	static const char *const protos[] = { "tcp", "udp", "tcp", "tcp", "udp", "tcp" };

	/* R6: registry order */
	assert_int_equal(b->svc.count, 5 + 64 + 1);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(b->svc.entries[i].name, order[i]);
		assert_string_equal(b->svc.protos[b->svc.entries[i].proto - 1], protos[i]);
	}
	assert_string_equal(b->svc.entries[69].name, "cl/1");
	assert_int_equal(b->svc.skipped[SKIP_NO_PORT], 1);
	assert_int_equal(b->svc.skipped[SKIP_NO_PROTO], 1);
	assert_int_equal(b->svc.skipped[SKIP_UNNAMED], 1);
	assert_int_equal(b->svc.skipped[SKIP_DUPLICATE], 2);     /* http and HTTP again */
	assert_int_equal(b->svc.skipped[SKIP_BAD_NAME], 1);
	assert_int_equal(b->svc.skipped[SKIP_BAD_PORT], 2);
	assert_int_equal(b->svc.skipped[SKIP_BAD_PROTO], 1);
	/* R7: records that give no entry are still records */
	assert_int_equal(b->reg.count, 20);
}

static int has_diag(const struct diags *d, unsigned long line, const char *text)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->v[i].line == line && d->v[i].kind == DIAG_SKIP &&
		    strstr(d->v[i].message, text))
			return 1;
	return 0;
}

static void diagnostics_name_the_line(void **state)
{
	struct built *b = *state;

	assert_int_equal(b->d.errors, 0);
	assert_int_equal(b->d.count, 4);
	assert_true(has_diag(&b->d, 17, "\"Escale (Newton Dock)\" contains white space"));
	assert_true(has_diag(&b->d, 18, "port \"70000\" is out of range"));
	assert_true(has_diag(&b->d, 19, "port \"12-3\" is a backwards range"));
	assert_true(has_diag(&b->d, 20, "unknown transport protocol \"udplite\""));
}

/* R9: a services(5) file given first keeps every line as glibc's files
 * backend reads it: any protocol, an alias equal to its name in another
 * case, repeats of a line as entries of their own (files answers an alias
 * of the second line from the second line), ports as strtoul(3) reads
 * them; and the registry neither replaces nor grows its entries. */
static void local_lines_kept_as_files_reads_them(void **state)
{
	static const char local[] =
		"clearcase 371/udp Clearcase\n"
		"rtmp 1/ddp\n"
		"foo 10/tcp a\n"
		"foo 10/tcp b b\n"
		"hex 0x50//udplite\n"
		"bare 99\n"
		"http 80/tcp\n";
	static const char reg_csv[] = CSV_HEADER
		"http,80,tcp,World Wide Web HTTP,,,,,,,,\r\n"
		"www,80,tcp,World Wide Web HTTP,,,,,,,,\"This is a duplicate of the \"\"http\"\" service and should not be used for discovery purposes.\"\r\n"
		"clearcase,371,udp,Clearcase,,,,,,,,\r\n";
	struct registry reg;
	struct services svc;
	struct diags d = { 0 };
	const struct service_entry *e;

	(void)state;
	registry_init(&reg);
	assert_int_equal(registry_parse_services(&reg, local, sizeof(local) - 1, "local", &d), 0);
	assert_int_equal(registry_parse_csv(&reg, reg_csv, sizeof(reg_csv) - 1, "reg", &d), 0);
	assert_int_equal(services_build(&svc, &reg, &d), 0);
	e = &svc.entries[0];
	assert_string_equal(e->name, "clearcase");
	assert_int_equal(e->alias_count, 1);
	assert_string_equal(e->aliases[0], "Clearcase");
	assert_non_null(entry(&svc, "rtmp", 1, "ddp"));
	assert_string_equal(svc.entries[2].name, "foo");
	assert_string_equal(svc.entries[2].aliases[0], "a");
	assert_string_equal(svc.entries[3].name, "foo");
	assert_int_equal(svc.entries[3].alias_count, 2);
	assert_non_null(entry(&svc, "hex", 80, "udplite"));
	assert_non_null(entry(&svc, "bare", 99, ""));
	/* the registry's http and clearcase repeat local lines: dropped; its
	 * www stays an entry of its own rather than grow the local http */
	e = entry(&svc, "http", 80, "tcp");
	assert_int_equal(e->alias_count, 0);
	assert_non_null(entry(&svc, "www", 80, "tcp"));
	assert_int_equal(svc.count, 8);
	assert_int_equal(d.count, 0);
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
}

/* SPEC 5: a name longer than 255 bytes, with a control byte, or an entry
 * with more than 64 aliases is refused, with the line: glibc's files
 * backend would answer what the index cannot hold. */
static void limits_refused(void **state)
{
	static const char control[] = "ok 1/tcp\nbad\x01name 5/tcp\n";
	char line[400];
	struct registry reg;
	struct services svc;
	struct diags d = { 0 };
	char *text;

	(void)state;
	memset(line, 'n', 256);
	snprintf(line + 256, sizeof(line) - 256, " 5/tcp\n");
	registry_init(&reg);
	assert_int_equal(registry_parse_services(&reg, line, strlen(line), "long", &d), 0);
	assert_int_equal(services_build(&svc, &reg, &d), -EINVAL);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.v[0].line, 1);
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);

	memset(&d, 0, sizeof(d));
	registry_init(&reg);
	assert_int_equal(registry_parse_services(&reg, control, sizeof(control) - 1, "ctl", &d), 0);
	assert_int_equal(services_build(&svc, &reg, &d), -EINVAL);
	assert_int_equal(d.v[0].line, 2);
	assert_non_null(strstr(d.v[0].message, "control character"));
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);

	text = malloc(65 * 8 + 32);
	assert_non_null(text);
	strcpy(text, "x 1/tcp");
	for (int i = 0; i < 65; i++)
		sprintf(text + strlen(text), " a%d", i);
	strcat(text, "\n");
	memset(&d, 0, sizeof(d));
	registry_init(&reg);
	assert_int_equal(registry_parse_services(&reg, text, strlen(text), "many", &d), 0);
	assert_int_equal(services_build(&svc, &reg, &d), -EINVAL);
	assert_non_null(strstr(d.v[0].message, "more than 64"));
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
	free(text);
}

/* R4: a services(5) line for an existing entry adds its aliases. */
static void local_lines_add_aliases(void **state)
{
	static const char local[] =
		"# local additions\n"
		"whois 43/tcp nicname # the old name\n"
		"WHOIS 43/tcp whois nic\n"
		"myapp 9999/udp my-app caf\xc3\xa9\n";
	struct registry reg;
	struct services svc;
	struct diags d = { 0 };
	const struct service_entry *e;

	(void)state;
	assert_int_equal(fixture_parse(&reg, CSV_HEADER "whois,43,tcp,Who Is,,,,,,,,\n",
	                               FMT_CSV, &d), 0);
	assert_int_equal(registry_parse_services(&reg, local, sizeof(local) - 1, "local", &d), 0);
	assert_int_equal(services_build(&svc, &reg, &d), 0);
	assert_int_equal(svc.count, 2);
	e = entry(&svc, "whois", 43, "tcp");
	assert_non_null(e);
	assert_int_equal(e->alias_count, 2);
	assert_string_equal(e->aliases[0], "nicname");
	assert_string_equal(e->aliases[1], "nic");
	/* glibc's files backend takes a UTF-8 alias as it is: so does the index */
	e = entry(&svc, "myapp", 9999, "udp");
	assert_non_null(e);
	assert_int_equal(e->alias_count, 2);
	assert_string_equal(e->aliases[0], "my-app");
	assert_string_equal(e->aliases[1], "caf\xc3\xa9");
	assert_true(svc.records[1].flags & IANA_RECORD_LOCAL);
	assert_int_equal(d.count, 0);
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
}

/* R3: a synonym folds only into an entry that a record which is not a
 * synonym gives: not into another synonym (ping and pong name each other),
 * not into a record that was skipped (a name with a space). Each of them
 * keeps an entry of its own. */
static void synonyms_fold_only_into_real_records(void **state)
{
	static const char text[] = CSV_HEADER
		"ping,7,tcp,,,,,,,,,\"This entry is an alias to \"\"pong\"\".\"\n"
		"pong,7,tcp,,,,,,,,,\"This entry is an alias to \"\"ping\"\".\"\n"
		"Bad Name,8,tcp,,,,,,,,,\n"
		"good,8,tcp,,,,,,,,,\"This entry is an alias to \"\"Bad Name\"\".\"\n";
	struct registry reg;
	struct services svc;
	struct diags d = { 0 };

	(void)state;
	assert_int_equal(fixture_parse(&reg, text, FMT_CSV, &d), 0);
	assert_int_equal(services_build(&svc, &reg, &d), 0);
	assert_int_equal(svc.count, 3);
	assert_int_equal(svc.aliases, 0);
	assert_non_null(entry(&svc, "ping", 7, "tcp"));
	assert_non_null(entry(&svc, "pong", 7, "tcp"));
	assert_non_null(entry(&svc, "good", 8, "tcp"));
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(synonyms_become_aliases),
		cmocka_unit_test(ranges_give_one_entry_per_port),
		cmocka_unit_test(order_and_skips),
		cmocka_unit_test(diagnostics_name_the_line),
		cmocka_unit_test(local_lines_add_aliases),
		cmocka_unit_test(local_lines_kept_as_files_reads_them),
		cmocka_unit_test(limits_refused),
		cmocka_unit_test(synonyms_fold_only_into_real_records),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
