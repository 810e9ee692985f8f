/* services.h: the services(5) entries that the registry yields, by the
 * rules R1-R8 of the SPEC, and what became of every record.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_SERVICE_ENTRIES_H
#define IANA_SERVICE_ENTRIES_H

#include <stddef.h>
#include "bytemap.h"
#include "registry.h"

#define SERVICES_MAX_ALIASES 255

struct service_entry {
	const char *name;
	const char **aliases;
	size_t alias_count, alias_cap;
	unsigned port;
	unsigned proto;           /* enum idx_proto */
};

/* What a record is, once its fields are checked. */
struct service_record {
	unsigned port_lo, port_hi;
	unsigned proto;           /* PROTO_ANY: none or unknown */
	unsigned flags;           /* IANA_RECORD_* */
};

enum skip_reason {
	SKIP_UNNAMED, SKIP_NO_PORT, SKIP_NO_PROTO, SKIP_BAD_NAME, SKIP_BAD_PORT,
	SKIP_BAD_PROTO, SKIP_DUPLICATE, SKIP_COUNT
};

struct services {
	struct service_entry *entries;
	size_t count, cap;
	struct service_record *records;   /* one per registry record */
	size_t aliases;                   /* alias names in all entries */
	size_t skipped[SKIP_COUNT];
	struct bytemap keys;              /* (name, port, proto) -> entry, */
	struct registry strings;          /* and what owns them: while building */
	char *scratch;                    /* a key to look up */
	size_t scratch_cap;
};

const char *services_skip_reason(enum skip_reason r);
/* R2: why s cannot stand as one word of a services(5) line, or NULL. */
const char *services_name_problem(const char *s);
/* 0, or -ENOMEM. Skipped records are DIAG_SKIP diagnostics. */
int services_build(struct services *s, const struct registry *reg, struct diags *d);
void services_free(struct services *s);

#endif
