/* index_current.c: the process's default indexes, reloaded when replaced.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The NSS module and the shim answer from one index per database and
 * process (services, protocols: struct db), mapped on first use; an index
 * of the other database at the path is refused (UNAVAIL, EPROTO). At most once a second (whenever time(), read from the vDSO
 * without a system call, gives another second than at the last check:
 * one load, where the coarse monotonic clock costs a seqlock loop and a
 * multiplication) the path is stat()ed again; a different file there is
 * mapped and becomes current. A failure to open is
 * remembered for the same second, so a missing index costs one system call
 * a second, not one per lookup. The same check stats the local files the
 * index was compiled from (compile --watch): while one has changed, the
 * index is stale and not used, and calls answer UNAVAIL so that "files"
 * after the module answers from the edited file.
 *
 * A mapping is released only when nobody reads it: the current pointer, the
 * enumeration stream and every thread that looked up in it hold a reference
 * (counted under the lock). A lookup takes no lock: the thread's own
 * reference (thread-specific data) keeps its index mapped, and it needs the
 * lock only to move to a new index, once per reload. Its last index is
 * released when the thread exits. Fork handlers keep the lock usable in a
 * child. Enumeration keeps the index it started on, so a stream never mixes
 * two files; at the same cadence it checks that this file has not been
 * changed in place, nor its local files edited, and ends with UNAVAIL if so.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <time.h>

#include "index-current.h"
#include "index-internal.h"
#include "macro.h"

#ifndef IANA_DEFAULT_INDEX
#define IANA_DEFAULT_INDEX "/var/lib/nss-iana/services.idx"
#endif
#ifndef IANA_DEFAULT_PROTOCOLS_INDEX
#define IANA_DEFAULT_PROTOCOLS_INDEX "/var/lib/nss-iana/protocols.idx"
#endif

/* The second of the last check, as time() gives it; a process that has
 * not checked yet holds NEVER. */
#define NEVER INT64_MIN

struct held {
	struct iana_index *idx;
	unsigned long refs;          /* under lock */
};

/* One database's index and enumeration stream. The functions below take
 * one of the two constants, services or protocols, and being inlined into
 * each public call, read its fields at fixed addresses. */
struct db {
	const char *env;                 /* overrides the path, unless privileged */
	const char *path;                /* else this one */
	uint32_t database;               /* what the index must hold */
	pthread_mutex_t lock;
	pthread_key_t thread_key;        /* a thread's struct held */
	int have_key;                    /* set once, in init */
	struct held *_Atomic held;       /* NULL: unavailable, why in err */
	int err;                         /* under lock */
	_Atomic int64_t checked;         /* the second of the last check, or NEVER */
	struct {                         /* under lock */
		struct held *held;       /* the index the stream started on */
		size_t pos;
		int64_t checked;         /* as checked above */
		int failed;              /* ended by a change: UNAVAIL until set/end */
	} stream;
};

static struct db services = {
	.env = "NSS_IANA_INDEX", .path = IANA_DEFAULT_INDEX,
	.database = IDX_DB_SERVICES, .lock = PTHREAD_MUTEX_INITIALIZER, .checked = NEVER,
};
static struct db protocols = {
	.env = "NSS_IANA_PROTOCOLS_INDEX", .path = IANA_DEFAULT_PROTOCOLS_INDEX,
	.database = IDX_DB_PROTOCOLS, .lock = PTHREAD_MUTEX_INITIALIZER, .checked = NEVER,
};

static const char *db_path(const struct db *d)
{
	const char *p = secure_getenv(d->env);

	return p && *p ? p : d->path;
}

IANA_EXPORT const char *iana_index_default_path(void)
{
	return db_path(&services);
}

IANA_EXPORT const char *iana_index_database_path(enum iana_database database)
{
	return database == IANA_DATABASE_PROTOCOLS ? db_path(&protocols) : db_path(&services);
}

/* With the database's lock held. */
static void release(struct held *h)
{
	if (h && --h->refs == 0) {
		iana_index_close(h->idx);
		free(h);
	}
}

static void services_thread_exit(void *h)
{
	pthread_mutex_lock(&services.lock);
	release(h);
	pthread_mutex_unlock(&services.lock);
}

static void protocols_thread_exit(void *h)
{
	pthread_mutex_lock(&protocols.lock);
	release(h);
	pthread_mutex_unlock(&protocols.lock);
}

static void lock_for_fork(void)
{
	pthread_mutex_lock(&services.lock);
	pthread_mutex_lock(&protocols.lock);
}

static void unlock_after_fork(void)
{
	pthread_mutex_unlock(&protocols.lock);
	pthread_mutex_unlock(&services.lock);
}

/* At load rather than through pthread_once on every call (whose first
 * run also costs a futex system call). */
__attribute__((constructor)) static void init(void)
{
	pthread_atfork(lock_for_fork, unlock_after_fork, unlock_after_fork);
	services.have_key = pthread_key_create(&services.thread_key, services_thread_exit) == 0;
	protocols.have_key = pthread_key_create(&protocols.thread_key, protocols_thread_exit) == 0;
}

