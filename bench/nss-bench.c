/* nss-bench.c: time services (or protocols) lookups through glibc NSS or
 * the library, on query sets drawn from a services(5) (or protocols(5))
 * file, and check every answer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * nss-bench --services FILE (--db NAME | --direct INDEX | --current) [options]
 * nss-bench --protocols FILE --db NAME [options]
 *
 *   --db NAME      __nss_configure_lookup("services", NAME), then the public
 *                  getservbyname_r/getservbyport_r/getservent_r
 *   --direct IDX   iana_index_open + iana_index_find_* + iana_index_servent
 *   --current      the process-default index (NSS_IANA_INDEX), as the shim
 *                  answers: the same path as the module, without NSS
 *   --label L      name printed in the output (default: the backend)
 *   --reps N       timed repetitions of each set (11)
 *   --budget S     stop a set once it has taken S seconds (5) and had
 *   --min-reps N   at least N repetitions (3)
 *   --warmup N     untimed passes over a set before the timed ones (3)
 *   --sample N     queries per sampled set (2000); --tail N: last N entries (200)
 *   --batch N      queries (or entries) per timed batch (200)
 *   --seed N       sample seed (fixed, so every backend gets the same queries)
 *   --stayopen     setservent(1) twice first (libnss-db then keeps its file open)
 *   --unchecked    do not compare answers (the floor returns one fixed entry)
 *   --only SET     run one set (name/tcp ... tail/port, enum, open): for perf
 *   --system       with neither --db nor __nss_configure_lookup: the public
 *                  calls as a program makes them, through /etc/nsswitch.conf
 *                  and, when one runs, nscd (which glibc skips for a database
 *                  configured with __nss_configure_lookup)
 *   --queries FILE draw the query sets from FILE rather than from --services
 *                  (the expected answers still come from --services)
 *   --local FILE   the sets of the "in front of files" comparison instead:
 *                  reg/name, reg/port (query entries whose name, or port, FILE
 *                  does not have), local/name, local/port (FILE's entries),
 *                  miss/name (names nobody has), and enum
 *   --protocols FILE the protocols database instead (--db only):
 *                  __nss_configure_lookup("protocols", NAME), then
 *                  getprotobyname_r/getprotobynumber_r/getprotoent_r; FILE
 *                  is a protocols(5) file and the sets are name and number
 *                  (every name and alias, every entry's number, of the
 *                  --queries file, in file order), local/name and
 *                  local/number (the same of the --local file, if given),
 *                  miss/name (--sample names nobody has), miss/number (the
 *                  numbers 0-255 that neither file has), and enum
 *
 * The FILE is what `iana-services export` wrote: the expected answer to a
 * query is what glibc's files backend gives for it (SPEC L4): the first
 * line, in file order, with that name or alias (exact spelling) or port,
 * and that protocol or any. For --protocols, likewise the first line with
 * that name or alias, or number.
 *
 * Output, one tab-separated record a line, for bench/report.py:
 *   check  LABEL SET QUERIES FOUND MISSES WRONG
 *   first  LABEL SET NS_PER_LOOKUP       (the first pass over SET, which checks
 *                                        every answer as it goes: with --unchecked,
 *                                        lookups only)
 *   sample LABEL SET REP NS_PER_LOOKUP   (one per batch; SET "open": ns per
 *                                        iana_index_open + close, --direct)
 * A miss is "not found" where the file has an answer; wrong is any other
 * difference in name, aliases, port or protocol, or an answer that changes
 * between the checked pass and the timed ones.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <nss.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "iana-services.h"
#include "index-current.h"

#define MAX_PROTOS 16

struct ent {
	const char *name;
	const char *proto;
	unsigned port;          /* host byte order */
	unsigned pcode;         /* 1 + index in protos[] */
	unsigned nalias;
	char **alias;
};

struct query {
	const char *name;
	int port;               /* network byte order, as getservbyport_r takes it */
	const char *proto;      /* NULL: any */
	long expect;            /* entry, or -1 */
};

struct set {
	const char *label;
	int by_port;
	struct query *q;
	size_t n;
};

enum mode { MODE_NSS, MODE_DIRECT, MODE_CURRENT };

/* A protocols entry is a struct ent with its number in .port and no
 * protocol (.proto "", .pcode 0): the answers and the sets are the same
 * code, asked as "any protocol". */
static int protocols_db;

/* What a lookup fills in: the caller's result buffer of either database. */
union answer {
	struct servent se;
	struct protoent pe;
};

