/* services.h: the services(5) entries that the registry yields, by the
 * rules R1-R8 of the SPEC, and what became of every record.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_SERVICE_ENTRIES_H
#define IANA_SERVICE_ENTRIES_H

#include <stddef.h>
#include "bytemap.h"
#include "index-format.h"
#include "registry.h"

struct service_entry {
	const char *name;
	const char **aliases;
	size_t alias_count, alias_cap;
	unsigned port;
	unsigned proto;           /* 1..proto_count: protos[proto - 1] */
	int local;                /* from a services(5) line */
};

/* What a record is, once its fields are checked. */
struct service_record {
	unsigned port_lo, port_hi;
	unsigned proto;           /* as in entries; 0: none or unknown */
	unsigned flags;           /* IANA_RECORD_* */
};

enum skip_reason {
	SKIP_UNNAMED, SKIP_NO_PORT, SKIP_NO_PROTO, SKIP_BAD_NAME, SKIP_BAD_PORT,
	SKIP_BAD_PROTO, SKIP_DUPLICATE, SKIP_COUNT
};

struct services {
	unsigned database;                /* enum idx_database; 0: services */
	const char *protos[IDX_MAX_PROTOS];   /* the entries' protocol names */
	size_t proto_count;
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
/* R2: why s, a registry name, cannot stand as one word of a services(5)
 * line, or NULL. */
const char *services_name_problem(const char *s);
/* The same for a name of a services(5) line, which glibc's files backend
 * takes as it is, non-ASCII bytes included: only control bytes and the
 * length limit (SPEC 5) stop it. */
const char *services_local_name_problem(const char *s);
/* 0, -EINVAL when an input is beyond the index's limits (a DIAG_ERROR
 * says where), or -ENOMEM. Skipped records are DIAG_SKIP diagnostics. */
int services_build(struct services *s, const struct registry *reg, struct diags *d);
/* The same for the protocols database (SPEC 9, P1 and P3): s->database is
 * IDX_DB_PROTOCOLS, protos[] holds one name, "", and an entry's port is its
 * protocol number. services_free() frees it. */
int protocols_build(struct services *s, const struct registry *reg, struct diags *d);
void services_free(struct services *s);

#endif