/* A library unloaded with dlclose() must not leave its destructor to run
 * at a later thread's exit. */
__attribute__((destructor)) static void fini(void)
{
	if (services.have_key)
		pthread_key_delete(services.thread_key);
	if (protocols.have_key)
		pthread_key_delete(protocols.thread_key);
}

/* The second now. A clock set back or forward only makes the next check
 * come sooner: a check is due whenever the second differs, not when it is
 * later. */
static ALWAYS_INLINE int64_t now_sec(void)
{
	return (int64_t)time(NULL);
}

/* The first reading, in a process that may make one lookup and exit: the
 * vDSO would first fault its data page in, measured at 14-28 us on a
 * virtual machine against 3 us for the system call. */
static int64_t first_now_sec(void)
{
	struct timespec ts;

	if (syscall(SYS_clock_gettime, CLOCK_REALTIME_COARSE, &ts) < 0)
		return now_sec();
	return (int64_t)ts.tv_sec;
}

/* Compared with the file that was mapped (its fstat), not with an earlier
 * stat of the path: the path may have been replaced between the two. */
static int same_file(const struct held *h, const struct stat *st)
{
	const struct stat *m = h ? &h->idx->st : NULL;

	return m && st->st_dev == m->st_dev && st->st_ino == m->st_ino &&
	       st->st_size == m->st_size && st->st_mtim.tv_sec == m->st_mtim.tv_sec &&
	       st->st_mtim.tv_nsec == m->st_mtim.tv_nsec;
}

/* With the lock held: make current what is at the path now, unless the
 * local files it was compiled from have changed since (stale: UNAVAIL)
 * or it holds the other database. */
static void refresh(struct db *d)
{
	const char *path = db_path(d);
	struct held *old = atomic_load_explicit(&d->held, memory_order_relaxed), *h = NULL;
	struct iana_index *idx;
	struct stat st;
	int r = 0;

	/* Nothing mapped yet: open at once (it fstat()s), no stat() first. */
	if (old && stat(path, &st) < 0) {
		r = -errno;
	} else if (old && same_file(old, &st)) {
		h = old;
	} else {
		r = iana_index_open(path, &idx);
		if (r == 0 && (uint32_t)iana_index_database(idx) != d->database) {
			iana_index_close(idx);
			r = -EPROTO;
		}
		if (r == 0 && !(h = malloc(sizeof(*h)))) {
			iana_index_close(idx);
			r = -ENOMEM;
		}
		if (h)
			*h = (struct held){ .idx = idx, .refs = 1 };
	}
	if (h && idx_watch_all(h->idx, NULL) < 0) {
		if (h != old)
			release(h);
		h = NULL;
		r = -ESTALE;
	}
	if (h == old && h)
		return;
	atomic_store_explicit(&d->held, h, memory_order_release);
	d->err = r < 0 ? -r : 0;
	release(old);
}

/* With the lock held: the current index, checked again when due. */
static struct held *current(struct db *d, int *err)
{
	int64_t last = atomic_load_explicit(&d->checked, memory_order_relaxed);
	int64_t now = last != NEVER ? now_sec() : first_now_sec();
	struct held *h;

	if (now != last) {
		refresh(d);
		atomic_store_explicit(&d->checked, now, memory_order_relaxed);
	}
	h = atomic_load_explicit(&d->held, memory_order_relaxed);
	if (!h)
		*err = d->err ? d->err : ENOENT;
	return h;
}

/* The calling thread moves to the current index. Returns it with the lock
 * released, or, when the thread cannot hold a reference of its own (no
 * thread-specific data), with the lock held: *locked says which. A
 * successful lookup leaves errno as it was, even after a reload. */
static __attribute__((noinline)) struct held *enter_slow(struct db *d, int *locked, int *err)
{
	int saved = errno;
	struct held *h, *mine;

	pthread_mutex_lock(&d->lock);
	h = current(d, err);
	mine = d->have_key ? pthread_getspecific(d->thread_key) : NULL;
	*locked = 0;
	if (h && h != mine) {
		if (d->have_key && pthread_setspecific(d->thread_key, h) == 0) {
			h->refs++;
			release(mine);
		} else {
			*locked = 1;
		}
	}
	if (!*locked)
		pthread_mutex_unlock(&d->lock);
	errno = saved;
	return h;
}

/* The fast path: the thread's own index, when it is still the current one
 * and no check is due. No lock, no system call. */
static ALWAYS_INLINE struct held *enter(struct db *d, int *locked, int *err)
{
	struct held *mine = d->have_key ? pthread_getspecific(d->thread_key) : NULL;

	if (mine && mine == atomic_load_explicit(&d->held, memory_order_relaxed) &&
	    now_sec() == atomic_load_explicit(&d->checked, memory_order_relaxed)) {
		*locked = 0;
		return mine;
	}
	return enter_slow(d, locked, err);
}

