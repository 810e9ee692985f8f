/* registry_xml.c: placeholder until the expat reader lands. */
#include <errno.h>
#include "registry.h"

int registry_parse_xml(struct registry *reg, const char *data, size_t len,
                       const char *file, struct diags *d)
{
	(void)reg; (void)data; (void)len;
	diag_add(d, DIAG_ERROR, file, 0, "XML input is not supported yet");
	return -EINVAL;
}