static const char *protos[MAX_PROTOS];
static unsigned nprotos;

static struct ent *ents;         /* --services: what the answers must be */
static size_t nents;
static struct ent *qents;        /* --queries: what is asked (ents by default) */
static size_t nqents;
static struct ent *lents;        /* --local */
static size_t nlents;

static enum mode mode = MODE_NSS;
static struct iana_index *direct_idx;
static int unchecked;

/* Caller's buffer, as large as glibc's own first try for getservbyname. */
static char buffer[4096] __attribute__((aligned(16)));

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nss-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* splitmix64: the same seed gives the same sample on every machine. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static unsigned proto_code(const char *p)
{
	for (unsigned i = 0; i < nprotos; i++)
		if (strcmp(protos[i], p) == 0)
			return i + 1;
	if (nprotos == MAX_PROTOS)
		die("%s: too many protocols", p);
	protos[nprotos++] = p;
	return nprotos;
}

/* ---- the services file and the answers it implies ---- */

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t len = 0, cap = 1 << 20, n;
	char *data;

	if (!f)
		die("cannot open %s", path);
	data = xmalloc(cap + 1);
	while ((n = fread(data + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			data = realloc(data, cap + 1);
			if (!data)
				die("out of memory");
		}
	}
	if (ferror(f))
		die("cannot read %s", path);
	fclose(f);
	data[len] = '\0';
	return data;
}

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split the file in place into entries, as glibc's files parser does:
 * "name port/proto aliases... # comment". */
static struct ent *parse_services(const char *path, size_t *count)
{
	char *data = read_file(path), *line = data;
	size_t cap = 1024, n = 0;
	struct ent *out = xmalloc(cap * sizeof(*out));

	while (line && *line) {
		char *nl = strchr(line, '\n'), *p = line, *tok[256], *slash, *end;
		unsigned ntok = 0;
		unsigned long port;

		if (nl)
			*nl = '\0';
		if ((end = strchr(line, '#')))
			*end = '\0';
		while (*p && ntok < 256) {
			while (blank(*p))
				p++;
			if (!*p)
				break;
			tok[ntok++] = p;
			while (*p && !blank(*p))
				p++;
			if (*p)
				*p++ = '\0';
		}
		line = nl ? nl + 1 : NULL;
		if (ntok < 2 || !(slash = strchr(tok[1], '/')))
			continue;
		*slash = '\0';
		port = strtoul(tok[1], &end, 10);
		if (*end || port > 65535 || !slash[1])
			continue;
		if (n == cap) {
			cap *= 2;
			out = realloc(out, cap * sizeof(*out));
			if (!out)
				die("out of memory");
		}
		out[n] = (struct ent){ .name = tok[0], .proto = slash + 1,
		                            .port = (unsigned)port, .nalias = ntok - 2 };
		out[n].pcode = proto_code(slash + 1);
		out[n].alias = xmalloc((ntok - 2) * sizeof(char *));
		memcpy(out[n].alias, tok + 2, (ntok - 2) * sizeof(char *));
		n++;
	}
	if (n == 0)
		die("%s: no services entries", path);
	*count = n;
	return out;
}

/* protocols(5), as glibc's files parser reads it: "name number aliases...
 * # comment"; the number is decimal and must end at a blank. Numbers above
 * 65535 are refused rather than skipped: skipping a line would change the
 * expected answer to its names. */
static struct ent *parse_protocols(const char *path, size_t *count)
{
	char *data = read_file(path), *line = data;
	size_t cap = 256, n = 0;
	struct ent *out = xmalloc(cap * sizeof(*out));

	while (line && *line) {
		char *nl = strchr(line, '\n'), *p = line, *tok[256], *end;
		unsigned ntok = 0;
		unsigned long number;

		if (nl)
			*nl = '\0';
		if ((end = strchr(line, '#')))
			*end = '\0';
		while (*p && ntok < 256) {
			while (blank(*p))
				p++;
			if (!*p)
				break;
			tok[ntok++] = p;
			while (*p && !blank(*p))
				p++;
			if (*p)
				*p++ = '\0';
		}
		line = nl ? nl + 1 : NULL;
		if (ntok < 2)
			continue;
		number = strtoul(tok[1], &end, 10);
		if (*end || end == tok[1])
			continue;
		if (number > 65535)
			die("%s: protocol number %lu: nss-bench handles 0-65535", path, number);
		if (n == cap) {
			cap *= 2;
			out = realloc(out, cap * sizeof(*out));
			if (!out)
				die("out of memory");
		}
		out[n] = (struct ent){ .name = tok[0], .proto = "", .port = (unsigned)number,
		                       .nalias = ntok - 2 };
		out[n].alias = xmalloc((ntok - 2) * sizeof(char *));
		memcpy(out[n].alias, tok + 2, (ntok - 2) * sizeof(char *));
		n++;
	}
	if (n == 0)
		die("%s: no protocols entries", path);
	*count = n;
	return out;
}

