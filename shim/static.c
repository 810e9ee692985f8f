/* static.c: getservbyname(3), getprotobyname(3) and their families for
 * programs linked statically, such as those built with musl-gcc, which
 * has no NSS.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Linked before the C library, these definitions take the place of its
 * own; they answer from the indexes only (merge local services(5) and
 * protocols(5) lines into them with `iana-services compile`). musl has no
 * getservent_r and no getprotobyname_r family; they are here for programs
 * written for glibc.
 */
#include <netdb.h>

#include "iana-services.h"

int getservbyname_r(const char *name, const char *proto, struct servent *result_buf,
                    char *buf, size_t buflen, struct servent **result)
{
	return iana_getservbyname_r(name, proto, result_buf, buf, buflen, result);
}

int getservbyport_r(int port, const char *proto, struct servent *result_buf,
                    char *buf, size_t buflen, struct servent **result)
{
	return iana_getservbyport_r(port, proto, result_buf, buf, buflen, result);
}

struct servent *getservbyname(const char *name, const char *proto)
{
	return iana_getservbyname(name, proto);
}

struct servent *getservbyport(int port, const char *proto)
{
	return iana_getservbyport(port, proto);
}

void setservent(int stayopen)
{
	iana_setservent(stayopen);
}

int getservent_r(struct servent *result_buf, char *buf, size_t buflen,
                 struct servent **result)
{
	return iana_getservent_r(result_buf, buf, buflen, result);
}

struct servent *getservent(void)
{
	return iana_getservent();
}

void endservent(void)
{
	iana_endservent();
}

int getprotobyname_r(const char *name, struct protoent *result_buf, char *buf,
                     size_t buflen, struct protoent **result)
{
	return iana_getprotobyname_r(name, result_buf, buf, buflen, result);
}

int getprotobynumber_r(int number, struct protoent *result_buf, char *buf,
                       size_t buflen, struct protoent **result)
{
	return iana_getprotobynumber_r(number, result_buf, buf, buflen, result);
}

struct protoent *getprotobyname(const char *name)
{
	return iana_getprotobyname(name);
}

struct protoent *getprotobynumber(int number)
{
	return iana_getprotobynumber(number);
}

void setprotoent(int stayopen)
{
	iana_setprotoent(stayopen);
}

int getprotoent_r(struct protoent *result_buf, char *buf, size_t buflen,
                  struct protoent **result)
{
	return iana_getprotoent_r(result_buf, buf, buflen, result);
}

struct protoent *getprotoent(void)
{
	return iana_getprotoent();
}

void endprotoent(void)
{
	iana_endprotoent();
}
