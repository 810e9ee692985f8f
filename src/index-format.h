/* index-format.h: the bytes of services.idx, shared by writer and reader.
 * doc/index-format.md describes the same layout in prose.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every integer is little-endian. Sections start on 8-byte boundaries.
 * A string is an offset into the STRINGS section, which starts and ends with
 * a NUL byte, so offset 0 is the empty string and every offset below the
 * section's size names a terminated string inside it.
 */
#ifndef IANA_INDEX_FORMAT_H
#define IANA_INDEX_FORMAT_H

#include <stdint.h>

#define IDX_MAGIC "IANAsvc\n"
#define IDX_VERSION 1
#define IDX_BYTE_ORDER 0x01020304u

enum idx_proto { PROTO_ANY = 0, PROTO_TCP, PROTO_UDP, PROTO_SCTP, PROTO_DCCP, PROTO_MAX = PROTO_DCCP };

struct idx_header {              /* 48 bytes, then section_count idx_section */
	char magic[8];
	uint32_t version;
	uint32_t byte_order;
	uint32_t header_size;        /* this header and the section table */
	uint32_t section_count;
	uint64_t file_size;
	uint64_t checksum;           /* FNV-1a 64 of the file, this field zero */
	uint32_t entry_count;
	uint32_t record_count;
};

enum idx_section_id {
	SEC_STRINGS = 1,   /* bytes */
	SEC_ENTRIES,       /* struct idx_entry[count], entry order */
	SEC_NAMES,         /* struct idx_slot[count], power of two: names, any case */
	SEC_VARIANTS,      /* struct idx_slot[count], power of two: exact spellings */
	SEC_PORTS,         /* struct idx_slot[count], power of two */
	SEC_RECORDS,       /* struct idx_record[count], registry order */
	SEC_BODIES,        /* bytes: per record, BODY_FIELDS LEB128 string offsets */
	SEC_PEOPLE,        /* struct idx_person[count], sorted by id (strcmp) */
	SEC_META,          /* struct idx_meta[1] */
	SEC_MAX = SEC_META
};

struct idx_section {
	uint32_t id;
	uint32_t offset;
	uint32_t size;     /* bytes */
	uint32_t count;    /* elements */
};

/* names: the entry's name, then alias_count aliases, back to back. */
struct idx_entry {
	uint32_t names;
	uint16_t port;
	uint8_t proto;
	uint8_t alias_count;
};

/* A hash slot maps a key to the first entry, in entry order, that matches it.
 * NAMES/VARIANTS: key = string offset of a name or alias (0: empty slot),
 *   value = entry << 3 | proto (PROTO_ANY: any protocol).
 * PORTS: key = 1 << 31 | proto << 16 | port (0: empty slot), value = entry.
 * A (key, proto) slot is left out when its entry is the (key, PROTO_ANY) one. */
struct idx_slot {
	uint32_t key;
	uint32_t value;
};

#define SLOT_PORT_USED 0x80000000u

struct idx_record {
	uint32_t name;
	uint32_t body;     /* offset into SEC_BODIES */
	uint16_t port_lo;
	uint16_t port_hi;
	uint8_t proto;     /* enum idx_proto; PROTO_ANY: none */
	uint8_t flags;     /* IANA_RECORD_* */
	uint16_t reserved;
};

enum idx_body_field {
	BODY_PROTO_TEXT, BODY_DESCRIPTION, BODY_ASSIGNEE, BODY_CONTACT,
	BODY_REGISTERED, BODY_MODIFIED, BODY_REFERENCE, BODY_SERVICE_CODE,
	BODY_UNAUTHORIZED, BODY_NOTES, BODY_FIELDS
};

struct idx_person {
	uint32_t id, name, org, uri, updated;
};

struct idx_meta {
	uint32_t title, updated, tool_version, sources;
};

static inline uint32_t idx_hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 16777619u;
	}
	return h;
}

static inline uint32_t idx_mix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

static inline uint32_t idx_hash_port(uint32_t key)
{
	return idx_mix(key * 0x9e3779b1u);
}

static inline uint32_t idx_name_start(uint32_t hash, unsigned proto)
{
	return idx_mix(hash + proto * 0x9e3779b1u);
}

static inline uint32_t idx_port_key(unsigned port, unsigned proto)
{
	return SLOT_PORT_USED | proto << 16 | port;
}

#endif
