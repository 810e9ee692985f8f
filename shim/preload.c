/* preload.c: the LD_PRELOAD drop-in. getservbyname(3), getprotobyname(3)
 * and their families answer from the IANA indexes; what an index does not
 * hold falls through to the next definition (libc's), so local
 * /etc/services and /etc/protocols lines keep working.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * No constructor and no I/O until the first call. Thread-safe: lookups go
 * through the library's locked current index; enumeration has one stream
 * per process, as libc's has. After fork() the child keeps working (the
 * library's fork handlers reset its lock).
 *
 * Enumeration yields the index's entries, then libc's that the index does
 * not hold (same name, port and protocol; same name and number).
 */
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "iana-services.h"
#include "macro.h"

/* The next definition of a libc function, looked up once. */
static void *next(_Atomic(void *) *cache, const char *name)
{
	void *f = atomic_load(cache);

	if (!f) {
		f = dlsym(RTLD_NEXT, name);
		atomic_store(cache, f);
	}
	return f;
}

#define NEXT(name) ((__typeof__(&name))next(&next_##name, #name))

static _Atomic(void *) next_getservbyname_r, next_getservbyport_r, next_getservbyname,
	next_getservbyport, next_setservent, next_getservent_r, next_endservent,
	next_getprotobyname_r, next_getprotobynumber_r, next_getprotobyname,
	next_getprotobynumber, next_setprotoent, next_getprotoent_r, next_endprotoent;

IANA_EXPORT int getservbyname_r(const char *name, const char *proto,
                                struct servent *result_buf, char *buf, size_t buflen,
                                struct servent **result)
{
	int r = iana_getservbyname_r(name, proto, result_buf, buf, buflen, result);

	if (r == ERANGE || *result || !NEXT(getservbyname_r))
		return r;
	return NEXT(getservbyname_r)(name, proto, result_buf, buf, buflen, result);
}

IANA_EXPORT int getservbyport_r(int port, const char *proto, struct servent *result_buf,
                                char *buf, size_t buflen, struct servent **result)
{
	int r = iana_getservbyport_r(port, proto, result_buf, buf, buflen, result);

	if (r == ERANGE || *result || !NEXT(getservbyport_r))
		return r;
	return NEXT(getservbyport_r)(port, proto, result_buf, buf, buflen, result);
}

IANA_EXPORT struct servent *getservbyname(const char *name, const char *proto)
{
	struct servent *s = iana_getservbyname(name, proto);

	return s || !NEXT(getservbyname) ? s : NEXT(getservbyname)(name, proto);
}

IANA_EXPORT struct servent *getservbyport(int port, const char *proto)
{
	struct servent *s = iana_getservbyport(port, proto);

	return s || !NEXT(getservbyport) ? s : NEXT(getservbyport)(port, proto);
}

/* The stream: first the index, then libc's entries the index lacks. */
static pthread_mutex_t stream_lock = PTHREAD_MUTEX_INITIALIZER;
static int in_libc;

IANA_EXPORT void setservent(int stayopen)
{
	pthread_mutex_lock(&stream_lock);
	in_libc = 0;
	iana_setservent(stayopen);
	if (NEXT(setservent))
		NEXT(setservent)(stayopen);
	pthread_mutex_unlock(&stream_lock);
}

IANA_EXPORT void endservent(void)
{
	pthread_mutex_lock(&stream_lock);
	in_libc = 0;
	iana_endservent();
	if (NEXT(endservent))
		NEXT(endservent)();
	pthread_mutex_unlock(&stream_lock);
}

static int in_index(const struct servent *s)
{
	struct servent mine, *res;
	char buf[4096];

	return iana_getservbyname_r(s->s_name, s->s_proto, &mine, buf, sizeof(buf), &res) == 0 &&
	       res && res->s_port == s->s_port && strcasecmp(res->s_name, s->s_name) == 0;
}

static int libc_next(struct servent *result_buf, char *buf, size_t buflen,
                     struct servent **result)
{
	int r;

	*result = NULL;
	if (!NEXT(getservent_r))
		return ENOENT;
	do
		r = NEXT(getservent_r)(result_buf, buf, buflen, result);
	while (r == 0 && *result && in_index(*result));
	return r;
}

IANA_EXPORT int getservent_r(struct servent *result_buf, char *buf, size_t buflen,
                             struct servent **result)
{
	int r = 0;

