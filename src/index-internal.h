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

struct iana_index {
	const unsigned char *map;
	size_t size;
	struct stat st;           /* of the file mapped, to tell a replaced one */
	const char *strings;
	uint32_t strings_size;
	const struct idx_entry *entries;
	uint32_t entry_count;
	uint32_t hash_seed;
	struct idx_name_table names, variants;
	struct idx_port_table ports;
	const struct idx_record *records;
	uint32_t record_count;
	const unsigned char *bodies;
	uint32_t bodies_size;
	const struct idx_person *people;
	uint32_t person_count;
	const struct idx_meta *meta;
};

/* A string offset read from the file, checked: "" when out of range. */
static inline const char *idx_string(const struct iana_index *idx, uint32_t off)
{
	return off < idx->strings_size ? idx->strings + off : "";
}

/* "tcp", "udp", "sctp", "dccp"; "" for PROTO_ANY or out of range. */
static inline const char *idx_proto_name(unsigned proto)
{
	static const char names[][5] = { "", "tcp", "udp", "sctp", "dccp" };

	return proto <= PROTO_MAX ? names[proto] : "";
}

int idx_proto_code(const char *proto);   /* -1 when unknown, PROTO_ANY for NULL */
uint64_t idx_checksum(const unsigned char *data, size_t size);
int idx_validate(struct iana_index *idx, const unsigned char *map, size_t size);
int idx_validate_tables(const struct iana_index *idx);
/* Entry e with its names checked to lie inside STRINGS, and their total
 * length; -EPROTO when they do not. */
int idx_entry(const struct iana_index *idx, size_t e, struct iana_entry *out,
              size_t *names_len);

int idx_validate_records(const struct iana_index *idx);

#endif
