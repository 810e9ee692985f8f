/* cmd_lookup.c: iana-services lookup [-i INDEX] [--json] QUERY [PROTO]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Answers from the records, not only the entries: a services file can say
 * what getservbyname() returns, the registry also says who asked for the
 * port, when, why, and what is not assigned. A number is a port: every
 * record whose port or range holds it, Reserved and Unassigned ones too. A
 * name is every record of that name, any case; when no record has it (an
 * alias from a local services file), the records that give the entries
 * answering to it. PROTO keeps the records of that protocol and those that
 * have none (an Unassigned range is unassigned for every protocol).
 *
 * Each record then says which services entry the NSS module gives for it,
 * whose alias it became, or why it gives none.
 *
 * A protocols index (SPEC 9) is shown the same way: a number is a protocol
 * number, a name matches the IANA keyword as spelled or as its entry spells
 * it (P1: "ISIS over IPv4" is isis-over-ipv4), and each record says which
 * protocols entry it gives: its own, the earlier one that has its name and
 * number (P3), or none (no keyword, a range, Unassigned, Reserved).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fields.h"
#include "json.h"
#include "services.h"
#include "tool.h"

#define WIDTH 80          /* columns of the human output */
#define LABEL_WIDTH 16    /* "unauthorized use" */
#define VALUE_COL (2 + LABEL_WIDTH + 2)

struct query {
	const char *text;
	const char *proto;        /* NULL: any */
	int by_port;
	unsigned port;
	int protocols;            /* the index holds the protocols database */
};

/* What a record gives to the services database (SPEC R1-R5). */
struct given {
	size_t first;             /* entry, when count > 0 */
	size_t count;             /* entries: more than one for a range */
	unsigned lo, hi;          /* their ports */
	size_t at_port;           /* what getservbyport() gives at lo */
	int has_at_port;
	const char *why;          /* count == 0: why none */
};

/* ---- what to show ---- */

