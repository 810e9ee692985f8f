/* index-current.h: lookups in the process's default indexes, for the NSS
 * module and the shim. Each call is thread-safe and sets *err (an errno
 * value) on anything but IANA_FOUND.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_INDEX_CURRENT_H
#define IANA_INDEX_CURRENT_H

#include <stddef.h>
#include <netdb.h>

enum iana_status {
	IANA_FOUND,
	IANA_NOTFOUND,   /* *err = ENOENT */
	IANA_ERANGE,     /* *err = ERANGE: retry with a larger buffer */
	IANA_UNAVAIL,    /* the index is missing or invalid */
};

enum iana_status iana_current_getservbyname(const char *name, const char *proto,
                                            struct servent *result, char *buf,
                                            size_t buflen, int *err);
enum iana_status iana_current_getservbyport(int port, const char *proto,
                                            struct servent *result, char *buf,
                                            size_t buflen, int *err);
void iana_current_setservent(void);
enum iana_status iana_current_getservent(struct servent *result, char *buf,
                                         size_t buflen, int *err);
void iana_current_endservent(void);

/* The same over the protocols database (SPEC 9). */
enum iana_status iana_current_getprotobyname(const char *name, struct protoent *result,
                                             char *buf, size_t buflen, int *err);
enum iana_status iana_current_getprotobynumber(int number, struct protoent *result,
                                               char *buf, size_t buflen, int *err);
void iana_current_setprotoent(void);
enum iana_status iana_current_getprotoent(struct protoent *result, char *buf,
                                          size_t buflen, int *err);
void iana_current_endprotoent(void);

#endif
