/* bytemap.c: open addressing, linear probing, doubling at half full.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bytemap.h"

static uint32_t hash(const void *key, size_t len)
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
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static struct bytemap_slot *find(const struct bytemap *m, const void *key,
                                 size_t len, uint32_t h)
{
	for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
		struct bytemap_slot *s = &m->slots[i];

		if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
	}
}

size_t *bytemap_get(const struct bytemap *m, const void *key, size_t len)
{
	struct bytemap_slot *s;

	if (!m->slots)
		return NULL;
	s = find(m, key, len, hash(key, len));
	return s->key ? &s->value : NULL;
}

static int resize(struct bytemap *m, size_t size)
{
	struct bytemap n = { .slots = calloc(size, sizeof(*n.slots)), .mask = size - 1 };

	if (!n.slots)
		return -ENOMEM;
	for (size_t i = 0; m->slots && i <= m->mask; i++)
		if (m->slots[i].key)
			*find(&n, m->slots[i].key, m->slots[i].len, m->slots[i].hash) = m->slots[i];
	n.count = m->count;
	free(m->slots);
	*m = n;
	return 0;
}

int bytemap_reserve(struct bytemap *m, size_t keys)
{
	size_t size = 64;

	while (size < keys * 2)
		size *= 2;
	return m->slots && m->mask + 1 >= size ? 0 : resize(m, size);
}

int bytemap_put(struct bytemap *m, const void *key, size_t len, size_t value)
{
	struct bytemap_slot *s;
	uint32_t h = hash(key, len);

	if ((!m->slots || (m->count + 1) * 2 > m->mask + 1) &&
	    resize(m, m->slots ? (m->mask + 1) * 2 : 64) < 0)
		return -ENOMEM;
	s = find(m, key, len, h);
	if (s->key)
		return 0;
	*s = (struct bytemap_slot){ .key = key ? key : "", .len = len, .value = value, .hash = h };
	m->count++;
	return 1;
}
