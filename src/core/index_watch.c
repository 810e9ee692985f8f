/* index_watch.c: is the index older than the local files it holds?
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An index compiled with --watch records each services(5) input's path and
 * identity (SPEC 10, F2). A file edited, replaced, removed or created
 * since makes the index stale: readers then answer UNAVAIL, so that the
 * next NSS service ("files") reads the file as it is now. Called at the
 * once-a-second check, never on the lookup path.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "index-internal.h"
#include "macro.h"

/* The path of w copied out of the mapping, bounded by STRINGS and by
 * IDX_MAX_PATH, or NULL. Checked at open, but read again here: the file
 * may have changed in place since (in the clock tick of its last change,
 * unseen), and stat() must not be handed an offset or a string that runs
 * outside the mapping, nor one that changes while the kernel reads it. */
static const char *watch_path(const struct iana_index *idx, const struct idx_watch *w,
                              char buf[IDX_MAX_PATH])
{
	uint32_t off = w->path;
	size_t room;

	if (off >= idx->strings_size)
		return NULL;
	room = idx->strings_size - off;
	if (room > IDX_MAX_PATH)
		room = IDX_MAX_PATH;
	memcpy(buf, idx->strings + off, room);
	return buf[0] == '/' && memchr(buf, 0, room) ? buf : NULL;
}

int idx_watch_check(const struct iana_index *idx, const struct idx_watch *w)
{
	char buf[IDX_MAX_PATH];
	const char *path = watch_path(idx, w, buf);
	struct stat st;

	if (!path)
		return -ESTALE;
	if (stat(path, &st) < 0)
		return (w->flags & WATCH_ABSENT) && errno == ENOENT ? 0 : -ESTALE;
	if ((w->flags & WATCH_ABSENT) || (uint64_t)st.st_dev != w->dev ||
	    (uint64_t)st.st_ino != w->ino || (uint64_t)st.st_size != w->size ||
	    st.st_mtim.tv_sec != w->mtime_sec || (uint64_t)st.st_mtim.tv_nsec != w->mtime_nsec)
		return -ESTALE;
	return 0;
}

int idx_watch_all(const struct iana_index *idx, const char **which)
{
	for (uint32_t i = 0; i < idx->watch_count; i++)
		if (idx_watch_check(idx, &idx->watch[i]) < 0) {
			/* a pointer into the mapping: "" if the offset is bad now */
			if (which)
				*which = idx_string(idx, idx->watch[i].path);
			return -ESTALE;
		}
	return 0;
}

IANA_EXPORT int iana_index_stale(const struct iana_index *idx, const char **path)
{
	return idx_watch_all(idx, path);
}
