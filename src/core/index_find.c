/* index_find.c: the lookup path, by name and by port (SPEC L1, L2).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Open addressing with linear probing; every probe loop is bounded by the
 * header's max_probe (at most IDX_MAX_PROBE), so a hostile file without an
 * empty slot cannot make a lookup long.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "index-internal.h"
#include "macro.h"

/* A protocol table holds a handful of names (four for the registry). Out
 * of line: proto_code() answers the usual protocols itself. */
__attribute__((noinline)) int idx_proto_code(const struct iana_index *idx, const char *proto)
{
	size_t len;
	int folded = -1;

	if (!proto)
		return PROTO_ANY;
	len = strnlen(proto, IDX_MAX_NAME + 1);
	for (uint32_t i = 1; i <= idx->proto_count; i++) {
		const struct idx_proto *p = idx_proto_at(idx, i);
		int m;

		if (!p || p->len != len)
			continue;
		m = len == 0 ? 2 : idx_name_match(idx->strings + p->name, proto, len);
		if (m == 2)
			return (int)i;
		if (m == 1 && folded < 0)
			folded = (int)i;
	}
	return folded;
}

/* Whether proto is spelled exactly as the short protocol k: compared a
 * byte at a time up to the first difference or the NUL both share, so
 * nothing past the caller's string is read. k->name is NUL-padded, so the
 * loop ends within len + 1 bytes; an absent protocol (len 0) matches none. */
static inline int short_proto_is(const struct idx_short_proto *k, const char *proto)
{
	for (unsigned i = 0;; i++) {
		if (proto[i] != k->name[i])
			return 0;
		if (proto[i] == '\0')
			return k->len != 0;
	}
}

/* idx_proto_code, once per call, with the usual answers first: NULL, and
 * the first two protocols spelled as the index spells them ("tcp", "udp"
 * for the registry). The first exact spelling is what idx_proto_code
 * answers too. */
static inline int proto_code(const struct iana_index *idx, const char *proto)
{
	if (!proto)
		return PROTO_ANY;
	if (short_proto_is(&idx->short_protos[0], proto))
		return 1;
	if (short_proto_is(&idx->short_protos[1], proto))
		return 2;
	return idx_proto_code(idx, proto);
}

/* The lookup path is one function per call: its helpers, and the
 * hashing and matching of index-format.h, inlined into it. */
#define FLATTEN __attribute__((flatten))

#define NONE (-1)
#define CORRUPT (-2)

struct name_query {
	const char *name;
	size_t len;             /* at most IDX_MAX_NAME */
	uint32_t hash;
	int exact;              /* compare case too (VARIANTS) */
};

/* The aliases of an entry, after its name: count names, each ended by a
 * NUL inside the block [s, end). As entry_has. */
static int aliases_have(const char *s, const char *end, unsigned count,
                        const struct name_query *q, int found)
{
	for (unsigned i = 0; i < count; i++) {
		const char *nul = memchr(s, 0, (size_t)(end - s));
		size_t len;

		if (!nul)
			return CORRUPT;
		len = (size_t)(nul - s);
		if (len == q->len) {
			int m = idx_name_match(s, q->name, len);

			if (m == 2)
				return 2;
			if (m == 1 && !q->exact)
				found = 1;   /* an exact spelling may follow */
		}
		s = nul + 1;
	}
	return found;
}

/* Whether entry e has a name equal to the query: 2 when spelled exactly
 * so, 1 when only with another case, 0 when not; CORRUPT when the entry
 * is not valid (idx_entry_ok). Every read stays inside the entry's
 * block, and the block inside the pool: a file changed since it was
 * opened gives a wrong answer at worst. The name first, which is what
 * most queries ask for; the aliases only when there are some. */
static ALWAYS_INLINE int entry_has(const struct iana_index *idx, uint32_t e,
                                   const struct name_query *q)
{
	struct idx_entry x;
	const char *s;
	size_t len;
	int found = 0;

	/* a copy: what is checked is what is used */
	memcpy(&x, &idx->entries[e], sizeof(x));
	if (!idx_entry_ok(idx, &x))
		return CORRUPT;
	s = idx->strings + x.names;
	len = x.name_len;
	if (len == q->len) {
		int m = idx_name_match(s, q->name, len);

		if (m == 2)
			return 2;
		if (m == 1 && !q->exact)
			found = 1;
	}
	if (x.alias_count == 0)
		return found;
	return aliases_have(s + len + 1, s + x.names_size, x.alias_count, q, found);
}

