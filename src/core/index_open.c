/* index_open.c: map an index file and check its structure before any use.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index-internal.h"
#include "macro.h"

/* Larger files are refused: offsets are 32-bit and no registry comes near. */
#define IDX_MAX_SIZE (1u << 30)

IANA_EXPORT int iana_index_open(const char *path, struct iana_index **out)
{
	struct iana_index *idx;
	struct stat st;
	void *map;
	int fd, r;

	/* O_NONBLOCK: a FIFO put in the index's place must not hang a lookup */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(struct idx_header) ||
	    st.st_size > IDX_MAX_SIZE) {
		close(fd);
		return -EPROTO;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	r = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;

	idx = calloc(1, sizeof(*idx));
	if (!idx) {
		munmap(map, (size_t)st.st_size);
		return -ENOMEM;
	}
	idx->st = st;
	r = idx_validate(idx, map, (size_t)st.st_size);
	if (r < 0) {
		munmap(map, (size_t)st.st_size);
		free(idx);
		return r;
	}
	*out = idx;
	return 0;
}

IANA_EXPORT enum iana_database iana_index_database(const struct iana_index *idx)
{
	return idx->database == IDX_DB_PROTOCOLS ? IANA_DATABASE_PROTOCOLS : IANA_DATABASE_SERVICES;
}

IANA_EXPORT void iana_index_close(struct iana_index *idx)
{
	if (!idx)
		return;
	munmap((void *)idx->map, idx->size);
	free(idx);
}
