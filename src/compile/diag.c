/* diag.c: collect diagnostics; the tool decides how to print them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Out of memory while reporting: the error count still rises, so the
 * caller fails even if the message is lost. */
void diag_add(struct diags *d, enum diag_kind kind, const char *file,
              unsigned long line, const char *fmt, ...)
{
	struct diag *x;
	va_list ap;
	int r;

	if (kind == DIAG_ERROR)
		d->errors++;
	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct diag *v = realloc(d->v, cap * sizeof(*v));

		if (!v) {
			d->errors++;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	x = &d->v[d->count];
	x->kind = kind;
	x->line = line;
	x->file = strdup(file ? file : "-");
	va_start(ap, fmt);
	r = vasprintf(&x->message, fmt, ap);
	va_end(ap);
	if (r < 0 || !x->file) {
		free(x->file);
		if (r >= 0)
			free(x->message);
		d->errors++;
		return;
	}
	d->count++;
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->v[i].file);
		free(d->v[i].message);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}
