/* tool.h: what the iana-services verbs share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_TOOL_H
#define IANA_TOOL_H

#include "diag.h"
#include "iana-services.h"
#include "registry.h"
#include "services.h"

/* Exit codes (SPEC sections 6 and 8). */
enum { EXIT_OK = 0, EXIT_NOTFOUND = 1, EXIT_BAD = 2, EXIT_NET = 3 };

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
/* The same, the default being database's index (--database). */
struct iana_index *open_index_of(const char *path, enum iana_database database);
/* --database services|protocols: 0, or -EINVAL. */
int parse_database(const char *name, enum iana_database *database);

/* One input of a compile, read in the order given. */
struct tool_input {
	const char *path;             /* the file read */
	const char *label;            /* what messages call it; NULL: path */
	enum registry_format format;
	int is_local;                 /* a local services(5) file of the system */
	int watch;                    /* record its identity, if a services(5) file */
	int optional;                 /* a default local file: may be absent */
};

/* An index built in memory, and what its compile counted. */
struct tool_build {
	unsigned char *data;
	size_t len;
	size_t records, entries, aliases, skipped[SKIP_COUNT];
	char *updated;                /* the registry's date; "" when it has none */
};

/* Reads the inputs in order (an empty local file adds nothing), applies the
 * rules R1-R8 and builds the index. Reports every problem; out names the
 * index in the closing message. EXIT_OK, or EXIT_BAD with b empty. */
int tool_build(struct tool_build *b, const struct tool_input *in, size_t n, int strict,
               const char *out);
/* compile's summary line, on stdout. */
void tool_build_summary(const struct tool_build *b);
void tool_build_free(struct tool_build *b);

/* An index's bytes opened as an index: written to a file in $TMPDIR that is
 * opened and unlinked at once. 0 or -errno. */
int tool_open_bytes(const unsigned char *data, size_t len, struct iana_index **idx);

/* diff's report on stdout, from old to new (both the caller's to close):
 * EXIT_OK when they are the same, EXIT_NOTFOUND when not, EXIT_BAD. */
int diff_indexes(const char *old_label, struct iana_index *old, const char *new_label,
                 struct iana_index *new);

int cmd_compile(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_lookup(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_rebuild(int argc, char **argv);
int cmd_install(int argc, char **argv);

#endif
