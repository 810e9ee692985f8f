/* index_validate.c: trust no byte of the file until it has been checked.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * On open, in constant time: the header, and every section's offset, size,
 * alignment and count; that the string pool starts and ends with NUL; that
 * each hash table's size is a power of two; the protocol names and the
 * watched paths (a few hundred bytes at most). What lies inside the tables
 * (a slot's entry, an entry's names) is checked where it is read, a few
 * comparisons per lookup, every read bounded by its section, and a bad
 * value there makes that lookup fail with EPROTO (UNAVAIL through NSS).
 * Opening thus costs the same for every registry size, which matters in a
 * module that every process loads.
 *
 * idx_validate_tables() walks everything at once, for `iana-services
 * check`, in time linear in the file: each string of the pool is measured
 * and hashed once, and an entry or slot then costs a bounded number of
 * steps whatever its names.
 */
#include <errno.h>
#include <stdlib.h>
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

/* The section's bytes, if it lies inside the file, after the header, and
 * holds count elements of elem bytes each, suitably aligned. */
static const void *section(const unsigned char *map, size_t size, uint32_t header_size,
                           const struct idx_section *s, size_t elem)
{
	if (!s || s->offset % 8 || s->offset < header_size || s->offset > size ||
	    s->size > size - s->offset)
		return NULL;
	if (elem && (uint64_t)s->count * elem != s->size)
		return NULL;
	return map + s->offset;
}

/* A hash table's slots, and its mask; the count must be a power of two. */
static const void *table(const unsigned char *map, size_t size, uint32_t header_size,
                         const struct idx_section *s, size_t elem, uint32_t *mask)
{
	const void *slots = section(map, size, header_size, s, elem);

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
	    (h->database != IDX_DB_SERVICES && h->database != IDX_DB_PROTOCOLS) ||
	    h->max_probe == 0 ||
	    h->max_probe > IDX_MAX_PROBE || h->entry_count >= IDX_MAX_ENTRIES ||
	    h->header_size != sizeof(*h) + h->section_count * sizeof(struct idx_section) ||
	    h->header_size > size)
		return -EPROTO;
	return 0;
}

/* Whether the len bytes at s form a name (see struct idx_entry). */
static int valid_name(const char *s, size_t len)
{
	if (len == 0 || len > IDX_MAX_NAME)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!idx_name_byte((unsigned char)s[i]))
			return 0;
	return 1;
}

static int check_protos(const struct iana_index *idx)
{
	for (uint32_t i = 0; i < idx->proto_count; i++) {
		const struct idx_proto *p = &idx->protos[i];

		if (p->name >= idx->strings_size || p->len > IDX_MAX_NAME ||
		    p->len >= idx->strings_size - p->name || idx->strings[p->name + p->len] ||
		    (p->len && !valid_name(idx->strings + p->name, p->len)))
			return -EPROTO;
	}
	return 0;
}

/* Once the names are checked: the first protocols' names, where short,
 * NUL-padded (short_proto_is() compares up to the NUL). */
static void keep_short_protos(struct iana_index *idx)
{
	memset(idx->short_protos, 0, sizeof(idx->short_protos));
	for (uint32_t i = 0; i < IDX_SHORT_PROTOS && i < idx->proto_count; i++) {
		const struct idx_proto *p = &idx->protos[i];
		struct idx_short_proto *k = &idx->short_protos[i];

		if (p->len == 0 || p->len >= sizeof(k->name))
			continue;
		memcpy(k->name, idx->strings + p->name, p->len);
		k->len = (uint8_t)p->len;
	}
}

static int check_watch(const struct iana_index *idx)
{
	for (uint32_t i = 0; i < idx->watch_count; i++) {
		const struct idx_watch *w = &idx->watch[i];
		size_t room;

		if (w->path >= idx->strings_size || (w->flags & ~WATCH_ABSENT) || w->reserved)
			return -EPROTO;
		room = idx->strings_size - w->path;
		if (idx->strings[w->path] != '/' ||
		    !memchr(idx->strings + w->path, 0, room < IDX_MAX_PATH ? room : IDX_MAX_PATH))
			return -EPROTO;
	}
	return 0;
}

