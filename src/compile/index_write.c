/* index_write.c: lay out services.idx from the registry and its entries,
 * and replace the file atomically.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The bytes depend only on the inputs (no time, no host, no pointer
 * order), so the same inputs give the same file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytemap.h"
#include "index-format.h"
#include "index-internal.h"
#include "index-write.h"

/* Tables are at most three quarters full: a probe stays short (about two
 * slots for a hit) and the tables a third of the file. */
#define MAX_LOAD_NUM 3
#define MAX_LOAD_DEN 4

struct buf {
	unsigned char *p;
	size_t len, cap;
	int failed;
};

static void *grow(struct buf *b, size_t n)
{
	if (b->failed)
		return NULL;
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *p;

		while (cap - b->len < n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return NULL;
		}
		b->p = p;
		b->cap = cap;
	}
	b->len += n;
	return b->p + b->len - n;
}

/* Room for n more bytes, allocated at once: a buffer that grows by
 * doubling copies itself and touches memory it then leaves. */
static int reserve(struct buf *b, size_t n)
{
	unsigned char *p;

	if (b->cap - b->len >= n)
		return 0;
	p = realloc(b->p, b->len + n);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = b->len + n;
	return 0;
}

static void put(struct buf *b, const void *data, size_t n)
{
	void *p;

	if (n == 0)
		return;    /* an empty section: data may be NULL */
	p = grow(b, n);
	if (p)
		memcpy(p, data, n);
}

static void put_uleb(struct buf *b, uint32_t v)
{
	do {
		unsigned char c = v & 0x7f;

		v >>= 7;
		if (v)
			c |= 0x80;
		put(b, &c, 1);
	} while (v);
}

struct writer {
	struct buf strings, entries, records, bodies, people, protos, watch;
	struct bytemap interned, body_offsets;
	struct registry keys;         /* owns lower-case name copies */
	struct idx_name_slot *names, *variants;
	struct idx_port_slot *ports;
	uint32_t names_size, variants_size, ports_size;
	uint32_t hash_seed;
	uint32_t max_probe;
	struct idx_meta meta;
	const struct services *svc;
};

/* The offset of s (len bytes, hash its bytemap_hash) in the string pool,
 * adding it once. */
static uint32_t intern_hashed(struct writer *w, const char *s, size_t len, uint32_t hash)
{
	size_t *v;
	int r;

	if (len == 0)
		return 0;
	r = bytemap_insert_hashed(&w->interned, s, len, hash, w->strings.len, &v);
	if (r < 0) {
		w->strings.failed = 1;
		return 0;
	}
	if (r == 1)
		put(&w->strings, s, len + 1);
	return (uint32_t)*v;
}

static uint32_t intern(struct writer *w, const char *s)
{
	size_t len = strlen(s);

	return intern_hashed(w, s, len, bytemap_hash(s, len));
}

/* How many entries ahead write_entries hashes a name and prefetches its
 * slot: an entry is little work, so one ahead would not hide a miss. */
#define ENTRIES_AHEAD 8

struct name_ahead {
	size_t len;
	uint32_t hash;
};

/* The name of an entry without aliases is interned (it is also its
 * record's name); an entry with aliases has a block of its own. */
static void name_ahead(struct writer *w, const struct service_entry *e, struct name_ahead *n)
{
	if (e->alias_count)
		return;
	n->len = strlen(e->name);
	n->hash = bytemap_hash(e->name, n->len);
	bytemap_prefetch(&w->interned, n->hash);
}

static void write_entries(struct writer *w)
{
	const struct service_entry *v = w->svc->entries;
	size_t count = w->svc->count;
	struct name_ahead ahead[ENTRIES_AHEAD];

	for (size_t i = 0; i < count && i < ENTRIES_AHEAD; i++)
		name_ahead(w, &v[i], &ahead[i]);
	for (size_t i = 0; i < count; i++) {
		const struct service_entry *e = &v[i];
		const struct name_ahead *n = &ahead[i % ENTRIES_AHEAD];
		size_t name_len = strlen(e->name), size = name_len + 1;
		struct idx_entry x = { .port = (uint16_t)e->port, .proto = (uint8_t)e->proto,
		                       .alias_count = (uint8_t)e->alias_count,
		                       .name_len = (uint8_t)name_len };

		if (e->alias_count == 0) {
			x.names = intern_hashed(w, e->name, n->len, n->hash);
		} else {
			x.names = (uint32_t)w->strings.len;
			put(&w->strings, e->name, name_len + 1);
			for (size_t a = 0; a < e->alias_count; a++) {
				size_t len = strlen(e->aliases[a]) + 1;

				put(&w->strings, e->aliases[a], len);
				size += len;
			}
		}
		x.names_size = (uint16_t)size;
		put(&w->entries, &x, sizeof(x));
		if (i + ENTRIES_AHEAD < count)
			name_ahead(w, &v[i + ENTRIES_AHEAD], &ahead[i % ENTRIES_AHEAD]);
	}
}