static int parse_port(const char *s, unsigned *port)
{
	unsigned long v = 0;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return 0;
	for (; *s && v <= 65535; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	*port = v <= 65535 ? (unsigned)v : 65536;
	return 1;
}

static int proto_ok(const struct iana_record *r, const char *proto)
{
	return !proto || !r->proto[0] || strcasecmp(r->proto, proto) == 0;
}

static int has_port(const struct iana_record *r, unsigned port)
{
	return (r->flags & IANA_RECORD_HAS_PORT) && r->port_lo <= port && port <= r->port_hi;
}

/* The entry's name and aliases, one after another. */
static const char *entry_name(const struct iana_entry *e, unsigned i)
{
	const char *s = e->name;

	if (i == 0)
		return s;
	for (s = e->aliases; --i; s += strlen(s) + 1)
		;
	return s;
}

static int entry_answers(const struct iana_entry *e, const char *name)
{
	for (unsigned i = 0; i <= e->alias_count; i++)
		if (strcasecmp(entry_name(e, i), name) == 0)
			return 1;
	return 0;
}

/* A protocol record's keyword as its entry spells it (SPEC 9, P1): a
 * trailing " (deprecated)" dropped, each run of spaces one '-'. */
static void keyword(const char *name, char *out, size_t size)
{
	static const char deprecated[] = " (deprecated)";
	size_t len = strlen(name), n = 0, d = sizeof(deprecated) - 1;

	if (len > d && strcmp(name + len - d, deprecated) == 0)
		len -= d;
	for (size_t i = 0; i < len && n + 1 < size; i++) {
		if (name[i] != ' ')
			out[n++] = name[i];
		else if (n && out[n - 1] != '-' && name[i - 1] != ' ')
			out[n++] = '-';
	}
	out[n] = '\0';
}

static int names_record(const struct iana_record *r, const char *name, int protocols)
{
	char k[IDX_MAX_NAME + 2];

	if (strcasecmp(r->name, name) == 0)
		return 1;
	if (!protocols)
		return 0;
	keyword(r->name, k, sizeof(k));
	return strcasecmp(k, name) == 0;
}

/* A record gives this entry when it has the entry's name, protocol and
 * port, or is folded into it as an alias. A protocol record gives the
 * first entry with its number that answers to its keyword. */
static int gives(const struct iana_record *r, const struct iana_entry *e)
{
	if (!e->proto[0] && !r->proto[0]) {
		char k[IDX_MAX_NAME + 2];

		if (!r->name[0] || !has_port(r, e->port) || r->port_lo != r->port_hi)
			return 0;
		keyword(r->name, k, sizeof(k));
		return entry_answers(e, k);
	}
	if (!has_port(r, e->port) || strcasecmp(r->proto, e->proto) != 0)
		return 0;
	if (r->flags & IANA_RECORD_ALIAS)
		return entry_answers(e, r->name) && strcasecmp(e->name, r->name) != 0;
	return strcasecmp(e->name, r->name) == 0;
}

/* With no record of that name: the records behind the entries that answer
 * to it, as getservbyname() would. */
static size_t by_entry(const struct iana_index *idx, const struct query *q, char *hit)
{
	size_t n = 0, records = iana_index_record_count(idx);

	for (size_t i = 0; i < iana_index_entry_count(idx); i++) {
		struct iana_entry e;

		if (iana_index_entry(idx, i, &e) < 0 || !entry_answers(&e, q->text) ||
		    (q->proto && strcasecmp(e.proto, q->proto) != 0))
			continue;
		for (size_t k = 0; k < records; k++) {
			struct iana_record r;

			if (!hit[k] && iana_index_record(idx, k, &r) == 0 && gives(&r, &e)) {
				hit[k] = 1;
				n++;
			}
		}
	}
	return n;
}

/* Marks the records to show; returns how many. */
static size_t select_records(const struct iana_index *idx, const struct query *q,
                             char *hit, int *assigned)
{
	size_t n = 0, records = iana_index_record_count(idx);

	*assigned = 0;
	for (size_t i = 0; i < records; i++) {
		struct iana_record r;

		if (iana_index_record(idx, i, &r) < 0 || !proto_ok(&r, q->proto))
			continue;
		if (q->by_port ? has_port(&r, q->port) : names_record(&r, q->text, q->protocols)) {
			hit[i] = 1;
			n++;
			*assigned |= r.name[0] != 0;
		}
	}
	if (n == 0 && !q->by_port)
		n = by_entry(idx, q, hit);
	return n;
}

static const char *no_protocol_entry_reason(const struct iana_record *r)
{
	if (!r->name[0])
		return "the record has no keyword";
	if (!(r->flags & IANA_RECORD_HAS_PORT))
		return "the record has no number";
	if (r->port_lo != r->port_hi)
		return "a range of numbers gives no entry";
	return "the keyword cannot stand in a protocols file";
}

static const char *no_entry_reason(const struct iana_record *r)
{
	static const char *const known[] = { "tcp", "udp", "sctp", "dccp" };

	if (!r->name[0])
		return "the record has no service name";
	if (services_name_problem(r->name))
		return "the name cannot stand in a services file";
	if (!(r->flags & IANA_RECORD_HAS_PORT))
		return "the record has no port number";
	if (!r->proto[0])
		return "the record has no transport protocol";
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(r->proto, known[i]) == 0)
			return "no entry has this name, port and protocol";
	return "the protocol is not tcp, udp, sctp or dccp";
}

/* The entries a record gives: at the queried port for a port query, over
 * its whole range otherwise. */
static void record_gives(const struct iana_index *idx, const struct iana_record *r,
                         const struct query *q, struct given *g)
{
	unsigned lo = q->by_port ? q->port : r->port_lo;
	unsigned hi = q->by_port ? q->port : r->port_hi;

	memset(g, 0, sizeof(*g));
	for (size_t i = 0; r->name[0] && i < iana_index_entry_count(idx); i++) {
		struct iana_entry e;

		if (iana_index_entry(idx, i, &e) < 0 || e.port < lo || e.port > hi ||
		    !gives(r, &e))
			continue;
		if (g->count++ == 0) {
			g->first = i;
			g->lo = e.port;
		}
		g->hi = e.port;
		if (q->protocols)
			break;       /* the first answers; a repeat is another line's */
	}
	if (g->count == 0) {
		g->why = q->protocols ? no_protocol_entry_reason(r) : no_entry_reason(r);
		return;
	}
	g->has_at_port = iana_index_find_port(idx, htons((uint16_t)g->lo), r->proto,
	                                      &g->at_port) == 0;
}

/* ---- human output ---- */

