/* registry_protocols.c: protocols(5) files, such as netbase's
 * /etc/protocols: name number [aliases...] [# comment].
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A line is read as glibc's files backend reads it (nss_readline.c, then
 * LINE_PARSER in nss_files/files-parse.c with the fields of
 * files-proto.c), so that the index answers what the file does (SPEC P3):
 *   - leading white space is dropped, and a line that is then empty or
 *     starts with '#' is no entry;
 *   - the text is cut at the first '#' or newline, wherever it stands;
 *   - the name runs to the first white space, the number is strtoul(3)
 *     with base 10 (a sign is allowed, "0x6" reads 0 and stops at 'x')
 *     and must be followed by white space or the end;
 *   - the remaining words are the aliases.
 * White space is isspace() in the C locale: space \t \n \v \f \r.
 * A line glibc ignores is refused, as a services(5) line is: it is a
 * mistake, and the refusal hides nothing glibc would answer. The comment
 * becomes the record's description. protocols_build() checks the names
 * against the index's limits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index-format.h"
#include "registry.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
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

/* The line as glibc's parser sees it, in a copy owned by reg: nl says
 * whether a newline ended the file's line, lead how much white space
 * starts it. __nss_readline drops that white space with memmove(buf, p,
 * strlen(p)), which moves the text but not its NUL, so the line's last
 * lead bytes stay behind the moved text. A newline among them cuts them
 * off; where none ends the line (the last line of a file), glibc 2.36
 * reads "  last 9" as "last 9 9", an alias "9" more, and so does this. */
static char *as_glibc_reads(struct registry *reg, const char *p, size_t len, int nl,
                            size_t lead)
{
	size_t n = len + (nl ? 1 : 0);
	char *s = registry_strndup(reg, p, n);

	if (!s)
		return NULL;
	memmove(s, s + lead, n - lead);
	return s;
}

static const char *next_word(char **p, size_t *len)
{
	char *s;

	while (**p && is_space(**p))
		(*p)++;
	s = *p;
	while (**p && !is_space(**p))
		(*p)++;
	*len = (size_t)(*p - s);
	return *len ? s : NULL;
}

/* The number as INT_FIELD reads it: strtoul with base 10, then, as the
 * glibc 2.36 of Debian 12 does (checked with _nss_files_parse_protoent
 * and getent), a value past 32 bits makes the line invalid; the upstream
 * source would clamp it to 0xffffffff. The (int) of the 32 bits is what
 * getprotobyname gives. NULL when glibc ignores the line. */
static char *number(char *p, unsigned long *v)
{
	char *end;

	*v = strtoul(p, &end, 10);
	if (end == p || *v > 0xffffffffu || (*end && !is_space(*end)))
		return NULL;
	return end;
}

static int parse_line(struct registry *reg, const char *p, size_t len, int nl,
                      const char *file, unsigned long line, struct diags *d)
{
	size_t lead = 0, n, i;
	char *text, *q, *cut, *name, *after;
	const char *comment = "", *w;
	struct registry_record *r;
	unsigned long v;
	char num[16];

	while (lead < len && is_space(p[lead]))
		lead++;
	if (lead == len || p[lead] == '#')
		return 0;                 /* blank or comment only */
	text = as_glibc_reads(reg, p, len, nl, lead);
	if (!text)
		return -ENOMEM;
	cut = strpbrk(text, "#\n");
	if (cut && *cut == '#' && (size_t)(cut - text) < len - lead) {
		/* the comment, as the services reader keeps it, from the line */
		const char *c = p + lead + (size_t)(cut - text) + 1, *end = p + len;

		while (c < end && (*c == ' ' || *c == '\t'))
			c++;
		comment = registry_strndup(reg, c, (size_t)(end - c));
		if (!comment)
			return -ENOMEM;
	}
	if (cut)
		*cut = '\0';
	q = text;
	name = q;
	while (*q && !is_space(*q))
		q++;
	n = (size_t)(q - name);
	while (*q && is_space(*q))
		*q++ = '\0';
	after = number(q, &v);
	if (!after) {
		diag_add(d, DIAG_ERROR, file, line, "expected \"name number\" (a decimal "
		         "number, then white space or the end of the line)");
		return -EINVAL;
	}
	r = registry_add(reg, file, line);
	if (!r)
		return -ENOMEM;
	r->local = 1;
	/* glibc's p_proto is the (int) of these 32 bits */
	snprintf(num, sizeof(num), "%lu", v);
	r->f[F_SOURCE] = source(reg, file, line);
	r->f[F_NAME] = registry_strndup(reg, name, n);
	r->f[F_PORT] = registry_strdup(reg, num);
	r->f[F_DESCRIPTION] = comment;
	for (char *t = after; next_word(&t, &n);)
		r->alias_count++;
	if (r->alias_count) {
		r->aliases = calloc(r->alias_count, sizeof(*r->aliases));
		if (!r->aliases)
			return -ENOMEM;
		for (i = 0; (w = next_word(&after, &n)); i++)
			r->aliases[i] = registry_strndup(reg, w, n);
		for (i = 0; i < r->alias_count; i++)
			if (!r->aliases[i])
				return -ENOMEM;
	}
	if (!r->f[F_NAME] || !r->f[F_PORT] || !r->f[F_SOURCE])
		return -ENOMEM;
	return 0;
}

int registry_parse_protocols(struct registry *reg, const char *data, size_t len,
                             const char *file, struct diags *d)
{
	const char *p = data, *end = data + len;
	unsigned long line = 0;
	int r = 0;

	reg->database = IDX_DB_PROTOCOLS;
	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		line++;
		r = parse_line(reg, p, (size_t)(eol - p), nl != NULL, file, line, d);
		p = nl ? nl + 1 : end;
	}
	return r;
}
