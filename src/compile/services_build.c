/* services_build.c: from registry records to services entries, the rules
 * R1-R8 of the SPEC in one place.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Three passes over the records, in registry order:
 *   1. check each record's name, port and protocol (R1, R2, R7);
 *   2. give every record that is not a resolvable synonym its entries, one
 *      per port (R5, R6), dropping repeats (R4);
 *   3. fold synonyms into their target's aliases (R3), in registry order.
 * A synonym is resolvable at a port where its target has an entry of the
 * same protocol; elsewhere it stays an entry of its own (nothing is lost).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "index-format.h"
#include "services.h"
#include "iana-services.h"

static const char *const skip_names[SKIP_COUNT] = {
	[SKIP_UNNAMED] = "unnamed",
	[SKIP_NO_PORT] = "no port",
	[SKIP_NO_PROTO] = "no protocol",
	[SKIP_BAD_NAME] = "invalid name",
	[SKIP_BAD_PORT] = "invalid port",
	[SKIP_BAD_PROTO] = "unknown protocol",
	[SKIP_DUPLICATE] = "duplicate",
};

const char *services_skip_reason(enum skip_reason r)
{
	return skip_names[r];
}

const char *services_name_problem(const char *s)
{
	if (!*s)
		return "empty";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t')
			return "contains white space";
		if (c == '#')
			return "contains '#'";
		if (c < 0x20 || c == 0x7f)
			return "contains a control character";
		if (c >= 0x80)
			return "contains a non-ASCII character";
	}
	return NULL;
}

const char *services_local_name_problem(const char *s)
{
	if (!*s)
		return "empty";
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return "contains a control character";
	return NULL;
}

static int parse_number(const char *s, const char *end, unsigned *out)
{
	unsigned long v = 0;

	if (s == end || end - s > 6)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = (unsigned)v;
	return 0;
}

static const char *port_problem(const char *s, unsigned *lo, unsigned *hi)
{
	const char *dash = strchr(s, '-'), *end = s + strlen(s);

	if (parse_number(s, dash ? dash : end, lo) < 0 ||
	    (dash && parse_number(dash + 1, end, hi) < 0))
		return "is not a number or range";
	if (!dash)
		*hi = *lo;
	if (*lo > 65535 || *hi > 65535)
		return "is out of range (0-65535)";
	if (*lo > *hi)
		return "is a backwards range";
	return NULL;
}

/* R1: the registry's four transport protocols, in lower case. */
static const char *registry_proto(const char *s)
{
	static const char *const names[] = { "tcp", "udp", "sctp", "dccp" };

	for (size_t p = 0; p < sizeof(names) / sizeof(names[0]); p++)
		if (strcasecmp(s, names[p]) == 0)
			return names[p];
	return NULL;
}

/* The code of protocol name p (see struct service_entry), added if new;
 * 0 when the index has room for no more. */
static unsigned proto_intern(struct services *s, const char *p)
{
	for (size_t i = 0; i < s->proto_count; i++)
		if (strcmp(s->protos[i], p) == 0)
			return (unsigned)i + 1;
	if (s->proto_count == IDX_MAX_PROTOS)
		return 0;
	s->protos[s->proto_count++] = p;
	return (unsigned)s->proto_count;
}

static void skip(struct services *s, enum skip_reason why)
{
	s->skipped[why]++;
}

static int too_long(const char *s)
{
	return strnlen(s, IDX_MAX_NAME + 1) > IDX_MAX_NAME;
}

/* A services(5) line's names and protocol: kept as glibc's files backend
 * reads them (R9), within the index's limits (SPEC 5), and refused beyond
 * them, since glibc would answer what the index cannot hold: 1 when the
 * line can give an entry, -EINVAL when it is refused. */
static int check_local(struct services *s, const struct registry_record *r,
                       struct service_record *sr, struct diags *d)
{
	const char *name = r->f[F_NAME], *problem = services_local_name_problem(name);

