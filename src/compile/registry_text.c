/* registry_text.c: the registry's plain-text rendering (as in the seed).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rendering separates columns by single spaces, so a row is read by the
 * shape of its words: an optional name, an optional port or range, an
 * optional protocol, the description, then the bracketed assignee and
 * contact, the registration and modification dates, and bracketed
 * references. Unnamed rows (`7420 tcp Reserved`, `7403-7409 Unassigned`)
 * are records too. "Known Unauthorized Use ..." after a description is the
 * Unauthorized Use column. Names in the contact table are split from the
 * organisation by the words of the person's ID ([Julian_Simpson] Julian
 * Simpson Neo Technology, Inc).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "registry.h"

#define MAX_WORDS 4096

struct words {
	const char *w[MAX_WORDS];
	size_t len[MAX_WORDS];
	size_t n;
};

/* -E2BIG when the line has more than MAX_WORDS words. */
static int split(const char *line, size_t len, struct words *ws)
{
	const char *p = line, *end = line + len;

	ws->n = 0;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			return 0;
		if (ws->n == MAX_WORDS)
			return -E2BIG;
		ws->w[ws->n] = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		ws->len[ws->n] = (size_t)(p - ws->w[ws->n]);
		ws->n++;
	}
}

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int is_port(const char *s, size_t n)
{
	const char *dash = memchr(s, '-', n);

	if (!dash)
		return all_digits(s, n);
	return all_digits(s, (size_t)(dash - s)) &&
	       all_digits(dash + 1, n - (size_t)(dash - s) - 1);
}

static int is_proto(const char *s, size_t n)
{
	static const char *const protos[] = { "tcp", "udp", "sctp", "dccp" };

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (n == strlen(protos[i]) && strncasecmp(s, protos[i], n) == 0)
			return 1;
	return 0;
}

static int is_bracket(const char *s, size_t n)
{
	return n >= 3 && s[0] == '[' && s[n - 1] == ']';
}

static int is_date(const char *s, size_t n)
{
	return (n == 7 || n == 10) && all_digits(s, 4) && s[4] == '-' &&
	       all_digits(s + 5, 2) && (n == 7 || (s[7] == '-' && all_digits(s + 8, 2)));
}

static int is_rfc(const char *s, size_t n)
{
	return n > 5 && strncmp(s, "[RFC", 4) == 0 && all_digits(s + 4, n - 5);
}

/* Words a..b-1 as a registry string, joined by spaces if spaced. */
static const char *words(struct registry *reg, const struct words *ws, size_t a,
                         size_t b, int spaced)
{
	size_t len = 0;
	char *s, *p;

	if (a >= b)
		return "";
	for (size_t i = a; i < b; i++)
		len += ws->len[i] + (spaced != 0);
	s = registry_strndup(reg, NULL, len);
	if (!s)
		return NULL;
	p = s;
	for (size_t i = a; i < b; i++) {
		if (spaced && i > a)
			*p++ = ' ';
		memcpy(p, ws->w[i], ws->len[i]);
		p += ws->len[i];
	}
	*p = 0;
	return s;
}

static int set(struct registry *reg, struct registry_record *r, int f,
               const struct words *ws, size_t a, size_t b, int spaced)
{
	const char *s = words(reg, ws, a, b, spaced);

	if (!s)
		return -ENOMEM;
	r->f[f] = s;
	return 0;
}

/* The description's words end before the first bracket or date; a
 * "Known Unauthorized Use" inside them starts that column. */
static size_t description_end(const struct words *ws, size_t i, size_t *unauth)
{
	*unauth = 0;
	for (; i < ws->n; i++) {
		if (is_bracket(ws->w[i], ws->len[i]) || is_date(ws->w[i], ws->len[i]))
			break;
		if (!*unauth && i + 2 < ws->n && ws->len[i] == 5 &&
		    strncmp(ws->w[i], "Known", 5) == 0 &&
		    strncmp(ws->w[i + 1], "Unauthorized", ws->len[i + 1]) == 0)
			*unauth = i;
	}
	return i;
}