static void write_protos(struct writer *w)
{
	for (size_t i = 0; i < w->svc->proto_count; i++) {
		const char *name = w->svc->protos[i];
		/* intern("") is offset 0, the pool's first byte, a NUL */
		struct idx_proto p = { .name = intern(w, name), .len = (uint32_t)strlen(name) };

		put(&w->protos, &p, sizeof(p));
	}
}

static uint32_t table_size(size_t keys)
{
	uint32_t n = 1;

	while ((uint64_t)n * MAX_LOAD_NUM < (uint64_t)keys * MAX_LOAD_DEN + 1)
		n *= 2;
	return n;
}

/* Each returns how many slots a probe for the key reads to find it. */
static uint32_t name_slot_put(struct idx_name_slot *t, uint32_t size, uint32_t start,
                              uint32_t hash, uint32_t value)
{
	uint32_t i = start & (size - 1), n = 1;

	while (t[i].value != SLOT_EMPTY)
		i = (i + 1) & (size - 1), n++;
	t[i] = (struct idx_name_slot){ .hash = hash, .value = value };
	return n;
}

static uint32_t port_slot_put(struct idx_port_slot *t, uint32_t size, uint32_t start,
                              uint32_t key, uint32_t entry)
{
	uint32_t i = start & (size - 1), n = 1;

	while (t[i].key)
		i = (i + 1) & (size - 1), n++;
	t[i] = (struct idx_port_slot){ .key = key, .entry = entry };
	return n;
}

/* The first entry for every (key, protocol) and (key, any), as the lookup
 * reads them: a protocol's slot only where it differs from "any". */
struct first {
	uint32_t *entry;                 /* [protocol code]; UINT32_MAX: none */
	const char *text;                /* the key as given (lower-cased or exact) */
	const char *spelled;             /* lower-cased key: its first spelling, */
	int respelled;                   /* and whether another one follows */
};

struct firsts {
	struct first *v;
	size_t n;
	uint32_t *pool;                  /* every key's entry[], width codes each */
	unsigned width;                  /* protocol codes, "any" included */
};

/* Room for keys keys, each with a slot for every protocol of the index. */
static int firsts_init(struct firsts *f, size_t keys, size_t protos)
{
	f->n = 0;
	f->width = (unsigned)protos + 1;
	f->v = malloc((keys + 1) * sizeof(*f->v));
	f->pool = malloc((keys + 1) * f->width * sizeof(*f->pool));
	return f->v && f->pool ? 0 : -ENOMEM;
}

static void firsts_free(struct firsts *f)
{
	free(f->v);
	free(f->pool);
}

/* The place of key k (its bytemap_hash given) in f, added if new; -ENOMEM.
 * f has room for every key: the caller sized it for one per spelling. */
static long firsts_add(struct bytemap *m, struct firsts *fs, const char *k, size_t klen,
                       uint32_t hash, const char *text, unsigned proto, uint32_t entry)
{
	size_t *at;
	struct first *f;
	int r = bytemap_insert_hashed(m, k, klen, hash, fs->n, &at);

	if (r < 0)
		return -ENOMEM;
	f = &fs->v[*at];
	if (r == 1) {
		*f = (struct first){ .text = text, .entry = fs->pool + fs->n * fs->width };
		memset(f->entry, 0xff, fs->width * sizeof(*f->entry));
		fs->n++;
	}
	if (f->entry[PROTO_ANY] == UINT32_MAX)
		f->entry[PROTO_ANY] = entry;
	if (f->entry[proto] == UINT32_MAX)
		f->entry[proto] = entry;
	return (long)*at;
}

static int has_slot(const struct first *f, unsigned p)
{
	return f->entry[p] != UINT32_MAX &&
	       (p == PROTO_ANY || f->entry[p] != f->entry[PROTO_ANY]);
}