/* Columns a UTF-8 string takes, counting code points. */
static size_t columns(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Text as it is, but control characters (C0 and C1), which could drive
 * the terminal, and bytes that are not UTF-8 as '?'. */
static void put_safe(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;

	while (s < end) {
		size_t n = *s < 0x80 ? 1 : json_utf8_len(s);

		if (n == 0 || (size_t)(end - s) < n || *s < 0x20 || *s == 0x7f ||
		    (*s == 0xc2 && s[1] < 0xa0)) {
			putchar('?');
			s++;
			continue;
		}
		fwrite(s, 1, n, stdout);
		s += n;
	}
}

/* A list item keeps the line it starts in the registry's text. */
static int bullet(const char *word, size_t len)
{
	return len == 1 && (*word == '*' || *word == '-' || *word == 'o');
}

/* text from VALUE_COL on, wrapped at WIDTH: a run of white space is one
 * space, unless it holds a blank line or starts a list item, which start
 * a new line. */
static void put_value(const char *s)
{
	size_t col = VALUE_COL;
	int start = 1;

	while (*s) {
		size_t breaks = 0, len, w;

		for (; is_space(*s); s++)
			breaks += *s == '\n';
		if (!*s)
			break;
		for (len = 0; s[len] && !is_space(s[len]); len++)
			;
		w = columns(s, len);
		if (!start && (breaks >= 2 || (breaks && bullet(s, len)) ||
		               col + 1 + w > WIDTH)) {
			printf("\n%*s", VALUE_COL, "");
			col = VALUE_COL;
		} else if (!start) {
			putchar(' ');
			col++;
		}
		put_safe(s, len);
		col += w;
		start = 0;
		s += len;
	}
	putchar('\n');
}

/* "  label            value"; label "" continues the field above. */
static void put_field(const char *label, const char *value)
{
	printf("  %-*s  ", LABEL_WIDTH, label);
	put_value(value);
}

/* A string built with stdio, for put_field(). */
struct text {
	FILE *f;
	char *s;
	size_t len;
};

static FILE *text_open(struct text *t)
{
	t->s = NULL;
	t->f = open_memstream(&t->s, &t->len);
	return t->f;
}

static void text_put(struct text *t, const char *label)
{
	if (fclose(t->f) == 0 && t->s)
		put_field(label, t->s);
	free(t->s);
}

/* Port "7474" or range "6000-6063". */
static void write_ports(FILE *f, unsigned lo, unsigned hi)
{
	if (hi > lo)
		fprintf(f, "%u-%u", lo, hi);
	else
		fprintf(f, "%u", lo);
}

/* "neo4j 7474/tcp", "7403-7409", "arp": what the record has. */
static void write_header(FILE *f, const struct iana_record *r)
{
	const char *sep = "";

	if (r->name[0]) {
		fputs(r->name, f);
		sep = " ";
	}
	if (r->flags & IANA_RECORD_HAS_PORT) {
		fputs(sep, f);
		write_ports(f, r->port_lo, r->port_hi);
		if (r->proto[0])
			fprintf(f, "/%s", r->proto);
	} else if (r->proto[0]) {
		fprintf(f, "%s(%s)", sep, r->proto);
	} else if (!r->name[0]) {
		fputs("(a record without name, port or protocol)", f);
	}
}

static void write_entry(FILE *f, const struct iana_entry *e, unsigned lo, unsigned hi)
{
	fprintf(f, "%s ", e->name);
	write_ports(f, lo, hi);
	if (e->proto[0])
		fprintf(f, "/%s", e->proto);
	for (unsigned i = 1; i <= e->alias_count; i++)
		fprintf(f, " %s", entry_name(e, i));
}

static void put_given(const struct iana_index *idx, const struct iana_record *r,
                      const struct given *g, int protocols)
{
	struct iana_entry e;
	struct text t;

	if (!r->name[0] && !protocols)
		return;
	if (!text_open(&t))
		return;
	if (g->count == 0 || iana_index_entry(idx, g->first, &e) < 0) {
		fprintf(t.f, "none: %s", g->why ? g->why : "not found");
	} else {
		write_entry(t.f, &e, g->lo, g->hi);
		if (g->count > 1)
			fprintf(t.f, " (%zu entries, one per port)", g->count);
		if (r->flags & IANA_RECORD_ALIAS)
			fprintf(t.f, " (%s is an alias)", r->name);
		if (g->has_at_port && g->at_port != g->first &&
		    iana_index_entry(idx, g->at_port, &e) == 0 && protocols)
			fprintf(t.f, "; getprotobynumber(%u) gives %s", g->lo, e.name);
		else if (g->has_at_port && g->at_port != g->first &&
		         iana_index_entry(idx, g->at_port, &e) == 0)
			fprintf(t.f, "; getservbyport(%u, \"%s\") gives %s", g->lo, e.proto,
			        e.name);
	}
	text_put(&t, protocols ? "protocols entry" : "services entry");
}

/* Calls fn for every "[ID]" in s and for any text between them. */
static void each_bracket(const char *s, void (*fn)(const char *item, size_t len,
                         int bracketed, void *arg), void *arg)
{
	while (*s) {
		const char *close = *s == '[' ? strchr(s, ']') : NULL;
		size_t len, skip;

		if (close) {
			fn(s + 1, (size_t)(close - s - 1), 1, arg);
			s = close + 1;
			continue;
		}
		len = 1 + strcspn(s + 1, "[");
		skip = strspn(s, " \t\r\n,;");
		if (skip < len) {
			size_t end = len;

			while (is_space(s[end - 1]))
				end--;
			fn(s + skip, end - skip, 0, arg);
		}
		s += len;
	}
}

struct people_out {
	const struct iana_index *idx;
	const char *label;
	struct json *j;           /* JSON, else human */
};

/* "Julian Simpson <mailto:julian.simpson&neotechnology.com>", then the
 * organisation on a line of its own; "[ID]" when the ID is unknown. The
 * address is left as IANA writes it ("&" for "@"). */
static void put_person(const char *s, size_t len, int bracketed, void *arg)
{
	struct people_out *o = arg;
	struct iana_person p;
	char *id;
	struct text t;

	if (!text_open(&t))
		return;
	id = bracketed ? strndup(s, len) : NULL;
	if (id && iana_index_person(o->idx, id, &p) == 0 &&
	    (p.name[0] || p.org[0] || p.uri[0])) {
		/* an organisation is a person with only an org */
		fputs(p.name[0] ? p.name : p.org[0] ? p.org : id, t.f);
		if (p.uri[0])
			fprintf(t.f, " <%s>", p.uri);
		/* a blank line: put_value() starts the organisation on its own */
		if (p.name[0] && p.org[0] && strcmp(p.org, p.name) != 0)
			fprintf(t.f, "\n\n%s", p.org);
	} else {
		fprintf(t.f, bracketed ? "[%.*s]" : "%.*s", (int)len, s);
	}
	text_put(&t, o->label);
	o->label = "";
	free(id);
}

/* "RFC 6335" for "[RFC6335]"; other references as they are. */
static void write_reference(FILE *f, const char *s, size_t len, int bracketed)
{
	if (bracketed && len > 3 && strncmp(s, "RFC", 3) == 0 &&
	    strspn(s + 3, "0123456789") == len - 3)
		fprintf(f, "RFC %.*s", (int)(len - 3), s + 3);
	else
		fprintf(f, bracketed ? "[%.*s]" : "%.*s", (int)len, s);
}

struct refs_out {
	FILE *f;
	struct json *j;
	int n;
};

static void add_reference(const char *s, size_t len, int bracketed, void *arg)
{
	struct refs_out *o = arg;
	struct text t;

	if (o->j) {
		if (!text_open(&t))
			return;
		write_reference(t.f, s, len, bracketed);
		if (fclose(t.f) == 0 && t.s)
			json_str(o->j, t.s);
		free(t.s);
		return;
	}
	if (o->n++)
		fputs(", ", o->f);
	write_reference(o->f, s, len, bracketed);
}

static void put_reference(const char *ref)
{
	struct text t;
	struct refs_out o = { 0 };

	if (!text_open(&t))
		return;
	o.f = t.f;
	each_bracket(ref, add_reference, &o);
	text_put(&t, "reference");
}

/* Where record rec stood, for a record of a services(5) file. */
static const char *record_source(const struct iana_index *idx, size_t rec)
{
	const char *src = "";

	iana_index_record_source(idx, rec, &src);
	return src[0] ? src : "a local file";
}

static void put_record(const struct iana_index *idx, size_t rec, const struct iana_record *r,
                       const struct query *q)
{
	static const char *const labels[RT_COUNT] = {
		[RT_DESCRIPTION] = "description", [RT_ASSIGNEE] = "assignee",
		[RT_CONTACT] = "contact", [RT_REGISTERED] = "registered",
		[RT_MODIFIED] = "modified", [RT_REFERENCE] = "reference",
		[RT_SERVICE_CODE] = "service code", [RT_UNAUTHORIZED] = "unauthorized use",
		[RT_NOTES] = "notes",
	};
	struct given g;
	struct text t;

	if (text_open(&t)) {
		write_header(t.f, r);
		if (fclose(t.f) == 0 && t.s) {
			put_safe(t.s, t.len);
			putchar('\n');
		}
		free(t.s);
	}
	for (int f = 0; f < RT_COUNT; f++) {
		const char *v = record_text(r, (enum record_text)f);
		struct people_out o = { .idx = idx, .label = labels[f] };

		if (!v[0])
			continue;
		if (f == RT_ASSIGNEE || f == RT_CONTACT)
			each_bracket(v, put_person, &o);
		else if (f == RT_REFERENCE)
			put_reference(v);
		else
			put_field(labels[f], v);
	}
	if (r->flags & IANA_RECORD_IPV6)
		put_field("IPv6 ext. header", "yes");
	if (r->flags & IANA_RECORD_LOCAL)
		put_field("source", record_source(idx, rec));
	record_gives(idx, r, q, &g);
	put_given(idx, r, &g, q->protocols);
}

static void print_human(const struct iana_index *idx, const struct query *q,
                        const char *hit, size_t n, int assigned)
{
	int first = 1;

	if (q->by_port && n && !assigned && q->protocols)
		printf("Protocol number %u has no keyword.\n\n", q->port);
	else if (q->by_port && n && !assigned)
		printf("Port %u%s%s is not assigned to any service.\n\n", q->port,
		       q->proto ? "/" : "", q->proto ? q->proto : "");
	for (size_t i = 0; i < iana_index_record_count(idx); i++) {
		struct iana_record r;

		if (!hit[i] || iana_index_record(idx, i, &r) < 0)
			continue;
		if (!first)
			putchar('\n');
		first = 0;
		put_record(idx, i, &r, q);
	}
}

/* ---- JSON ---- */

/* Only the bracketed IDs: any other text is in the raw field. */
static void json_person(const char *s, size_t len, int bracketed, void *arg)
{
	struct people_out *o = arg;
	struct iana_person p;
	char *id = bracketed ? strndup(s, len) : NULL;
	int known = id && iana_index_person(o->idx, id, &p) == 0;

	if (!id)
		return;
	json_open(o->j, '{');
	json_key(o->j, "id");
	json_str(o->j, id);
	json_key(o->j, "name");
	json_str_or_null(o->j, known ? p.name : NULL);
	json_key(o->j, "org");
	json_str_or_null(o->j, known ? p.org : NULL);
	json_key(o->j, "uri");
	json_str_or_null(o->j, known ? p.uri : NULL);
	json_key(o->j, "updated");
	json_str_or_null(o->j, known ? p.updated : NULL);
	json_close(o->j, '}');
	free(id);
}

static void json_people(struct json *j, const struct iana_index *idx, const char *key,
                        const char *value)
{
	struct people_out o = { .idx = idx, .j = j };

	json_key(j, key);
	json_open(j, '[');
	each_bracket(value, json_person, &o);
	json_close(j, ']');
}

static void json_given(struct json *j, const struct iana_index *idx,
                       const struct given *g)
{
	struct iana_entry e;

	json_key(j, "entry");
	if (g->count == 0 || iana_index_entry(idx, g->first, &e) < 0) {
		json_null(j);
	} else {
		json_open(j, '{');
		json_key(j, "name");
		json_str(j, e.name);
		json_key(j, "aliases");
		json_open(j, '[');
		for (unsigned i = 1; i <= e.alias_count; i++)
			json_str(j, entry_name(&e, i));
		json_close(j, ']');
		json_key(j, "port_lo");
		json_uint(j, g->lo);
		json_key(j, "port_hi");
		json_uint(j, g->hi);
		json_key(j, "protocol");
		json_str(j, e.proto);
		json_key(j, "count");
		json_uint(j, g->count);
		json_key(j, "getservbyport");
		if (g->has_at_port && iana_index_entry(idx, g->at_port, &e) == 0)
			json_str(j, e.name);
		else
			json_null(j);
		json_close(j, '}');
	}
	json_key(j, "no_entry_reason");
	json_str_or_null(j, g->why);
}

static void json_record(struct json *j, const struct iana_index *idx, size_t rec,
                        const struct iana_record *r, const struct query *q)
{
	struct refs_out refs = { .j = j };
	struct given g;

	json_open(j, '{');
	json_record_fields(j, r);
	json_people(j, idx, "assignee_people", r->assignee);
	json_people(j, idx, "contact_people", r->contact);
	json_key(j, "references");
	json_open(j, '[');
	each_bracket(r->reference, add_reference, &refs);
	json_close(j, ']');
	json_key(j, "alias");
	json_bool(j, (r->flags & IANA_RECORD_ALIAS) != 0);
	json_key(j, "local");
	json_bool(j, (r->flags & IANA_RECORD_LOCAL) != 0);
	if (q->protocols) {
		json_key(j, "ipv6_extension_header");
		json_bool(j, (r->flags & IANA_RECORD_IPV6) != 0);
	}
	json_key(j, "source");
	if (r->flags & IANA_RECORD_LOCAL)
		json_str(j, record_source(idx, rec));
	else
		json_null(j);
	record_gives(idx, r, q, &g);
	json_given(j, idx, &g);
	json_close(j, '}');
}

static void print_json(const struct iana_index *idx, const struct query *q,
                       const char *hit, int assigned)
{
	struct json j = { .f = stdout };

	json_open(&j, '{');
	json_key(&j, "database");
	json_str(&j, q->protocols ? "protocols" : "services");
	json_key(&j, "query");
	json_str(&j, q->text);
	json_key(&j, "protocol");
	json_str_or_null(&j, q->proto);
	json_key(&j, "port");
	if (q->by_port)
		json_uint(&j, q->port);
	else
		json_null(&j);
	json_key(&j, "assigned");
	json_bool(&j, assigned);
	json_key(&j, "records");
	json_open(&j, '[');
	for (size_t i = 0; i < iana_index_record_count(idx); i++) {
		struct iana_record r;

		if (hit[i] && iana_index_record(idx, i, &r) == 0)
			json_record(&j, idx, i, &r, q);
	}
	json_close(&j, ']');
	json_close(&j, '}');
}

/* ---- the verb ---- */

static int lookup(const char *path, enum iana_database db, struct query *q, int json)
{
	struct iana_index *idx = open_index_of(path, db);
	char *hit;
	size_t n;
	int assigned;

	if (!idx)
		return EXIT_BAD;
	q->protocols = iana_index_database(idx) == IANA_DATABASE_PROTOCOLS;
	if (q->protocols && q->proto) {
		iana_index_close(idx);
		return usage_error("lookup", "a protocols index takes no PROTO");
	}
	hit = calloc(iana_index_record_count(idx) + 1, 1);
	if (!hit) {
		iana_index_close(idx);
		report(NULL, 0, "%s", strerror(ENOMEM));
		return EXIT_BAD;
	}
	n = select_records(idx, q, hit, &assigned);
	if (json)
		print_json(idx, q, hit, assigned);
	else
		print_human(idx, q, hit, n, assigned);
	if (n == 0)
		report(NULL, 0, "%s%s%s: not in the registry%s", q->text,
		       q->proto ? "/" : "", q->proto ? q->proto : "",
		       q->by_port && q->port >= 49152 && !q->protocols ? " (49152-65535 are "
		       "the Dynamic and/or Private Ports, which IANA does not assign: RFC 6335)" :
		       q->by_port && q->port > 255 && q->protocols ? " (IANA's protocol "
		       "numbers are 0-255)" : "");
	free(hit);
	iana_index_close(idx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		report("stdout", 0, "cannot write: %s", strerror(errno));
		return EXIT_BAD;
	}
	return n ? EXIT_OK : EXIT_NOTFOUND;
}

int cmd_lookup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "database", required_argument, NULL, 'd' },
		{ 0 }
	};
	const char *path = NULL;
	struct query q = { 0 };
	enum iana_database db = IANA_DATABASE_SERVICES;
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "i:", opts, NULL)) != -1) {
		switch (c) {
		case 'i': path = optarg; break;
		case 'j': json = 1; break;
		case 'd':
			if (parse_database(optarg, &db) < 0)
				return usage_error("lookup", "unknown database '%s' (services or "
				                   "protocols)", optarg);
			break;
		default: return usage_error("lookup", "bad option");
		}
	}
	if (optind == argc || argc - optind > 2)
		return usage_error("lookup", "expected QUERY [PROTO]");
	q.text = argv[optind];
	q.proto = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (!q.text[0])
		return usage_error("lookup", "empty QUERY");
	if (q.proto && !q.proto[0])
		return usage_error("lookup", "empty PROTO");
	q.by_port = parse_port(q.text, &q.port);
	if (q.by_port && q.port > 65535)
		return usage_error("lookup", "port %s is out of range (0-65535)", q.text);
	return lookup(path, db, &q, json);
}