/* The entry stored for (name, proto), NONE, or CORRUPT. At most max_probe
 * slots are read, and the names of at most IDX_MAX_TWINS entries: those of
 * the slots with the name's hash and protocol (see struct idx_name_slot). */
static ALWAYS_INLINE long probe_name(const struct iana_index *idx,
                                     const struct idx_name_table *t,
                                     const struct name_query *q, unsigned proto, int *spelled)
{
	uint32_t i = idx_name_start(q->hash, proto), want = idx_slot_value(0, proto);
	uint32_t limit = idx->max_probe <= t->mask ? idx->max_probe : t->mask + 1;
	unsigned twins = 0;

	for (uint32_t n = 0; n < limit; n++, i++) {
		const struct idx_name_slot *s = &t->slots[i & t->mask];
		uint32_t e = s->value >> 8;
		int has;

		if (s->value == SLOT_EMPTY)
			return NONE;
		if (s->hash != q->hash || (s->value & 0xff) != want)
			continue;
		if (e >= idx->entry_count)
			return CORRUPT;
		has = entry_has(idx, e, q);
		if (has == CORRUPT)
			return CORRUPT;
		if (has) {
			*spelled = has == 2;
			return (long)e;
		}
		if (++twins == IDX_MAX_TWINS)
			return NONE;
	}
	return NONE;
}

/* The "any protocol" slot holds the first entry of all; where that entry
 * has the protocol asked for, it is the answer (the usual case, one probe).
 * Otherwise the protocol's own slot is, if there is one. */
static ALWAYS_INLINE long find_in(const struct iana_index *idx,
                                  const struct idx_name_table *t,
                                  const struct name_query *q, unsigned proto, int *spelled)
{
	long e = probe_name(idx, t, q, PROTO_ANY, spelled);

	if (e < 0 || proto == PROTO_ANY || idx->entries[e].proto == proto)
		return e;
	return probe_name(idx, t, q, proto, spelled);
}

/* The exact spellings, for a name found only ignoring case: out of line,
 * off the usual path. */
static long __attribute__((noinline)) find_variant(const struct iana_index *idx,
                                                   struct name_query *q, unsigned proto,
                                                   int *spelled)
{
	q->exact = 1;
	q->hash = idx_hash_name(q->name, q->len, idx->hash_seed, 0);
	return find_in(idx, &idx->variants, q, proto, spelled);
}

/* Names compare case-insensitively (RFC 6335 5.1), but where two names
 * differ only in case, the exact spelling wins: that is what glibc's files
 * backend answers for it (SPEC L4). Such spellings sit in the VARIANTS table. */
IANA_EXPORT FLATTEN int iana_index_find_name(const struct iana_index *idx, const char *name,
                                     const char *proto, size_t *entry)
{
	int p = proto_code(idx, proto), spelled = 0;
	struct name_query q;
	long e;

	if (p < 0 || !name)
		return -ENOENT;
	q = (struct name_query){ .name = name, .len = strnlen(name, IDX_MAX_NAME + 1) };
	if (q.len == 0 || q.len > IDX_MAX_NAME)
		return -ENOENT;
	q.hash = idx_hash_name(name, q.len, idx->hash_seed, 1);
	e = find_in(idx, &idx->names, &q, (unsigned)p, &spelled);
	if (e >= 0 && !spelled) {
		long v = find_variant(idx, &q, (unsigned)p, &spelled);

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

static ALWAYS_INLINE long probe_port(const struct iana_index *idx, unsigned port, unsigned proto)
{
	const struct idx_port_table *t = &idx->ports;
	uint32_t key = idx_port_key(port, proto);
	uint32_t i = idx_hash_port(key);
	uint32_t limit = idx->max_probe <= t->mask ? idx->max_probe : t->mask + 1;

	for (uint32_t n = 0; n < limit; n++, i++) {
		const struct idx_port_slot *s = &t->slots[i & t->mask];

		if (s->key == key)
			return s->entry < idx->entry_count ? (long)s->entry : CORRUPT;
		if (s->key == 0)
			return NONE;
	}
	return NONE;
}

IANA_EXPORT FLATTEN int iana_index_find_port(const struct iana_index *idx, int port,
                                     const char *proto, size_t *entry)
{
	unsigned host = ntohs((uint16_t)port);
	int p = proto_code(idx, proto);
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
