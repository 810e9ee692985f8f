/* index_entry.c: an entry, as a struct or copied into a caller's buffer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "index-internal.h"
#include "macro.h"

IANA_EXPORT size_t iana_index_entry_count(const struct iana_index *idx)
{
	return idx->entry_count;
}

IANA_EXPORT int iana_index_entry(const struct iana_index *idx, size_t entry, struct iana_entry *out)
{
	const struct idx_entry *e;

	if (entry >= idx->entry_count)
		return -ENOENT;
	e = &idx->entries[entry];
	out->name = idx->strings + e->names;
	out->proto = idx_proto_name(e->proto);
	out->port = e->port;
	out->alias_count = e->alias_count;
	out->aliases = out->name + strlen(out->name) + 1;
	return 0;
}

/* The buffer holds, in this order: padding to align the alias pointer array,
 * the array (alias_count + 1 pointers, NULL last), then name, aliases and
 * protocol as NUL-terminated strings. The size is computed before anything
 * is written, so a short buffer is left untouched. */
IANA_EXPORT int iana_index_servent(const struct iana_index *idx, size_t entry,
                       struct servent *result, char *buf, size_t buflen)
{
	struct iana_entry e;
	size_t pad, names_len, proto_len, need;
	const char *s;
	char **aliases, *p;

	if (iana_index_entry(idx, entry, &e) < 0)
		return -ENOENT;
	s = e.name;
	for (unsigned i = 0; i <= e.alias_count; i++)
		s += strlen(s) + 1;
	names_len = (size_t)(s - e.name);
	proto_len = strlen(e.proto) + 1;
	pad = (alignof(char *) - (uintptr_t)buf % alignof(char *)) % alignof(char *);
	need = pad + (e.alias_count + 1) * sizeof(char *) + names_len + proto_len;
	if (buflen < need)
		return -ERANGE;

	aliases = (char **)(void *)(buf + pad);
	p = (char *)(aliases + e.alias_count + 1);
	memcpy(p, e.name, names_len);
	result->s_name = p;
	p += strlen(p) + 1;
	for (unsigned i = 0; i < e.alias_count; i++) {
		aliases[i] = p;
		p += strlen(p) + 1;
	}
	aliases[e.alias_count] = NULL;
	memcpy(p, e.proto, proto_len);
	result->s_aliases = aliases;
	result->s_proto = p;
	result->s_port = (int)htons((uint16_t)e.port);
	return 0;
}
