/* common.h: checks shared by the libFuzzer harnesses.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A failed check is a bug in the code under test: it prints what was
 * expected and aborts, so that libFuzzer saves the input as a crash.
 */
#ifndef IANA_FUZZ_COMMON_H
#define IANA_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "index-internal.h"
#include "registry.h"

#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

_Noreturn void fuzz_fail(const char *file, int line, const char *cond,
                         const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* common-index.c: drive every reader function over a validated index and
 * check that what they return stays inside the index and the caller's
 * buffers. Holds for any index that passed idx_validate(), hostile or not.
 * extra: fuzzer bytes to take more names and ports from. */
void fuzz_exercise_index(const struct iana_index *idx, const unsigned char *extra,
                         size_t extra_len);

/* common-compile.c: run a registry parser on the input, and if the input
 * reads cleanly, compile it and check the index against what was compiled.
 * base, when not NULL, is read first with base_parse (a registry to merge
 * the input into); check, when not NULL, checks what the parser read from
 * an input without NUL bytes: reg's records from index first_record on. */
typedef int (*fuzz_parser)(struct registry *reg, const char *data, size_t len,
                           const char *file, struct diags *d);
typedef void (*fuzz_read_check)(const struct registry *reg, size_t first_record,
                                const char *data, size_t len);
void fuzz_compile(fuzz_parser parse, fuzz_read_check check, const char *base,
                  size_t base_len, fuzz_parser base_parse, const uint8_t *data,
                  size_t size);

/* The lines of data, split at LF as the line-based parsers count them:
 * line n (from 1) runs from start[n - 1] to end[n - 1], the LF excluded. */
struct fuzz_lines {
	size_t count;
	const char **start, **end;
};
void fuzz_lines(struct fuzz_lines *l, const char *data, size_t len);
void fuzz_lines_free(struct fuzz_lines *l);
/* Word k (from 0) of the text from p to end, split at the bytes in seps:
 * 1 and the word, or 0 when there are not that many. */
int fuzz_word(const char *p, const char *end, const char *seps, size_t k,
              const char **word, size_t *len);

#endif
