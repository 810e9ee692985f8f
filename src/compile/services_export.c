/* services_export.c: an index as a services(5) file, the one glibc's
 * "files" backend reads to give the same answers as the index (SPEC L4).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The header says where the entries came from and nothing that changes
 * between two runs on the same inputs.
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

/* Text from the registry on one comment line: a newline in it would end
 * the comment and start a services line. */
static void inline_text(FILE *f, const char *text)
{
	for (; *text; text++)
		fputc((unsigned char)*text < 0x20 ? ' ' : *text, f);
}

int services_export(const struct iana_index *idx, char **text, size_t *len)
{
	struct iana_meta m;
	FILE *f = open_memstream(text, len);

	if (!f)
		return -ENOMEM;
	iana_index_meta(idx, &m);
	fputs("# /etc/services: ", f);
	inline_text(f, m.title[0] ? m.title :
	            "IANA Service Name and Transport Protocol Port Number Registry");
	fprintf(f, "\n# Written by iana-services %s", m.tool_version);
	if (m.updated[0]) {
		fputs(" from the registry updated ", f);
		inline_text(f, m.updated);
	}
	fputs(".\n", f);
	comment(f, "source ", m.sources);
	fprintf(f, "# %zu entries. Format: name port/protocol [aliases...]\n#\n",
	        iana_index_entry_count(idx));
	for (size_t i = 0; i < iana_index_entry_count(idx); i++) {
		struct iana_entry e;
		const char *a;

		if (iana_index_entry(idx, i, &e) < 0) {
			fclose(f);
			free(*text);
			*text = NULL;
			return -EPROTO;
		}
		fprintf(f, "%-15s %u/%s", e.name, e.port, e.proto);
		a = e.aliases;
		for (unsigned k = 0; k < e.alias_count; k++, a += strlen(a) + 1)
			fprintf(f, " %s", a);
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		return -ENOMEM;
	return 0;
}
