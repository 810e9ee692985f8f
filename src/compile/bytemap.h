/* bytemap.h: a hash map from byte strings to numbers, for the compiler.
 * Keys are not copied: they must outlive the map.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_BYTEMAP_H
#define IANA_BYTEMAP_H

#include <stddef.h>
#include <stdint.h>

/* A key and its value. */
struct bytemap_item {
	const void *key;
	size_t value;
	size_t len;
};

/* A slot names an item; 0 is empty. */
struct bytemap_slot {
	uint32_t hash;
	uint32_t item;            /* item number, plus one */
};

/* Items live in chunks of BYTEMAP_CHUNK, in insertion order, so that
 * adding one never moves the others. */
#define BYTEMAP_CHUNK 1024

struct bytemap {
	struct bytemap_slot *slots;
	struct bytemap_item **chunks;
	size_t count, mask, chunk_count;
};

void bytemap_free(struct bytemap *m);
/* The hash the map files key under. */
uint32_t bytemap_hash(const void *key, size_t len);
/* Starts loading the slots where a search for hash begins: a caller that
 * knows its next keys early lets their cache misses overlap. */
static inline void bytemap_prefetch(const struct bytemap *m, uint32_t hash)
{
	if (m->slots)
		__builtin_prefetch(&m->slots[hash & m->mask]);
}
/* The value stored for key, or NULL. */
size_t *bytemap_get(const struct bytemap *m, const void *key, size_t len);
/* Room for keys keys without growing: 0 or -ENOMEM. */
int bytemap_reserve(struct bytemap *m, size_t keys);
/* Stores value unless key is there; 1 if stored, 0 if present, -ENOMEM. */
int bytemap_put(struct bytemap *m, const void *key, size_t len, size_t value);
/* The same, and *at is the value now stored for key (valid until the map
 * is freed): one lookup where a get and a put would take two. */
int bytemap_insert(struct bytemap *m, const void *key, size_t len, size_t value,
                   size_t **at);
/* The same, with the key's bytemap_hash already known. */
int bytemap_insert_hashed(struct bytemap *m, const void *key, size_t len, uint32_t hash,
                          size_t value, size_t **at);

#endif
