/* json.h: the little JSON that `lookup --json` and `diff --json` write.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Header-only, so that the two verbs share it without another object file.
 * The writer tracks only where a comma is due and how deep it is: callers
 * nest begin/end pairs themselves. Strings come from an index nobody has to
 * trust, so the escaper turns bytes that are not valid UTF-8 into U+FFFD:
 * whatever the index holds, the output parses.
 */
#ifndef IANA_TOOL_JSON_H
#define IANA_TOOL_JSON_H

#include <stdio.h>
#include <string.h>

struct json {
	FILE *f;
	int depth;
	int comma;     /* a value was written at this depth */
	int key;       /* a key was just written: the value follows on its line */
};

/* Length of the valid UTF-8 sequence at s, or 0. */
static inline size_t json_utf8_len(const unsigned char *s)
{
	unsigned c = s[0], cp;
	size_t n = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
	           (c & 0xf8) == 0xf0 ? 4 : 0;

	if (n == 0)
		return 0;
	cp = c & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static inline void json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n;

		if (*s == '"' || *s == '\\') {
			fputc('\\', f);
			fputc(*s++, f);
		} else if (*s == '\n') {
			fputs("\\n", f), s++;
		} else if (*s == '\t') {
			fputs("\\t", f), s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s++);
		} else if (*s < 0x80) {
			fputc(*s++, f);
		} else if ((n = json_utf8_len(s)) != 0) {
			fwrite(s, 1, n, f);
			s += n;
		} else {
			fputs("\\ufffd", f), s++;
		}
	}
	fputc('"', f);
}

/* Before any value: the comma and the line break it needs. */
static inline void json_next(struct json *j)
{
	if (j->key) {
		j->key = 0;
		return;
	}
	if (j->comma)
		fputc(',', j->f);
	if (j->depth)
		fprintf(j->f, "\n%*s", 2 * j->depth, "");
	j->comma = 1;
}

static inline void json_key(struct json *j, const char *key)
{
	json_next(j);
	json_escape(j->f, key);
	fputs(": ", j->f);
	j->key = 1;
}

static inline void json_open(struct json *j, char c)
{
	json_next(j);
	fputc(c, j->f);
	j->depth++;
	j->comma = 0;
}

static inline void json_close(struct json *j, char c)
{
	j->depth--;
	if (j->comma)
		fprintf(j->f, "\n%*s", 2 * j->depth, "");
	fputc(c, j->f);
	j->comma = 1;
	if (j->depth == 0)
		fputc('\n', j->f);
}

static inline void json_str(struct json *j, const char *s)
{
	json_next(j);
	json_escape(j->f, s);
}

/* NULL and "" are both null: the registry does not tell them apart. */
static inline void json_str_or_null(struct json *j, const char *s)
{
	json_next(j);
	if (s && *s)
		json_escape(j->f, s);
	else
		fputs("null", j->f);
}

static inline void json_uint(struct json *j, unsigned long v)
{
	json_next(j);
	fprintf(j->f, "%lu", v);
}

static inline void json_bool(struct json *j, int v)
{
	json_next(j);
	fputs(v ? "true" : "false", j->f);
}

static inline void json_null(struct json *j)
{
	json_next(j);
	fputs("null", j->f);
}

#endif
