/* nss-floor.c: an NSS "services" module that answers every query with one
 * fixed entry, looking nothing up. What it costs per call is glibc's own
 * dispatch (nsswitch, the module's function pointers, the retry loop) plus
 * the least any real module must do: copy an entry into the caller's buffer.
 * The benchmark holds libnss_iana to a multiple of this floor.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Enumeration yields the fixed entry NSS_FLOOR_ENTRIES times (read at
 * setservent, default 10000), so a getservent pass has an end.
 */
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

NSS_DECLARE_MODULE_FUNCTIONS(floor)

#define NSS_EXPORT __attribute__((visibility("default")))

static const char floor_name[] = "floor";
static const char floor_proto[] = "tcp";

static unsigned long enum_left, enum_total = 10000;

/* Lay the entry out as a real module must: alias array aligned in the
 * caller's buffer, then the strings; ERANGE when it does not fit. */
static enum nss_status fill(struct servent *result, char *buf, size_t buflen, int *errnop)
{
	size_t pad = (alignof(char *) - (uintptr_t)buf % alignof(char *)) % alignof(char *);
	size_t need = pad + sizeof(char *) + sizeof(floor_name) + sizeof(floor_proto);
	char **aliases;
	char *p;

	if (buflen < need) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	aliases = (char **)(void *)(buf + pad);
	aliases[0] = NULL;
	p = (char *)(aliases + 1);
	memcpy(p, floor_name, sizeof(floor_name));
	result->s_name = p;
	p += sizeof(floor_name);
	memcpy(p, floor_proto, sizeof(floor_proto));
	result->s_proto = p;
	result->s_aliases = aliases;
	result->s_port = (int)htons(7);
	return NSS_STATUS_SUCCESS;
}

NSS_EXPORT enum nss_status _nss_floor_getservbyname_r(const char *name, const char *proto,
                                           struct servent *result, char *buffer,
                                           size_t buflen, int *errnop)
{
	(void)name;
	(void)proto;
	return fill(result, buffer, buflen, errnop);
}

NSS_EXPORT enum nss_status _nss_floor_getservbyport_r(int port, const char *proto,
                                           struct servent *result, char *buffer,
                                           size_t buflen, int *errnop)
{
	(void)port;
	(void)proto;
	return fill(result, buffer, buflen, errnop);
}

NSS_EXPORT enum nss_status _nss_floor_setservent(int stayopen)
{
	const char *n = getenv("NSS_FLOOR_ENTRIES");

	(void)stayopen;
	if (n && *n)
		enum_total = strtoul(n, NULL, 10);
	enum_left = enum_total;
	return NSS_STATUS_SUCCESS;
}

NSS_EXPORT enum nss_status _nss_floor_getservent_r(struct servent *result, char *buffer,
                                        size_t buflen, int *errnop)
{
	enum nss_status s;

	if (enum_left == 0) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	}
	s = fill(result, buffer, buflen, errnop);
	if (s == NSS_STATUS_SUCCESS)
		enum_left--;
	return s;
}

NSS_EXPORT enum nss_status _nss_floor_endservent(void)
{
	enum_left = 0;
	return NSS_STATUS_SUCCESS;
}
