/* index_find.c: the lookup path, by name and by port (SPEC L1, L2).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Open addressing with linear probing; every probe loop is bounded by the
 * table size, so a hostile file without an empty slot cannot hang a caller.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "index-internal.h"
#include "macro.h"

/* ASCII case only, whatever the caller's locale (see idx_name_match).
 * Protocol names are letters, whose lower case is c | 32. */
int idx_proto_code(const char *proto)
{
	if (!proto)
		return PROTO_ANY;
	for (int p = PROTO_TCP; p <= PROTO_MAX; p++) {
		const char *n = idx_proto_name((unsigned)p);
		size_t i = 0;

		while (n[i] && ((unsigned char)proto[i] | 32) == (unsigned char)n[i])
			i++;
		if (!n[i] && !proto[i])
			return p;
	}
	return -1;
}

#define NONE (-1)
#define CORRUPT (-2)

struct name_query {
	const char *name;
	size_t len;
	uint32_t hash;
	int exact;              /* compare case too (VARIANTS) */
};

/* Whether entry e has a name equal to the query: 2 when spelled exactly
 * so, 1 when only with another case, 0 when not; CORRUPT when its names
 * do not lie inside the string pool. A name is compared before its length
 * is known: it has the query's length when its byte there, inside the
 * pool, ends it, and its bytes before are the query's, which has no NUL.
 * Only a name that does not match is measured, to step to the next. */
static int entry_has(const struct iana_index *idx, uint32_t e, const struct name_query *q)
{
	const struct idx_entry *x = &idx->entries[e];
	uint32_t off = x->names;

	for (unsigned i = 0; i <= x->alias_count; i++) {
		const char *s;

		if (off == 0 || off >= idx->strings_size)
			return CORRUPT;
		s = idx->strings + off;
		if (q->len < idx->strings_size - off && s[q->len] == '\0') {
			int m = idx_name_match(s, q->name, q->len);

			if (m == 2 || (m == 1 && !q->exact))
				return m;
		}
		off += (uint32_t)strlen(s) + 1;
	}
	return 0;
}

/* The entry stored for (name, proto), NONE, or CORRUPT. A slot whose hash
 * matches is a hit when its entry has the name (see struct idx_name_slot). */
static long probe_name(const struct iana_index *idx, const struct idx_name_table *t,
                       const struct name_query *q, unsigned proto, int *spelled)
{
	uint32_t i = idx_name_start(q->hash, proto);

	for (uint32_t n = 0; n <= t->mask; n++, i++) {
		const struct idx_name_slot *s = &t->slots[i & t->mask];
		uint32_t e = s->value >> 3;
		int has;

		if (s->value == SLOT_EMPTY)
			return NONE;
		if (s->hash != q->hash || (s->value & 7) != proto)
			continue;
		if (e >= idx->entry_count)
			return CORRUPT;
		has = entry_has(idx, e, q);
		if (has == CORRUPT)
			return CORRUPT;
		if (has) {
			*spelled = has == 2;
			return e;
		}
	}
	return NONE;
}

/* The "any protocol" slot holds the first entry of all; where that entry
 * has the protocol asked for, it is the answer (the usual case, one probe).
 * Otherwise the protocol's own slot is, if there is one. */
static long find_in(const struct iana_index *idx, const struct idx_name_table *t,
                    const struct name_query *q, unsigned proto, int *spelled)
{
	long e = probe_name(idx, t, q, PROTO_ANY, spelled);

	if (e < 0 || proto == PROTO_ANY || idx->entries[e].proto == proto)
		return e;
	return probe_name(idx, t, q, proto, spelled);
}

/* Names compare case-insensitively (RFC 6335 5.1), but where two names
 * differ only in case, the exact spelling wins: that is what glibc's files
 * backend answers for it (SPEC L4). Such spellings sit in the VARIANTS table. */
IANA_EXPORT int iana_index_find_name(const struct iana_index *idx, const char *name,
                         const char *proto, size_t *entry)
{
	int p = idx_proto_code(proto), spelled = 0;
	struct name_query q;
	long e;

	if (p < 0 || !name)
		return -ENOENT;
	q = (struct name_query){ .name = name, .len = strlen(name) };
	q.hash = idx_hash_name(name, q.len, idx->hash_seed, 1);
	e = find_in(idx, &idx->names, &q, (unsigned)p, &spelled);
	if (e >= 0 && !spelled) {
		long v;

		q.exact = 1;
		q.hash = idx_hash_name(name, q.len, idx->hash_seed, 0);
		v = find_in(idx, &idx->variants, &q, (unsigned)p, &spelled);
		if (v != NONE)
			e = v;
	}
	if (e == CORRUPT)
		return -EPROTO;
	if (e < 0)
		return -ENOENT;
	*entry = (size_t)e;
	return 0;
}

static long probe_port(const struct iana_index *idx, unsigned port, unsigned proto)
{
	const struct idx_port_table *t = &idx->ports;
	uint32_t key = idx_port_key(port, proto);
	uint32_t i = idx_hash_port(key);

	for (uint32_t n = 0; n <= t->mask; n++, i++) {
		const struct idx_port_slot *s = &t->slots[i & t->mask];

		if (s->key == key)
			return s->entry < idx->entry_count ? (long)s->entry : CORRUPT;
		if (s->key == 0)
			return NONE;
	}
	return NONE;
}

IANA_EXPORT int iana_index_find_port(const struct iana_index *idx, int port,
                         const char *proto, size_t *entry)
{
	unsigned host = ntohs((uint16_t)port);
	int p = idx_proto_code(proto);
	long e;

	if (p < 0)
		return -ENOENT;
	e = probe_port(idx, host, PROTO_ANY);
	if (e >= 0 && p != PROTO_ANY && idx->entries[e].proto != p)
		e = probe_port(idx, host, (unsigned)p);
	if (e == CORRUPT)
		return -EPROTO;
	if (e < 0)
		return -ENOENT;
	*entry = (size_t)e;
	return 0;
}
