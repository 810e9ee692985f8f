/* cmd_diff.c: iana-services diff [--json] OLD NEW
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Compares the assignments of two registries: the records with a name,
 * usually with a port or range and a protocol, but service names without a
 * port are assigned too (DNS-SD). One is the same assignment on both sides
 * when its (name in any case, port range or none, protocol or none) is; a
 * key found several times on a side pairs in registry order. What is left
 * over on both sides with the same name pairs next, the same protocol (a
 * port moved) before the same ports (a protocol changed) before any, so
 * that a move reads as one change, not as a removal and an addition. A pair is changed when
 * any of its fields differ, the name's spelling included. Text is compared
 * with every run of white space as one space: IANA reflows its text between
 * renderings and snapshots, and a reflow is no change to an assignment.
 *
 * Each side is an index or anything `compile` reads. A registry is compiled
 * in memory the way `compile` does, and opened with tool_open_bytes(), so
 * that both sides are read by the same code. `update --dry-run` prints the
 * same report through diff_indexes().
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fields.h"
#include "index-write.h"
#include "json.h"
#include "registry.h"
#include "services.h"
#include "tool.h"

#define INDEX_MAGIC "IANAsvc\n"

enum status { SAME, ADDED, REMOVED, CHANGED };

/* Fields a pair can differ in besides the text ones, after them. */
enum { D_NAME = RT_COUNT, D_PORT, D_PROTO, D_COUNT };

struct assignment {
	struct iana_record r;
	size_t record;
	enum status status;
	struct assignment *other;   /* its pair on the other side */
};

struct side {
	const char *path;
	struct iana_index *idx;
	struct assignment *v;       /* sorted by key */
	size_t n;
	struct assignment **by_record; /* registry order; NULL: no assignment */
};

/* ---- reading a side ---- */

static int is_index(const char *path, int *yes)
{
	char magic[sizeof(INDEX_MAGIC) - 1];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = read(fd, magic, sizeof(magic));
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -errno;
	*yes = (size_t)n == sizeof(magic) && memcmp(magic, INDEX_MAGIC, sizeof(magic)) == 0;
	return 0;
}

/* Only the errors: a skipped record is still a record, and compared. */
static size_t report_errors(const struct diags *d)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->v[i].kind == DIAG_ERROR)
			report(d->v[i].file, d->v[i].line, "%s", d->v[i].message);
	return d->errors;
}

static int compile_side(struct side *s)
{
	struct registry reg;
	struct services svc = { 0 };
	struct diags d = { 0 };
	unsigned char *data = NULL;
	size_t len;
	int r;

	registry_init(&reg);
	r = registry_read_file(&reg, s->path, FMT_AUTO, &d);
	if (r == 0)
		r = reg.database == IDX_DB_PROTOCOLS ? protocols_build(&svc, &reg, &d) :
		    services_build(&svc, &reg, &d);
	if (report_errors(&d) && r >= 0)
		r = -EINVAL;
	if (r == 0)
		r = index_build(&reg, &svc, NULL, 0, PACKAGE_VERSION, &data, &len);
	if (r == 0)
		r = tool_open_bytes(data, len, &s->idx);
	if (r < 0 && r != -EINVAL)
		report(s->path, 0, "cannot compile: %s", strerror(-r));
	free(data);
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
	return r < 0 ? -1 : 0;
}

static int open_side(struct side *s)
{
	int yes = 0, r = is_index(s->path, &yes);

	if (r < 0) {
		report(s->path, 0, "%s", strerror(-r));
		return -1;
	}
	if (!yes)
		return compile_side(s);
	r = iana_index_open(s->path, &s->idx);
	if (r < 0) {
		report(s->path, 0, "%s", r == -EPROTO ? "not a valid nss-iana index" :
		       strerror(-r));
		return -1;
	}
	return 0;
}

/* ---- pairing ---- */

static int is_assignment(const struct iana_record *r)
{
	return r->name[0] != 0;
}

static int cmp_name(const struct assignment *a, const struct assignment *b)
{
	return strcasecmp(a->r.name, b->r.name);
}

/* No port first, then by range. */
static int cmp_ports(const struct iana_record *a, const struct iana_record *b)
{
	int ap = (a->flags & IANA_RECORD_HAS_PORT) != 0;
	int bp = (b->flags & IANA_RECORD_HAS_PORT) != 0;

	if (ap != bp)
		return ap < bp ? -1 : 1;
	if (a->port_lo != b->port_lo)
		return a->port_lo < b->port_lo ? -1 : 1;
	if (a->port_hi != b->port_hi)
		return a->port_hi < b->port_hi ? -1 : 1;
	return 0;
}