static size_t firsts_slots(const struct firsts *fs)
{
	size_t k = 0;

	for (size_t i = 0; i < fs->n; i++)
		for (unsigned p = PROTO_ANY; p < fs->width; p++)
			k += has_slot(&fs->v[i], p);
	return k;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* A slot to be: its hash and protocol, and the key and entry it is for. */
struct slot_key {
	uint64_t hash_proto;             /* hash << 8 | protocol */
	uint32_t key;                    /* place in the firsts */
	uint32_t entry;
};

static int slot_key_cmp(const void *a, const void *b)
{
	const struct slot_key *x = a, *y = b;

	if (x->hash_proto != y->hash_proto)
		return x->hash_proto < y->hash_proto ? -1 : 1;
	return (x->key > y->key) - (x->key < y->key);
}

/* Whether entry e has a name equal to key: ignoring ASCII case when fold,
 * as a lookup compares them (index_find.c). */
static int entry_has_key(const struct service_entry *e, const char *key, int fold)
{
	size_t len = strlen(key);

	for (size_t a = 0; a <= e->alias_count; a++) {
		const char *s = a ? e->aliases[a - 1] : e->name;
		int m;

		if (strlen(s) != len)
			continue;
		m = idx_name_match(s, key, len);
		if (m == 2 || (m == 1 && fold))
			return 1;
	}
	return 0;
}

/* Whether a lookup tells apart the slots of keys fs hashed so (see struct
 * idx_name_slot): at most IDX_MAX_TWINS of them share a hash and a
 * protocol, and none of those twins' entries has another twin's key. */
static int twins_allowed(const struct firsts *fs, const uint32_t *hash,
                         const struct services *svc, int fold, struct slot_key *v)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++)
		for (unsigned p = PROTO_ANY; p < fs->width; p++)
			if (has_slot(&fs->v[i], p))
				v[n++] = (struct slot_key){ .hash_proto = (uint64_t)hash[i] << 8 | p,
				                            .key = (uint32_t)i,
				                            .entry = fs->v[i].entry[p] };
	qsort(v, n, sizeof(*v), slot_key_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && v[j].hash_proto == v[i].hash_proto; j++)
			;
		if (j - i > IDX_MAX_TWINS)
			return 0;
		for (size_t a = i; j - i > 1 && a < j; a++)
			for (size_t b = i; b < j; b++)
				if (a != b && entry_has_key(&svc->entries[v[a].entry],
				                            fs->v[v[b].key].text, fold))
					return 0;
	}
	return 1;
}

/* Tables grow to keep probes short, up to this many slots. */
#define MAX_TABLE (1u << 26)

/* One try at the table of keys fs, hashed so, size slots; *longest is the
 * most slots a probe reads to find a key. */
static void fill_table(const struct firsts *fs, const uint32_t *hash,
                       struct idx_name_slot *t, uint32_t size, uint32_t *longest)
{
	memset(t, 0xff, size * sizeof(*t));
	*longest = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const struct first *f = &fs->v[i];

		for (unsigned p = PROTO_ANY; p < fs->width; p++) {
			uint32_t k;

			if (!has_slot(f, p))
				continue;
			k = name_slot_put(t, size, idx_name_start(hash[i], p), hash[i],
			                  idx_slot_value(f->entry[p], p));
			*longest = k > *longest ? k : *longest;
		}
	}
}

/* The table of keys fs under seed, grown until every key lies within
 * IDX_MAX_PROBE slots of its start: -EAGAIN when a lookup could not tell
 * twins apart (another seed will do), -EOVERFLOW when no size does. */
static int firsts_table(const struct firsts *fs, const struct services *svc, uint32_t seed,
                        int fold, struct idx_name_slot **out, uint32_t *size,
                        uint32_t *longest)
{
	size_t slots = firsts_slots(fs);
	uint32_t *hash = malloc((fs->n + 1) * sizeof(*hash));
	struct slot_key *scratch = malloc((slots + 1) * sizeof(*scratch));
	int r = -ENOMEM;

	*out = NULL;
	if (!hash || !scratch)
		goto out;
	for (size_t i = 0; i < fs->n; i++)
		hash[i] = idx_hash_name(fs->v[i].text, strlen(fs->v[i].text), seed, fold);
	r = twins_allowed(fs, hash, svc, fold, scratch) ? -EOVERFLOW : -EAGAIN;
	for (*size = table_size(slots); r == -EOVERFLOW && *size <= MAX_TABLE; *size *= 2) {
		free(*out);
		*out = malloc(*size * sizeof(**out));
		if (!*out) {
			r = -ENOMEM;
			break;
		}
		fill_table(fs, hash, *out, *size, longest);
		if (*longest <= IDX_MAX_PROBE) {
			r = 0;
			break;
		}
	}
out:
	free(hash);
	free(scratch);
	if (r < 0) {
		free(*out);
		*out = NULL;
	}
	return r;
}

