/* fixture.h: small registries and indexes for the unit tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_TEST_FIXTURE_H
#define IANA_TEST_FIXTURE_H

#include "registry.h"
#include "services.h"

/* Parse text as fmt into reg (registry_init()ed here); returns the parser's result. */
int fixture_parse(struct registry *reg, const char *text, enum registry_format fmt,
                  struct diags *d);
/* Compile text into an index in a new temporary file; returns its path
 * (malloc()ed), or NULL and fails the test. */
char *fixture_index(const char *text, enum registry_format fmt);
void fixture_remove(char *path);
/* A header line and rows as IANA's CSV has them. */
#define CSV_HEADER "Service Name,Port Number,Transport Protocol,Description,Assignee," \
	"Contact,Registration Date,Modification Date,Reference,Service Code," \
	"Unauthorized Use Reported,Assignment Notes\r\n"

#endif
