/* compat.h: per-thread storage for the non-reentrant calls, shared by
 * the library and the shim.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_COMPAT_H
#define IANA_COMPAT_H

#include <stddef.h>
#include <netdb.h>

struct storage {
	union {
		struct servent s;
		struct protoent p;
	};
	size_t size;
	char buf[];
};

/* This thread's storage for a database's answers with a buffer of at
 * least size bytes; NULL past 1 MiB (no entry is that large) or when out
 * of memory. Freed when the thread exits. A services answer stays valid
 * across protocols calls and the other way round, as with libc. */
enum compat_db { COMPAT_SERVICES, COMPAT_PROTOCOLS };
struct storage *compat_storage(enum compat_db db, size_t size);

#endif
