/* index-internal.h: an open index, shared by the reader's files.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_INDEX_INTERNAL_H
#define IANA_INDEX_INTERNAL_H

#include <stddef.h>
#include <sys/stat.h>
#include "index-format.h"
#include "iana-services.h"

struct idx_name_table {
	const struct idx_name_slot *slots;
	uint32_t mask;            /* slot count - 1; the count is a power of two */
};

struct idx_port_table {
	const struct idx_port_slot *slots;
	uint32_t mask;
};

/* A protocol's name, copied out of the file at open. */
struct idx_short_proto {
	char name[8];             /* len bytes and a NUL */
	uint8_t len;              /* 0: no such protocol, or a longer name */
};

#define IDX_SHORT_PROTOS 2

struct iana_index {
	const unsigned char *map;
	size_t size;
	struct stat st;           /* of the file mapped, to tell a replaced one */
	const char *strings;
	uint32_t strings_size;
	const struct idx_entry *entries;
	uint32_t entry_count;
	uint32_t hash_seed;
	uint32_t database;         /* enum idx_database */
	struct idx_name_table names, variants;
	struct idx_port_table ports;
	const struct idx_record *records;
	uint32_t record_count;
	const unsigned char *bodies;
	uint32_t bodies_size;
	const struct idx_person *people;
	uint32_t person_count;
	const struct idx_meta *meta;
	const struct idx_proto *protos;
	uint32_t proto_count;
	const struct idx_watch *watch;
	uint32_t watch_count;
	uint32_t max_probe;       /* slots a probe reads, at most */
	/* Protocols 1 and 2 ("tcp" and "udp" in the registry), when their
	 * names are at most 7 bytes: a query's protocol is compared with, and
	 * an answer's copied from, these copies, with no bounds to check. */
	struct idx_short_proto short_protos[IDX_SHORT_PROTOS];
};

/* A string offset read from the file, checked: "" when out of range. */
static inline const char *idx_string(const struct iana_index *idx, uint32_t off)
{
	return off < idx->strings_size ? idx->strings + off : "";
}

/* Protocol code p's name, read again from the file and so checked again
 * (it was at open, but the file may have changed in place since): NULL
 * when out of range. */
static inline const struct idx_proto *idx_proto_at(const struct iana_index *idx, unsigned p)
{
	const struct idx_proto *x;

	if (p == PROTO_ANY || p > idx->proto_count)
		return NULL;
	x = &idx->protos[p - 1];
	if (x->name >= idx->strings_size || x->len >= idx->strings_size - x->name ||
	    x->len > IDX_MAX_NAME)
		return NULL;
	return x;
}

/* Whether entry x, a copy of one read from the file, keeps the limits every
 * reader relies on: one of the index's protocols, counts within bounds, a
 * name of 1.. bytes ending inside its block, and the block inside STRINGS
 * (name_len >= 1 makes names_size >= 2, so the block's end inside the pool
 * puts its start there too; the sum cannot wrap in 64 bits). The block's
 * bytes are for the reader to check. */
static inline int idx_entry_ok(const struct iana_index *idx, const struct idx_entry *x)
{
	return x->proto != PROTO_ANY && x->proto <= idx->proto_count &&
	       x->alias_count <= IDX_MAX_ALIASES && x->names_size <= IDX_MAX_NAMES_SIZE &&
	       x->name_len != 0 && x->name_len < x->names_size &&
	       (uint64_t)x->names + x->names_size <= idx->strings_size;
}

/* The same as a string (tools and the API, off the lookup path): "" for
 * PROTO_ANY or a damaged entry. */
static inline const char *idx_proto_name(const struct iana_index *idx, unsigned p)
{
	const struct idx_proto *x = idx_proto_at(idx, p);

	return x && idx->strings[x->name + x->len] == '\0' ? idx->strings + x->name : "";
}

/* The code of a protocol as a caller spells it: the one spelled so, else
 * the first spelled so but for ASCII case; PROTO_ANY for NULL, -1 when the
 * index has no such protocol. */
int idx_proto_code(const struct iana_index *idx, const char *proto);
/* The identity of watched file w against what is at its path now: 0 when
 * the same, -ESTALE when not (or when it cannot be told). One stat(). */
int idx_watch_check(const struct iana_index *idx, const struct idx_watch *w);
/* Every watched file: 0, or -ESTALE and *which, the stale one's path. */
int idx_watch_all(const struct iana_index *idx, const char **which);
uint64_t idx_checksum(const unsigned char *data, size_t size);
int idx_validate(struct iana_index *idx, const unsigned char *map, size_t size);
int idx_validate_tables(const struct iana_index *idx);
/* Entry e with its names checked to lie inside STRINGS, and their total
 * length; -EPROTO when they do not. */
int idx_entry(const struct iana_index *idx, size_t e, struct iana_entry *out,
              size_t *names_len);

int idx_validate_records(const struct iana_index *idx);

#endif
