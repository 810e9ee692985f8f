/* index-write.h: the compiler's output side.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_INDEX_WRITE_H
#define IANA_INDEX_WRITE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include "registry.h"
#include "services.h"

/* A services(5) input whose identity the index records (compile --watch,
 * SPEC 10 F2): st as stat(2) gave it, or absent when it did not exist. */
struct index_watch {
	const char *path;         /* absolute */
	int absent;
	struct stat st;
};

/* The index's bytes, malloc()ed; 0, or -ENOMEM, -EFBIG, -E2BIG (too many
 * watched files), -EOVERFLOW (no hash table keeps the limits). */
int index_build(const struct registry *reg, const struct services *svc,
                const struct index_watch *watch, size_t watch_count,
                const char *tool_version, unsigned char **data, size_t *len);

/* Replace path with data: a temporary file in the same directory, fsync,
 * rename, fsync of the directory. On failure path is untouched and the
 * temporary is gone. 0 or -errno. */
int atomic_write(const char *path, const void *data, size_t len, mode_t mode);
/* All len bytes to fd, through short writes and EINTR: 0 or -errno. */
int write_all(int fd, const void *data, size_t len);

/* The services(5) text of an index, malloc()ed. 0, -ENOMEM, or -EPROTO
 * when an entry is damaged. */
struct iana_index;
int services_export(const struct iana_index *idx, char **text, size_t *len);
/* The protocols(5) text of a protocols index, the same way. */
int protocols_export(const struct iana_index *idx, char **text, size_t *len);

#endif
