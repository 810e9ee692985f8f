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

/* Entry number entry, its block of names checked to lie inside the pool
 * and within the limits: -ENOENT past the last entry, -EPROTO when it is
 * not valid. Its bytes are checked by names_check() once read. */
static inline int checked_entry(const struct iana_index *idx, size_t entry,
                                const struct idx_entry **e)
{
	const struct idx_entry *x;

	if (entry >= idx->entry_count)
		return -ENOENT;
	*e = x = &idx->entries[entry];
	if (x->proto == PROTO_ANY || x->proto > idx->proto_count ||
	    x->alias_count > IDX_MAX_ALIASES || x->names_size > IDX_MAX_NAMES_SIZE ||
	    x->name_len == 0 || x->name_len >= x->names_size ||
	    x->names >= idx->strings_size || x->names_size > idx->strings_size - x->names)
		return -EPROTO;
	return 0;
}

/* Whether the size bytes at s are an entry's names: name_len bytes of
 * name, a NUL, then each alias and its NUL, every name 1..IDX_MAX_NAME
 * bytes that can stand in a services(5) line. Sets aliases[], if given, to
 * where each alias starts. */
static int names_check(const char *s, size_t size, size_t name_len, unsigned alias_count,
                       char **aliases)
{
	size_t start = 0;
	unsigned n = 0;

	if (s[name_len] != '\0' || s[size - 1] != '\0')
		return -EPROTO;
	for (size_t i = 0; i < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0') {
			if (i == start || i - start > IDX_MAX_NAME || n > alias_count)
				return -EPROTO;
			if (n && aliases)
				aliases[n - 1] = (char *)s + start;
			n++;
			start = i + 1;
		} else if (!idx_name_byte(c)) {
			return -EPROTO;
		}
	}
	return n == alias_count + 1 ? 0 : -EPROTO;
}

int idx_entry(const struct iana_index *idx, size_t entry, struct iana_entry *out,
              size_t *names_len)
{
	const struct idx_entry *e;
	int r = checked_entry(idx, entry, &e);
	const char *names;

	if (r < 0)
		return r;
	names = idx->strings + e->names;
	if (names_check(names, e->names_size, e->name_len, e->alias_count, NULL) < 0)
		return -EPROTO;
	out->name = names;
	out->proto = idx_proto_name(idx, e->proto);
	out->port = e->port;
	out->alias_count = e->alias_count;
	out->aliases = names + e->name_len + 1;
	*names_len = e->names_size;
	return 0;
}

IANA_EXPORT int iana_index_entry(const struct iana_index *idx, size_t entry,
                                 struct iana_entry *out)
{
	size_t len;

	return idx_entry(idx, entry, out, &len);
}

/* The buffer holds, in this order: padding to align the alias pointer array,
 * the array (alias_count + 1 pointers, NULL last), then the entry's block
 * of names, copied whole, and the protocol. The size is computed before
 * anything is written, so a short buffer is left untouched; the names are
 * checked in the copy, which no other process can change under us. */
IANA_EXPORT int iana_index_servent(const struct iana_index *idx, size_t entry,
                                   struct servent *result, char *buf, size_t buflen)
{
	const struct idx_entry *e;
	const struct idx_proto *proto;
	size_t pad, need;
	char **aliases, *p;
	int r = checked_entry(idx, entry, &e);

	if (r < 0)
		return r;
	proto = idx_proto_at(idx, e->proto);
	if (!proto)
		return -EPROTO;
	pad = -(uintptr_t)buf & (alignof(char *) - 1);
	need = pad + (e->alias_count + 1) * sizeof(char *) + e->names_size + proto->len + 1;
	if (buflen < need)
		return -ERANGE;

	aliases = (char **)(void *)(buf + pad);
	p = (char *)(aliases + e->alias_count + 1);
	memcpy(p, idx->strings + e->names, e->names_size);
	if (names_check(p, e->names_size, e->name_len, e->alias_count, aliases) < 0)
		return -EPROTO;
	aliases[e->alias_count] = NULL;
	result->s_name = p;
	result->s_aliases = aliases;
	p += e->names_size;
	memcpy(p, idx->strings + proto->name, proto->len);
	p[proto->len] = '\0';
	result->s_proto = p;
	result->s_port = (int)htons(e->port);
	return 0;
}
