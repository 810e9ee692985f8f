/* refresh.h: what update and rebuild share: the files beside the index,
 * the local inputs, the guards, the install and nscd.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_TOOL_REFRESH_H
#define IANA_TOOL_REFRESH_H

#include <stddef.h>
#include "tool.h"

/* The local services(5) files compiled before the registry, each when it
 * exists (SPEC section 10, F1). IANA_SERVICES_DEFAULT_LOCAL, a list of
 * paths separated by ':', replaces them (tests; "" for none). The
 * protocols(5) files of the protocols database likewise, replaced by
 * IANA_SERVICES_DEFAULT_LOCAL_PROTOCOLS. */
#define ETC_SERVICES "/etc/services"
#ifndef IANA_LOCAL_SERVICES
#define IANA_LOCAL_SERVICES "/etc/nss-iana/local.services"
#endif
#define ETC_PROTOCOLS "/etc/protocols"
#ifndef IANA_LOCAL_PROTOCOLS
#define IANA_LOCAL_PROTOCOLS "/etc/nss-iana/local.protocols"
#endif
/* The registries that data/ ships, installed by make install; the
 * environment's IANA_SERVICES_SHIPPED_REGISTRY and
 * IANA_SERVICES_SHIPPED_PROTOCOLS_REGISTRY replace them (tests). */
#ifndef IANA_SHIPPED_REGISTRY
#define IANA_SHIPPED_REGISTRY "/usr/share/nss-iana/service-names-port-numbers.xml"
#endif
#ifndef IANA_SHIPPED_PROTOCOLS_REGISTRY
#define IANA_SHIPPED_PROTOCOLS_REGISTRY "/usr/share/nss-iana/protocol-numbers.xml"
#endif

/* What differs between the two databases for update and rebuild. */
struct refresh_database {
	enum iana_database id;
	const char *name;             /* "services", "protocols" */
	const char *url;              /* IANA's XML */
	const char *locals;           /* the default local files, ':' between */
	const char *locals_env;       /* the variable that replaces them */
	const char *shipped;          /* the registry data/ ships */
	const char *shipped_env;      /* the variable that replaces it */
	enum registry_format local_format;
};
/* What update and rebuild do for database id. */
const struct refresh_database *refresh_database(enum iana_database id);

struct refresh {
	const struct refresh_database *db;
	const char *index;            /* the index to replace */
	char *state;                  /* INDEX less .idx, + ".http": the validators */
	char *kept;                   /* + ".registry": the registry last installed */
	struct tool_input *in;        /* what to compile, in order */
	size_t n, cap;
	char *defaults;               /* owns the default local paths */
	int force, dry_run;
};

/* The files beside index (NULL: db's default index). 0, or -ENOMEM. */
int refresh_init(struct refresh *r, const struct refresh_database *db, const char *index);
void refresh_free(struct refresh *r);
/* Appends an input. 0, or -ENOMEM. */
int refresh_add(struct refresh *r, const char *path, const char *label,
                enum registry_format format, int is_local);
/* Appends the default local files that exist. 0, or -ENOMEM. */
int refresh_add_default_locals(struct refresh *r);

/* The installed index, or NULL when there is none that opens. EXIT_OK, or
 * EXIT_BAD (reported) when it holds the other database: what would replace
 * it is not its kind. */
int refresh_installed(const struct refresh *r, struct iana_index **installed);
/* EXIT_OK when built holds r's database, else EXIT_BAD, reported as
 * what's: a registry of the other database. */
int refresh_check_database(const struct refresh *r, const char *what,
                           const struct iana_index *built);
/* Unless r->force: refuses (reports, naming what, and returns EXIT_BAD) an
 * index with fewer than 90% of the installed one's entries, or from a
 * registry older than the installed one's. EXIT_OK otherwise. */
int refresh_guard(const struct refresh *r, const char *what, const struct tool_build *b,
                  const struct iana_index *installed);
/* Writes the index atomically and tells a running nscd. EXIT_OK or
 * EXIT_BAD, reported. */
int refresh_install(const struct refresh *r, const struct tool_build *b);
/* `nscd -i services` when nscd runs; its absence is no error. nscd has
 * no protocols cache: nothing to tell it of a protocols index. */
void refresh_nscd(const struct refresh *r);

#endif
