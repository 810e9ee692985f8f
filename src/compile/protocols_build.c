/* protocols_build.c: from protocol records to protocols entries, the rules
 * P1 and P3 of the SPEC, into the same struct services as services_build()
 * fills: index_build() writes either unchanged.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A protocols index has one protocol name, "", which every entry has; an
 * entry's port is its protocol number. One pass in input order:
 *   - a protocols(5) line is an entry of its own, as it stands (name,
 *     aliases in order, repeats and case variants kept): glibc's files
 *     backend answers the first line that has a name, and so does the
 *     index, whose entry order is the line order;
 *   - a registry record whose value is one number 0-255 and that has a
 *     keyword gives the entry "keyword in lower case", with the keyword as
 *     its alias when the two differ (P1), unless an earlier entry of the
 *     same number has the keyword as a name or alias, in any case (P3):
 *     netbase's "ospf 89 OSPFIGP" stands for IANA's OSPFIGP.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "iana-services.h"
#include "index-format.h"
#include "services.h"

#define PROTO_NONE 1              /* the one protocol name, "" */

static int too_long(const char *s)
{
	return strnlen(s, IDX_MAX_NAME + 1) > IDX_MAX_NAME;
}

static void skip(struct services *s, enum skip_reason why)
{
	s->skipped[why]++;
}

/* A registry value: one decimal number or a range N-M, 0-65535, into
 * *lo and *hi; -1 when it is neither. */
static int parse_value(const char *v, unsigned *lo, unsigned *hi)
{
	unsigned long n[2] = { 0, 0 };
	int k = 0, digits = 0;

	for (; *v; v++) {
		if (*v >= '0' && *v <= '9') {
			n[k] = n[k] * 10 + (unsigned long)(*v - '0');
			if (n[k] > 65535)
				return -1;
			digits++;
		} else if (*v == '-' && k == 0 && digits) {
			k = 1;
			digits = 0;
		} else {
			return -1;
		}
	}
	if (!digits || (k && n[1] < n[0]))
		return -1;
	*lo = (unsigned)n[0];
	*hi = (unsigned)(k ? n[1] : n[0]);
	return 0;
}

/* P1: the name with a trailing " (deprecated)" removed and each run of
 * spaces made one "-", owned by s->strings; NULL when out of memory. */
static char *keyword(struct services *s, const char *name)
{
	static const char deprecated[] = " (deprecated)";
	size_t n = strlen(name), k = 0;
	char *kw;

	if (n >= sizeof(deprecated) - 1 &&
	    strcmp(name + n - (sizeof(deprecated) - 1), deprecated) == 0)
		n -= sizeof(deprecated) - 1;
	kw = registry_strndup(&s->strings, NULL, n);
	if (!kw)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (name[i] != ' ')
			kw[k++] = name[i];
		else if (i == 0 || name[i - 1] != ' ')
			kw[k++] = '-';
	}
	kw[k] = '\0';
	return kw;
}

