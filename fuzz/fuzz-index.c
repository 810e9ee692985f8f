/* fuzz-index.c: the index reader on any bytes at all (SPEC 5).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is an index file. iana_index_open() maps a file and hands it
 * to idx_validate(); here the validator gets a copy of the input exactly as
 * long as it, so that ASan reports any read past the end of the "file",
 * and, when it accepts, every reader function runs over the result. The
 * header's checksum field, which only `check` reads, also serves as names
 * and a port to look up.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Most mutations change the length, and a file_size that disagrees with
 * it stops the validator at the header: set it right in seven mutants out
 * of eight, so that the sections behind it get fuzzed, and the checksum
 * in one out of four, so that iana_index_verify() passes now and then. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed)
{
	size = LLVMFuzzerMutate(data, size, max_size);
	if (size >= sizeof(struct idx_header) && seed % 8 != 0) {
		uint64_t v = size;

		memcpy(data + offsetof(struct idx_header, file_size), &v, sizeof(v));
		if (seed % 4 == 1) {
			v = idx_checksum(data, size);
			memcpy(data + offsetof(struct idx_header, checksum), &v, sizeof(v));
		}
	}
	return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iana_index idx;
	unsigned char *map;
	void *m;

	/* aligned as a mapping is: the reader reads structs in place */
	if (posix_memalign(&m, 16, size) != 0)
		abort();
	map = m;
	memcpy(map, data, size);
	memset(&idx, 0, sizeof(idx));
	if (idx_validate(&idx, map, size) == 0)
		fuzz_exercise_index(&idx, map + offsetof(struct idx_header, checksum),
		                    sizeof(uint64_t));
	free(map);
	return 0;
}
