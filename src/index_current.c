/* index_current.c: the process's default index, reloaded when replaced.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The NSS module and the shim answer from one index per process, mapped on
 * first use. At most once a second (measured with the vDSO's coarse clock,
 * so the lookup path makes no system call) the path is stat()ed again; a
 * different file there is mapped and the old mapping released. A failure to
 * open is remembered for the same second, so a missing index costs one
 * system call a second, not one per lookup.
 *
 * One mutex guards the state, held for the whole of each call, so a mapping
 * is never released while a lookup reads it; fork handlers keep it usable
 * in a child. Enumeration (setservent/getservent) keeps the index it
 * started on, so a stream never mixes two files.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "index-current.h"
#include "index-internal.h"
#include "macro.h"

#ifndef IANA_DEFAULT_INDEX
#define IANA_DEFAULT_INDEX "/var/lib/nss-iana/services.idx"
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static struct {
	struct iana_index *idx;      /* NULL: unavailable, error in err */
	int err;
	int checked;                 /* ever checked */
	struct timespec when;        /* of the last check */
} cur;

static struct {
	struct iana_index *idx;      /* the index the stream started on */
	size_t pos;
} stream;

IANA_EXPORT const char *iana_index_default_path(void)
{
	const char *p = secure_getenv("NSS_IANA_INDEX");

	return p && *p ? p : IANA_DEFAULT_INDEX;
}

static void lock_for_fork(void) { pthread_mutex_lock(&lock); }
static void unlock_after_fork(void) { pthread_mutex_unlock(&lock); }

static void init(void)
{
	pthread_atfork(lock_for_fork, unlock_after_fork, unlock_after_fork);
}

static void drop(struct iana_index *idx)
{
	if (idx && idx != stream.idx && idx != cur.idx)
		iana_index_close(idx);
}

/* Compared with the file that was mapped (its fstat), not with an earlier
 * stat of the path: the path may have been replaced between the two. */
static int same_file(const struct stat *st)
{
	const struct stat *m = cur.idx ? &cur.idx->st : NULL;

	return m && st->st_dev == m->st_dev && st->st_ino == m->st_ino &&
	       st->st_size == m->st_size && st->st_mtim.tv_sec == m->st_mtim.tv_sec &&
	       st->st_mtim.tv_nsec == m->st_mtim.tv_nsec;
}

static void refresh(void)
{
	const char *path = iana_index_default_path();
	struct iana_index *old = cur.idx, *idx = NULL;
	struct stat st;
	int r;

	if (stat(path, &st) < 0) {
		r = -errno;
	} else if (same_file(&st)) {
		return;
	} else {
		r = iana_index_open(path, &idx);
	}
	cur.idx = idx;
	cur.err = r < 0 ? -r : 0;
	drop(old);
}

static int due(const struct timespec *now)
{
	if (!cur.checked)
		return 1;
	if (now->tv_sec - cur.when.tv_sec > 1)
		return 1;
	return now->tv_sec - cur.when.tv_sec == 1 && now->tv_nsec >= cur.when.tv_nsec;
}

/* With the lock held: the current index, or NULL with *err set. */
static struct iana_index *current(int *err)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (due(&now)) {
		refresh();
		cur.checked = 1;
		cur.when = now;
	}
	if (!cur.idx)
		*err = cur.err ? cur.err : ENOENT;
	return cur.idx;
}

/* Lock, and remember errno: a successful lookup leaves it as it was, even
 * when a reload made system calls on the way. */
static int enter(void)
{
	int saved = errno;

	pthread_once(&once, init);
	pthread_mutex_lock(&lock);
	return saved;
}

static void leave(int saved)
{
	pthread_mutex_unlock(&lock);
	errno = saved;
}

/* A lookup that runs into a damaged part of the index says so: UNAVAIL,
 * so that a following NSS service can answer. */
static enum iana_status status(int r, int *err)
{
	if (r == 0)
		return IANA_FOUND;
	*err = -r;
	if (r == -ERANGE)
		return IANA_ERANGE;
	return r == -EPROTO ? IANA_UNAVAIL : IANA_NOTFOUND;
}

/* One lookup, by name when name is not NULL, else by port. */
static enum iana_status lookup(const char *name, int port, const char *proto,
                               struct servent *result, char *buf, size_t buflen,
                               int *err)
{
	int saved = enter();
	struct iana_index *idx = current(err);
	size_t e;
	int r;

	if (!idx) {
		leave(saved);
		return IANA_UNAVAIL;
	}
	r = name ? iana_index_find_name(idx, name, proto, &e) :
	           iana_index_find_port(idx, port, proto, &e);
	if (r == 0)
		r = iana_index_servent(idx, e, result, buf, buflen);
	leave(saved);
	return status(r, err);
}

enum iana_status iana_current_getservbyname(const char *name, const char *proto,
                                            struct servent *result, char *buf,
                                            size_t buflen, int *err)
{
	if (!name) {
		*err = ENOENT;
		return IANA_NOTFOUND;
	}
	return lookup(name, 0, proto, result, buf, buflen, err);
}

enum iana_status iana_current_getservbyport(int port, const char *proto,
                                            struct servent *result, char *buf,
                                            size_t buflen, int *err)
{
	return lookup(NULL, port, proto, result, buf, buflen, err);
}

static void stream_reset(void)
{
	struct iana_index *old = stream.idx;

	stream.idx = NULL;
	stream.pos = 0;
	drop(old);
}

void iana_current_setservent(void)
{
	int saved = enter();

	stream_reset();
	leave(saved);
}

void iana_current_endservent(void)
{
	iana_current_setservent();
}

/* A short buffer leaves the position alone: the caller retries it. */
enum iana_status iana_current_getservent(struct servent *result, char *buf,
                                         size_t buflen, int *err)
{
	int r;

	int saved = enter();

	if (!stream.idx)
		stream.idx = current(err);
	if (!stream.idx) {
		leave(saved);
		return IANA_UNAVAIL;
	}
	r = stream.pos < stream.idx->entry_count ? 0 : -ENOENT;
	if (r == 0)
		r = iana_index_servent(stream.idx, stream.pos, result, buf, buflen);
	if (r == 0)
		stream.pos++;
	leave(saved);
	return status(r, err);
}
