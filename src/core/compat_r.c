/* compat_r.c: getservbyname_r(3) and its family over the default index.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>

#include "index-current.h"
#include "iana-services.h"
#include "macro.h"

/* glibc's convention: not found is 0 with *result NULL; a short buffer is
 * ERANGE (errno too); an unreadable index is the reason. */
static int answer(enum iana_status s, int err, struct servent *rb, struct servent **result)
{
	*result = s == IANA_FOUND ? rb : NULL;
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
