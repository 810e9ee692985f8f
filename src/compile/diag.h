/* diag.h: problems found in the input, collected for the caller to report.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_DIAG_H
#define IANA_DIAG_H

#include <stddef.h>

enum diag_kind {
	DIAG_ERROR,      /* the input is malformed: nothing is written */
	DIAG_SKIP,       /* a record was skipped; an error under --strict */
};

struct diag {
	enum diag_kind kind;
	char *file;
	unsigned long line;       /* 0: the file as a whole */
	char *message;
};

struct diags {
	struct diag *v;
	size_t count, cap;
	size_t errors;
};

void diag_add(struct diags *d, enum diag_kind kind, const char *file,
              unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diags_free(struct diags *d);

#endif
