/* fuzz-text.c: registry_parse_text() on any bytes, then the compiler on what
 * it read: the registry's plain-text rendering (SPEC 2).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A record's name, port and protocol are each one word of its own line. */
static int has_word(const char *p, const char *end, const char *w)
{
	const char *word;
	size_t len;

	for (size_t k = 0; fuzz_word(p, end, " \t", k, &word, &len); k++)
		if (len == strlen(w) && memcmp(word, w, len) == 0)
			return 1;
	return 0;
}

static void check_read(const struct registry *reg, size_t first, const char *data,
                       size_t len)
{
	struct fuzz_lines l;

	fuzz_lines(&l, data, len);
	for (size_t i = first; i < reg->count; i++) {
		const struct registry_record *r = &reg->records[i];
		const char *s, *e;

		FUZZ_CHECK(r->line >= 1 && r->line <= l.count, "record %zu at line %lu of %zu",
		           i, r->line, l.count);
		s = l.start[r->line - 1];
		e = l.end[r->line - 1];
		if (e > s && e[-1] == '\r')
			e--;
		FUZZ_CHECK(!r->f[F_NAME][0] || has_word(s, e, r->f[F_NAME]),
		           "line %lu: name \"%s\" is not a word of \"%.*s\"", r->line,
		           r->f[F_NAME], (int)(e - s), s);
		FUZZ_CHECK(!r->f[F_PORT][0] || has_word(s, e, r->f[F_PORT]),
		           "line %lu: port \"%s\" is not a word of \"%.*s\"", r->line,
		           r->f[F_PORT], (int)(e - s), s);
		FUZZ_CHECK(!r->f[F_PROTO][0] || has_word(s, e, r->f[F_PROTO]),
		           "line %lu: protocol \"%s\" is not a word of \"%.*s\"", r->line,
		           r->f[F_PROTO], (int)(e - s), s);
	}
	fuzz_lines_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_compile(registry_parse_text, check_read, NULL, 0, NULL, data, size);
	return 0;
}