int idx_validate(struct iana_index *idx, const unsigned char *map, size_t size)
{
	const struct idx_header *h = (const void *)map;
	const struct idx_section *sec, *s;
	uint32_t n, hs;

	if (size < sizeof(*h) || check_header(h, size) < 0)
		return -EPROTO;
	sec = (const void *)(map + sizeof(*h));
	n = h->section_count;
	hs = h->header_size;
	idx->map = map;
	idx->size = size;
	idx->max_probe = h->max_probe;

	s = find_section(sec, n, SEC_STRINGS);
	idx->strings = section(map, size, hs, s, 0);
	if (!idx->strings || s->size == 0 || idx->strings[0] || idx->strings[s->size - 1])
		return -EPROTO;
	idx->strings_size = s->size;

	s = find_section(sec, n, SEC_ENTRIES);
	idx->entries = section(map, size, hs, s, sizeof(struct idx_entry));
	if (!idx->entries || s->count != h->entry_count)
		return -EPROTO;
	idx->entry_count = s->count;

	idx->hash_seed = h->hash_seed;
	idx->database = h->database;
	idx->names.slots = table(map, size, hs, find_section(sec, n, SEC_NAMES),
	                         sizeof(struct idx_name_slot), &idx->names.mask);
	idx->variants.slots = table(map, size, hs, find_section(sec, n, SEC_VARIANTS),
	                            sizeof(struct idx_name_slot), &idx->variants.mask);
	idx->ports.slots = table(map, size, hs, find_section(sec, n, SEC_PORTS),
	                         sizeof(struct idx_port_slot), &idx->ports.mask);
	if (!idx->names.slots || !idx->variants.slots || !idx->ports.slots)
		return -EPROTO;

	s = find_section(sec, n, SEC_RECORDS);
	idx->records = section(map, size, hs, s, sizeof(struct idx_record));
	if (!idx->records || s->count != h->record_count)
		return -EPROTO;
	idx->record_count = s->count;

	s = find_section(sec, n, SEC_BODIES);
	idx->bodies = section(map, size, hs, s, 0);
	if (!idx->bodies)
		return -EPROTO;
	idx->bodies_size = s->size;

	s = find_section(sec, n, SEC_PEOPLE);
	idx->people = section(map, size, hs, s, sizeof(struct idx_person));
	if (!idx->people)
		return -EPROTO;
	idx->person_count = s->count;

	s = find_section(sec, n, SEC_META);
	idx->meta = section(map, size, hs, s, sizeof(struct idx_meta));
	if (!idx->meta || s->count != 1)
		return -EPROTO;

	s = find_section(sec, n, SEC_PROTOS);
	idx->protos = section(map, size, hs, s, sizeof(struct idx_proto));
	if (!idx->protos || s->count > IDX_MAX_PROTOS)
		return -EPROTO;
	idx->proto_count = s->count;

	s = find_section(sec, n, SEC_WATCH);
	idx->watch = section(map, size, hs, s, sizeof(struct idx_watch));
	if (!idx->watch || s->count > IDX_MAX_WATCH)
		return -EPROTO;
	idx->watch_count = s->count;

	if (check_protos(idx) < 0 || check_watch(idx) < 0)
		return -EPROTO;
	keep_short_protos(idx);
	return 0;
}

/* ---- the whole file, for check ---- */

/* Every string of the pool, measured and hashed once: a name may start
 * only where a string does, so each byte is read a bounded number of
 * times however many entries share a name. */
struct pool_names {
	uint8_t *len;             /* at a string's start: its length if a name, else 0 */
	uint32_t *folded, *exact; /* at a name's start: its hashes */
};

static int pool_names(const struct iana_index *idx, struct pool_names *p)
{
	uint32_t size = idx->strings_size;

	p->len = calloc(size, 1);
	p->folded = malloc(size * sizeof(uint32_t));
	p->exact = malloc(size * sizeof(uint32_t));
	if (!p->len || !p->folded || !p->exact)
		return -ENOMEM;
	for (uint32_t o = 1; o < size;) {
		const char *s = idx->strings + o;
		size_t len = strlen(s);     /* the pool ends in NUL */

		if (valid_name(s, len)) {
			p->len[o] = (uint8_t)len;
			p->folded[o] = idx_hash_name(s, len, idx->hash_seed, 1);
			p->exact[o] = idx_hash_name(s, len, idx->hash_seed, 0);
		}
		o += (uint32_t)len + 1;
	}
	return 0;
}

