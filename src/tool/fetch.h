/* fetch.h: one download with libcurl, for `iana-services update`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_TOOL_FETCH_H
#define IANA_TOOL_FETCH_H

#include <stddef.h>

struct fetch_request {
	const char *url;              /* http://, https:// or file:// */
	const char *cacert;           /* CA bundle; NULL: the system's store */
	long connect_timeout, timeout;  /* seconds */
	size_t max_size;              /* bytes of body */
	/* validators of the last download, sent as If-None-Match and
	 * If-Modified-Since (a file:// URL: its mtime); NULL or -1 when none */
	const char *etag, *last_modified;
	long long filetime;
};

enum fetch_status { FETCH_OK, FETCH_NOT_MODIFIED, FETCH_FAILED };

struct fetch_result {
	enum fetch_status status;
	char *data;                   /* the body, malloc()ed, NUL-terminated */
	size_t len;
	char *etag, *last_modified;   /* the response's validators, or NULL */
	long long filetime;           /* -1 when unknown */
	char error[512];              /* FETCH_FAILED: the HTTP status or curl's error */
};

/* FETCH_OK with the body, FETCH_NOT_MODIFIED when a validator matched,
 * FETCH_FAILED with error set. */
enum fetch_status fetch(const struct fetch_request *rq, struct fetch_result *res);
void fetch_result_free(struct fetch_result *res);

#endif
