/* compat_r.c: getservbyname_r(3), getprotobyname_r(3) and their families
 * over the default indexes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>

#include "index-current.h"
#include "iana-services.h"
#include "macro.h"

/* glibc's convention: not found is 0 with *result NULL; a short buffer is
 * ERANGE (errno too); an unreadable index is the reason. */
static int status(enum iana_status s, int err)
{
	switch (s) {
	case IANA_FOUND:
	case IANA_NOTFOUND:
		return 0;
	case IANA_ERANGE:
		errno = ERANGE;
		return ERANGE;
	default:
		return err ? err : ENOENT;
	}
}

static int answer(enum iana_status s, int err, struct servent *rb, struct servent **result)
{
	*result = s == IANA_FOUND ? rb : NULL;
	return status(s, err);
}

static int proto_answer(enum iana_status s, int err, struct protoent *rb,
                        struct protoent **result)
{
	*result = s == IANA_FOUND ? rb : NULL;
	return status(s, err);
}

IANA_EXPORT int iana_getservbyname_r(const char *name, const char *proto,
                                     struct servent *result_buf, char *buf,
                                     size_t buflen, struct servent **result)
{
	int err = 0;
	enum iana_status s = iana_current_getservbyname(name, proto, result_buf, buf,
	                                                buflen, &err);

	return answer(s, err, result_buf, result);
}

IANA_EXPORT int iana_getservbyport_r(int port, const char *proto,
                                     struct servent *result_buf, char *buf,
                                     size_t buflen, struct servent **result)
{
	int err = 0;
	enum iana_status s = iana_current_getservbyport(port, proto, result_buf, buf,
	                                                buflen, &err);

	return answer(s, err, result_buf, result);
}

IANA_EXPORT void iana_setservent(int stayopen)
{
	(void)stayopen;
	iana_current_setservent();
}

IANA_EXPORT int iana_getservent_r(struct servent *result_buf, char *buf, size_t buflen,
                                  struct servent **result)
{
	int err = 0;
	enum iana_status s = iana_current_getservent(result_buf, buf, buflen, &err);

	return answer(s, err, result_buf, result);
}

IANA_EXPORT void iana_endservent(void)
{
	iana_current_endservent();
}

IANA_EXPORT int iana_getprotobyname_r(const char *name, struct protoent *result_buf,
                                      char *buf, size_t buflen, struct protoent **result)
{
	int err = 0;
	enum iana_status s = iana_current_getprotobyname(name, result_buf, buf, buflen, &err);

	return proto_answer(s, err, result_buf, result);
}

IANA_EXPORT int iana_getprotobynumber_r(int number, struct protoent *result_buf,
                                        char *buf, size_t buflen, struct protoent **result)
{
	int err = 0;
	enum iana_status s = iana_current_getprotobynumber(number, result_buf, buf, buflen,
	                                                   &err);

	return proto_answer(s, err, result_buf, result);
}

IANA_EXPORT void iana_setprotoent(int stayopen)
{
	(void)stayopen;
	iana_current_setprotoent();
}

IANA_EXPORT int iana_getprotoent_r(struct protoent *result_buf, char *buf, size_t buflen,
                                   struct protoent **result)
{
	int err = 0;
	enum iana_status s = iana_current_getprotoent(result_buf, buf, buflen, &err);

	return proto_answer(s, err, result_buf, result);
}

IANA_EXPORT void iana_endprotoent(void)
{
	iana_current_endprotoent();
}