static struct ent *parse_file(const char *path, size_t *count)
{
	return protocols_db ? parse_protocols(path, count) : parse_services(path, count);
}

/* First entry per (name or alias, protocol code; 0 = any), exact spelling. */
struct name_slot {
	const char *name;
	unsigned pcode;
	long entry;
};

static struct name_slot *name_tab;
static size_t name_mask;
static long *port_first;    /* [pcode * 65536 + port] */

static uint64_t hash_str(const char *s, unsigned pcode)
{
	uint64_t h = 1469598103934665603u ^ pcode;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h ^ (h >> 29);
}

static struct name_slot *name_slot(const char *name, unsigned pcode)
{
	size_t i = (size_t)hash_str(name, pcode) & name_mask;

	for (;; i = (i + 1) & name_mask) {
		struct name_slot *s = &name_tab[i];

		if (!s->name || (s->pcode == pcode && strcmp(s->name, name) == 0))
			return s;
	}
}

static void add_name(const char *name, unsigned pcode, long e)
{
	struct name_slot *s = name_slot(name, pcode);

	if (!s->name)
		*s = (struct name_slot){ name, pcode, e };
}

static void build_answers(void)
{
	size_t names = 0, size = 16;

	for (size_t e = 0; e < nents; e++)
		names += 1 + ents[e].nalias;
	while (size < 4 * names)
		size *= 2;
	name_tab = calloc(size, sizeof(*name_tab));
	port_first = xmalloc((nprotos + 1) * 65536 * sizeof(long));
	if (!name_tab)
		die("out of memory");
	name_mask = size - 1;
	for (size_t i = 0; i < (nprotos + 1) * 65536; i++)
		port_first[i] = -1;
	for (size_t e = 0; e < nents; e++) {
		const struct ent *x = &ents[e];

		for (unsigned a = 0; a <= x->nalias; a++) {
			const char *n = a ? x->alias[a - 1] : x->name;

			add_name(n, x->pcode, (long)e);
			add_name(n, 0, (long)e);
		}
		if (port_first[x->pcode * 65536 + x->port] < 0)
			port_first[x->pcode * 65536 + x->port] = (long)e;
		if (port_first[x->port] < 0)
			port_first[x->port] = (long)e;
	}
}

static unsigned query_pcode(const char *proto)
{
	if (!proto)
		return 0;
	for (unsigned i = 0; i < nprotos; i++)
		if (strcmp(protos[i], proto) == 0)
			return i + 1;
	return ~0u;
}

static long expect_name(const char *name, const char *proto)
{
	unsigned pc = query_pcode(proto);
	const struct name_slot *s;

	if (pc == ~0u)
		return -1;
	s = name_slot(name, pc);
	return s->name ? s->entry : -1;
}

static long expect_port(unsigned port, const char *proto)
{
	unsigned pc = query_pcode(proto);

	return pc == ~0u ? -1 : port_first[pc * 65536 + port];
}

/* ---- query sets ---- */

static struct query make_query(const struct ent *x, int by_port, const char *proto)
{
	/* getprotobynumber_r takes the number as it is, getservbyport_r the
	 * port in network byte order */
	struct query q = { .name = x->name, .port = protocols_db ? (int)x->port :
	                                      (int)htons((uint16_t)x->port),
	                   .proto = proto };

	q.expect = by_port ? expect_port(x->port, proto) : expect_name(x->name, proto);
	return q;
}

/* A caller usually has the name it asks for at hand, in cache: copy the
 * set's names next to each other rather than leave them scattered over
 * the whole services file, whose cache misses no backend would pay. */
static void compact_names(struct set *s)
{
	size_t len = 0;
	char *p;

	for (size_t i = 0; i < s->n; i++)
		len += strlen(s->q[i].name) + 1;
	p = xmalloc(len);
	for (size_t i = 0; i < s->n; i++) {
		size_t n = strlen(s->q[i].name) + 1;

		memcpy(p, s->q[i].name, n);
		s->q[i].name = p;
		p += n;
	}
}

