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
	struct servent s;
	size_t size;
	char buf[];
};

/* This thread's storage with a buffer of at least size bytes; NULL past
 * 1 MiB (no entry is that large) or when out of memory. Freed when the
 * thread exits. */
struct storage *compat_storage(size_t size);

#endif