	if (r->alias_count > IDX_MAX_ALIASES) {
		diag_add(d, DIAG_ERROR, r->file, r->line, "%s: %zu aliases, more than %d",
		         name, r->alias_count, IDX_MAX_ALIASES);
		return -EINVAL;
	}
	for (size_t i = 0; i < r->alias_count; i++)
		if (too_long(r->aliases[i])) {
			diag_add(d, DIAG_ERROR, r->file, r->line,
			         "%s: an alias longer than %d bytes", name, IDX_MAX_NAME);
			return -EINVAL;
		}
	if (problem) {
		diag_add(d, DIAG_ERROR, r->file, r->line, "service name %s", problem);
		return -EINVAL;
	}
	if (r->f[F_PROTO][0] && services_local_name_problem(r->f[F_PROTO])) {
		diag_add(d, DIAG_ERROR, r->file, r->line,
		         "%s: protocol name contains a control character", name);
		return -EINVAL;
	}
	for (size_t i = 0; i < r->alias_count; i++)
		if (services_local_name_problem(r->aliases[i])) {
			diag_add(d, DIAG_ERROR, r->file, r->line,
			         "%s: alias %zu contains a control character", name, i + 1);
			return -EINVAL;
		}
	if (too_long(r->f[F_PROTO])) {
		diag_add(d, DIAG_ERROR, r->file, r->line, "%s: protocol name longer than %d bytes",
		         name, IDX_MAX_NAME);
		return -EINVAL;
	}
	sr->proto = proto_intern(s, r->f[F_PROTO]);
	if (sr->proto == 0) {
		diag_add(d, DIAG_ERROR, r->file, r->line, "%s: more than %d protocol names",
		         name, IDX_MAX_PROTOS);
		return -EINVAL;
	}
	return 1;
}

/* Pass 1. 1 when the record can give entries, 0 when not, -EINVAL when
 * it is beyond the index's limits. */
static int check_record(struct services *s, const struct registry_record *r,
                        struct service_record *sr, struct diags *d)
{
	const char *name = r->f[F_NAME], *problem, *port_bad = NULL, *proto;

	sr->flags = r->local ? IANA_RECORD_LOCAL : 0;
	if (r->f[F_PORT][0]) {
		port_bad = port_problem(r->f[F_PORT], &sr->port_lo, &sr->port_hi);
		if (port_bad)
			sr->port_lo = sr->port_hi = 0;
		else
			sr->flags |= IANA_RECORD_HAS_PORT;
	}
	proto = r->local ? NULL : registry_proto(r->f[F_PROTO]);
	sr->proto = proto ? proto_intern(s, proto) : 0;   /* four at most */
	if (!name[0])
		return skip(s, SKIP_UNNAMED), 0;
	if (too_long(name)) {
		diag_add(d, DIAG_ERROR, r->file, r->line,
		         "service name longer than %d bytes", IDX_MAX_NAME);
		return -EINVAL;
	}
	if (r->local && !port_bad)
		return check_local(s, r, sr, d);
	problem = services_name_problem(name);
	if (problem) {
		diag_add(d, DIAG_SKIP, r->file, r->line, "service name \"%s\" %s; skipped",
		         name, problem);
		return skip(s, SKIP_BAD_NAME), 0;
	}
	if (!r->f[F_PORT][0])
		return skip(s, SKIP_NO_PORT), 0;
	if (port_bad) {
		diag_add(d, DIAG_SKIP, r->file, r->line, "%s: port \"%s\" %s; skipped", name,
		         r->f[F_PORT], port_bad);
		return skip(s, SKIP_BAD_PORT), 0;
	}
	if (!r->f[F_PROTO][0])
		return skip(s, SKIP_NO_PROTO), 0;
	if (sr->proto == 0) {
		diag_add(d, DIAG_SKIP, r->file, r->line,
		         "%s: unknown transport protocol \"%s\"; skipped", name, r->f[F_PROTO]);
		return skip(s, SKIP_BAD_PROTO), 0;
	}
	return 1;
}

/* The service a synonym record names in its notes, or NULL (R3). */
static const char *synonym_of(struct services *s, const char *notes)
{
	static const char *const forms[][2] = {
		{ "duplicate of the \"", "\" service" },
		{ "This entry is an alias to \"", "\"" },
	};

	for (size_t i = 0; i < 2; i++) {
		const char *a = strstr(notes, forms[i][0]), *b;

		if (!a)
			continue;
		a += strlen(forms[i][0]);
		b = strchr(a, '"');
		if (b && b > a && strncmp(b, forms[i][1], strlen(forms[i][1])) == 0)
			return registry_strndup(&s->strings, a, (size_t)(b - a));
	}
	return NULL;
}

