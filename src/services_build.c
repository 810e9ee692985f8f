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

static unsigned proto_code(const char *s)
{
	static const char *const names[] = { "", "tcp", "udp", "sctp", "dccp" };

	for (unsigned p = PROTO_TCP; p <= PROTO_MAX; p++)
		if (strcasecmp(s, names[p]) == 0)
			return p;
	return PROTO_ANY;
}

static void skip(struct services *s, enum skip_reason why)
{
	s->skipped[why]++;
}

/* Pass 1. 1 when the record can give entries. */
static int check_record(struct services *s, const struct registry_record *r,
                        struct service_record *sr, struct diags *d)
{
	const char *name = r->f[F_NAME], *problem, *port_bad = NULL;

	sr->flags = r->local ? IANA_RECORD_LOCAL : 0;
	if (r->f[F_PORT][0]) {
		port_bad = port_problem(r->f[F_PORT], &sr->port_lo, &sr->port_hi);
		if (port_bad)
			sr->port_lo = sr->port_hi = 0;
		else
			sr->flags |= IANA_RECORD_HAS_PORT;
	}
	sr->proto = proto_code(r->f[F_PROTO]);
	if (!name[0])
		return skip(s, SKIP_UNNAMED), 0;
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
	if (sr->proto == PROTO_ANY) {
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

static int has_name(const struct service_entry *e, const char *name)
{
	if (strcasecmp(e->name, name) == 0)
		return 1;
	for (size_t i = 0; i < e->alias_count; i++)
		if (strcasecmp(e->aliases[i], name) == 0)
			return 1;
	return 0;
}

/* 1 when added, 0 when the entry has the name already or is full. */
static int add_alias(struct services *s, struct service_entry *e, const char *alias,
                     const struct registry_record *r, struct diags *d)
{
	if (has_name(e, alias))
		return 0;
	if (e->alias_count == SERVICES_MAX_ALIASES) {
		diag_add(d, DIAG_SKIP, r->file, r->line, "%s: more than %d aliases; "
		         "alias \"%s\" skipped", e->name, SERVICES_MAX_ALIASES, alias);
		return 0;
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

static int add_entry(struct services *s, const char *name, unsigned port, unsigned proto)
{
	size_t len;
	const char *k = stored_key(s, name, port, proto, &len);
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
	r = bytemap_put(&s->keys, k, len, s->count);
	if (r < 0)
		return r;
	s->entries[s->count++] = (struct service_entry){ .name = name, .port = port,
	                                                 .proto = proto };
	return 0;
}

/* services(5) aliases that can stand in a services file (R2). */
static int local_aliases(struct services *s, struct service_entry *e,
                         const struct registry_record *r, struct diags *d)
{
	for (size_t i = 0; i < r->alias_count; i++) {
		const char *problem = services_name_problem(r->aliases[i]);
		int x;

		if (problem) {
			diag_add(d, DIAG_SKIP, r->file, r->line, "alias \"%s\" %s; skipped",
			         r->aliases[i], problem);
			continue;
		}
		x = add_alias(s, e, r->aliases[i], r, d);
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

/* Pass 2 for one port of a record that is not folded there. */
static int own_entry(struct services *s, const struct registry_record *r,
                     unsigned port, unsigned proto, struct diags *d)
{
	long e = find_entry(s, r->f[F_NAME], port, proto);
	int x;

	if (e < -1)
		return (int)e;
	if (e >= 0) {
		if (!r->local)
			return 1;    /* R4: a repeat */
		return local_aliases(s, &s->entries[e], r, d) < 0 ? -ENOMEM : 0;
	}
	x = add_entry(s, r->f[F_NAME], port, proto);
	if (x == 0 && r->local)
		x = local_aliases(s, &s->entries[s->count - 1], r, d);
	return x;
}

/* Pass 1 for every record: may it give entries, and is it a synonym? */
static int check_all(struct services *s, const struct registry *reg,
                     const char **target, char *ok, struct diags *d)
{
	for (size_t i = 0; i < reg->count; i++) {
		const struct registry_record *r = &reg->records[i];

		ok[i] = (char)check_record(s, r, &s->records[i], d);
		target[i] = NULL;
		if (ok[i] && !r->local && r->f[F_NOTES][0]) {
			target[i] = synonym_of(s, r->f[F_NOTES]);
			if (target[i] && strcasecmp(target[i], r->f[F_NAME]) == 0)
				target[i] = NULL;
		}
	}
	return 0;
}

/* The (name, port, protocol) keys that synonym records fold into, each
 * valued 1 when a record that is not a synonym gives it: found before
 * pass 2, so that pass 2 knows which synonym ports will fold. Only these
 * keys are ever asked about, and synonyms are few: a small map that every
 * other record is looked up in, not a map of every record. */
static int index_targets(struct services *s, const struct registry *reg,
                         const char **target, const char *ok, struct bytemap *t)
{
	for (size_t i = 0; i < reg->count; i++) {
		const struct service_record *sr = &s->records[i];

		for (unsigned p = sr->port_lo; ok[i] && target[i] && p <= sr->port_hi; p++) {
			size_t len;
			const char *k = stored_key(s, target[i], p, sr->proto, &len);

			if (!k || bytemap_put(t, k, len, 0) < 0)
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
			if (v)
				*v = 1;
		}
	}
	return 0;
}

static int folds(struct services *s, const struct bytemap *t, const char *target,
                 unsigned port, unsigned proto)
{
	size_t len, *v;
	const char *k = lookup_key(s, target, port, proto, &len);

	if (!k)
		return -ENOMEM;
	v = bytemap_get(t, k, len);
	return v && *v;
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
	check_all(s, reg, target, ok, d);
	if (index_targets(s, reg, target, ok, &targets) < 0)
		goto out;

	for (size_t i = 0; i < reg->count; i++) {
		const struct service_record *sr = &s->records[i];
		int folded = 0, own = 0;

		if (i + 1 < reg->count && ok[i + 1])
			prefetch_entry(s, &reg->records[i + 1], &s->records[i + 1]);

		for (unsigned p = sr->port_lo; ok[i] && p <= sr->port_hi; p++) {
			int f = target[i] ? folds(s, &targets, target[i], p, sr->proto) : 0;
			int x = f ? 0 : own_entry(s, &reg->records[i], p, sr->proto, d);

			if (f < 0 || x < 0)
				goto out;
			folded |= f;
			own |= x == 0 && !f;
		}
		if (ok[i] && !own && !folded)
			skip(s, SKIP_DUPLICATE);
	}

	for (size_t i = 0; i < reg->count; i++) {
		struct service_record *sr = &s->records[i];

		for (unsigned p = sr->port_lo; ok[i] && target[i] && p <= sr->port_hi; p++) {
			long e;
			int x;

			if (!folds(s, &targets, target[i], p, sr->proto))
				continue;
			e = find_entry(s, target[i], p, sr->proto);
			if (e < 0)
				goto out;
			x = add_alias(s, &s->entries[e], reg->records[i].f[F_NAME],
			              &reg->records[i], d);
			if (x < 0)
				goto out;
			sr->flags |= IANA_RECORD_ALIAS;
		}
	}
	r = 0;
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