/* Which entries a sample draws from. */
struct pool_filter {
	const char *proto;           /* only this protocol; NULL: all */
	int not_local_name;          /* only entries whose name --local lacks */
	int not_local_port;          /* only entries whose port --local lacks */
};

static int local_has_name(const char *name);
static int local_has_port(unsigned port);

/* A uniform sample, without replacement while the pool lasts, of the
 * entries of from[] that pass the filter, asked for with protocol proto. */
static struct set sample_from(const char *label, int by_port, const struct ent *from,
                              size_t nfrom, const struct pool_filter *f, size_t n,
                              uint64_t seed)
{
	size_t *pool = xmalloc(nfrom * sizeof(*pool)), m = 0;
	struct set s = { .label = label, .by_port = by_port, .n = n };

	for (size_t e = 0; e < nfrom; e++)
		if ((!f->proto || strcmp(from[e].proto, f->proto) == 0) &&
		    (!f->not_local_name || !local_has_name(from[e].name)) &&
		    (!f->not_local_port || !local_has_port(from[e].port)))
			pool[m++] = e;
	if (m == 0)
		die("no entries to sample for %s", label);
	s.q = xmalloc(n * sizeof(*s.q));
	rng_state = seed;
	for (size_t i = 0; i < n; i++) {
		size_t left = m - i % m, j = i % m + (size_t)(rng() % left), t = pool[j];

		pool[j] = pool[i % m];
		pool[i % m] = t;
		s.q[i] = make_query(&from[t], by_port, f->proto);
	}
	free(pool);
	compact_names(&s);
	return s;
}

static struct set sample_set(const char *label, int by_port, const char *proto, size_t n,
                             uint64_t seed)
{
	const struct pool_filter f = { .proto = proto };

	return sample_from(label, by_port, qents, nqents, &f, n, seed);
}

/* Names that no file has: NOTFOUND from every backend, and from files only
 * after reading all of it. */
static struct set miss_set(const char *label, size_t n)
{
	struct set s = { .label = label, .n = n };
	char *names = xmalloc(n * 24);

	s.q = xmalloc(n * sizeof(*s.q));
	for (size_t i = 0; i < n; i++) {
		char *name = names + 24 * i;

		snprintf(name, 24, "zz-nx-%06u", (unsigned)(i % 1000000));
		s.q[i] = (struct query){ .name = name, .expect = expect_name(name, NULL) };
	}
	return s;
}

/* --local's names (exact spelling, any protocol) and ports. */
static const char **local_names;
static size_t local_mask;
static unsigned char local_ports[65536];

static const char **local_slot(const char *name)
{
	size_t i = (size_t)hash_str(name, 0) & local_mask;

	while (local_names[i] && strcmp(local_names[i], name) != 0)
		i = (i + 1) & local_mask;
	return &local_names[i];
}

static int local_has_name(const char *name)
{
	return local_names && *local_slot(name) != NULL;
}

static int local_has_port(unsigned port)
{
	return local_ports[port];
}

static void build_local(void)
{
	size_t size = 16;

	while (size < 8 * (nlents + 1))
		size *= 2;
	local_names = calloc(size, sizeof(*local_names));
	if (!local_names)
		die("out of memory");
	local_mask = size - 1;
	for (size_t e = 0; e < nlents; e++) {
		*local_slot(lents[e].name) = lents[e].name;
		for (unsigned a = 0; a < lents[e].nalias; a++)
			*local_slot(lents[e].alias[a]) = lents[e].alias[a];
		local_ports[lents[e].port] = 1;
	}
}

/* The last n entries, each asked for with its own protocol: for files,
 * the longest scan there is. */
static struct set tail_set(const char *label, int by_port, size_t n)
{
	struct set s = { .label = label, .by_port = by_port };

	if (n > nqents)
		n = nqents;
	s.n = n;
	s.q = xmalloc(n * sizeof(*s.q));
	for (size_t i = 0; i < n; i++) {
		const struct ent *x = &qents[nqents - n + i];

		s.q[i] = make_query(x, by_port, x->proto);
	}
	compact_names(&s);
	return s;
}

/* ---- protocols sets ---- */

/* Every name and alias of from[], in file order, each once a pass: a
 * protocols file is small enough to ask all of it, which a sample of it
 * would only repeat. */
static struct set proto_name_set(const char *label, const struct ent *from, size_t nfrom)
{
	struct set s = { .label = label };
	size_t n = 0;