static int parse_row(struct registry *reg, struct registry_record *r,
                     const struct words *ws)
{
	size_t i = 0, end, unauth, b, nb;
	int e = 0;

	if (!is_port(ws->w[0], ws->len[0]))
		e |= set(reg, r, F_NAME, ws, i, i + 1, 0), i++;
	if (i < ws->n && is_port(ws->w[i], ws->len[i]))
		e |= set(reg, r, F_PORT, ws, i, i + 1, 0), i++;
	if (i < ws->n && is_proto(ws->w[i], ws->len[i]))
		e |= set(reg, r, F_PROTO, ws, i, i + 1, 0), i++;

	end = description_end(ws, i, &unauth);
	e |= set(reg, r, F_DESCRIPTION, ws, i, unauth ? unauth : end, 1);
	if (unauth)
		e |= set(reg, r, F_UNAUTHORIZED, ws, unauth, end, 1);

	for (b = end; b < ws->n && is_bracket(ws->w[b], ws->len[b]); b++)
		;
	nb = b - end;
	/* Without assignee and contact the brackets are references ([RFC4540]). */
	if (nb > 0 && (b == ws->n || !is_date(ws->w[b], ws->len[b])) &&
	    is_rfc(ws->w[end], ws->len[end])) {
		e |= set(reg, r, F_REFERENCE, ws, end, b, 0);
		end = b;
		nb = 0;
	}
	if (nb > 0)
		e |= set(reg, r, F_ASSIGNEE, ws, end, end + 1, 0);
	if (nb > 1)
		e |= set(reg, r, F_CONTACT, ws, end + 1, end + 2, 0);
	if (nb > 2)
		e |= set(reg, r, F_REFERENCE, ws, end + 2, b, 0);
	i = b;
	if (i < ws->n && is_date(ws->w[i], ws->len[i]))
		e |= set(reg, r, F_REGISTERED, ws, i, i + 1, 0), i++;
	if (i < ws->n && is_date(ws->w[i], ws->len[i]))
		e |= set(reg, r, F_MODIFIED, ws, i, i + 1, 0), i++;
	for (b = i; b < ws->n && is_bracket(ws->w[b], ws->len[b]); b++)
		;
	if (b > i && !r->f[F_REFERENCE][0])
		e |= set(reg, r, F_REFERENCE, ws, i, b, 0);
	e |= set(reg, r, F_NOTES, ws, b, ws->n, 1);
	return e ? -ENOMEM : 0;
}

/* How many words of an ID like Tristan_Seifert_3 make the person's name. */
static size_t id_words(const char *id, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++) {
		if (id[i] == '_') {
			if (all_digits(id + i + 1, len - i - 1))
				break;
			n++;
		}
	}
	return n;
}

static int parse_person(struct registry *reg, const struct words *ws)
{
	struct registry_person *p;
	size_t i = 1, name_end, uri;
	int e = 0;

	if (ws->n < 2 || !is_bracket(ws->w[0], ws->len[0]))
		return 0;
	p = registry_add_person(reg);
	if (!p)
		return -ENOMEM;
	p->id = registry_strndup(reg, ws->w[0] + 1, ws->len[0] - 2);
	for (uri = 1; uri < ws->n && !memchr(ws->w[uri], ':', ws->len[uri]); uri++)
		;
	name_end = 1 + id_words(ws->w[0] + 1, ws->len[0] - 2);
	if (name_end > uri)
		name_end = uri;
	p->name = words(reg, ws, i, name_end, 1);
	p->org = words(reg, ws, name_end, uri, 1);
	if (uri < ws->n)
		p->uri = words(reg, ws, uri, uri + 1, 0);
	if (uri + 1 < ws->n && is_date(ws->w[uri + 1], ws->len[uri + 1]))
		p->updated = words(reg, ws, uri + 1, uri + 2, 0);
	e = !p->id || !p->name || !p->org || !p->uri || !p->updated;
	return e ? -ENOMEM : 0;
}

enum section { S_PREAMBLE, S_RECORDS, S_PEOPLE };

static int starts(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && strncmp(line, prefix, n) == 0;
}

static const char *next_line(const char *p, const char *end, size_t *len)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	*len = (size_t)((nl ? nl : end) - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return nl ? nl + 1 : end;
}

int registry_parse_text(struct registry *reg, const char *data, size_t len,
                        const char *file, struct diags *d)
{
	const char *p = data, *end = data + len, **want = NULL;
	enum section sec = S_PREAMBLE;
	unsigned long line = 0;
	int seen_header = 0, r = 0;
	struct words ws;

	while (p < end && r == 0) {
		const char *s = p;
		size_t n;

		p = next_line(p, end, &n);
		line++;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;    /* a line of blanks is a blank line */
		if (n == 0) {
			if (sec == S_RECORDS)
				sec = S_PREAMBLE;
			continue;
		}
		if (want) {
			*want = registry_strndup(reg, s, n);
			r = *want ? 0 : -ENOMEM;
			want = NULL;
		} else if (starts(s, n, "Internet Assigned Numbers Authority")) {
			want = &reg->title;
		} else if (sec != S_RECORDS && n == 12 && starts(s, n, "Last Updated")) {
			want = &reg->updated;
		} else if (starts(s, n, "Service Name Port Number Transport Protocol")) {
			sec = S_RECORDS;
			seen_header = 1;
		} else if (starts(s, n, "ID Name Organization")) {
			sec = S_PEOPLE;
		} else if (sec != S_PREAMBLE && split(s, n, &ws) < 0) {
			diag_add(d, DIAG_ERROR, file, line, "more than %d words", MAX_WORDS);
			r = -EINVAL;
		} else if (sec == S_RECORDS) {
			struct registry_record *rec = registry_add(reg, file, line);

			r = rec ? parse_row(reg, rec, &ws) : -ENOMEM;
		} else if (sec == S_PEOPLE) {
			r = parse_person(reg, &ws);
		}
	}
	if (r == 0 && !seen_header) {
		diag_add(d, DIAG_ERROR, file, 0,
		         len ? "no record table (a line \"Service Name Port Number "
		               "Transport Protocol ...\")" : "empty file");
		r = -EINVAL;
	}
	return r;
}
