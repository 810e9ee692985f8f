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
#include <sys/stat.h>

#include "index-internal.h"
#include "macro.h"

int idx_watch_check(const struct iana_index *idx, const struct idx_watch *w)
{
	const char *path = idx->strings + w->path;   /* checked at open */
	struct stat st;

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
			if (which)
				*which = idx->strings + idx->watch[i].path;
			return -ESTALE;
		}
	return 0;
}

IANA_EXPORT int iana_index_stale(const struct iana_index *idx, const char **path)
{
	return idx_watch_all(idx, path);
}