	for (size_t e = 0; e < nfrom; e++)
		n += 1 + from[e].nalias;
	s.q = xmalloc(n * sizeof(*s.q));
	for (size_t e = 0; e < nfrom; e++)
		for (unsigned a = 0; a <= from[e].nalias; a++) {
			const char *name = a ? from[e].alias[a - 1] : from[e].name;

			s.q[s.n++] = (struct query){ .name = name,
			                             .expect = expect_name(name, NULL) };
		}
	compact_names(&s);
	return s;
}

/* Every entry's number, in file order (a number given twice is asked
 * twice: the second line's is answered by the first). */
static struct set proto_number_set(const char *label, const struct ent *from, size_t nfrom)
{
	struct set s = { .label = label, .by_port = 1, .n = nfrom };

	s.q = xmalloc(nfrom * sizeof(*s.q));
	for (size_t e = 0; e < nfrom; e++)
		s.q[e] = make_query(&from[e], 1, NULL);
	return s;
}

/* The numbers 0-255 (the IP header's field) that neither the --queries nor
 * the --local file has: files reads all of its file for each. Empty if
 * they cover every number. */
static struct set proto_miss_numbers(const char *label)
{
	unsigned char has[256] = { 0 };
	struct set s = { .label = label, .by_port = 1 };

	for (size_t e = 0; e < nqents; e++)
		if (qents[e].port < 256)
			has[qents[e].port] = 1;
	for (size_t e = 0; e < nlents; e++)
		if (lents[e].port < 256)
			has[lents[e].port] = 1;
	s.q = xmalloc(256 * sizeof(*s.q));
	for (unsigned k = 0; k < 256; k++)
		if (!has[k])
			s.q[s.n++] = (struct query){ .name = "", .port = (int)k,
			                             .expect = expect_port(k, NULL) };
	return s;
}

/* ---- lookups ---- */

/* Only through NSS (main refuses --direct and --current for protocols). */
static const void *lookup_proto(const struct query *q, int by_port, struct protoent *pe)
{
	struct protoent *r = NULL;

	if (by_port)
		getprotobynumber_r(q->port, pe, buffer, sizeof(buffer), &r);
	else
		getprotobyname_r(q->name, pe, buffer, sizeof(buffer), &r);
	return r;
}

static const void *lookup(const struct query *q, int by_port, union answer *ans)
{
	struct servent *r = NULL, *se = &ans->se;
	size_t e;
	int err;

	if (protocols_db)
		return lookup_proto(q, by_port, &ans->pe);
	switch (mode) {
	case MODE_NSS:
		if (by_port)
			getservbyport_r(q->port, q->proto, se, buffer, sizeof(buffer), &r);
		else
			getservbyname_r(q->name, q->proto, se, buffer, sizeof(buffer), &r);
		return r;
	case MODE_DIRECT:
		if ((by_port ? iana_index_find_port(direct_idx, q->port, q->proto, &e)
		             : iana_index_find_name(direct_idx, q->name, q->proto, &e)) < 0)
			return NULL;
		return iana_index_servent(direct_idx, e, se, buffer, sizeof(buffer)) < 0 ? NULL : se;
	case MODE_CURRENT:
		if (by_port)
			return iana_current_getservbyport(q->port, q->proto, se, buffer,
			                                  sizeof(buffer), &err) == IANA_FOUND ? se : NULL;
		return iana_current_getservbyname(q->name, q->proto, se, buffer, sizeof(buffer),
		                                  &err) == IANA_FOUND ? se : NULL;
	}
	return NULL;
}

static int same_proto(const struct protoent *pe, const struct ent *x)
{
	unsigned a = 0;

	if (strcmp(pe->p_name, x->name) != 0 || pe->p_proto != (int)x->port)
		return 0;
	for (char **p = pe->p_aliases; *p; p++, a++)
		if (a >= x->nalias || strcmp(*p, x->alias[a]) != 0)
			return 0;
	return a == x->nalias;
}

static int same(const void *answer, const struct ent *x)
{
	const struct servent *se = answer;
	unsigned a = 0;

	if (protocols_db)
		return same_proto(answer, x);
	if (strcmp(se->s_name, x->name) != 0 || strcmp(se->s_proto, x->proto) != 0 ||
	    ntohs((uint16_t)se->s_port) != x->port)
		return 0;
	for (char **p = se->s_aliases; *p; p++, a++)
		if (a >= x->nalias || strcmp(*p, x->alias[a]) != 0)
			return 0;
	return a == x->nalias;
}

