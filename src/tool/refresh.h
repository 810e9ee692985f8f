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
 * paths separated by ':', replaces them (tests; "" for none). */
#define ETC_SERVICES "/etc/services"
#ifndef IANA_LOCAL_SERVICES
#define IANA_LOCAL_SERVICES "/etc/nss-iana/local.services"
#endif
/* The registry that data/ ships, installed by make install. */
#ifndef IANA_SHIPPED_REGISTRY
#define IANA_SHIPPED_REGISTRY "/usr/share/nss-iana/service-names-port-numbers.xml"
#endif

struct refresh {
	const char *index;            /* the index to replace */
	char *state;                  /* INDEX less .idx, + ".http": the validators */
	char *kept;                   /* + ".registry": the registry last installed */
	struct tool_input *in;        /* what to compile, in order */
	size_t n, cap;
	char *defaults;               /* owns the default local paths */
	int force, dry_run;
};

/* The files beside index (NULL: the default index). 0, or -ENOMEM. */
int refresh_init(struct refresh *r, const char *index);
void refresh_free(struct refresh *r);
/* Appends an input. 0, or -ENOMEM. */
int refresh_add(struct refresh *r, const char *path, const char *label,
                enum registry_format format, int is_local);
/* Appends the default local files that exist. 0, or -ENOMEM. */
int refresh_add_default_locals(struct refresh *r);

/* The installed index, or NULL when there is none that opens. */
struct iana_index *refresh_installed(const struct refresh *r);
/* Unless r->force: refuses (reports, naming what, and returns EXIT_BAD) an
 * index with fewer than 90% of the installed one's entries, or from a
 * registry older than the installed one's. EXIT_OK otherwise. */
int refresh_guard(const struct refresh *r, const char *what, const struct tool_build *b,
                  const struct iana_index *installed);
/* Writes the index atomically and tells a running nscd. EXIT_OK or
 * EXIT_BAD, reported. */
int refresh_install(const struct refresh *r, const struct tool_build *b);
/* `nscd -i services` when nscd runs; its absence is no error. */
void refresh_nscd(void);

#endif
