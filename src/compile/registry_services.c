/* registry_services.c: services(5) files, to merge an administrator's
 * local entries: name port/proto [aliases...] [# comment].
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The comment becomes the record's description. A line is read as glibc's
 * files backend reads it, so that the index answers what the file does
 * (SPEC R9): the port as strtoul(3) with base 0 reads it, any protocol
 * name. services_build() checks names against the index's limits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

/* What isspace() says in glibc's C and UTF-8 locales: the separators of
 * a services(5) line. */
static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static const char *word(const char **p, const char *end, size_t *len)
{
	const char *s;

	while (*p < end && is_space(**p))
		(*p)++;
	s = *p;
	while (*p < end && !is_space(**p))
		(*p)++;
	*len = (size_t)(*p - s);
	return *len ? s : NULL;
}

/* The port as glibc's files backend reads it (strtoul with base 0, so
 * 0x50 and 0120 are 80, then cut to 16 bits by htons), and where the
 * number ends; NULL when there is no number, or *big set and NULL when
 * the value is past 32 bits. Upstream's strtou32 (files-parse.c) would
 * clamp such a value to 0xffffffff (port 65535), but the glibc 2.36 of
 * Debian 12 makes the line invalid, as for protocols(5) (see
 * registry_protocols.c): getent -s files finds neither "x 4294967296/tcp"
 * nor "x -1/tcp", and finds "x 4294967295/tcp" at 65535. Clamping would
 * make the index answer a line glibc ignores (R9). */
static const char *port_number(struct registry *reg, const char *p, const char *eol,
                               unsigned *port, int *big)
{
	char *text = registry_strndup(reg, p, (size_t)(eol - p)), *end;
	unsigned long v;

	*big = 0;
	if (!text)
		return NULL;
	v = strtoul(text, &end, 0);
	if (end == text)
		return NULL;
	if (v > 0xffffffffu) {
		*big = 1;
		return NULL;
	}
	*port = (unsigned)(v & 0xffff);
	return p + (end - text);
}

/* "FILE:LINE", for `lookup` to say where a local entry came from. */
static const char *source(struct registry *reg, const char *file, unsigned long line)
{
	char *s;
	const char *r;

	if (asprintf(&s, "%s:%lu", file, line) < 0)
		return NULL;
	r = registry_strdup(reg, s);
	free(s);
	return r;
}

/* A line as glibc's files backend parses it: the name, the port, then
 * slashes and the protocol up to white space, or no slash and no protocol
 * when the number ends the line; the rest are aliases. */
static int parse_line(struct registry *reg, const char *p, const char *end,
                      const char *file, unsigned long line, struct diags *d)
{
	const char *hash = memchr(p, '#', (size_t)(end - p));
	const char *eol = hash ? hash : end, *name, *after, *proto, *w;
	const char *comment = hash ? hash + 1 : end;
	struct registry_record *r;
	size_t nlen, plen = 0, n, i;
	unsigned port;
	int big = 0;
	char num[8];

	name = word(&p, eol, &nlen);
	if (!name)
		return 0;                /* blank or comment only */
	while (p < eol && is_space(*p))
		p++;
	after = p < eol ? port_number(reg, p, eol, &port, &big) : NULL;
	if (big) {
		diag_add(d, DIAG_ERROR, file, line, "port number past 32 bits (glibc "
		         "ignores the line)");
		return -EINVAL;
	}
	if (!after || (after < eol && *after != '/')) {
		diag_add(d, DIAG_ERROR, file, line, "expected \"name port/protocol\"");
		return -EINVAL;
	}
	while (after < eol && *after == '/')
		after++;
	proto = after;
	while (after < eol && !is_space(*after))
		after++, plen++;
	p = after;
	r = registry_add(reg, file, line);
	if (!r)
		return -ENOMEM;
	r->local = 1;
	snprintf(num, sizeof(num), "%u", port);
	r->f[F_SOURCE] = source(reg, file, line);
	r->f[F_NAME] = registry_strndup(reg, name, nlen);
	r->f[F_PORT] = registry_strdup(reg, num);
	r->f[F_PROTO] = registry_strndup(reg, proto, plen);
	while (comment < end && (*comment == ' ' || *comment == '\t'))
		comment++;
	r->f[F_DESCRIPTION] = registry_strndup(reg, comment, (size_t)(end - comment));
	for (const char *q = p; word(&q, eol, &n);)
		r->alias_count++;
	if (r->alias_count) {
		r->aliases = calloc(r->alias_count, sizeof(*r->aliases));
		if (!r->aliases)
			return -ENOMEM;
		for (i = 0; (w = word(&p, eol, &n)); i++)
			r->aliases[i] = registry_strndup(reg, w, n);
		for (i = 0; i < r->alias_count; i++)
			if (!r->aliases[i])
				return -ENOMEM;
	}
	if (!r->f[F_NAME] || !r->f[F_PORT] || !r->f[F_PROTO] || !r->f[F_DESCRIPTION] ||
	    !r->f[F_SOURCE])
		return -ENOMEM;
	return 0;
}

int registry_parse_services(struct registry *reg, const char *data, size_t len,
                            const char *file, struct diags *d)
{
	const char *p = data, *end = data + len;
	unsigned long line = 0;
	int r = 0;

	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		line++;
		r = parse_line(reg, p, eol, file, line, d);
		p = nl ? nl + 1 : end;
	}
	return r;
}