static int cmp_key(const struct assignment *a, const struct assignment *b)
{
	int c = cmp_name(a, b);

	if (c == 0)
		c = cmp_ports(&a->r, &b->r);
	if (c == 0)
		c = strcasecmp(a->r.proto, b->r.proto);
	return c;
}

static int cmp_sort(const void *x, const void *y)
{
	const struct assignment *a = x, *b = y;
	int c = cmp_key(a, b);

	if (c == 0)
		c = a->record < b->record ? -1 : a->record > b->record;
	return c;
}

static int load_assignments(struct side *s)
{
	size_t records = iana_index_record_count(s->idx);

	s->v = calloc(records + 1, sizeof(*s->v));
	s->by_record = calloc(records + 1, sizeof(*s->by_record));
	if (!s->v || !s->by_record) {
		report(NULL, 0, "%s", strerror(ENOMEM));
		return -1;
	}
	for (size_t i = 0; i < records; i++) {
		struct assignment *a = &s->v[s->n];

		if (iana_index_record(s->idx, i, &a->r) < 0) {
			report(s->path, 0, "record %zu: not a valid nss-iana index", i);
			return -1;
		}
		if (!is_assignment(&a->r))
			continue;
		a->record = i;
		a->status = REMOVED;
		s->n++;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_sort);
	for (size_t i = 0; i < s->n; i++)
		s->by_record[s->v[i].record] = &s->v[i];
	return 0;
}

static void pair(struct assignment *a, struct assignment *b)
{
	a->other = b;
	b->other = a;
	a->status = b->status = SAME;
}

/* Both sorted by key: equal keys pair in registry order. */
static void pair_keys(struct side *o, struct side *n)
{
	size_t i = 0, k = 0;

	while (i < o->n && k < n->n) {
		int c = cmp_key(&o->v[i], &n->v[k]);

		if (c == 0)
			pair(&o->v[i++], &n->v[k++]);
		else if (c < 0)
			i++;
		else
			k++;
	}
}

static int moved(const struct iana_record *a, const struct iana_record *b, int pass)
{
	if (pass == 0)
		return strcasecmp(a->proto, b->proto) == 0;
	return pass == 2 || cmp_ports(a, b) == 0;
}

/* Left over inside one name on both sides: same protocol first (a port
 * moved), then same ports (a protocol changed), then any (both changed,
 * as when a service name without a port is given one). */
static void pair_group(struct assignment *o, size_t on, struct assignment *n, size_t nn)
{
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < on; i++)
			for (size_t k = 0; !o[i].other && k < nn; k++)
				if (!n[k].other && moved(&o[i].r, &n[k].r, pass))
					pair(&o[i], &n[k]);
}

