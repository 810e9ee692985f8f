/* index-format.h: the bytes of services.idx, shared by writer and reader.
 * man/nss-iana-index.5 describes the same layout in prose.
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

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define IDX_MAGIC "IANAsvc\n"
#define IDX_VERSION 4
#define IDX_BYTE_ORDER 0x01020304u

/* The limits every index keeps (SPEC 5): the writer refuses input beyond
 * them and a reader takes a file beyond them for a damaged one, so that a
 * lookup reads a bounded number of bytes whatever the file holds. */
#define IDX_MAX_NAME 255          /* bytes of a name, without its NUL */
#define IDX_MAX_ALIASES 64
#define IDX_MAX_NAMES_SIZE ((IDX_MAX_ALIASES + 1) * (IDX_MAX_NAME + 1))
#define IDX_MAX_PROTOS 255        /* protocol names; code 0 is "any" */
#define IDX_MAX_PROBE 64          /* slots a lookup reads in one table */
#define IDX_MAX_TWINS 4           /* slots of a table with one hash and protocol */
#define IDX_MAX_ENTRIES (1u << 24)
#define IDX_MAX_WATCH 64
#define IDX_MAX_PATH 4096

/* Protocol 0 in a slot stands for any protocol; entries have 1..count,
 * the place in PROTOS plus one. */
#define PROTO_ANY 0

enum idx_database { IDX_DB_SERVICES = 1, IDX_DB_PROTOCOLS = 2 };

struct idx_header {              /* 64 bytes, then section_count idx_section */
	char magic[8];
	uint32_t version;
	uint32_t byte_order;
	uint32_t header_size;        /* this header and the section table */
	uint32_t section_count;
	uint64_t file_size;
	uint64_t checksum;           /* FNV-1a 64 of the file, this field zero */
	uint32_t entry_count;
	uint32_t record_count;
	uint32_t hash_seed;          /* of the name hashes, see idx_hash_name */
	uint32_t database;           /* enum idx_database */
	uint32_t max_probe;          /* 1..IDX_MAX_PROBE: see struct idx_name_slot */
	uint32_t reserved;           /* zero */
};

enum idx_section_id {
	SEC_STRINGS = 1,   /* bytes */
	SEC_ENTRIES,       /* struct idx_entry[count], entry order */
	SEC_NAMES,         /* struct idx_name_slot[count], power of two: any case */
	SEC_VARIANTS,      /* struct idx_name_slot[count], power of two: exact spellings */
	SEC_PORTS,         /* struct idx_port_slot[count], power of two */
	SEC_RECORDS,       /* struct idx_record[count], registry order */
	SEC_BODIES,        /* bytes: per record, BODY_FIELDS LEB128 string offsets */
	SEC_PEOPLE,        /* struct idx_person[count], sorted by id (strcmp) */
	SEC_META,          /* struct idx_meta[1] */
	SEC_PROTOS,        /* struct idx_proto[count], count <= IDX_MAX_PROTOS */
	SEC_WATCH,         /* struct idx_watch[count], count <= IDX_MAX_WATCH */
	SEC_MAX = SEC_WATCH
};

struct idx_section {
	uint32_t id;
	uint32_t offset;
	uint32_t size;     /* bytes */
	uint32_t count;    /* elements */
};

/* names: the entry's name, then alias_count aliases, back to back, each
 * with its NUL: names_size bytes in all, name_len of them the name's. A
 * name is 1..IDX_MAX_NAME bytes with no byte 0x00-0x20 or 0x7f (what a
 * services(5) line can hold), so the block is exactly what a servent's
 * strings are: copied whole, its NULs say where the aliases start. */
struct idx_entry {                /* 12 bytes */
	uint32_t names;
	uint16_t names_size;
	uint16_t port;
	uint8_t proto;             /* 1..protocol count */
	uint8_t alias_count;       /* <= IDX_MAX_ALIASES */
	uint8_t name_len;
	uint8_t reserved;          /* zero */
};

/* A protocol name as entries and slots number it: len bytes at name, then
 * a NUL; a name as for entries, or empty (a services(5) line "name 80"). */
struct idx_proto {
	uint32_t name;
	uint32_t len;
};

/* A services(5) input the index was compiled from (compile --watch): the
 * reader answers UNAVAIL while the file at path is not this one, so that
 * the next NSS service reads the edited file (SPEC 10, F2). */
struct idx_watch {                /* 48 bytes */
	uint32_t path;             /* absolute, NUL-terminated, < IDX_MAX_PATH */
	uint32_t flags;            /* WATCH_ABSENT: the file did not exist */
	uint64_t dev, ino, size;
	int64_t mtime_sec;
	uint32_t mtime_nsec;
	uint32_t reserved;         /* zero */
};

#define WATCH_ABSENT 1u