/* The (lower-case name, port, protocol) key of len bytes into k. */
static void fill_key(char *k, const char *name, size_t n, unsigned port, unsigned proto)
{
	for (size_t i = 0; i < n; i++)
		k[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	k[n] = 0;
	k[n + 1] = (char)(port >> 8);
	k[n + 2] = (char)(port & 0xff);
	k[n + 3] = (char)proto;
}

/* The key to store in a map, owned by s->strings. */
static const char *stored_key(struct services *s, const char *name, unsigned port,
                              unsigned proto, size_t *len)
{
	size_t n = strlen(name);
	char *k = registry_strndup(&s->strings, NULL, n + 4);

	if (!k)
		return NULL;
	fill_key(k, name, n, port, proto);
	*len = n + 4;
	return k;
}

/* The key to look up, in s->scratch until the next call: most keys are
 * only looked up, and a copy each would be memory touched for nothing. */
static const char *lookup_key(struct services *s, const char *name, unsigned port,
                              unsigned proto, size_t *len)
{
	size_t n = strlen(name);

	if (n + 4 > s->scratch_cap) {
		char *k = realloc(s->scratch, n + 4);

		if (!k)
			return NULL;
		s->scratch = k;
		s->scratch_cap = n + 4;
	}
	fill_key(s->scratch, name, n, port, proto);
	*len = n + 4;
	return s->scratch;
}

static long find_entry(struct services *s, const char *name, unsigned port, unsigned proto)
{
	size_t len, *v;
	const char *k = lookup_key(s, name, port, proto, &len);

	if (!k)
		return -ENOMEM;
	v = bytemap_get(&s->keys, k, len);
	return v ? (long)*v : -1;
}

/* Whether e has the name, compared as cmp does. */
static int has_name(const struct service_entry *e, const char *name,
                    int (*cmp)(const char *, const char *))
{
	if (cmp(e->name, name) == 0)
		return 1;
	for (size_t i = 0; i < e->alias_count; i++)
		if (cmp(e->aliases[i], name) == 0)
			return 1;
	return 0;
}

/* Adds alias to e, or refuses with -EINVAL when e is full (SPEC 5). */
static int push_alias(struct services *s, struct service_entry *e, const char *alias,
                      const struct registry_record *r, struct diags *d)
{
	if (e->alias_count == IDX_MAX_ALIASES) {
		diag_add(d, DIAG_ERROR, r->file, r->line, "%s: alias \"%s\" would be its "
		         "entry's alias number %d, more than %d", e->name, alias,
		         IDX_MAX_ALIASES + 1, IDX_MAX_ALIASES);
		return -EINVAL;
	}
	if (e->alias_count == e->alias_cap) {
		size_t cap = e->alias_cap ? e->alias_cap * 2 : 2;
		const char **v = realloc(e->aliases, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->aliases = v;
		e->alias_cap = cap;
	}
	e->aliases[e->alias_count++] = alias;
	s->aliases++;
	return 1;
}

/* 1 when added, 0 when the entry has the name already (as cmp compares). */
static int add_alias(struct services *s, struct service_entry *e, const char *alias,
                     int (*cmp)(const char *, const char *),
                     const struct registry_record *r, struct diags *d)
{
	return has_name(e, alias, cmp) ? 0 : push_alias(s, e, alias, r, d);
}

/* A new entry; its key is stored only if the first of its kind, so that
 * the key finds the first entry, as lookups do. */
static int add_entry(struct services *s, const char *name, unsigned port, unsigned proto,
                     int local)
{
	size_t len;
	const char *k = stored_key(s, name, port, proto, &len);
	size_t *old;
	int r;

	if (!k)
		return -ENOMEM;
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct service_entry *v = realloc(s->entries, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->entries = v;
		s->cap = cap;
	}
	r = bytemap_insert_hashed(&s->keys, k, len, bytemap_hash(k, len), s->count, &old);
	if (r < 0)
		return r;
	s->entries[s->count++] = (struct service_entry){ .name = name, .port = port,
	                                                 .proto = proto, .local = local };
	return 0;
}

/* A services(5) line's aliases: those of a line that is an entry of its
 * own are kept as they stand, repeats and all, as glibc's files backend
 * answers them (R9); those added to a registry entry (R4) are added once. */
static int local_aliases(struct services *s, struct service_entry *e,
                         const struct registry_record *r, struct diags *d)
{
	for (size_t i = 0; i < r->alias_count; i++) {
		const char *alias = r->aliases[i];
		int x = e->local ? push_alias(s, e, alias, r, d) :
		                   add_alias(s, e, alias, strcmp, r, d);

		if (x < 0)
			return x;
	}
	return 0;
}

/* Starts loading the slot of record r's first key in the entries map, a
 * record before own_entry() looks it up: on a large registry the map
 * outgrows the caches, and the miss then overlaps the work on the record
 * before. */
static void prefetch_entry(struct services *s, const struct registry_record *r,
                           const struct service_record *sr)
{
	size_t len;
	const char *k = lookup_key(s, r->f[F_NAME], sr->port_lo, sr->proto, &len);

	if (k)
		bytemap_prefetch(&s->keys, bytemap_hash(k, len));
}

/* Pass 2 for one port of a record that is not folded there: 0 when it
 * gave or grew an entry, 1 when a repeat (R4). A services(5) line that
 * repeats an earlier one is an entry of its own, as the line is to glibc's
 * files backend; one that repeats a registry entry adds its aliases. */
static int own_entry(struct services *s, const struct registry_record *r,
                     unsigned port, unsigned proto, struct diags *d)
{
	long e = find_entry(s, r->f[F_NAME], port, proto);
	int x;

	if (e < -1)
		return (int)e;
	if (e >= 0 && !r->local)
		return 1;
	if (e >= 0 && !s->entries[e].local)
		return local_aliases(s, &s->entries[e], r, d);
	x = add_entry(s, r->f[F_NAME], port, proto, r->local);
	if (x == 0 && r->local)
		x = local_aliases(s, &s->entries[s->count - 1], r, d);
	return x;
}

/* Pass 1 for every record: may it give entries, and is it a synonym? */
static int check_all(struct services *s, const struct registry *reg,
                     const char **target, char *ok, struct diags *d)
{
	int r = 0;

	for (size_t i = 0; i < reg->count; i++) {
		const struct registry_record *r1 = &reg->records[i];
		int x = check_record(s, r1, &s->records[i], d);

		if (x < 0)
			r = x;
		ok[i] = x > 0;
		target[i] = NULL;
		if (ok[i] && !r1->local && r1->f[F_NOTES][0]) {
			target[i] = synonym_of(s, r1->f[F_NOTES]);
			if (target[i] && strcasecmp(target[i], r1->f[F_NAME]) == 0)
				target[i] = NULL;
		}
	}
	return r;
}

/* What a synonym finds at a (name, port, protocol) key: */
enum { TARGET_NONE, TARGET_REGISTRY, TARGET_LOCAL };

/* The keys that synonym records fold into, each valued by who gives it
 * first, and so owns its entry: a registry record that is not a synonym,
 * or a services(5) line, or nobody. Found before pass 2, so that pass 2
 * knows which synonym ports will fold. Only these keys are ever asked
 * about, and synonyms are few: a small map that every other record is
 * looked up in, not a map of every record. */
static int index_targets(struct services *s, const struct registry *reg,
                         const char **target, const char *ok, struct bytemap *t)
{
	for (size_t i = 0; i < reg->count; i++) {
		const struct service_record *sr = &s->records[i];

		for (unsigned p = sr->port_lo; ok[i] && target[i] && p <= sr->port_hi; p++) {
			size_t len;
			const char *k = stored_key(s, target[i], p, sr->proto, &len);

			if (!k || bytemap_put(t, k, len, TARGET_NONE) < 0)
				return -ENOMEM;
		}
	}
	for (size_t i = 0; t->count && i < reg->count; i++) {
		const struct service_record *sr = &s->records[i];

		for (unsigned p = sr->port_lo; ok[i] && !target[i] && p <= sr->port_hi; p++) {
			size_t len, *v;
			const char *k = lookup_key(s, reg->records[i].f[F_NAME], p, sr->proto,
			                           &len);

			if (!k)
				return -ENOMEM;
			v = bytemap_get(t, k, len);
			if (v && *v == TARGET_NONE)
				*v = reg->records[i].local ? TARGET_LOCAL : TARGET_REGISTRY;
		}
	}
	return 0;
}

static int target_of(struct services *s, const struct bytemap *t, const char *target,
                     unsigned port, unsigned proto)
{
	size_t len, *v;
	const char *k = lookup_key(s, target, port, proto, &len);

	if (!k)
		return -ENOMEM;
	v = bytemap_get(t, k, len);
	return v ? (int)*v : TARGET_NONE;
}

/* Pass 2 for one port of a synonym: 1 when it folds there (R3), 0 when
 * not. A services(5) line's entry answers as the line does (R9): a
 * synonym is not added to it, and stays an entry of its own, unless the
 * line already names it. */
static int folds(struct services *s, const struct bytemap *t, const char *target,
                 const char *name, unsigned port, unsigned proto)
{
	int who = target_of(s, t, target, port, proto);
	long e;

	if (who != TARGET_LOCAL)
		return who < 0 ? who : who == TARGET_REGISTRY;
	e = find_entry(s, target, port, proto);
	if (e < -1)
		return (int)e;
	return e >= 0 && has_name(&s->entries[e], name, strcasecmp);
}

/* Pass 3: the synonyms that fold into registry entries, in registry order. */
static int fold_synonyms(struct services *s, const struct registry *reg,
                         const char **target, const char *ok, const struct bytemap *t,
                         struct diags *d)
{
	for (size_t i = 0; i < reg->count; i++) {
		struct service_record *sr = &s->records[i];

		for (unsigned p = sr->port_lo; ok[i] && target[i] && p <= sr->port_hi; p++) {
			int who = target_of(s, t, target[i], p, sr->proto);
			long e;
			int x;

			if (who < 0)
				return who;
			if (who != TARGET_REGISTRY)
				continue;
			e = find_entry(s, target[i], p, sr->proto);
			if (e < 0)
				return e == -1 ? -EPROTO : (int)e;
			x = add_alias(s, &s->entries[e], reg->records[i].f[F_NAME], strcasecmp,
			              &reg->records[i], d);
			if (x < 0)
				return x;
			sr->flags |= IANA_RECORD_ALIAS;
		}
	}
	return 0;
}

int services_build(struct services *s, const struct registry *reg, struct diags *d)
{
	const char **target = calloc(reg->count + 1, sizeof(*target));
	char *ok = calloc(reg->count + 1, 1);
	struct bytemap targets = { 0 };
	int r = -ENOMEM;

	memset(s, 0, sizeof(*s));
	registry_init(&s->strings);
	s->records = calloc(reg->count + 1, sizeof(*s->records));
	/* about one entry per record; growing the map would rehash it */
	if (!target || !ok || !s->records || bytemap_reserve(&s->keys, reg->count) < 0)
		goto out;
	r = check_all(s, reg, target, ok, d);
	if (r == 0)
		r = index_targets(s, reg, target, ok, &targets);
	if (r < 0)
		goto out;

	for (size_t i = 0; i < reg->count; i++) {
		struct service_record *sr = &s->records[i];
		int folded = 0, own = 0;

		if (i + 1 < reg->count && ok[i + 1])
			prefetch_entry(s, &reg->records[i + 1], &s->records[i + 1]);

		for (unsigned p = sr->port_lo; ok[i] && p <= sr->port_hi; p++) {
			int f = target[i] ? folds(s, &targets, target[i], reg->records[i].f[F_NAME],
			                          p, sr->proto) : 0;
			int x = f ? 0 : own_entry(s, &reg->records[i], p, sr->proto, d);

			r = f < 0 ? f : x < 0 ? x : 0;
			if (r < 0)
				goto out;
			folded |= f;
			own |= x == 0 && !f;
		}
		if (folded)
			sr->flags |= IANA_RECORD_ALIAS;
		if (ok[i] && !own && !folded)
			skip(s, SKIP_DUPLICATE);
	}
	r = fold_synonyms(s, reg, target, ok, &targets, d);
out:
	/* the keys serve the build only: index_build reuses their memory */
	bytemap_free(&s->keys);
	registry_free(&s->strings);
	bytemap_free(&targets);
	free(target);
	free(ok);
	return r;
}

void services_free(struct services *s)
{
	for (size_t i = 0; i < s->count; i++)
		free(s->entries[i].aliases);
	free(s->entries);
	free(s->records);
	bytemap_free(&s->keys);
	registry_free(&s->strings);
	free(s->scratch);
	memset(s, 0, sizeof(*s));
}