static void pair_moves(struct side *o, struct side *n)
{
	size_t i = 0, k = 0;

	while (i < o->n && k < n->n) {
		int c = cmp_name(&o->v[i], &n->v[k]);
		size_t ie = i, ke = k;

		if (c < 0) {
			i++;
			continue;
		}
		if (c > 0) {
			k++;
			continue;
		}
		while (ie < o->n && cmp_name(&o->v[ie], &o->v[i]) == 0)
			ie++;
		while (ke < n->n && cmp_name(&n->v[ke], &n->v[k]) == 0)
			ke++;
		pair_group(&o->v[i], ie - i, &n->v[k], ke - k);
		i = ie;
		k = ke;
	}
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Equal when the words are, whatever white space is between them. */
static int same_text(const char *a, const char *b)
{
	for (;;) {
		while (is_space(*a))
			a++;
		while (is_space(*b))
			b++;
		while (*a && *a == *b && !is_space(*a))
			a++, b++;
		if (!*a || !*b || !is_space(*a) || !is_space(*b))
			break;
	}
	while (is_space(*a))
		a++;
	while (is_space(*b))
		b++;
	return !*a && !*b;
}

/* Which fields of a pair differ: bit f for field f. */
static unsigned differences(const struct iana_record *a, const struct iana_record *b)
{
	unsigned bits = 0;

	for (int f = 0; f < RT_COUNT; f++)
		if (!same_text(record_text(a, (enum record_text)f),
		               record_text(b, (enum record_text)f)))
			bits |= 1u << f;
	if (strcmp(a->name, b->name) != 0)
		bits |= 1u << D_NAME;
	if (cmp_ports(a, b) != 0)
		bits |= 1u << D_PORT;
	if (strcmp(a->proto, b->proto) != 0)
		bits |= 1u << D_PROTO;
	return bits;
}

struct counts {
	size_t added, removed, changed;
};

static void classify(struct side *o, struct side *n, struct counts *c)
{
	for (size_t i = 0; i < n->n; i++) {
		struct assignment *a = &n->v[i];

		if (!a->other)
			a->status = ADDED, c->added++;
		else if (differences(&a->other->r, &a->r))
			a->status = a->other->status = CHANGED, c->changed++;
	}
	for (size_t i = 0; i < o->n; i++)
		c->removed += !o->v[i].other;
}

/* ---- human output ---- */

static const char *field_key(int f)
{
	static const char *const keys[] = {
		[D_NAME - RT_COUNT] = "name", [D_PORT - RT_COUNT] = "port",
		[D_PROTO - RT_COUNT] = "protocol",
	};

	return f < RT_COUNT ? record_text_key((enum record_text)f) : keys[f - RT_COUNT];
}

/* On one line: a run of white space as one space; control characters
 * (C0 and C1), which could drive the terminal, and bytes that are not
 * UTF-8 as '?'. */
static void put_flat(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int space = 0, started = 0;

	while (*s) {
		size_t n = *s < 0x80 ? 1 : json_utf8_len(s);

		if (is_space((char)*s)) {
			space = started;
			s++;
			continue;
		}
		if (space)
			putchar(' ');
		space = 0;
		started = 1;
		if (n == 0 || *s < 0x20 || *s == 0x7f || (*s == 0xc2 && s[1] < 0xa0)) {
			putchar('?');
			s++;
			continue;
		}
		fwrite(s, 1, n, stdout);
		s += n;
	}
}

static void put_ports(const struct iana_record *r)
{
	if (!(r->flags & IANA_RECORD_HAS_PORT))
		printf("none");
	else if (r->port_hi > r->port_lo)
		printf("%u-%u", r->port_lo, r->port_hi);
	else
		printf("%u", r->port_lo);
}

/* "neo4j 7474/tcp", "acsp-server (tcp)", "arp" */
static void put_key(const struct iana_record *r)
{
	put_flat(r->name);
	if (r->flags & IANA_RECORD_HAS_PORT) {
		putchar(' ');
		put_ports(r);
		if (r->proto[0])
			putchar('/');
	} else if (r->proto[0]) {
		printf(" (");
	}
	put_flat(r->proto);
	if (!(r->flags & IANA_RECORD_HAS_PORT) && r->proto[0])
		putchar(')');
}

static void put_quoted(const char *s)
{
	putchar('"');
	put_flat(s);
	putchar('"');
}

static void put_change(const struct iana_record *a, const struct iana_record *b, int f)
{
	printf("%-9s", "changed");
	put_key(a);
	printf("  %s: ", field_key(f));
	if (f == D_PORT) {
		put_ports(a);
		printf(" -> ");
		put_ports(b);
	} else if (f == D_NAME) {
		put_flat(a->name);
		printf(" -> ");
		put_flat(b->name);
	} else if (f == D_PROTO) {
		put_flat(a->proto[0] ? a->proto : "none");
		printf(" -> ");
		put_flat(b->proto[0] ? b->proto : "none");
	} else {
		put_quoted(record_text(a, (enum record_text)f));
		printf(" -> ");
		put_quoted(record_text(b, (enum record_text)f));
	}
	putchar('\n');
}

/* "added    neo4j 7474/tcp  Neo4j Graph Database" */
static void put_one(const char *what, const struct iana_record *r)
{
	printf("%-9s", what);
	put_key(r);
	if (r->description[0]) {
		printf("  ");
		put_flat(r->description);
	}
	putchar('\n');
}

static void print_human(const struct side *o, const struct side *n, const struct counts *c)
{
	size_t on = iana_index_record_count(o->idx), nn = iana_index_record_count(n->idx);

	for (size_t i = 0; i < nn; i++)
		if (n->by_record[i] && n->by_record[i]->status == ADDED)
			put_one("added", &n->by_record[i]->r);
	for (size_t i = 0; i < on; i++)
		if (o->by_record[i] && o->by_record[i]->status == REMOVED)
			put_one("removed", &o->by_record[i]->r);
	for (size_t i = 0; i < nn; i++) {
		const struct assignment *a = n->by_record[i];
		unsigned bits = 0;

		if (a && a->status == CHANGED)
			bits = differences(&a->other->r, &a->r);
		for (int f = 0; f < D_COUNT; f++)
			if (bits & 1u << f)
				put_change(&a->other->r, &a->r, f);
	}
	printf("%zu added, %zu removed, %zu changed\n", c->added, c->removed, c->changed);
}

/* ---- JSON ---- */

static void json_assignment(struct json *j, const struct iana_record *r)
{
	json_open(j, '{');
	json_record_fields(j, r);
	json_close(j, '}');
}

static void json_list(struct json *j, const struct side *s, enum status st)
{
	size_t records = iana_index_record_count(s->idx);

	json_open(j, '[');
	for (size_t i = 0; i < records; i++)
		if (s->by_record[i] && s->by_record[i]->status == st)
			json_assignment(j, &s->by_record[i]->r);
	json_close(j, ']');
}

static void json_changed(struct json *j, const struct side *n)
{
	size_t records = iana_index_record_count(n->idx);

	json_open(j, '[');
	for (size_t i = 0; i < records; i++) {
		const struct assignment *a = n->by_record[i];
		unsigned bits;

		if (!a || a->status != CHANGED)
			continue;
		bits = differences(&a->other->r, &a->r);
		json_open(j, '{');
		json_key(j, "fields");
		json_open(j, '[');
		for (int f = 0; f < D_COUNT; f++)
			if (bits & 1u << f)
				json_str(j, field_key(f));
		json_close(j, ']');
		json_key(j, "old");
		json_assignment(j, &a->other->r);
		json_key(j, "new");
		json_assignment(j, &a->r);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void print_json(const struct side *o, const struct side *n, const struct counts *c)
{
	struct json j = { .f = stdout };

	json_open(&j, '{');
	json_key(&j, "old");
	json_str(&j, o->path);
	json_key(&j, "new");
	json_str(&j, n->path);
	json_key(&j, "counts");
	json_open(&j, '{');
	json_key(&j, "added");
	json_uint(&j, c->added);
	json_key(&j, "removed");
	json_uint(&j, c->removed);
	json_key(&j, "changed");
	json_uint(&j, c->changed);
	json_close(&j, '}');
	json_key(&j, "added");
	json_list(&j, n, ADDED);
	json_key(&j, "removed");
	json_list(&j, o, REMOVED);
	json_key(&j, "changed");
	json_changed(&j, n);
	json_close(&j, '}');
}

/* ---- the verb ---- */

static void side_free(struct side *s)
{
	free(s->v);
	free(s->by_record);
	if (s->idx)
		iana_index_close(s->idx);
}

/* Pairs, classifies and prints; the exit status of diff. */
static const char *database_name(const struct iana_index *idx)
{
	return iana_index_database(idx) == IANA_DATABASE_PROTOCOLS ? "protocols" : "services";
}

static int diff_sides(struct side *o, struct side *n, int json)
{
	struct counts c = { 0 };

	if (iana_index_database(o->idx) != iana_index_database(n->idx)) {
		report(NULL, 0, "%s holds the %s database and %s the %s one: they do not compare",
		       o->path, database_name(o->idx), n->path, database_name(n->idx));
		return EXIT_BAD;
	}
	pair_keys(o, n);
	pair_moves(o, n);
	classify(o, n, &c);
	if (json)
		print_json(o, n, &c);
	else
		print_human(o, n, &c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		report("stdout", 0, "cannot write: %s", strerror(errno));
		return EXIT_BAD;
	}
	return c.added || c.removed || c.changed ? EXIT_NOTFOUND : EXIT_OK;
}

int diff_indexes(const char *old_label, struct iana_index *old, const char *new_label,
                 struct iana_index *new)
{
	struct side o = { .path = old_label, .idx = old }, n = { .path = new_label, .idx = new };
	int status = EXIT_BAD;

	if (load_assignments(&o) == 0 && load_assignments(&n) == 0)
		status = diff_sides(&o, &n, 0);
	o.idx = n.idx = NULL;       /* the caller's */
	side_free(&o);
	side_free(&n);
	return status;
}

static int diff(const char *old_path, const char *new_path, int json)
{
	struct side o = { .path = old_path }, n = { .path = new_path };
	int status = EXIT_BAD;

	if (open_side(&o) == 0 && open_side(&n) == 0 &&
	    load_assignments(&o) == 0 && load_assignments(&n) == 0)
		status = diff_sides(&o, &n, json);
	side_free(&o);
	side_free(&n);
	return status;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ 0 }
	};
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j')
			return usage_error("diff", "bad option");
		json = 1;
	}
	if (argc - optind != 2)
		return usage_error("diff", "expected OLD NEW");
	return diff(argv[optind], argv[optind + 1], json);
}
