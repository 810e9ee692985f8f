/* index_find.c: the lookup path, by name and by port (SPEC L1, L2).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Open addressing with linear probing; every probe loop is bounded by the
 * table size, so a hostile file without an empty slot cannot hang a caller.
 */
#include <errno.h>
#include <strings.h>
#include <string.h>
#include <arpa/inet.h>

#include "index-internal.h"
#include "macro.h"

static const char *const proto_names[] = { "", "tcp", "udp", "sctp", "dccp" };

const char *idx_proto_name(unsigned proto)
{
	return proto <= PROTO_MAX ? proto_names[proto] : "";
}

int idx_proto_code(const char *proto)
{
	if (!proto)
		return PROTO_ANY;
	for (int p = PROTO_TCP; p <= PROTO_MAX; p++)
		if (strcasecmp(proto, proto_names[p]) == 0)
			return p;
	return -1;
}

#define NONE (-1)
#define CORRUPT (-2)

/* The entry stored for (name, proto), NONE, or CORRUPT. */
static long probe_name(const struct iana_index *idx, const struct idx_table *t,
                       const char *name, uint32_t hash, unsigned proto, int exact)
{
	uint32_t i = idx_name_start(hash, proto);

	for (uint32_t n = 0; n <= t->mask; n++, i++) {
		const struct idx_slot *s = &t->slots[i & t->mask];
		const char *key;

		if (s->key == 0)
			return NONE;
		if ((s->value & 7) != proto)
			continue;
		if (idx_slot_entry(idx, s) < 0)
			return CORRUPT;
		key = idx->strings + s->key;
		if ((exact ? strcmp(key, name) : strcasecmp(key, name)) == 0)
			return (long)(s->value >> 3);
	}
	return NONE;
}

/* The "any protocol" slot holds the first entry of all; where that entry
 * has the protocol asked for, it is the answer (the usual case, one probe).
 * Otherwise the protocol's own slot is, if there is one. */
static long find_in(const struct iana_index *idx, const struct idx_table *t,
                    const char *name, uint32_t hash, unsigned proto, int exact)
{
	long e = probe_name(idx, t, name, hash, PROTO_ANY, exact);

	if (e < 0 || proto == PROTO_ANY || idx->entries[e].proto == proto)
		return e;
	return probe_name(idx, t, name, hash, proto, exact);
}

/* 1 when the entry's name or one of its aliases is spelled exactly so,
 * 0 when not, CORRUPT when its names are not valid. */
static int spelled(const struct iana_index *idx, long e, const char *name)
{
	struct iana_entry ent;
	size_t len;
	const char *s;

	if (idx_entry(idx, (size_t)e, &ent, &len) < 0)
		return CORRUPT;
	s = ent.name;
	for (unsigned i = 0; i <= ent.alias_count; i++, s += strlen(s) + 1)
		if (strcmp(s, name) == 0)
			return 1;
	return 0;
}

/* Names compare case-insensitively (RFC 6335 5.1), but where two names
 * differ only in case, the exact spelling wins: that is what glibc's files
 * backend answers for it (SPEC L4). Such spellings sit in the VARIANTS table. */
IANA_EXPORT int iana_index_find_name(const struct iana_index *idx, const char *name,
                         const char *proto, size_t *entry)
{
	int p = idx_proto_code(proto);
	uint32_t hash;
	long e, v;

	if (p < 0 || !name)
		return -ENOENT;
	hash = idx_hash_name(name);
	e = find_in(idx, &idx->names, name, hash, (unsigned)p, 0);
	if (e >= 0) {
		int sp = spelled(idx, e, name);

		v = sp == 0 ? find_in(idx, &idx->variants, name, hash, (unsigned)p, 1) : NONE;
		if (sp == CORRUPT || v == CORRUPT)
			return -EPROTO;
		if (v >= 0)
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
	const struct idx_table *t = &idx->ports;
	uint32_t key = idx_port_key(port, proto);
	uint32_t i = idx_hash_port(key);

	for (uint32_t n = 0; n <= t->mask; n++, i++) {
		const struct idx_slot *s = &t->slots[i & t->mask];

		if (s->key == key)
			return s->value < idx->entry_count ? (long)s->value : CORRUPT;
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
