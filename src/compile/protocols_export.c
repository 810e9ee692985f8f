/* protocols_export.c: a protocols index as a protocols(5) file, the one
 * glibc's "files" backend reads to give the same answers as the index
 * (SPEC P3).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One line per entry, in entry order, "name<TAB>number<TAB>aliases", and
 * the description of the record that gave the entry as its comment. The
 * index does not link an entry to its record, but protocols_build() made
 * at most one entry per record, in record order: a walk over both finds
 * each entry's record (the next record that can have given it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iana-services.h"
#include "index-write.h"

/* Each line of text as a comment line. */
static void comment(FILE *f, const char *label, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");

		fprintf(f, "# %s%.*s\n", label, (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/* Text on one comment line: a newline in it would end the comment. */
static void inline_text(FILE *f, const char *text)
{
	for (; *text; text++)
		fputc((unsigned char)*text < 0x20 ? ' ' : *text, f);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Whether a registry record named name gives the entry name e: its
 * keyword (P1: no " (deprecated)", runs of spaces as one "-") in lower
 * case is e. */
static int keyword_is(const char *name, const char *e)
{
	static const char deprecated[] = " (deprecated)";
	size_t n = strlen(name), d = sizeof(deprecated) - 1;

	if (n >= d && strcmp(name + n - d, deprecated) == 0)
		n -= d;
	for (size_t i = 0; i < n; i++) {
		if (name[i] == ' ' && i > 0 && name[i - 1] == ' ')
			continue;
		if (*e++ != (name[i] == ' ' ? '-' : lower(name[i])))
			return 0;
	}
	return *e == '\0';
}

static int gave(const struct iana_record *r, const struct iana_entry *e)
{
	if (!(r->flags & IANA_RECORD_HAS_PORT) || r->port_lo != e->port ||
	    r->port_hi != e->port)
		return 0;
	if (r->flags & IANA_RECORD_LOCAL)
		return strcmp(r->name, e->name) == 0;
	return keyword_is(r->name, e->name);
}

int protocols_export(const struct iana_index *idx, char **text, size_t *len)
{
	struct iana_meta m;
	size_t records = iana_index_record_count(idx), next = 0;
	FILE *f = open_memstream(text, len);

	if (!f)
		return -ENOMEM;
	iana_index_meta(idx, &m);
	fputs("# /etc/protocols: ", f);
	inline_text(f, m.title[0] ? m.title : "IANA Protocol Numbers");
	fprintf(f, "\n# Written by iana-services %s", m.tool_version);
	if (m.updated[0]) {
		fputs(" from the registry updated ", f);
		inline_text(f, m.updated);
	}
	fputs(".\n", f);
	comment(f, "source ", m.sources);
	fprintf(f, "# %zu entries. Format: name number [aliases...]\n#\n",
	        iana_index_entry_count(idx));
	for (size_t i = 0; i < iana_index_entry_count(idx); i++) {
		struct iana_entry e;
		struct iana_record r = { .description = "" };
		const char *a;

		if (iana_index_entry(idx, i, &e) < 0)
			goto damaged;
		for (; next < records; next++) {
			if (iana_index_record(idx, next, &r) < 0)
				goto damaged;
			if (gave(&r, &e))
				break;
		}
		fprintf(f, "%s\t%u", e.name, e.port);
		a = e.aliases;
		for (unsigned k = 0; k < e.alias_count; k++, a += strlen(a) + 1)
			fprintf(f, "%s%s", k ? " " : "\t", a);
		if (next < records) {
			if (r.description[0]) {
				fputs(e.alias_count ? "\t# " : "\t\t# ", f);
				inline_text(f, r.description);
			}
			next++;
		} else {
			next = records;
		}
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		return -ENOMEM;
	return 0;
damaged:
	fclose(f);
	free(*text);
	*text = NULL;
	return -EPROTO;
}
