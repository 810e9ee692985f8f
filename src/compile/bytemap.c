/* bytemap.c: open addressing, linear probing, doubling at three quarters full.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A slot is 8 bytes (hash and item number), the keys and values sit in
 * chunks in insertion order: the compiler's maps are written once and the
 * process is short, so what costs is the memory first touched (a page
 * fault each 4 KiB), not the probe, and a growing map neither copies its
 * items nor reads its keys again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bytemap.h"

#define MIN_SLOTS 64

uint32_t bytemap_hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	/* FNV's low bits are weak; the slot is taken from them */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ h >> 16;
}

void bytemap_free(struct bytemap *m)
{
	for (size_t i = 0; i < m->chunk_count; i++)
		free(m->chunks[i]);
	free(m->chunks);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static struct bytemap_item *item(const struct bytemap *m, uint32_t n)
{
	return &m->chunks[n / BYTEMAP_CHUNK][n % BYTEMAP_CHUNK];
}

/* The slot holding key, or the empty slot where it would go. */
static struct bytemap_slot *find(const struct bytemap *m, const void *key,
                                 size_t len, uint32_t h)
{
	for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
		struct bytemap_slot *s = &m->slots[i];
		const struct bytemap_item *it;

		if (!s->item)
			return s;
		if (s->hash != h)
			continue;
		it = item(m, s->item - 1);
		if (it->len == len && memcmp(it->key, key, len) == 0)
			return s;
	}
}

size_t *bytemap_get(const struct bytemap *m, const void *key, size_t len)
{
	struct bytemap_slot *s;

	if (!m->slots)
		return NULL;
	s = find(m, key, len, bytemap_hash(key, len));
	return s->item ? &item(m, s->item - 1)->value : NULL;
}

/* The slots only: items keep their place, slots keep their hash. */
static int resize(struct bytemap *m, size_t size)
{
	struct bytemap_slot *old = m->slots;
	size_t old_size = old ? m->mask + 1 : 0;

	m->slots = calloc(size, sizeof(*m->slots));
	if (!m->slots) {
		m->slots = old;
		return -ENOMEM;
	}
	m->mask = size - 1;
	for (size_t i = 0; i < old_size; i++) {
		size_t j = old[i].hash & m->mask;

		if (!old[i].item)
			continue;
		while (m->slots[j].item)
			j = (j + 1) & m->mask;
		m->slots[j] = old[i];
	}
	free(old);
	return 0;
}

/* Chunks for keys items in all. */
static int reserve_items(struct bytemap *m, size_t keys)
{
	size_t need = (keys + BYTEMAP_CHUNK - 1) / BYTEMAP_CHUNK;
	struct bytemap_item **v;

	if (need <= m->chunk_count)
		return 0;
	if (keys >= UINT32_MAX)
		return -ENOMEM;
	v = realloc(m->chunks, need * sizeof(*v));
	if (!v)
		return -ENOMEM;
	m->chunks = v;
	while (m->chunk_count < need) {
		v[m->chunk_count] = malloc(BYTEMAP_CHUNK * sizeof(**v));
		if (!v[m->chunk_count])
			return -ENOMEM;
		m->chunk_count++;
	}
	return 0;
}

int bytemap_reserve(struct bytemap *m, size_t keys)
{
	size_t size = MIN_SLOTS;

	while (size * 3 < keys * 4)
		size *= 2;
	if (reserve_items(m, keys) < 0)
		return -ENOMEM;
	return m->slots && m->mask + 1 >= size ? 0 : resize(m, size);
}

int bytemap_insert(struct bytemap *m, const void *key, size_t len, size_t value,
                   size_t **at)
{
	return bytemap_insert_hashed(m, key, len, bytemap_hash(key, len), value, at);
}

int bytemap_insert_hashed(struct bytemap *m, const void *key, size_t len, uint32_t h,
                          size_t value, size_t **at)
{
	struct bytemap_slot *s;
	struct bytemap_item *it;

	if ((!m->slots || (m->count + 1) * 4 > (m->mask + 1) * 3) &&
	    resize(m, m->slots ? (m->mask + 1) * 2 : MIN_SLOTS) < 0)
		return -ENOMEM;
	s = find(m, key, len, h);
	if (s->item) {
		*at = &item(m, s->item - 1)->value;
		return 0;
	}
	if (reserve_items(m, m->count + 1) < 0)
		return -ENOMEM;
	it = item(m, (uint32_t)m->count);
	*it = (struct bytemap_item){ .key = key ? key : "", .len = len, .value = value };
	*s = (struct bytemap_slot){ .hash = h, .item = (uint32_t)++m->count };
	*at = &it->value;
	return 1;
}

int bytemap_put(struct bytemap *m, const void *key, size_t len, size_t value)
{
	size_t *at;

	return bytemap_insert(m, key, len, value, &at);
}
