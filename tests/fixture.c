/* fixture.c: small registries and indexes for the unit tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "index-write.h"

int fixture_parse(struct registry *reg, const char *text, enum registry_format fmt,
                  struct diags *d)
{
	size_t len = strlen(text);

	registry_init(reg);
	switch (fmt) {
	case FMT_CSV: return registry_parse_csv(reg, text, len, "test.csv", d);
	case FMT_TEXT: return registry_parse_text(reg, text, len, "test.txt", d);
	case FMT_XML: return registry_parse_xml(reg, text, len, "test.xml", d);
	case FMT_PROTOCOLS_XML:
		return registry_parse_protocols_xml(reg, text, len, "test.xml", d);
	case FMT_PROTOCOLS: return registry_parse_protocols(reg, text, len, "test.protocols", d);
	default: return registry_parse_services(reg, text, len, "test.services", d);
	}
}

char *fixture_index(const char *text, enum registry_format fmt)
{
	struct registry reg;
	struct services svc;
	struct diags d = { 0 };
	unsigned char *data;
	size_t len;
	char *path = strdup("/tmp/nss-iana-test-XXXXXX");
	int fd;

	assert_non_null(path);
	assert_int_equal(fixture_parse(&reg, text, fmt, &d), 0);
	assert_int_equal(reg.database == IDX_DB_PROTOCOLS ? protocols_build(&svc, &reg, &d) :
	                 services_build(&svc, &reg, &d), 0);
	assert_int_equal(index_build(&reg, &svc, NULL, 0, "test", &data, &len), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(atomic_write(path, data, len, 0644), 0);
	free(data);
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
	return path;
}

void fixture_remove(char *path)
{
	if (path)
		unlink(path);
	free(path);
}
