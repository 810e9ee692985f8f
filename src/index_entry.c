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

/* The bytes of entry e's names (each with its NUL) and the length of the
 * first; 0 when they do not all lie inside the pool or one is empty. The
 * pool ends in NUL: a string that starts inside it ends inside it. */
static inline size_t names_span(const struct iana_index *idx, const struct idx_entry *e,
                                size_t *first)
{
	uint32_t off = e->names;

	if (off == 0)
		return 0;
	for (unsigned i = 0; i <= e->alias_count; i++) {
		size_t len;

		if (off >= idx->strings_size)
			return 0;
		len = strlen(idx->strings + off);
		if (len == 0)
			return 0;
		if (i == 0)
			*first = len;
		off += (uint32_t)len + 1;
	}
	return off - e->names;
}

/* Entry number entry, with the bytes of its names and the length of the
 * first: -ENOENT past the last entry, -EPROTO when its protocol or names
 * are not valid. */
static inline int checked_entry(const struct iana_index *idx, size_t entry,
                                const struct idx_entry **e, size_t *names_len,
                                size_t *first)
{
	if (entry >= idx->entry_count)
		return -ENOENT;
	*e = &idx->entries[entry];
	if ((*e)->proto == PROTO_ANY || (*e)->proto > PROTO_MAX)
		return -EPROTO;
	*names_len = names_span(idx, *e, first);
	return *names_len ? 0 : -EPROTO;
}

int idx_entry(const struct iana_index *idx, size_t entry, struct iana_entry *out,
              size_t *names_len)
{
	const struct idx_entry *e;
	size_t first = 0;
	int r = checked_entry(idx, entry, &e, names_len, &first);

	if (r < 0)
		return r;
	out->name = idx->strings + e->names;
	out->proto = idx_proto_name(e->proto);
	out->port = e->port;
	out->alias_count = e->alias_count;
	out->aliases = out->name + first + 1;
	return 0;
}

IANA_EXPORT int iana_index_entry(const struct iana_index *idx, size_t entry,
                                 struct iana_entry *out)
{
	size_t len;

	return idx_entry(idx, entry, out, &len);
}

/* The buffer holds, in this order: padding to align the alias pointer array,
 * the array (alias_count + 1 pointers, NULL last), then name, aliases and
 * protocol as NUL-terminated strings. The size is computed before anything
 * is written, so a short buffer is left untouched. */
IANA_EXPORT int iana_index_servent(const struct iana_index *idx, size_t entry,
                                   struct servent *result, char *buf, size_t buflen)
{
	const struct idx_entry *e;
	size_t pad, names_len, first = 0, proto_len, need;
	char **aliases, *p;
	int r = checked_entry(idx, entry, &e, &names_len, &first);

	if (r < 0)
		return r;
	proto_len = e->proto <= PROTO_UDP ? 4 : 5;     /* with the NUL */
	pad = -(uintptr_t)buf & (alignof(char *) - 1);
	need = pad + (e->alias_count + 1) * sizeof(char *) + names_len + proto_len;
	if (buflen < need)
		return -ERANGE;

	aliases = (char **)(void *)(buf + pad);
	p = (char *)(aliases + e->alias_count + 1);
	memcpy(p, idx->strings + e->names, names_len);
	result->s_name = p;
	p += first + 1;
	for (unsigned i = 0; i < e->alias_count; i++) {
		aliases[i] = p;
		p += strlen(p) + 1;
	}
	aliases[e->alias_count] = NULL;
	memcpy(p, idx_proto_name(e->proto), proto_len);
	result->s_aliases = aliases;
	result->s_proto = p;
	result->s_port = (int)htons(e->port);
	return 0;
}