static void leave(struct db *d, int locked)
{
	if (locked)
		pthread_mutex_unlock(&d->lock);
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

/* The entry's answer in the caller's struct: a servent, or a protoent
 * for the protocols database. */
static ALWAYS_INLINE int copy_entry(const struct db *d, const struct iana_index *idx,
                                   size_t e, void *result, char *buf, size_t buflen)
{
	if (d == &protocols)
		return iana_index_protoent(idx, e, result, buf, buflen);
	return iana_index_servent(idx, e, result, buf, buflen);
}

/* One lookup, by name when name is not NULL, else by port (a protocol's
 * number is its port, in network byte order likewise). */
static ALWAYS_INLINE enum iana_status lookup(struct db *d, const char *name, int port,
                                             const char *proto, void *result, char *buf,
                                             size_t buflen, int *err)
{
	int locked;
	struct held *h = enter(d, &locked, err);
	size_t e;
	int r;

	if (!h) {
		leave(d, locked);
		return IANA_UNAVAIL;
	}
	r = name ? iana_index_find_name(h->idx, name, proto, &e) :
	           iana_index_find_port(h->idx, port, proto, &e);
	if (r == 0)
		r = copy_entry(d, h->idx, e, result, buf, buflen);
	leave(d, locked);
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
	return lookup(&services, name, 0, proto, result, buf, buflen, err);
}

enum iana_status iana_current_getservbyport(int port, const char *proto,
                                            struct servent *result, char *buf,
                                            size_t buflen, int *err)
{
	return lookup(&services, NULL, port, proto, result, buf, buflen, err);
}

enum iana_status iana_current_getprotobyname(const char *name, struct protoent *result,
                                             char *buf, size_t buflen, int *err)
{
	if (!name) {
		*err = ENOENT;
		return IANA_NOTFOUND;
	}
	return lookup(&protocols, name, 0, NULL, result, buf, buflen, err);
}

/* glibc passes the number as an int; an entry's is 0..65535. */
enum iana_status iana_current_getprotobynumber(int number, struct protoent *result,
                                               char *buf, size_t buflen, int *err)
{
	if (number < 0 || number > 0xffff) {
		*err = ENOENT;
		return IANA_NOTFOUND;
	}
	return lookup(&protocols, NULL, (int)htons((uint16_t)number), NULL, result, buf,
	              buflen, err);
}

/* Enumeration keeps its state under the lock (glibc serializes it too). */
static int stream_lock(struct db *d)
{
	int saved = errno;

	pthread_mutex_lock(&d->lock);
	return saved;
}

static void stream_unlock(struct db *d, int saved)
{
	pthread_mutex_unlock(&d->lock);
	errno = saved;
}

static void rewind_stream(struct db *d)
{
	int saved = stream_lock(d);

	release(d->stream.held);
	d->stream.held = NULL;
	d->stream.pos = 0;
	d->stream.failed = 0;
	stream_unlock(d, saved);
}

/* With the lock held, at most once a second: whether the stream may go on.
 * A file replaced by rename leaves the stream's mapping intact (a stream
 * never mixes two files), but one changed in place may be cut short
 * under it, and local files edited make its entries stale. */
static int stream_still_valid(struct db *d)
{
	const struct stat *m = &d->stream.held->idx->st;
	int64_t now = now_sec();
	struct stat st;

	if (now == d->stream.checked)
		return 1;
	d->stream.checked = now;
	if (stat(db_path(d), &st) == 0 && st.st_dev == m->st_dev &&
	    st.st_ino == m->st_ino && !same_file(d->stream.held, &st))
		return 0;
	return idx_watch_all(d->stream.held->idx, NULL) == 0;
}

/* A short buffer leaves the position alone: the caller retries it. */
static enum iana_status next_entry(struct db *d, void *result, char *buf, size_t buflen,
                                   int *err)
{
	int saved = stream_lock(d);
	int r;

	if (!d->stream.held && !d->stream.failed) {
		d->stream.held = current(d, err);
		if (d->stream.held) {
			d->stream.held->refs++;
			d->stream.checked = now_sec();
		}
	} else if (d->stream.held && !stream_still_valid(d)) {
		release(d->stream.held);
		d->stream.held = NULL;
		d->stream.failed = 1;
		*err = ESTALE;
	}
	if (!d->stream.held) {
		if (d->stream.failed)
			*err = ESTALE;
		stream_unlock(d, saved);
		return IANA_UNAVAIL;
	}
	r = d->stream.pos < d->stream.held->idx->entry_count ? 0 : -ENOENT;
	if (r == 0)
		r = copy_entry(d, d->stream.held->idx, d->stream.pos, result, buf, buflen);
	if (r == 0)
		d->stream.pos++;
	stream_unlock(d, saved);
	return status(r, err);
}

void iana_current_setservent(void)
{
	rewind_stream(&services);
}

void iana_current_endservent(void)
{
	rewind_stream(&services);
}

enum iana_status iana_current_getservent(struct servent *result, char *buf,
                                         size_t buflen, int *err)
{
	return next_entry(&services, result, buf, buflen, err);
}

void iana_current_setprotoent(void)
{
	rewind_stream(&protocols);
}

void iana_current_endprotoent(void)
{
	rewind_stream(&protocols);
}

enum iana_status iana_current_getprotoent(struct protoent *result, char *buf,
                                          size_t buflen, int *err)
{
	return next_entry(&protocols, result, buf, buflen, err);
}