static char *lower(struct services *s, const char *name)
{
	char *l = registry_strndup(&s->strings, name, strlen(name));

	for (char *p = l; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return l;
}

/* The (lower-case name, number) key, owned by s->strings. */
static const char *name_key(struct services *s, const char *name, unsigned number,
                            size_t *len)
{
	size_t n = strlen(name);
	char *k = registry_strndup(&s->strings, NULL, n + 3);

	if (!k)
		return NULL;
	for (size_t i = 0; i < n; i++)
		k[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	k[n] = 0;
	k[n + 1] = (char)(number >> 8);
	k[n + 2] = (char)(number & 0xff);
	*len = n + 3;
	return k;
}

/* Files every name of the newest entry under (name, number), for P3. */
static int remember_names(struct services *s)
{
	const struct service_entry *e = &s->entries[s->count - 1];

	for (size_t i = 0; i <= e->alias_count; i++) {
		size_t len;
		const char *k = name_key(s, i ? e->aliases[i - 1] : e->name, e->port, &len);

		if (!k || bytemap_put(&s->keys, k, len, s->count - 1) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int new_entry(struct services *s, const char *name, unsigned number, int local,
                     size_t aliases)
{
	struct service_entry *e;

	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct service_entry *v = realloc(s->entries, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->entries = v;
		s->cap = cap;
	}
	e = &s->entries[s->count];
	*e = (struct service_entry){ .name = name, .port = number, .proto = PROTO_NONE,
	                             .local = local };
	if (aliases) {
		e->aliases = calloc(aliases, sizeof(*e->aliases));
		if (!e->aliases)
			return -ENOMEM;
		e->alias_cap = aliases;
	}
	s->count++;
	return 0;
}

/* A protocols(5) line: refused (-EINVAL) when glibc would answer what the
 * index cannot hold, else an entry as the line stands. */
static int local_entry(struct services *s, const struct registry_record *r,
                       struct service_record *sr, struct diags *d)
{
	const char *name = r->f[F_NAME], *problem = services_local_name_problem(name);
	unsigned long v = strtoul(r->f[F_PORT], NULL, 10);
	struct service_entry *e;

	if (too_long(name)) {
		diag_add(d, DIAG_ERROR, r->file, r->line,
		         "protocol name longer than %d bytes", IDX_MAX_NAME);
		return -EINVAL;
	}
	if (problem) {
		diag_add(d, DIAG_ERROR, r->file, r->line, "protocol name %s", problem);
		return -EINVAL;
	}
	if (v > 65535) {
		diag_add(d, DIAG_ERROR, r->file, r->line, "%s: protocol number %lu "
		         "(%d to glibc) is past 65535, the most the index holds", name, v,
		         (int)(unsigned)v);
		return -EINVAL;
	}
	if (r->alias_count > IDX_MAX_ALIASES) {
		diag_add(d, DIAG_ERROR, r->file, r->line, "%s: %zu aliases, more than %d",
		         name, r->alias_count, IDX_MAX_ALIASES);
		return -EINVAL;
	}
	for (size_t i = 0; i < r->alias_count; i++) {
		if (too_long(r->aliases[i])) {
			diag_add(d, DIAG_ERROR, r->file, r->line,
			         "%s: an alias longer than %d bytes", name, IDX_MAX_NAME);
			return -EINVAL;
		}
		if (services_local_name_problem(r->aliases[i])) {
			diag_add(d, DIAG_ERROR, r->file, r->line,
			         "%s: alias %zu contains a control character", name, i + 1);
			return -EINVAL;
		}
	}
	sr->port_lo = sr->port_hi = (unsigned)v;
	sr->flags |= IANA_RECORD_HAS_PORT;
	if (new_entry(s, name, (unsigned)v, 1, r->alias_count) < 0)
		return -ENOMEM;
	e = &s->entries[s->count - 1];
	for (size_t i = 0; i < r->alias_count; i++)
		e->aliases[e->alias_count++] = r->aliases[i];
	s->aliases += r->alias_count;
	return remember_names(s);
}

/* A registry record: P1 and P3. */
static int registry_entry(struct services *s, const struct registry_record *r,
                          struct service_record *sr, struct diags *d)
{
	const char *name = r->f[F_NAME], *problem, *key;
	char *kw, *lc;
	size_t len;

	if (r->f[F_PORT][0] && parse_value(r->f[F_PORT], &sr->port_lo, &sr->port_hi) == 0)
		sr->flags |= IANA_RECORD_HAS_PORT;
	if (!name[0] || strcasecmp(name, "Reserved") == 0 ||
	    strcasecmp(name, "Unassigned") == 0)
		return skip(s, SKIP_UNNAMED), 0;
	if (!r->f[F_PORT][0])
		return skip(s, SKIP_NO_PORT), 0;
	if (!(sr->flags & IANA_RECORD_HAS_PORT) || sr->port_lo != sr->port_hi ||
	    sr->port_lo > 255) {
		diag_add(d, DIAG_SKIP, r->file, r->line, "%s: value \"%s\" is not one "
		         "protocol number 0-255; skipped", name, r->f[F_PORT]);
		return skip(s, SKIP_BAD_PORT), 0;
	}
	kw = keyword(s, name);
	if (!kw)
		return -ENOMEM;
	problem = too_long(kw) ? "is longer than 255 bytes" : services_name_problem(kw);
	if (problem) {
		diag_add(d, DIAG_SKIP, r->file, r->line, "protocol keyword \"%s\" %s; skipped",
		         kw, problem);
		return skip(s, SKIP_BAD_NAME), 0;
	}
	key = name_key(s, kw, sr->port_lo, &len);
	if (!key)
		return -ENOMEM;
	if (bytemap_get(&s->keys, key, len))
		return skip(s, SKIP_DUPLICATE), 0;
	lc = lower(s, kw);
	if (!lc || new_entry(s, lc, sr->port_lo, 0, 1) < 0)
		return -ENOMEM;
	if (strcmp(lc, kw) != 0) {
		struct service_entry *e = &s->entries[s->count - 1];

		e->aliases[e->alias_count++] = kw;
		s->aliases++;
	}
	return remember_names(s);
}

int protocols_build(struct services *s, const struct registry *reg, struct diags *d)
{
	int r = -ENOMEM, bad = 0;

	memset(s, 0, sizeof(*s));
	registry_init(&s->strings);
	s->database = IDX_DB_PROTOCOLS;
	s->protos[0] = "";
	s->proto_count = 1;
	s->records = calloc(reg->count + 1, sizeof(*s->records));
	if (!s->records || bytemap_reserve(&s->keys, reg->count * 2) < 0)
		goto out;
	for (size_t i = 0; i < reg->count; i++) {
		const struct registry_record *rec = &reg->records[i];
		struct service_record *sr = &s->records[i];

		sr->proto = PROTO_NONE;
		sr->flags = rec->local ? IANA_RECORD_LOCAL : 0;
		if (strcasecmp(rec->f[F_IPV6], "Y") == 0)
			sr->flags |= IANA_RECORD_IPV6;
		r = rec->local ? local_entry(s, rec, sr, d) : registry_entry(s, rec, sr, d);
		if (r == -EINVAL)
			bad = 1;      /* every refused line is reported, then nothing built */
		else if (r < 0)
			goto out;
	}
	r = bad ? -EINVAL : 0;
out:
	/* the names stay in s->strings for index_build; the map was the build's */
	bytemap_free(&s->keys);
	return r;
}
