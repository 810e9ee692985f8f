/* registry.h: the registry as read from its inputs, before any rule is
 * applied. Readers store the text they found; registry_build() applies the
 * rules R1-R8 of the SPEC in one place.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_REGISTRY_H
#define IANA_REGISTRY_H

#include <stddef.h>
#include "diag.h"

enum registry_field {
	F_NAME, F_PORT, F_PROTO, F_DESCRIPTION, F_ASSIGNEE, F_CONTACT,
	F_REGISTERED, F_MODIFIED, F_REFERENCE, F_SERVICE_CODE,
	F_UNAUTHORIZED, F_NOTES,
	F_SOURCE,                 /* "FILE:LINE" of a services(5) line, else "" */
	F_IPV6,                   /* protocols: "Y" for an IPv6 extension header */
	F_COUNT
};

struct registry_record {
	const char *f[F_COUNT];   /* never NULL; "" when absent */
	const char **aliases;     /* services(5) and protocols(5) lines only */
	size_t alias_count;
	int local;                /* from a services(5) or protocols(5) file */
	const char *file;
	unsigned long line;
};

struct registry_person {
	const char *id, *name, *org, *uri, *updated;
};

struct arena_block;
struct owned_buffer;

struct registry {
	struct registry_record *records;
	size_t count, cap;
	struct registry_person *people;
	size_t person_count, person_cap;
	const char *title, *updated;
	const char *sources;      /* "sha256  file" lines, one per input */
	unsigned database;        /* enum idx_database of the inputs; 0: none yet */
	struct arena_block *arena;
	struct owned_buffer *owned;   /* inputs parsed in place */
};

enum registry_format {
	FMT_AUTO, FMT_CSV, FMT_XML, FMT_TEXT, FMT_SERVICES,
	FMT_PROTOCOLS_XML,        /* IANA's protocol-numbers.xml */
	FMT_PROTOCOLS,            /* protocols(5) */
};

void registry_init(struct registry *reg);
void registry_free(struct registry *reg);
/* A copy of len bytes (zeros when s is NULL), NUL-terminated, owned by reg;
 * NULL when out of memory. */
char *registry_strndup(struct registry *reg, const char *s, size_t len);
const char *registry_strdup(struct registry *reg, const char *s);
/* Frees data, a malloc'ed buffer, with reg: 0, or -ENOMEM (data is then
 * freed at once). */
int registry_own(struct registry *reg, void *data);
/* A new record with every field "", or NULL when out of memory. */
struct registry_record *registry_add(struct registry *reg, const char *file,
                                     unsigned long line);
struct registry_person *registry_add_person(struct registry *reg);

int registry_format_parse(const char *name, enum registry_format *fmt);
/* The format of an input: FMT_XML for either XML registry (the document's
 * root says which database it is), FMT_AUTO when it cannot tell. */
enum registry_format registry_detect(const char *data, size_t len);

/* Each returns 0, or -EINVAL when it added a DIAG_ERROR, or -ENOMEM. */
int registry_parse_csv(struct registry *reg, const char *data, size_t len,
                       const char *file, struct diags *d);
/* The same on data[len + 1] that reg owns (registry_own): the fields are
 * left in it, unquoted and NUL-terminated, instead of copied out. */
int registry_parse_csv_in_place(struct registry *reg, char *data, size_t len,
                                const char *file, struct diags *d);
int registry_parse_text(struct registry *reg, const char *data, size_t len,
                        const char *file, struct diags *d);
/* Either XML registry: reg->database says which one the root named
 * ("protocol-numbers": protocols; anything else: services). */
int registry_parse_xml(struct registry *reg, const char *data, size_t len,
                       const char *file, struct diags *d);
/* The same, read as the Protocol Numbers registry whatever its root says
 * (--format protocols-xml). */
int registry_parse_protocols_xml(struct registry *reg, const char *data, size_t len,
                                 const char *file, struct diags *d);
int registry_parse_services(struct registry *reg, const char *data, size_t len,
                            const char *file, struct diags *d);
/* protocols(5) lines, read as glibc's files backend reads /etc/protocols;
 * a line glibc ignores is a DIAG_ERROR, as for services(5). */
int registry_parse_protocols(struct registry *reg, const char *data, size_t len,
                             const char *file, struct diags *d);
/* Reads the whole file, checks it is text, and parses it as fmt. Sets
 * reg->database, and refuses (a DIAG_ERROR) an input of the other database
 * than the inputs read before it. */
int registry_read_file(struct registry *reg, const char *path,
                       enum registry_format fmt, struct diags *d);

#endif