/* Every name and alias of every entry. */
struct spelling {
	const char *text;
	uint32_t entry;
	uint32_t group;          /* its lower-cased key's place */
};

static struct spelling *spellings(struct writer *w, size_t *n)
{
	const struct services *svc = w->svc;
	struct spelling *v;
	size_t k = 0;

	*n = 0;
	for (size_t i = 0; i < svc->count; i++)
		*n += 1 + svc->entries[i].alias_count;
	v = calloc(*n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < svc->count; i++) {
		const struct service_entry *e = &svc->entries[i];

		for (size_t a = 0; a <= e->alias_count; a++)
			v[k++] = (struct spelling){ .text = a ? e->aliases[a - 1] : e->name,
			                            .entry = (uint32_t)i };
	}
	return v;
}

/* A spelling's lower-cased key, made a spelling ahead with the map's slot
 * for it prefetched: on a large registry the map outgrows the caches (see
 * write_records). */
struct lowered {
	char *key;
	size_t len;
	uint32_t hash;
};

static int lower_ahead(struct writer *w, const struct bytemap *m, const char *s,
                       struct lowered *l)
{
	l->len = strlen(s);
	l->key = registry_strndup(&w->keys, s, l->len);
	if (!l->key)
		return -ENOMEM;
	for (char *p = l->key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 32;
	l->hash = bytemap_hash(l->key, l->len);
	bytemap_prefetch(m, l->hash);
	return 0;
}

/* The lower-cased keys, each with its first spelling and whether it has
 * another (spelling i is in group sp[i].group). */
static int lower_keys(struct writer *w, struct spelling *sp, size_t n, struct bytemap *m,
                      struct firsts *lo)
{
	struct lowered l[2];