/* The checked pass, which also warms every cache the timed passes use. */
static void check_set(const char *label, const struct set *s, size_t *found_out)
{
	size_t found = 0, miss = 0, wrong = 0;
	union answer se;
	uint64_t t0 = now_ns();

	for (size_t i = 0; i < s->n; i++) {
		const struct query *q = &s->q[i];
		const void *r = lookup(q, s->by_port, &se);

		found += r != NULL;
		if (unchecked)
			continue;
		if (!r)
			miss += q->expect >= 0;
		else if (q->expect < 0 || !same(r, &ents[q->expect]))
			wrong++;
	}
	*found_out = found;
	if (s->n)
		printf("first\t%s\t%s\t%.1f\n", label, s->label,
		       (double)(now_ns() - t0) / (double)s->n);
	if (unchecked)
		printf("check\t%s\t%s\t%zu\t%zu\t-\t-\n", label, s->label, s->n, found);
	else
		printf("check\t%s\t%s\t%zu\t%zu\t%zu\t%zu\n", label, s->label, s->n, found, miss,
		       wrong);
}

/* Each repetition is timed in batches of `batch` queries: on a busy
 * machine a batch that loses the CPU is one outlying sample among many,
 * which the median then ignores, rather than a spoiled repetition. */
static size_t batch = 200;
static unsigned min_reps = 3;

/* Untimed passes over a set between its check and the timed ones, for at
 * most a second: the first passes over an index in a process are slower
 * (on this kind of virtual machine up to ten times, for some thousands of
 * lookups) while its pages settle. The samples are of the steady state;
 * the checking pass, comparisons included, is reported apart as "first". */
static unsigned warmup = 3;
#define WARMUP_MAX_NS 1000000000u

static void time_set(const char *label, const struct set *s, unsigned reps, double budget)
{
	union answer se;
	size_t found0, found = 0, unstable = 0;
	/* a set smaller than a batch is asked over and over, ten batches' worth
	 * a repetition, so that each sample still times a whole batch */
	size_t passes = s->n && s->n < batch ? (10 * batch + s->n - 1) / s->n : 1;
	size_t span = passes * s->n;
	uint64_t spent = 0;

	check_set(label, s, &found0);
	for (uint64_t t0 = now_ns(), w = 0; w < warmup && now_ns() - t0 < WARMUP_MAX_NS; w++)
		for (size_t i = 0; i < span; i++)
			lookup(&s->q[i % s->n], s->by_port, &se);
	for (unsigned rep = 0; rep < reps; rep++) {
		found = 0;
		for (size_t b = 0; b < span; b += batch) {
			size_t end = b + batch < span ? b + batch : span;
			uint64_t t0, t1;

			t0 = now_ns();
			for (size_t i = b; i < end; i++)
				found += lookup(&s->q[i % s->n], s->by_port, &se) != NULL;
			t1 = now_ns();
			spent += t1 - t0;
			printf("sample\t%s\t%s\t%u\t%.1f\n", label, s->label, rep,
			       (double)(t1 - t0) / (double)(end - b));
		}
		unstable += found != found0 * passes;
		if (rep + 1 >= min_reps && (double)spent > budget * 1e9)
			break;
	}
	if (unstable)
		printf("check\t%s\t%s\t0\t0\t0\t%zu\n", label, s->label, unstable);
}

/* What a new process pays before its first answer: map the index and
 * check its structure (SPEC 5). */
static void time_open(const char *label, const char *path, unsigned reps)
{
	for (unsigned rep = 0; rep < reps; rep++) {
		struct iana_index *idx;
		uint64_t t0, t1;
		int r;

		t0 = now_ns();
		r = iana_index_open(path, &idx);
		if (r == 0)
			iana_index_close(idx);
		t1 = now_ns();
		if (r < 0)
			die("%s: %s", path, strerror(-r));
		printf("sample\t%s\topen\t%u\t%.1f\n", label, rep, (double)(t1 - t0));
	}
}

/* ---- enumeration ---- */

static void enum_begin(void)
{
	if (protocols_db)
		setprotoent(0);
	else if (mode == MODE_NSS)
		setservent(0);
	else if (mode == MODE_CURRENT)
		iana_current_setservent();
}

