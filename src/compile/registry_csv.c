/* registry_csv.c: IANA's CSV rendering (RFC 4180).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Quoted fields may span lines and hold doubled quotes; rows end in LF or
 * CRLF. Columns are found by their header names, so a registry that adds or
 * moves columns still reads; Service Name, Port Number and Transport
 * Protocol must be there.
 *
 * The fields are left where they are in the input, unquoted and ended
 * with a NUL over their delimiter: the registry is 1 MB of text, and a
 * copy of every field was a megabyte of memory touched for nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

static const char *const column_names[F_COUNT] = {
	[F_NAME] = "Service Name",
	[F_PORT] = "Port Number",
	[F_PROTO] = "Transport Protocol",
	[F_DESCRIPTION] = "Description",
	[F_ASSIGNEE] = "Assignee",
	[F_CONTACT] = "Contact",
	[F_REGISTERED] = "Registration Date",
	[F_MODIFIED] = "Modification Date",
	[F_REFERENCE] = "Reference",
	[F_SERVICE_CODE] = "Service Code",
	[F_UNAUTHORIZED] = "Unauthorized Use Reported",
	[F_NOTES] = "Assignment Notes",
};

#define MAX_COLUMNS 64

struct csv {
	char *p, *end;
	char delim;               /* what ended the last field; 0: the data */
	unsigned long line;       /* of the next byte */
	const char *file;
	struct registry *reg;
	struct diags *d;
	const char *field[MAX_COLUMNS];
	size_t nfields;
};

/* Ends the field at c->p, the delimiter, with a NUL; keeps the delimiter
 * in c->delim. */
static void end_field(struct csv *c, char *at)
{
	c->delim = c->p < c->end ? *c->p : 0;
	*at = 0;
}

/* One field starting at c->p; leaves c->p on the delimiter. */
static int field(struct csv *c, const char **out)
{
	char *start = c->p, *w;

	if (c->p == c->end || *c->p != '"') {
		while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
			if (*c->p == '"') {
				diag_add(c->d, DIAG_ERROR, c->file, c->line,
				         "quote inside an unquoted field");
				return -EINVAL;
			}
			c->p++;
		}
		end_field(c, c->p);
		*out = start;
		return 0;
	}

	/* Quoted: the unescaped text, never longer than the quoted one, is
	 * written over it from the opening quote on. */
	unsigned long first = c->line;
	const char *q = ++c->p;

	while (q < c->end && !(*q == '"' && (q + 1 == c->end || q[1] != '"')))
		q += *q == '"' ? 2 : 1;
	if (q == c->end) {
		diag_add(c->d, DIAG_ERROR, c->file, first, "unterminated quoted field");
		return -EINVAL;
	}
	for (w = start; c->p < q; c->p++) {
		if (*c->p == '\n')
			c->line++;
		*w++ = *c->p;
		if (*c->p == '"')
			c->p++;
	}
	c->p++;     /* closing quote */
	if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
		diag_add(c->d, DIAG_ERROR, c->file, c->line, "text after a closing quote");
		return -EINVAL;
	}
	end_field(c, w);
	*out = start;
	return 0;
}

/* One row into c->field; 0 at the end of the data. */
static int row(struct csv *c)
{
	int r;

	c->nfields = 0;
	if (c->p == c->end)
		return 0;
	for (;;) {
		if (c->nfields == MAX_COLUMNS) {
			diag_add(c->d, DIAG_ERROR, c->file, c->line,
			         "more than %d columns", MAX_COLUMNS);
			return -EINVAL;
		}
		r = field(c, &c->field[c->nfields++]);
		if (r < 0)
			return r;
		if (c->p == c->end)
			return 1;
		if (c->delim == ',') {
			c->p++;
			continue;
		}
		if (c->delim == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
			c->p++;
		c->p++;     /* '\r' or '\n' */
		c->line++;
		return 1;
	}
}

static int header(struct csv *c, int col[F_COUNT])
{
	int r = row(c);

	if (r <= 0) {
		if (r == 0)
			diag_add(c->d, DIAG_ERROR, c->file, 0, "empty file");
		return r < 0 ? r : -EINVAL;
	}
	for (int f = 0; f < F_COUNT; f++) {
		col[f] = -1;
		for (size_t i = 0; column_names[f] && i < c->nfields; i++)
			if (strcmp(c->field[i], column_names[f]) == 0)
				col[f] = (int)i;
	}
	for (int f = F_NAME; f <= F_PROTO; f++) {
		if (col[f] < 0) {
			diag_add(c->d, DIAG_ERROR, c->file, 1,
			         "not an IANA CSV header: no \"%s\" column", column_names[f]);
			return -EINVAL;
		}
	}
	return 0;
}

int registry_parse_csv_in_place(struct registry *reg, char *data, size_t len,
                                const char *file, struct diags *d)
{
	struct csv c = { .p = data, .end = data + len, .line = 1, .file = file,
	                 .reg = reg, .d = d };
	int col[F_COUNT], r;
	size_t ncols;

	r = header(&c, col);
	if (r < 0)
		return r;
	ncols = c.nfields;
	for (;;) {
		unsigned long line = c.line;
		struct registry_record *rec;

		r = row(&c);
		if (r <= 0)
			return r;
		if (c.nfields == 1 && c.field[0][0] == 0)
			continue;    /* an empty line */
		if (c.nfields != ncols) {
			diag_add(d, DIAG_ERROR, file, line, "%zu fields, the header has %zu",
			         c.nfields, ncols);
			return -EINVAL;
		}
		rec = registry_add(reg, file, line);
		if (!rec)
			return -ENOMEM;
		for (int f = 0; f < F_COUNT; f++)
			if (col[f] >= 0)
				rec->f[f] = c.field[col[f]];
	}
}

int registry_parse_csv(struct registry *reg, const char *data, size_t len,
                       const char *file, struct diags *d)
{
	char *copy = malloc(len + 1);

	if (!copy || registry_own(reg, copy) < 0)
		return -ENOMEM;
	memcpy(copy, data, len);
	return registry_parse_csv_in_place(reg, copy, len, file, d);
}