	pthread_mutex_lock(&stream_lock);
	if (!in_libc) {
		r = iana_getservent_r(result_buf, buf, buflen, result);
		in_libc = r != ERANGE && !*result;
	}
	if (in_libc)
		r = libc_next(result_buf, buf, buflen, result);
	pthread_mutex_unlock(&stream_lock);
	return r;
}

IANA_EXPORT struct servent *getservent(void)
{
	struct servent *res = NULL;

	for (struct storage *st = compat_storage(COMPAT_SERVICES, 1024); st;
	     st = compat_storage(COMPAT_SERVICES, st->size * 2))
		if (getservent_r(&st->s, st->buf, st->size, &res) != ERANGE)
			return res;
	return NULL;
}

IANA_EXPORT int getprotobyname_r(const char *name, struct protoent *result_buf, char *buf,
                                 size_t buflen, struct protoent **result)
{
	int r = iana_getprotobyname_r(name, result_buf, buf, buflen, result);

	if (r == ERANGE || *result || !NEXT(getprotobyname_r))
		return r;
	return NEXT(getprotobyname_r)(name, result_buf, buf, buflen, result);
}

IANA_EXPORT int getprotobynumber_r(int number, struct protoent *result_buf, char *buf,
                                   size_t buflen, struct protoent **result)
{
	int r = iana_getprotobynumber_r(number, result_buf, buf, buflen, result);

	if (r == ERANGE || *result || !NEXT(getprotobynumber_r))
		return r;
	return NEXT(getprotobynumber_r)(number, result_buf, buf, buflen, result);
}

IANA_EXPORT struct protoent *getprotobyname(const char *name)
{
	struct protoent *p = iana_getprotobyname(name);

	return p || !NEXT(getprotobyname) ? p : NEXT(getprotobyname)(name);
}

IANA_EXPORT struct protoent *getprotobynumber(int number)
{
	struct protoent *p = iana_getprotobynumber(number);

	return p || !NEXT(getprotobynumber) ? p : NEXT(getprotobynumber)(number);
}

/* The protocols stream, as the services one. */
static pthread_mutex_t proto_stream_lock = PTHREAD_MUTEX_INITIALIZER;
static int proto_in_libc;

IANA_EXPORT void setprotoent(int stayopen)
{
	pthread_mutex_lock(&proto_stream_lock);
	proto_in_libc = 0;
	iana_setprotoent(stayopen);
	if (NEXT(setprotoent))
		NEXT(setprotoent)(stayopen);
	pthread_mutex_unlock(&proto_stream_lock);
}

IANA_EXPORT void endprotoent(void)
{
	pthread_mutex_lock(&proto_stream_lock);
	proto_in_libc = 0;
	iana_endprotoent();
	if (NEXT(endprotoent))
		NEXT(endprotoent)();
	pthread_mutex_unlock(&proto_stream_lock);
}

static int proto_in_index(const struct protoent *p)
{
	struct protoent mine, *res;
	char buf[4096];

	return iana_getprotobyname_r(p->p_name, &mine, buf, sizeof(buf), &res) == 0 && res &&
	       res->p_proto == p->p_proto && strcasecmp(res->p_name, p->p_name) == 0;
}

static int proto_libc_next(struct protoent *result_buf, char *buf, size_t buflen,
                           struct protoent **result)
{
	int r;

	*result = NULL;
	if (!NEXT(getprotoent_r))
		return ENOENT;
	do
		r = NEXT(getprotoent_r)(result_buf, buf, buflen, result);
	while (r == 0 && *result && proto_in_index(*result));
	return r;
}

IANA_EXPORT int getprotoent_r(struct protoent *result_buf, char *buf, size_t buflen,
                              struct protoent **result)
{
	int r = 0;

	pthread_mutex_lock(&proto_stream_lock);
	if (!proto_in_libc) {
		r = iana_getprotoent_r(result_buf, buf, buflen, result);
		proto_in_libc = r != ERANGE && !*result;
	}
	if (proto_in_libc)
		r = proto_libc_next(result_buf, buf, buflen, result);
	pthread_mutex_unlock(&proto_stream_lock);
	return r;
}

IANA_EXPORT struct protoent *getprotoent(void)
{
	struct protoent *res = NULL;

	for (struct storage *st = compat_storage(COMPAT_PROTOCOLS, 1024); st;
	     st = compat_storage(COMPAT_PROTOCOLS, st->size * 2))
		if (getprotoent_r(&st->p, st->buf, st->size, &res) != ERANGE)
			return res;
	return NULL;
}
