/* macro.h: small definitions every part of the library uses.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_MACRO_H
#define IANA_MACRO_H

/* Everything is built with -fvisibility=hidden; the public API says so. */
#define IANA_EXPORT __attribute__((visibility("default")))

/* The lookup path's helpers, inlined into the one function per call. */
#define ALWAYS_INLINE inline __attribute__((always_inline))

#endif
