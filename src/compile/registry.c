/* registry.c: the registry's storage: records, people and their strings.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Strings live in an arena freed at once with the registry: a full registry
 * holds some 170,000 of them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

#define ARENA_BLOCK (256 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
};

struct owned_buffer {
	struct owned_buffer *next;
	void *data;
};

void registry_init(struct registry *reg)
{
	memset(reg, 0, sizeof(*reg));
	reg->title = reg->updated = reg->sources = "";
}

void registry_free(struct registry *reg)
{
	struct arena_block *b = reg->arena;

	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	while (reg->owned) {
		struct owned_buffer *next = reg->owned->next;

		free(reg->owned->data);
		free(reg->owned);
		reg->owned = next;
	}
	for (size_t i = 0; i < reg->count; i++)
		free(reg->records[i].aliases);
	free(reg->records);
	free(reg->people);
	registry_init(reg);
}

char *registry_strndup(struct registry *reg, const char *s, size_t len)
{
	struct arena_block *b = reg->arena;
	char *p;

	if (len >= SIZE_MAX / 2)
		return NULL;
	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = reg->arena;
		reg->arena = b;
	}
	p = b->data + b->used;
	b->used += len + 1;
	if (s)
		memcpy(p, s, len);
	else
		memset(p, 0, len);
	p[len] = 0;
	return p;
}

int registry_own(struct registry *reg, void *data)
{
	struct owned_buffer *o = malloc(sizeof(*o));

	if (!o) {
		free(data);
		return -ENOMEM;
	}
	o->data = data;
	o->next = reg->owned;
	reg->owned = o;
	return 0;
}

const char *registry_strdup(struct registry *reg, const char *s)
{
	return registry_strndup(reg, s, strlen(s));
}

struct registry_record *registry_add(struct registry *reg, const char *file,
                                     unsigned long line)
{
	struct registry_record *r;

	if (reg->count == reg->cap) {
		size_t cap = reg->cap ? reg->cap * 2 : 1024;
		struct registry_record *v = realloc(reg->records, cap * sizeof(*v));

		if (!v)
			return NULL;
		reg->records = v;
		reg->cap = cap;
	}
	r = &reg->records[reg->count++];
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < F_COUNT; i++)
		r->f[i] = "";
	r->file = file;
	r->line = line;
	return r;
}

struct registry_person *registry_add_person(struct registry *reg)
{
	struct registry_person *p;

	if (reg->person_count == reg->person_cap) {
		size_t cap = reg->person_cap ? reg->person_cap * 2 : 256;
		struct registry_person *v = realloc(reg->people, cap * sizeof(*v));

		if (!v)
			return NULL;
		reg->people = v;
		reg->person_cap = cap;
	}
	p = &reg->people[reg->person_count++];
	p->id = p->name = p->org = p->uri = p->updated = "";
	return p;
}