	if (n && lower_ahead(w, m, sp[0].text, &l[0]) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct lowered *k = &l[i % 2];
		struct first *f;
		long a;

		if (i + 1 < n && lower_ahead(w, m, sp[i + 1].text, &l[(i + 1) % 2]) < 0)
			return -ENOMEM;
		a = firsts_add(m, lo, k->key, k->len, k->hash, k->key,
		               w->svc->entries[sp[i].entry].proto, sp[i].entry);
		if (a < 0)
			return -ENOMEM;
		sp[i].group = (uint32_t)a;
		f = &lo->v[a];
		if (!f->spelled)
			f->spelled = sp[i].text;
		else if (strcmp(f->spelled, sp[i].text) != 0)
			f->respelled = 1;
	}
	return 0;
}

/* Both name tables under the first seed under which a lookup tells every
 * slot apart (see struct idx_name_slot): with up to IDX_MAX_TWINS slots
 * sharing a hash, the first seed almost always; the bound stops a crafted
 * input. */
static int seeded_tables(struct writer *w, const struct firsts *lo, const struct firsts *ex)
{
	for (uint32_t seed = 0; seed < 256; seed++) {
		uint32_t a, b;
		int r = firsts_table(lo, w->svc, seed, 1, &w->names, &w->names_size, &a);

		if (r == 0)
			r = firsts_table(ex, w->svc, seed, 0, &w->variants, &w->variants_size, &b);
		if (r == 0) {
			w->hash_seed = seed;
			w->max_probe = a > b ? a : b;
			return 0;
		}
		free(w->names);
		w->names = NULL;
		if (r != -EAGAIN)
			return r;
	}
	return -EOVERFLOW;
}

/* NAMES holds every name in any case; VARIANTS every spelling of a name
 * that is spelled in more than one way, compared exactly. Such names are
 * few: only their spellings go into the second map. */
static int write_name_tables(struct writer *w)
{
	struct bytemap by_lower = { 0 }, by_exact = { 0 };
	struct firsts lo = { 0 }, ex = { 0 };
	size_t n;
	struct spelling *sp = spellings(w, &n);
	int r = -ENOMEM;

	if (!sp)
		return -ENOMEM;
	/* at most one key per spelling: sized once, nothing grows */
	if (firsts_init(&lo, n, w->svc->proto_count) < 0 ||
	    firsts_init(&ex, n, w->svc->proto_count) < 0 ||
	    bytemap_reserve(&by_lower, n) < 0 || lower_keys(w, sp, n, &by_lower, &lo) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const char *t = sp[i].text;
		size_t len;

		if (!lo.v[sp[i].group].respelled)
			continue;
		len = strlen(t);
		if (firsts_add(&by_exact, &ex, t, len, bytemap_hash(t, len), t,
		               w->svc->entries[sp[i].entry].proto, sp[i].entry) < 0)
			goto out;
	}
	r = seeded_tables(w, &lo, &ex);
out:
	bytemap_free(&by_lower);
	bytemap_free(&by_exact);
	firsts_free(&lo);
	firsts_free(&ex);
	free(sp);
	return r;
}

static uint32_t longer(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* Puts the PORTS keys into t in the order the lookup's table was always
 * filled, port by port, PROTO_ANY first; counts them when t is NULL.
 * order[] holds port << 40 | proto << 32 | entry, sorted. *longest is the
 * most slots a probe reads to find a key. */
static size_t put_port_keys(const uint64_t *order, size_t n, struct idx_port_slot *t,
                            uint32_t size, uint32_t *longest)
{
	size_t keys = 0;

	*longest = 0;
	for (size_t i = 0, end; i < n; i = end) {
		unsigned port = (unsigned)(order[i] >> 40);
		uint32_t any = (uint32_t)order[i];

		for (end = i; end < n && (order[end] >> 40) == port; end++)
			if ((uint32_t)order[end] < any)
				any = (uint32_t)order[end];
		keys++;
		if (t)
			*longest = longer(*longest, port_slot_put(t, size,
			                  idx_hash_port(idx_port_key(port, PROTO_ANY)),
			                  idx_port_key(port, PROTO_ANY), any));
		for (size_t j = i; j < end; j++) {
			unsigned p = (unsigned)(order[j] >> 32) & 0xff;
			uint32_t key = idx_port_key(port, p);

			/* a protocol's first entry is the first of its run */
			if ((j > i && ((order[j - 1] >> 32) & 0xff) == p) || p == PROTO_ANY ||
			    (uint32_t)order[j] == any)
				continue;
			keys++;
			if (t)
				*longest = longer(*longest, port_slot_put(t, size, idx_hash_port(key),
				                                          key, (uint32_t)order[j]));
		}
	}
	return keys;
}

/* The first entry of every (port, protocol) and (port, any), from the
 * entries sorted by port: a table by port would be 1.3 MB touched for
 * some 6,000 ports in use. Grown, as the name tables, until every key lies
 * within IDX_MAX_PROBE slots of its start. */
static int write_port_table(struct writer *w)
{
	const struct services *svc = w->svc;
	uint64_t *order = malloc((svc->count + 1) * sizeof(*order));
	uint32_t longest;
	int r = -EOVERFLOW;

	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < svc->count; i++)
		order[i] = (uint64_t)svc->entries[i].port << 40 |
		           (uint64_t)svc->entries[i].proto << 32 | i;
	qsort(order, svc->count, sizeof(*order), u64_cmp);
	w->ports_size = table_size(put_port_keys(order, svc->count, NULL, 0, &longest));
	for (; w->ports_size <= MAX_TABLE; w->ports_size *= 2) {
		free(w->ports);
		w->ports = calloc(w->ports_size, sizeof(*w->ports));
		if (!w->ports) {
			r = -ENOMEM;
			break;
		}
		put_port_keys(order, svc->count, w->ports, w->ports_size, &longest);
		if (longest <= IDX_MAX_PROBE) {
			w->max_probe = longer(w->max_probe, longest);
			r = 0;
			break;
		}
	}
	free(order);
	return r;
}

static const int body_fields[BODY_FIELDS] = {
	[BODY_PROTO_TEXT] = F_PROTO, [BODY_DESCRIPTION] = F_DESCRIPTION,
	[BODY_ASSIGNEE] = F_ASSIGNEE, [BODY_CONTACT] = F_CONTACT,
	[BODY_REGISTERED] = F_REGISTERED, [BODY_MODIFIED] = F_MODIFIED,
	[BODY_REFERENCE] = F_REFERENCE, [BODY_SERVICE_CODE] = F_SERVICE_CODE,
	[BODY_UNAUTHORIZED] = F_UNAUTHORIZED, [BODY_NOTES] = F_NOTES,
	[BODY_SOURCE] = F_SOURCE,
};

/* A record waiting for its body: its fields as LEB128 string offsets,
 * shared between records with the same fields. The map of bodies outgrows
 * the caches on a large registry like the string map: a record's body is
 * encoded and its slot prefetched, and the record is written after the
 * next one's strings. */
struct pending {
	unsigned char enc[BODY_FIELDS * 5];   /* a LEB128 uint32 is at most 5 bytes */
	size_t len;
	uint32_t hash;
	struct idx_record x;
};

static void body_ahead(struct writer *w, const uint32_t off[F_COUNT], struct pending *p)
{
	struct buf b = { .p = p->enc, .cap = sizeof(p->enc) };

	for (int i = 0; i < BODY_FIELDS; i++)
		put_uleb(&b, off[body_fields[i]]);
	p->len = b.len;
	p->hash = bytemap_hash(p->enc, p->len);
	bytemap_prefetch(&w->body_offsets, p->hash);
}

/* Writes the record p waits for, with the offset of an equal body written
 * before, or of its own, written now. The map's keys are the bodies in
 * w->bodies, which index_build reserved for every record's: it never
 * moves. */
static void put_pending(struct writer *w, struct pending *p)
{
	unsigned char *end = w->bodies.p + w->bodies.len;
	size_t *v;
	int r;

	if (w->bodies.cap - w->bodies.len < p->len) {
		w->bodies.failed = 1;
		return;
	}
	memcpy(end, p->enc, p->len);
	r = bytemap_insert_hashed(&w->body_offsets, end, p->len, p->hash, w->bodies.len, &v);
	if (r < 0) {
		w->bodies.failed = 1;
		return;
	}
	if (r == 1)
		w->bodies.len += p->len;
	p->x.body = (uint32_t)*v;
	put(&w->records, &p->x, sizeof(p->x));
}

/* What write_records knows of a record's fields before it writes them:
 * which repeat the previous record's (a service's rows sit together and
 * repeat most of each other's fields: tcp and udp rows differ in the
 * protocol alone), and the others' lengths and hashes. */
struct ahead {
	unsigned char same[F_COUNT];
	size_t len[F_COUNT];
	uint32_t hash[F_COUNT];
};

/* Done a record ahead, with the string map's slots for its new strings
 * prefetched: on a large registry the map outgrows the caches, and the
 * misses of one record's strings then overlap the work on the record
 * before it instead of following each other. */
static void look_ahead(struct writer *w, const struct registry_record *r,
                       const struct registry_record *prev, struct ahead *a)
{
	/* every field but the port is written as a string */
	for (int f = 0; f < F_COUNT; f++) {
		a->same[f] = f == F_PORT || (prev && strcmp(r->f[f], prev->f[f]) == 0);
		if (a->same[f])
			continue;
		a->len[f] = strlen(r->f[f]);
		a->hash[f] = bytemap_hash(r->f[f], a->len[f]);
		bytemap_prefetch(&w->interned, a->hash[f]);
	}
}

static uint32_t field_offset(struct writer *w, const struct registry_record *r,
                             const struct ahead *a, const uint32_t prev_off[F_COUNT], int f)
{
	if (a->same[f])
		return prev_off[f];
	return intern_hashed(w, r->f[f], a->len[f], a->hash[f]);
}

static void write_records(struct writer *w, const struct registry *reg)
{
	uint32_t off[2][F_COUNT] = { { 0 } };
	struct ahead ahead[2];
	struct pending pending[2];

	if (reg->count)
		look_ahead(w, &reg->records[0], NULL, &ahead[0]);
	for (size_t i = 0; i < reg->count; i++) {
		const struct registry_record *r = &reg->records[i];
		const struct service_record *sr = &w->svc->records[i];
		const struct ahead *a = &ahead[i % 2];
		struct pending *p = &pending[i % 2];
		uint32_t *cur = off[i % 2];
		const uint32_t *last = off[(i + 1) % 2];

		p->x = (struct idx_record){
			.port_lo = (uint16_t)sr->port_lo,
			.port_hi = (uint16_t)sr->port_hi,
			.proto = (uint8_t)sr->proto,
			.flags = (uint8_t)sr->flags,
		};
		if (i + 1 < reg->count)
			look_ahead(w, &reg->records[i + 1], r, &ahead[(i + 1) % 2]);
		p->x.name = cur[F_NAME] = field_offset(w, r, a, last, F_NAME);
		for (int b = 0; b < BODY_FIELDS; b++)
			cur[body_fields[b]] = field_offset(w, r, a, last, body_fields[b]);
		body_ahead(w, cur, p);
		if (i > 0)
			put_pending(w, &pending[(i + 1) % 2]);
	}
	if (reg->count)
		put_pending(w, &pending[(reg->count - 1) % 2]);
}

static int person_cmp(const void *a, const void *b)
{
	const struct registry_person *const *x = a, *const *y = b;

	int c = strcmp((*x)->id, (*y)->id);

	/* the pointers are in input order: equal IDs keep it */
	return c ? c : (*x > *y) - (*x < *y);
}

/* Sorted by ID for binary search; of two people with one ID, the first. */
static int write_people(struct writer *w, const struct registry *reg)
{
	const struct registry_person **v = calloc(reg->person_count + 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < reg->person_count; i++)
		if (reg->people[i].id[0])
			v[n++] = &reg->people[i];
	qsort(v, n, sizeof(*v), person_cmp);
	for (size_t i = 0; i < n; i++) {
		struct idx_person p;

		if (i && strcmp(v[i]->id, v[i - 1]->id) == 0)
			continue;
		p.id = intern(w, v[i]->id);
		p.name = intern(w, v[i]->name);
		p.org = intern(w, v[i]->org);
		p.uri = intern(w, v[i]->uri);
		p.updated = intern(w, v[i]->updated);
		put(&w->people, &p, sizeof(p));
	}
	free(v);
	return 0;
}

/* The local files to watch (compile --watch), in input order. */
static int write_watch(struct writer *w, const struct index_watch *v, size_t n)
{
	if (n > IDX_MAX_WATCH)
		return -E2BIG;
	for (size_t i = 0; i < n; i++) {
		struct idx_watch x = { .path = intern(w, v[i].path) };

		if (v[i].absent) {
			x.flags = WATCH_ABSENT;
		} else {
			x.dev = (uint64_t)v[i].st.st_dev;
			x.ino = (uint64_t)v[i].st.st_ino;
			x.size = (uint64_t)v[i].st.st_size;
			x.mtime_sec = v[i].st.st_mtim.tv_sec;
			x.mtime_nsec = (uint32_t)v[i].st.st_mtim.tv_nsec;
		}
		put(&w->watch, &x, sizeof(x));
	}
	return 0;
}

static void put_section(struct buf *out, struct idx_section *sec, uint32_t id,
                        const void *data, size_t size, size_t count)
{
	static const unsigned char zero[8];

	put(out, zero, (8 - out->len % 8) % 8);
	*sec = (struct idx_section){ .id = id, .offset = (uint32_t)out->len,
	                             .size = (uint32_t)size, .count = (uint32_t)count };
	put(out, data, size);
}

static int assemble(struct writer *w, unsigned char **data, size_t *len)
{
	struct idx_section sec[SEC_MAX];
	struct idx_header h = { .version = IDX_VERSION, .byte_order = IDX_BYTE_ORDER,
	                        .header_size = sizeof(h) + sizeof(sec),
	                        .section_count = SEC_MAX,
	                        .database = w->svc->database ? w->svc->database : IDX_DB_SERVICES,
	                        .max_probe = w->max_probe ? w->max_probe : 1 };
	struct buf out = { 0 };
	const size_t sizes[] = { w->strings.len, w->entries.len,
	                         w->names_size * sizeof(*w->names),
	                         w->variants_size * sizeof(*w->variants),
	                         w->ports_size * sizeof(*w->ports), w->records.len,
	                         w->bodies.len, w->people.len, sizeof(w->meta),
	                         w->protos.len, w->watch.len };
	size_t total = sizeof(h) + sizeof(sec);

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		total = (total + 7) / 8 * 8 + sizes[i];
	if (reserve(&out, total) < 0)
		return -ENOMEM;
	memcpy(h.magic, IDX_MAGIC, sizeof(h.magic));
	h.entry_count = (uint32_t)w->svc->count;
	h.hash_seed = w->hash_seed;
	h.record_count = (uint32_t)(w->records.len / sizeof(struct idx_record));
	put(&out, &h, sizeof(h));
	put(&out, sec, sizeof(sec));
	put_section(&out, &sec[0], SEC_STRINGS, w->strings.p, w->strings.len, w->strings.len);
	put_section(&out, &sec[1], SEC_ENTRIES, w->entries.p, w->entries.len, h.entry_count);
	put_section(&out, &sec[2], SEC_NAMES, w->names,
	            w->names_size * sizeof(*w->names), w->names_size);
	put_section(&out, &sec[3], SEC_VARIANTS, w->variants,
	            w->variants_size * sizeof(*w->variants), w->variants_size);
	put_section(&out, &sec[4], SEC_PORTS, w->ports,
	            w->ports_size * sizeof(*w->ports), w->ports_size);
	put_section(&out, &sec[5], SEC_RECORDS, w->records.p, w->records.len, h.record_count);
	put_section(&out, &sec[6], SEC_BODIES, w->bodies.p, w->bodies.len, w->bodies.len);
	put_section(&out, &sec[7], SEC_PEOPLE, w->people.p, w->people.len,
	            w->people.len / sizeof(struct idx_person));
	put_section(&out, &sec[8], SEC_META, &w->meta, sizeof(w->meta), 1);
	put_section(&out, &sec[9], SEC_PROTOS, w->protos.p, w->protos.len,
	            w->protos.len / sizeof(struct idx_proto));
	put_section(&out, &sec[10], SEC_WATCH, w->watch.p, w->watch.len,
	            w->watch.len / sizeof(struct idx_watch));
	if (out.failed || out.len > UINT32_MAX) {
		free(out.p);
		return out.failed ? -ENOMEM : -EFBIG;
	}
	h.file_size = out.len;
	memcpy(out.p, &h, sizeof(h));
	memcpy(out.p + sizeof(h), sec, sizeof(sec));
	h.checksum = idx_checksum(out.p, out.len);
	memcpy(out.p, &h, sizeof(h));
	*data = out.p;
	*len = out.len;
	return 0;
}

int index_build(const struct registry *reg, const struct services *svc,
                const struct index_watch *watch, size_t watch_count,
                const char *tool_version, unsigned char **data, size_t *len)
{
	struct writer w = { .svc = svc };
	int r = -ENOMEM;

	registry_init(&w.keys);
	/* The registry has about one and a half distinct strings and one body
	 * per record (plus five strings per person); the buffers get their
	 * final size, or a bound on it, at once. */
	if (bytemap_reserve(&w.interned, reg->count * 3 / 2) < 0 ||
	    bytemap_reserve(&w.body_offsets, reg->count) < 0 ||
	    reserve(&w.strings, reg->count * 32 + svc->count * 16) < 0 ||
	    reserve(&w.entries, svc->count * sizeof(struct idx_entry)) < 0 ||
	    reserve(&w.records, reg->count * sizeof(struct idx_record)) < 0 ||
	    reserve(&w.bodies, reg->count * BODY_FIELDS * 5) < 0 ||
	    reserve(&w.people, reg->person_count * sizeof(struct idx_person)) < 0)
		goto out;
	put(&w.strings, "", 1);       /* offset 0: the empty string */
	write_entries(&w);
	write_protos(&w);
	write_records(&w, reg);
	if (write_people(&w, reg) < 0 || write_watch(&w, watch, watch_count) < 0)
		goto out;
	r = write_name_tables(&w);
	if (r == 0)
		r = write_port_table(&w);
	if (r < 0)
		goto out;
	r = -ENOMEM;
	w.meta.title = intern(&w, reg->title);
	w.meta.updated = intern(&w, reg->updated);
	w.meta.tool_version = intern(&w, tool_version);
	w.meta.sources = intern(&w, reg->sources);
	put(&w.strings, "", 1);       /* the pool ends in a NUL */
	/* done with: the file's buffer reuses their memory */
	bytemap_free(&w.interned);
	bytemap_free(&w.body_offsets);
	registry_free(&w.keys);
	if (w.strings.failed || w.entries.failed || w.records.failed ||
	    w.bodies.failed || w.people.failed || w.protos.failed || w.watch.failed)
		goto out;
	r = assemble(&w, data, len);
out:
	free(w.strings.p);
	free(w.entries.p);
	free(w.records.p);
	free(w.bodies.p);
	free(w.people.p);
	free(w.protos.p);
	free(w.watch.p);
	free(w.names);
	free(w.variants);
	free(w.ports);
	bytemap_free(&w.interned);
	bytemap_free(&w.body_offsets);
	registry_free(&w.keys);
	return r;
}