/* A hash slot maps a key and a protocol (PROTO_ANY: any protocol) to the
 * first entry, in entry order, that matches both. A (key, proto) slot is
 * left out when its entry is the (key, PROTO_ANY) one.
 *
 * NAMES and VARIANTS hold the key's hash, not the key: a probe compares
 * four bytes per slot and reads the names of an entry only when the hash
 * and protocol match. Such twins, slots of a table with the same hash and
 * protocol, are at most IDX_MAX_TWINS, and the entry of one has none of
 * the others' keys: the first twin whose entry has the name asked for is
 * the answer, and a lookup compares the names of at most IDX_MAX_TWINS
 * entries. The writer chooses hash_seed so (with 32-bit hashes, twins are
 * few and groups of more than two rare: the first seed nearly always
 * does). It also sizes each table so that every key lies within
 * max_probe slots of its start: a lookup reads at most max_probe slots,
 * full table or not. */
struct idx_name_slot {
	uint32_t hash;     /* idx_hash_name: folded (NAMES) or exact (VARIANTS) */
	uint32_t value;    /* entry << 8 | proto; SLOT_EMPTY: an empty slot */
};

#define SLOT_EMPTY UINT32_MAX

/* PORTS: key = 1 << 31 | proto << 16 | port, 0 for an empty slot; each
 * key once, within max_probe slots of its start. */
struct idx_port_slot {
	uint32_t key;
	uint32_t entry;
};

#define SLOT_PORT_USED 0x80000000u

struct idx_record {
	uint32_t name;
	uint32_t body;     /* offset into SEC_BODIES */
	uint16_t port_lo;
	uint16_t port_hi;
	uint8_t proto;     /* as in entries; PROTO_ANY: none or unknown */
	uint8_t flags;     /* IANA_RECORD_* */
	uint16_t reserved;
};

enum idx_body_field {
	BODY_PROTO_TEXT, BODY_DESCRIPTION, BODY_ASSIGNEE, BODY_CONTACT,
	BODY_REGISTERED, BODY_MODIFIED, BODY_REFERENCE, BODY_SERVICE_CODE,
	BODY_UNAUTHORIZED, BODY_NOTES, BODY_SOURCE, BODY_FIELDS
};

struct idx_person {
	uint32_t id, name, org, uri, updated;
};

struct idx_meta {
	uint32_t title, updated, tool_version, sources;
};

/* ASCII letters of eight bytes lower-cased at once (RFC 6335 5.1: names
 * compare without regard to ASCII case). A byte's high bit, after adding
 * 0x80 - 'A' to its low seven bits, says it is >= 'A'; after adding
 * 0x80 - 'Z' - 1, that it is > 'Z'; bytes >= 0x80 are left alone. No sum
 * reaches 0x100, so no carry crosses into the next byte. */
static inline uint64_t idx_fold8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, high = ones << 7;
	uint64_t low7 = w & ~high;
	uint64_t ge_a = low7 + ones * (0x80 - 'A');
	uint64_t gt_z = low7 + ones * (0x80 - 'Z' - 1);

	return w | ((ge_a & ~gt_z & ~w & high) >> 2);
}

/* The n bytes at s, n at most 8, as one word: every byte of them is in
 * it, so two runs of n bytes are equal exactly when their words are. Eight
 * bytes are one little-endian load, four to seven two overlapping ones. */
static inline uint64_t idx_word(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t w;
	uint32_t lo, hi;

	if (n >= 8) {
		memcpy(&w, s, 8);
		return le64toh(w);
	}
	if (n >= 4) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		return (uint64_t)le32toh(hi) << 32 | le32toh(lo);
	}
	return n ? (uint64_t)u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16 : 0;
}

#define IDX_HASH_MUL 0x9e3779b97f4a7c15u

/* The hash of a name of len bytes, ASCII letters lower-cased when fold:
 * its words from the start, every 8 bytes; a name of 8 bytes or more ends
 * with the word of its last 8 bytes, which may overlap the one before. */
static inline uint32_t idx_hash_name(const char *s, size_t len, uint32_t seed, int fold)
{
	uint64_t h = ((uint64_t)seed << 32 ^ len) * IDX_HASH_MUL;
	size_t at = 0;

	do {
		uint64_t w = idx_word(s + at, len - at);

		h = (h ^ (fold ? idx_fold8(w) : w)) * IDX_HASH_MUL;
		at += 8;
		if (at < len && len - at < 8)
			at = len - 8;
	} while (at < len);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	return (uint32_t)(h ^ h >> 33);
}

/* Whether two names of len bytes are equal: 2 when byte for byte, 1 when
 * only ignoring ASCII case (and only ASCII: strcasecmp would follow the
 * caller's locale), 0 when not. Read in words, as idx_hash_name does. */
static inline int idx_name_match(const char *a, const char *b, size_t len)
{
	int exact = 1;
	size_t at = 0;

	do {
		uint64_t x = idx_word(a + at, len - at), y = idx_word(b + at, len - at);

		if (x != y) {
			if (idx_fold8(x) != idx_fold8(y))
				return 0;
			exact = 0;
		}
		at += 8;
		if (at < len && len - at < 8)
			at = len - 8;
	} while (at < len);
	return exact ? 2 : 1;
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

static inline uint32_t idx_slot_value(uint32_t entry, unsigned proto)
{
	return entry << 8 | proto;
}

/* Whether c can stand in a name: not white space, a control byte or DEL. */
static inline int idx_name_byte(unsigned char c)
{
	return c > 0x20 && c != 0x7f;
}

#endif