static const void *enum_next(size_t pos, union answer *ans)
{
	struct servent *r = NULL, *se = &ans->se;
	struct protoent *pr = NULL;
	int err;

	if (protocols_db) {
		getprotoent_r(&ans->pe, buffer, sizeof(buffer), &pr);
		return pr;
	}
	switch (mode) {
	case MODE_NSS:
		getservent_r(se, buffer, sizeof(buffer), &r);
		return r;
	case MODE_DIRECT:
		return iana_index_servent(direct_idx, pos, se, buffer, sizeof(buffer)) < 0 ? NULL : se;
	case MODE_CURRENT:
		return iana_current_getservent(se, buffer, sizeof(buffer), &err) == IANA_FOUND ?
		       se : NULL;
	}
	return NULL;
}

static void enum_end(void)
{
	if (protocols_db)
		endprotoent();
	else if (mode == MODE_NSS)
		endservent();
	else if (mode == MODE_CURRENT)
		iana_current_endservent();
}

/* Every entry of the file, in file order: the count of lines not given
 * (or given out of place) is the misses, other differences are wrong. */
static void time_enum(const char *label, unsigned reps, double budget)
{
	size_t n = 0, wrong = 0, n0;
	union answer se;
	const void *r;
	uint64_t spent = 0;

	enum_begin();
	for (; (r = enum_next(n, &se)); n++)
		if (!unchecked && (n >= nents || !same(r, &ents[n])))
			wrong++;
	enum_end();
	n0 = n;
	if (unchecked)
		printf("check\t%s\tenum\t%zu\t%zu\t-\t-\n", label, n, n);
	else
		printf("check\t%s\tenum\t%zu\t%zu\t%zu\t%zu\n", label, nents, n,
		       n < nents ? nents - n : 0, wrong);
	if (n0 == 0)
		return;
	for (unsigned rep = 0; rep < reps; rep++) {
		uint64_t t0, t1;
		size_t b = 0;

		t0 = now_ns();
		enum_begin();
		for (n = 0; enum_next(n, &se); n++) {
			if (n + 1 - b == batch) {
				t1 = now_ns();
				printf("sample\t%s\tenum\t%u\t%.1f\n", label, rep,
				       (double)(t1 - t0) / (double)batch);
				spent += t1 - t0;
				b = n + 1;
				t0 = now_ns();
			}
		}
		enum_end();
		t1 = now_ns();
		spent += t1 - t0;
		if (n > b)
			printf("sample\t%s\tenum\t%u\t%.1f\n", label, rep,
			       (double)(t1 - t0) / (double)(n - b));
		if (n != n0)
			printf("check\t%s\tenum\t0\t0\t0\t1\n", label);
		if (rep + 1 >= min_reps && (double)spent > budget * 1e9)
			break;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "services", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "direct", required_argument, NULL, 'i' },
		{ "current", no_argument, NULL, 'c' },
		{ "label", required_argument, NULL, 'l' },
		{ "reps", required_argument, NULL, 'r' },
		{ "budget", required_argument, NULL, 'b' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "sample", required_argument, NULL, 'n' },
		{ "tail", required_argument, NULL, 't' },
		{ "batch", required_argument, NULL, 'B' },
		{ "only", required_argument, NULL, 'O' },
		{ "min-reps", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "stayopen", no_argument, NULL, 'o' },
		{ "unchecked", no_argument, NULL, 'u' },
		{ "system", no_argument, NULL, 'S' },
		{ "queries", required_argument, NULL, 'q' },
		{ "local", required_argument, NULL, 'L' },
		{ "protocols", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	const char *services = NULL, *db = NULL, *label = NULL, *index_path = NULL;
	const char *only = NULL, *queries = NULL, *local = NULL;
	unsigned reps = 11;
	size_t sample = 2000, tail = 200;
	uint64_t seed = 20240601;
	double budget = 5;
	int stayopen = 0, system_nss = 0, c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': services = optarg; break;
		case 'd': db = optarg; break;
		case 'i': index_path = optarg; mode = MODE_DIRECT; break;
		case 'c': mode = MODE_CURRENT; break;
		case 'l': label = optarg; break;
		case 'r': reps = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'b': budget = strtod(optarg, NULL); break;
		case 'W': warmup = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': sample = strtoul(optarg, NULL, 10); break;
		case 't': tail = strtoul(optarg, NULL, 10); break;
		case 'B': batch = strtoul(optarg, NULL, 10); break;
		case 'O': only = optarg; break;
		case 'm': min_reps = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'o': stayopen = 1; break;
		case 'u': unchecked = 1; break;
		case 'S': system_nss = 1; break;
		case 'q': queries = optarg; break;
		case 'L': local = optarg; break;
		case 'P': services = optarg; protocols_db = 1; break;
		default: return 2;
		}
	}
	if (protocols_db && (mode != MODE_NSS || system_nss)) {
		fprintf(stderr, "nss-bench: --protocols goes with --db only\n");
		return 2;
	}
	if (!services || (mode == MODE_NSS) == !(db || system_nss) || (db && system_nss) ||
	    optind != argc || reps == 0 || batch == 0) {
		fprintf(stderr, "usage: nss-bench (--services FILE (--db NAME | --system | --direct INDEX | "
		        "--current) | --protocols FILE --db NAME) [--label L] [--reps N] [--budget S] [--min-reps N] [--warmup N] [--sample N] "
		        "[--tail N] "
		        "[--batch N] [--seed N] [--stayopen] [--unchecked] [--only SET] "
		        "[--queries FILE] [--local FILE]\n");
		return 2;
	}
	if (!label)
		label = db ? db : system_nss ? "system" : mode == MODE_DIRECT ? "direct" : "current";

	ents = parse_file(services, &nents);
	qents = ents;
	nqents = nents;
	if (queries)
		qents = parse_file(queries, &nqents);
	if (local) {
		lents = parse_file(local, &nlents);
		build_local();
	}
	build_answers();
	if (mode == MODE_DIRECT && (r = iana_index_open(index_path, &direct_idx)) < 0) {
		errno = -r;
		perror(index_path);
		return 2;
	}
	if (db && __nss_configure_lookup(protocols_db ? "protocols" : "services", db) < 0)
		die("__nss_configure_lookup(\"%s\", \"%s\") failed",
		    protocols_db ? "protocols" : "services", db);
	if (stayopen && protocols_db) {
		setprotoent(1);
		setprotoent(1);
	} else if (stayopen) {
		setservent(1);
		setservent(1);
	}

	/* Distinct seeds per set, so the tcp, udp and any samples differ. */
	struct set sets[8];
	size_t nsets = 0;

	if (protocols_db) {
		sets[nsets++] = proto_name_set("name", qents, nqents);
		sets[nsets++] = proto_number_set("number", qents, nqents);
		if (local) {
			sets[nsets++] = proto_name_set("local/name", lents, nlents);
			sets[nsets++] = proto_number_set("local/number", lents, nlents);
		}
		sets[nsets++] = miss_set("miss/name", sample);
		sets[nsets] = proto_miss_numbers("miss/number");
		if (sets[nsets].n)
			nsets++;
	} else if (!local) {
		sets[nsets++] = sample_set("name/tcp", 0, "tcp", sample, seed + 1);
		sets[nsets++] = sample_set("name/udp", 0, "udp", sample, seed + 2);
		sets[nsets++] = sample_set("name/any", 0, NULL, sample, seed + 3);
		sets[nsets++] = sample_set("port/tcp", 1, "tcp", sample, seed + 4);
		sets[nsets++] = sample_set("port/udp", 1, "udp", sample, seed + 5);
		sets[nsets++] = sample_set("port/any", 1, NULL, sample, seed + 6);
		sets[nsets++] = tail_set("tail/name", 0, tail);
		sets[nsets++] = tail_set("tail/port", 1, tail);
	} else {
		const struct pool_filter reg_name = { .not_local_name = 1 };
		const struct pool_filter reg_port = { .not_local_port = 1 };
		const struct pool_filter all = { 0 };

		sets[nsets++] = sample_from("reg/name", 0, qents, nqents, &reg_name, sample, seed + 7);
		sets[nsets++] = sample_from("reg/port", 1, qents, nqents, &reg_port, sample, seed + 8);
		sets[nsets++] = sample_from("local/name", 0, lents, nlents, &all, sample, seed + 9);
		sets[nsets++] = sample_from("local/port", 1, lents, nlents, &all, sample, seed + 10);
		sets[nsets++] = miss_set("miss/name", sample);
	}

	for (size_t i = 0; i < nsets; i++) {
		if (only && strcmp(only, sets[i].label) != 0)
			continue;
		time_set(label, &sets[i], reps, budget);
		fflush(stdout);
	}
	if (!stayopen && (!only || strcmp(only, "enum") == 0))
		time_enum(label, reps, budget);
	if (mode == MODE_DIRECT && (!only || strcmp(only, "open") == 0))
		time_open(label, index_path, reps * 3);
	return 0;
}