static void pool_names_free(struct pool_names *p)
{
	free(p->len);
	free(p->folded);
	free(p->exact);
}

/* Entry e's names lie inside its block, start where strings do and end
 * it exactly; its first name is name_len long. */
static int check_entry(const struct iana_index *idx, const struct pool_names *p,
                       const struct idx_entry *e)
{
	uint64_t o = e->names, end = o + e->names_size;

	if (e->reserved || !idx_entry_ok(idx, e))
		return -EPROTO;
	for (unsigned i = 0; i <= e->alias_count; i++) {
		if (o >= end || p->len[o] == 0 || (i == 0 && p->len[o] != e->name_len))
			return -EPROTO;
		o += p->len[o] + 1u;
	}
	return o == end ? 0 : -EPROTO;
}

/* A set of 64-bit keys, each with how often it was added: keys given
 * more than once, found in linear time. */
struct key_set {
	uint64_t *v;              /* 0: free; keys are stored plus one */
	uint8_t *count;
	size_t mask;
};

static int key_set_init(struct key_set *k, size_t n)
{
	size_t size = 16;

	while (size < 2 * n)
		size *= 2;
	k->v = calloc(size, sizeof(*k->v));
	k->count = calloc(size, 1);
	k->mask = size - 1;
	return k->v && k->count ? 0 : -ENOMEM;
}

static void key_set_free(struct key_set *k)
{
	free(k->v);
	free(k->count);
}

/* How often key has been added, this time included (at most 255). */
static unsigned key_set_add(struct key_set *k, uint64_t key)
{
	size_t i = (size_t)(idx_hash_port((uint32_t)key) ^ (uint32_t)(key >> 32) * 0x9e3779b1u);

	for (;; i++) {
		size_t at = i & k->mask;

		if (k->v[at] == 0)
			k->v[at] = key + 1;
		if (k->v[at] == key + 1) {
			if (k->count[at] < UINT8_MAX)
				k->count[at]++;
			return k->count[at];
		}
	}
}

/* Slot i, whose probe starts at start, is within max_probe of it. */
static int within_probe(const struct iana_index *idx, uint32_t i, uint32_t start, uint32_t mask)
{
	return ((i - start) & mask) < idx->max_probe;
}

/* Whether entry e has a name with this hash: the promise a probe takes a
 * slot on. check_entry() has passed for it. */
static int entry_has_hash(const struct pool_names *p, const struct idx_entry *e,
                          uint32_t hash, int fold)
{
	uint32_t o = e->names;

	for (unsigned i = 0; i <= e->alias_count; i++, o += p->len[o] + 1u)
		if ((fold ? p->folded : p->exact)[o] == hash)
			return 1;
	return 0;
}

/* Whether entries a and b share a name with this hash: equal ignoring
 * ASCII case when fold, as a lookup compares them. */
static int share_name(const struct iana_index *idx, const struct pool_names *p,
                      const struct idx_entry *a, const struct idx_entry *b, uint32_t hash,
                      int fold)
{
	const uint32_t *hashes = fold ? p->folded : p->exact;
	uint32_t x = a->names;

	for (unsigned i = 0; i <= a->alias_count; i++, x += p->len[x] + 1u) {
		uint32_t y = b->names;

		if (hashes[x] != hash)
			continue;
		for (unsigned k = 0; k <= b->alias_count; k++, y += p->len[y] + 1u) {
			int m;

			if (hashes[y] != hash || p->len[y] != p->len[x])
				continue;
			m = idx_name_match(idx->strings + x, idx->strings + y, p->len[x]);
			if (m == 2 || (m == 1 && fold))
				return 1;
		}
	}
	return 0;
}

/* The twins of key (hash << 8 | protocol), which lie within max_probe of
 * its start: no two of their entries share a name with the hash, or a
 * lookup of that name could answer from the wrong one. */
