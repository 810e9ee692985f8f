/* fuzz-xml.c: registry_parse_xml() on any bytes, then the compiler on what
 * it read: IANA's XML rendering (SPEC 2).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stddef.h>
#include <stdint.h>

#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_compile(registry_parse_xml, NULL, NULL, 0, NULL, data, size);
	return 0;
}
