/* nss-iana.c: glibc NSS "services" and "protocols" backend answering from
 * the IANA indexes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Policy (SPEC L5):
 *   found                         NSS_STATUS_SUCCESS, errno untouched
 *   no such service, end of list  NSS_STATUS_NOTFOUND, *errnop = ENOENT
 *   caller's buffer too small     NSS_STATUS_TRYAGAIN, *errnop = ERANGE
 *                                 (glibc retries with a larger buffer)
 *   index missing or invalid      NSS_STATUS_UNAVAIL, *errnop = why, so
 *                                 that "services: iana files" falls back
 * Everything else lives in the library; this file only translates.
 */
#include <errno.h>
#include <netdb.h>
#include <nss.h>

#include "index-current.h"

NSS_DECLARE_MODULE_FUNCTIONS(iana)

/* Built with -fvisibility=hidden; nss-iana.map names the same ten. */
#define NSS_EXPORT __attribute__((visibility("default")))

static enum nss_status nss_status(enum iana_status s, int err, int *errnop)
{
	switch (s) {
	case IANA_FOUND:
		return NSS_STATUS_SUCCESS;
	case IANA_ERANGE:
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	case IANA_NOTFOUND:
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	case IANA_UNAVAIL:
	default:
		*errnop = err;
		return NSS_STATUS_UNAVAIL;
	}
}

NSS_EXPORT enum nss_status _nss_iana_getservbyname_r(const char *name, const char *proto,
                                          struct servent *result, char *buffer,
                                          size_t buflen, int *errnop)
{
	int err = 0;
	enum iana_status s;

	s = iana_current_getservbyname(name, proto, result, buffer, buflen, &err);
	return nss_status(s, err, errnop);
}

NSS_EXPORT enum nss_status _nss_iana_getservbyport_r(int port, const char *proto,
                                          struct servent *result, char *buffer,
                                          size_t buflen, int *errnop)
{
	int err = 0;
	enum iana_status s;

	s = iana_current_getservbyport(port, proto, result, buffer, buflen, &err);
	return nss_status(s, err, errnop);
}

NSS_EXPORT enum nss_status _nss_iana_setservent(int stayopen)
{
	(void)stayopen;
	iana_current_setservent();
	return NSS_STATUS_SUCCESS;
}

NSS_EXPORT enum nss_status _nss_iana_getservent_r(struct servent *result, char *buffer,
                                       size_t buflen, int *errnop)
{
	int err = 0;
	enum iana_status s;

	s = iana_current_getservent(result, buffer, buflen, &err);
	return nss_status(s, err, errnop);
}

NSS_EXPORT enum nss_status _nss_iana_endservent(void)
{
	iana_current_endservent();
	return NSS_STATUS_SUCCESS;
}

NSS_EXPORT enum nss_status _nss_iana_getprotobyname_r(const char *name, struct protoent *result,
                                           char *buffer, size_t buflen, int *errnop)
{
	int err = 0;
	enum iana_status s;

	s = iana_current_getprotobyname(name, result, buffer, buflen, &err);
	return nss_status(s, err, errnop);
}

NSS_EXPORT enum nss_status _nss_iana_getprotobynumber_r(int number, struct protoent *result,
                                             char *buffer, size_t buflen, int *errnop)
{
	int err = 0;
	enum iana_status s;

	s = iana_current_getprotobynumber(number, result, buffer, buflen, &err);
	return nss_status(s, err, errnop);
}

NSS_EXPORT enum nss_status _nss_iana_setprotoent(int stayopen)
{
	(void)stayopen;
	iana_current_setprotoent();
	return NSS_STATUS_SUCCESS;
}

NSS_EXPORT enum nss_status _nss_iana_getprotoent_r(struct protoent *result, char *buffer,
                                        size_t buflen, int *errnop)
{
	int err = 0;
	enum iana_status s;

	s = iana_current_getprotoent(result, buffer, buflen, &err);
	return nss_status(s, err, errnop);
}

NSS_EXPORT enum nss_status _nss_iana_endprotoent(void)
{
	iana_current_endprotoent();
	return NSS_STATUS_SUCCESS;
}
