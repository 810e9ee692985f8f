/* fetch.c: one download with libcurl, for `iana-services update`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * TLS is verified against the system's CA store (or the bundle asked
 * for); proxies come from the environment as curl's own tool takes them
 * (http_proxy, https_proxy, no_proxy); only http, https and file URLs are
 * fetched, and redirects go to http and https only, at most five of them.
 * The body is bounded twice: by the size the server announces
 * (CURLOPT_MAXFILESIZE_LARGE) and by what actually arrives.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "fetch.h"

#define MAX_REDIRECTS 5

struct transfer {
	struct fetch_result *res;
	size_t max_size, cap;
	int too_big, no_memory;
};

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
	struct transfer *t = user;
	struct fetch_result *res = t->res;

	n *= size;
	if (n > t->max_size - res->len) {
		t->too_big = 1;
		return 0;
	}
	if (res->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 1 << 20;
		char *data;

		while (cap < res->len + n + 1)
			cap *= 2;
		data = realloc(res->data, cap);
		if (!data) {
			t->no_memory = 1;
			return 0;
		}
		res->data = data;
		t->cap = cap;
	}
	memcpy(res->data + res->len, p, n);
	res->len += n;
	res->data[res->len] = 0;
	return n;
}

/* The value of "Name: value" when the header line is called name, with
 * the white space around it removed; NULL otherwise. */
static char *header_value(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);
	const char *v, *end = line + n;

	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return NULL;
	for (v = line + k + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	return strndup(v, (size_t)(end - v));
}

static void replace(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

/* The validators of the last response only: a redirect's headers come first. */
static size_t on_header(char *p, size_t size, size_t n, void *user)
{
	struct transfer *t = user;
	char *v;

	n *= size;
	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		replace(&t->res->etag, NULL);
		replace(&t->res->last_modified, NULL);
	} else if ((v = header_value(p, n, "ETag"))) {
		replace(&t->res->etag, v);
	} else if ((v = header_value(p, n, "Last-Modified"))) {
		replace(&t->res->last_modified, v);
	}
	return n;
}

/* A header line from a stored value, or NULL when it is absent or could
 * end the line. */
static struct curl_slist *add_header(struct curl_slist *h, const char *name, const char *value)
{
	char *line;
	struct curl_slist *next;

	if (!value || !*value || strpbrk(value, "\r\n"))
		return h;
	if (asprintf(&line, "%s: %s", name, value) < 0)
		return h;
	next = curl_slist_append(h, line);
	free(line);
	return next ? next : h;
}

static int is_file_url(const char *url)
{
	return strncasecmp(url, "file:", 5) == 0;
}

enum fetch_status fetch(const struct fetch_request *rq, struct fetch_result *res)
{
	struct transfer t = { .res = res, .max_size = rq->max_size };
	char error[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	long code = 0, unmet = 0, filetime = -1;
	int conditional = 0;
	CURL *curl;
	CURLcode rc;

	memset(res, 0, sizeof(*res));
	res->filetime = -1;
	res->status = FETCH_FAILED;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || !(curl = curl_easy_init())) {
		snprintf(res->error, sizeof(res->error), "cannot start libcurl");
		return res->status;
	}
	curl_easy_setopt(curl, CURLOPT_URL, rq->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE);
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "iana-services/" PACKAGE_VERSION);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, rq->connect_timeout);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, rq->timeout);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->max_size);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (rq->cacert)
		curl_easy_setopt(curl, CURLOPT_CAINFO, rq->cacert);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
	curl_easy_setopt(curl, CURLOPT_FILETIME, 1L);
	if (is_file_url(rq->url)) {
		if (rq->filetime >= 0) {
			conditional = 1;
			curl_easy_setopt(curl, CURLOPT_TIMECONDITION, (long)CURL_TIMECOND_IFMODSINCE);
			curl_easy_setopt(curl, CURLOPT_TIMEVALUE_LARGE, (curl_off_t)rq->filetime);
		}
	} else {
		headers = add_header(headers, "If-None-Match", rq->etag);
		headers = add_header(headers, "If-Modified-Since", rq->last_modified);
		conditional = headers != NULL;
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	}

	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(curl, CURLINFO_CONDITION_UNMET, &unmet);
	curl_easy_getinfo(curl, CURLINFO_FILETIME, &filetime);
	if (t.too_big || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(res->error, sizeof(res->error), "larger than the size limit of %zu bytes",
		         rq->max_size);
	else if (t.no_memory)
		snprintf(res->error, sizeof(res->error), "out of memory");
	else if (rc != CURLE_OK)
		snprintf(res->error, sizeof(res->error), "%s%s%s", curl_easy_strerror(rc),
		         error[0] ? ": " : "", error);
	else if ((code == 304 || (code == 0 && unmet)) && conditional)
		res->status = FETCH_NOT_MODIFIED;
	else if (code != 200 && code != 0)
		snprintf(res->error, sizeof(res->error), "HTTP status %ld", code);
	else
		res->status = FETCH_OK;
	if (res->status == FETCH_OK && !res->data && !(res->data = calloc(1, 1))) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		res->status = FETCH_FAILED;
	}
	res->filetime = filetime;
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	return res->status;
}

void fetch_result_free(struct fetch_result *res)
{
	free(res->data);
	free(res->etag);
	free(res->last_modified);
	memset(res, 0, sizeof(*res));
}
