/* registry_services.c: services(5) files, to merge an administrator's
 * local entries: name port/proto [aliases...] [# comment].
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The comment becomes the record's description. The port and protocol are
 * kept as text; registry_build() checks them like any registry record's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

static const char *word(const char **p, const char *end, size_t *len)
{
	const char *s;

	while (*p < end && (**p == ' ' || **p == '\t' || **p == '\r'))
		(*p)++;
	s = *p;
	while (*p < end && **p != ' ' && **p != '\t' && **p != '\r')
		(*p)++;
	*len = (size_t)(*p - s);
	return *len ? s : NULL;
}

static int parse_line(struct registry *reg, const char *p, const char *end,
                      const char *file, unsigned long line, struct diags *d)
{
	const char *hash = memchr(p, '#', (size_t)(end - p));
	const char *eol = hash ? hash : end, *name, *pp, *slash, *w;
	const char *comment = hash ? hash + 1 : end;
	struct registry_record *r;
	size_t nlen, plen, n, i;

	name = word(&p, eol, &nlen);
	if (!name)
		return 0;                /* blank or comment only */
	pp = word(&p, eol, &plen);
	slash = pp ? memchr(pp, '/', plen) : NULL;
	if (!slash) {
		diag_add(d, DIAG_ERROR, file, line, "expected \"name port/protocol\"");
		return -EINVAL;
	}
	r = registry_add(reg, file, line);
	if (!r)
		return -ENOMEM;
	r->local = 1;
	r->f[F_NAME] = registry_strndup(reg, name, nlen);
	r->f[F_PORT] = registry_strndup(reg, pp, (size_t)(slash - pp));
	r->f[F_PROTO] = registry_strndup(reg, slash + 1, plen - (size_t)(slash - pp) - 1);
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
	if (!r->f[F_NAME] || !r->f[F_PORT] || !r->f[F_PROTO] || !r->f[F_DESCRIPTION])
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
