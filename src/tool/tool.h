/* tool.h: what the iana-services verbs share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_TOOL_H
#define IANA_TOOL_H

#include "diag.h"
#include "iana-services.h"

/* Exit codes (SPEC section 6). */
enum { EXIT_OK = 0, EXIT_NOTFOUND = 1, EXIT_BAD = 2 };

extern const char *program_name;

/* "iana-services: FILE:LINE: message", or without LINE when it is 0. */
void report(const char *file, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Every diagnostic; returns how many were of kind DIAG_ERROR or, when
 * strict, of any kind. */
size_t report_diags(const struct diags *d, int strict);
int usage_error(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Opens -i INDEX or the default; reports and returns NULL on failure. */
struct iana_index *open_index(const char *path);

int cmd_compile(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_lookup(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_install(int argc, char **argv);

#endif
