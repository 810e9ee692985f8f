/* index_validate.c: trust no byte of the file until it has been checked.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * On open, in constant time: the header, and every section's offset, size,
 * alignment and count; that the string pool starts and ends with NUL; that
 * each hash table's size is a power of two. What lies inside the tables
 * (a slot's entry, an entry's names) is checked where it is read,
 * a few comparisons per lookup, and a bad value there makes that lookup
 * fail with EPROTO (UNAVAIL through NSS). Opening thus costs the same for
 * every registry size, which matters in a module that every process loads.
 * idx_validate_tables() walks everything at once, for `iana-services check`.
 */
#include <errno.h>
#include <string.h>

#include "index-internal.h"

static const struct idx_section *find_section(const struct idx_section *sec,
                                              uint32_t n, uint32_t id)
{
	for (uint32_t i = 0; i < n; i++)
		if (sec[i].id == id)
			return &sec[i];
	return NULL;
}

/* The section's bytes, if it lies inside the file and holds count elements
 * of elem bytes each, suitably aligned. */
static const void *section(const unsigned char *map, size_t size,
                           const struct idx_section *s, size_t elem)
{
	if (!s || s->offset % 8 || s->offset > size || s->size > size - s->offset)
		return NULL;
	if (elem && (uint64_t)s->count * elem != s->size)
		return NULL;
	return map + s->offset;
}

/* A hash table's slots, and its mask; the count must be a power of two. */
static const void *table(const unsigned char *map, size_t size, const struct idx_section *s,
                         size_t elem, uint32_t *mask)
{
	const void *slots = section(map, size, s, elem);

	if (!slots || s->count == 0 || (s->count & (s->count - 1)))
		return NULL;
	*mask = s->count - 1;
	return slots;
}

static int check_header(const struct idx_header *h, size_t size)
{
	if (memcmp(h->magic, IDX_MAGIC, sizeof(h->magic)) != 0 ||
	    h->version != IDX_VERSION || h->byte_order != IDX_BYTE_ORDER ||
	    h->file_size != size || h->section_count > 64 || h->reserved != 0 ||
	    h->header_size != sizeof(*h) + h->section_count * sizeof(struct idx_section) ||
	    h->header_size > size)
		return -EPROTO;
	return 0;
}

int idx_validate(struct iana_index *idx, const unsigned char *map, size_t size)
{
	const struct idx_header *h = (const void *)map;
	const struct idx_section *sec, *s;
	uint32_t n;

	if (size < sizeof(*h) || check_header(h, size) < 0)
		return -EPROTO;
	sec = (const void *)(map + sizeof(*h));
	n = h->section_count;
	idx->map = map;
	idx->size = size;

	s = find_section(sec, n, SEC_STRINGS);
	idx->strings = section(map, size, s, 0);
	if (!idx->strings || s->size == 0 || idx->strings[0] || idx->strings[s->size - 1])
		return -EPROTO;
	idx->strings_size = s->size;

	s = find_section(sec, n, SEC_ENTRIES);
	idx->entries = section(map, size, s, sizeof(struct idx_entry));
	if (!idx->entries || s->count != h->entry_count)
		return -EPROTO;
	idx->entry_count = s->count;

	idx->hash_seed = h->hash_seed;
	idx->names.slots = table(map, size, find_section(sec, n, SEC_NAMES),
	                         sizeof(struct idx_name_slot), &idx->names.mask);
	idx->variants.slots = table(map, size, find_section(sec, n, SEC_VARIANTS),
	                            sizeof(struct idx_name_slot), &idx->variants.mask);
	idx->ports.slots = table(map, size, find_section(sec, n, SEC_PORTS),
	                         sizeof(struct idx_port_slot), &idx->ports.mask);
	if (!idx->names.slots || !idx->variants.slots || !idx->ports.slots)
		return -EPROTO;

	s = find_section(sec, n, SEC_RECORDS);
	idx->records = section(map, size, s, sizeof(struct idx_record));
	if (!idx->records || s->count != h->record_count)
		return -EPROTO;
	idx->record_count = s->count;

	s = find_section(sec, n, SEC_BODIES);
	idx->bodies = section(map, size, s, 0);
	if (!idx->bodies)
		return -EPROTO;
	idx->bodies_size = s->size;

	s = find_section(sec, n, SEC_PEOPLE);
	idx->people = section(map, size, s, sizeof(struct idx_person));
	if (!idx->people)
		return -EPROTO;
	idx->person_count = s->count;

	s = find_section(sec, n, SEC_META);
	idx->meta = section(map, size, s, sizeof(struct idx_meta));
	if (!idx->meta || s->count != 1)
		return -EPROTO;

	return 0;
}

/* Every used slot names an entry and a protocol, and the entry has a name
 * with the slot's hash: the writer's promise that lookups rely on. */
static int check_name_table(const struct iana_index *idx, const struct idx_name_table *t,
                            int fold)
{
	for (uint32_t i = 0; i <= t->mask; i++) {
		const struct idx_name_slot *s = &t->slots[i];
		struct iana_entry e;
		const char *name;
		size_t len;
		int found = 0;

		if (s->value == SLOT_EMPTY)
			continue;
		if ((s->value & 7) > PROTO_MAX || idx_entry(idx, s->value >> 3, &e, &len) < 0)
			return -EPROTO;
		name = e.name;
		for (unsigned a = 0; a <= e.alias_count; a++, name += strlen(name) + 1)
			found |= idx_hash_name(name, strlen(name), idx->hash_seed, fold) == s->hash;
		if (!found)
			return -EPROTO;
	}
	return 0;
}

static int check_port_table(const struct iana_index *idx)
{
	const struct idx_port_table *t = &idx->ports;

	for (uint32_t i = 0; i <= t->mask; i++) {
		const struct idx_port_slot *s = &t->slots[i];

		if (s->key != 0 && (s->entry >= idx->entry_count ||
		                    idx->entries[s->entry].port != (s->key & 0xffff)))
			return -EPROTO;
	}
	return 0;
}

/* No two names of the entry clash under the file's seed: the writer's
 * other promise (see struct idx_name_slot). */
static int check_entry_names(const struct iana_index *idx, const struct iana_entry *e)
{
	const char *x = e->name;

	for (unsigned a = 0; a <= e->alias_count; a++, x += strlen(x) + 1) {
		const char *y = x + strlen(x) + 1;

		for (unsigned b = a + 1; b <= e->alias_count; b++, y += strlen(y) + 1)
			if (idx_names_clash(x, strlen(x), y, strlen(y), idx->hash_seed))
				return -EPROTO;
	}
	return 0;
}

int idx_validate_tables(const struct iana_index *idx)
{
	struct iana_entry e;
	size_t len;

	for (uint32_t i = 0; i < idx->entry_count; i++)
		if (idx_entry(idx, i, &e, &len) < 0 || check_entry_names(idx, &e) < 0)
			return -EPROTO;
	if (check_name_table(idx, &idx->names, 1) < 0 ||
	    check_name_table(idx, &idx->variants, 0) < 0 || check_port_table(idx) < 0)
		return -EPROTO;
	return 0;
}