static int check_twins(const struct iana_index *idx, const struct pool_names *p,
                       const struct idx_name_table *t, uint64_t key, int fold)
{
	uint32_t hash = (uint32_t)(key >> 8), proto = key & 0xff;
	uint32_t start = idx_name_start(hash, proto), e[IDX_MAX_TWINS];
	unsigned n = 0;

	for (uint32_t k = 0; k < idx->max_probe && k <= t->mask; k++) {
		const struct idx_name_slot *s = &t->slots[(start + k) & t->mask];

		if (s->value != SLOT_EMPTY && s->hash == hash && (s->value & 0xff) == proto &&
		    n < IDX_MAX_TWINS)
			e[n++] = s->value >> 8;
	}
	for (unsigned a = 0; a < n; a++)
		for (unsigned b = a + 1; b < n; b++)
			if (share_name(idx, p, &idx->entries[e[a]], &idx->entries[e[b]], hash, fold))
				return -EPROTO;
	return 0;
}

static int check_name_table(const struct iana_index *idx, const struct pool_names *p,
                            const struct idx_name_table *t, int fold)
{
	struct key_set seen;
	uint64_t *twins = NULL;
	size_t ntwins = 0;
	int r = key_set_init(&seen, t->mask + 1u);

	for (uint32_t i = 0; r == 0 && i <= t->mask; i++) {
		const struct idx_name_slot *s = &t->slots[i];
		uint32_t e = s->value >> 8, proto = s->value & 0xff;
		uint64_t key = (uint64_t)s->hash << 8 | proto;
		unsigned times;

		if (s->value == SLOT_EMPTY)
			continue;
		if (proto > idx->proto_count || e >= idx->entry_count ||
		    !within_probe(idx, i, idx_name_start(s->hash, proto), t->mask) ||
		    !entry_has_hash(p, &idx->entries[e], s->hash, fold) ||
		    (proto != PROTO_ANY && idx->entries[e].proto != proto)) {
			r = -EPROTO;
			break;
		}
		times = key_set_add(&seen, key);
		if (times > IDX_MAX_TWINS) {
			r = -EPROTO;
		} else if (times == 2) {
			/* a table has fewer twins than slots */
			if (!twins && !(twins = malloc((t->mask + 1u) * sizeof(*twins))))
				r = -ENOMEM;
			else
				twins[ntwins++] = key;
		}
	}
	for (size_t i = 0; r == 0 && i < ntwins; i++)
		r = check_twins(idx, p, t, twins[i], fold);
	free(twins);
	key_set_free(&seen);
	return r;
}

static int check_port_table(const struct iana_index *idx)
{
	const struct idx_port_table *t = &idx->ports;
	struct key_set seen;
	int r = key_set_init(&seen, t->mask + 1u);

	for (uint32_t i = 0; r == 0 && i <= t->mask; i++) {
		const struct idx_port_slot *s = &t->slots[i];
		unsigned proto = (s->key >> 16) & 0x7fff;

		if (s->key == 0)
			continue;
		if (!(s->key & SLOT_PORT_USED) || proto > idx->proto_count ||
		    s->entry >= idx->entry_count ||
		    idx->entries[s->entry].port != (s->key & 0xffff) ||
		    (proto != PROTO_ANY && idx->entries[s->entry].proto != proto) ||
		    !within_probe(idx, i, idx_hash_port(s->key), t->mask))
			r = -EPROTO;
		else
			r = key_set_add(&seen, s->key) > 1 ? -EPROTO : 0;
	}
	key_set_free(&seen);
	return r;
}

int idx_validate_tables(const struct iana_index *idx)
{
	struct pool_names p;
	int r = pool_names(idx, &p);

	for (uint32_t i = 0; r == 0 && i < idx->entry_count; i++)
		r = check_entry(idx, &p, &idx->entries[i]);
	if (r == 0)
		r = check_name_table(idx, &p, &idx->names, 1);
	if (r == 0)
		r = check_name_table(idx, &p, &idx->variants, 0);
	if (r == 0)
		r = check_port_table(idx);
	pool_names_free(&p);
	return r == -ENOMEM ? r : r < 0 ? -EPROTO : 0;
}
