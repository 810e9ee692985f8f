/* compat.c: getservbyname(3), getprotobyname(3) and their families, with
 * per-thread storage.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each thread has its own struct servent, struct protoent and buffers, so
 * concurrent callers never see each other's answers. The buffer starts at 1 KiB and doubles
 * when an entry does not fit; it is freed when the thread exits.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "compat.h"
#include "iana-services.h"
#include "macro.h"

static pthread_key_t keys[2];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void make_keys(void)
{
	pthread_key_create(&keys[COMPAT_SERVICES], free);
	pthread_key_create(&keys[COMPAT_PROTOCOLS], free);
}

struct storage *compat_storage(enum compat_db db, size_t size)
{
	struct storage *st;

	if (size > (1u << 20))
		return NULL;
	pthread_once(&once, make_keys);
	st = pthread_getspecific(keys[db]);
	if (st && st->size >= size)
		return st;
	free(st);
	st = malloc(sizeof(*st) + size);
	if (st)
		st->size = size;
	pthread_setspecific(keys[db], st);
	return st;
}

IANA_EXPORT struct servent *iana_getservbyname(const char *name, const char *proto)
{
	struct servent *res = NULL;

	for (struct storage *st = compat_storage(COMPAT_SERVICES, 1024); st;
	     st = compat_storage(COMPAT_SERVICES, st->size * 2))
		if (iana_getservbyname_r(name, proto, &st->s, st->buf, st->size, &res) != ERANGE)
			return res;
	return NULL;
}

IANA_EXPORT struct servent *iana_getservbyport(int port, const char *proto)
{
	struct servent *res = NULL;

	for (struct storage *st = compat_storage(COMPAT_SERVICES, 1024); st;
	     st = compat_storage(COMPAT_SERVICES, st->size * 2))
		if (iana_getservbyport_r(port, proto, &st->s, st->buf, st->size, &res) != ERANGE)
			return res;
	return NULL;
}

IANA_EXPORT struct servent *iana_getservent(void)
{
	struct servent *res = NULL;

	for (struct storage *st = compat_storage(COMPAT_SERVICES, 1024); st;
	     st = compat_storage(COMPAT_SERVICES, st->size * 2))
		if (iana_getservent_r(&st->s, st->buf, st->size, &res) != ERANGE)
			return res;
	return NULL;
}

IANA_EXPORT struct protoent *iana_getprotobyname(const char *name)
{
	struct protoent *res = NULL;

	for (struct storage *st = compat_storage(COMPAT_PROTOCOLS, 1024); st;
	     st = compat_storage(COMPAT_PROTOCOLS, st->size * 2))
		if (iana_getprotobyname_r(name, &st->p, st->buf, st->size, &res) != ERANGE)
			return res;
	return NULL;
}

IANA_EXPORT struct protoent *iana_getprotobynumber(int number)
{
	struct protoent *res = NULL;

	for (struct storage *st = compat_storage(COMPAT_PROTOCOLS, 1024); st;
	     st = compat_storage(COMPAT_PROTOCOLS, st->size * 2))
		if (iana_getprotobynumber_r(number, &st->p, st->buf, st->size, &res) != ERANGE)
			return res;
	return NULL;
}

IANA_EXPORT struct protoent *iana_getprotoent(void)
{
	struct protoent *res = NULL;

	for (struct storage *st = compat_storage(COMPAT_PROTOCOLS, 1024); st;
	     st = compat_storage(COMPAT_PROTOCOLS, st->size * 2))
		if (iana_getprotoent_r(&st->p, st->buf, st->size, &res) != ERANGE)
			return res;
	return NULL;
}
