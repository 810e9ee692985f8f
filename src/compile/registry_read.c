/* registry_read.c: read an input file whole, check that it is text, tell
 * its format and hand it to that format's parser.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nettle/sha2.h>

#include "index-format.h"
#include "registry.h"

/* The registry is about 4 MB; anything past this is not a registry. */
#define MAX_INPUT (256u << 20)
#define MAX_LINE (1u << 20)

int registry_format_parse(const char *name, enum registry_format *fmt)
{
	static const char *const names[] = {
		[FMT_AUTO] = "auto", [FMT_CSV] = "csv", [FMT_XML] = "xml",
		[FMT_TEXT] = "text", [FMT_SERVICES] = "services",
		[FMT_PROTOCOLS_XML] = "protocols-xml", [FMT_PROTOCOLS] = "protocols",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*fmt = (enum registry_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int starts(const char *p, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(end - p) >= n && strncasecmp(p, prefix, n) == 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* What a line of a services(5) or protocols(5) file says about its file
 * (the readers, registry_services.c and registry_protocols.c, have the
 * whole reading): */
enum line_says {
	LINE_NEITHER,     /* neither: the file cannot be told */
	LINE_SERVICES,    /* "name 80/tcp", "name 0x50": only services(5) */
	LINE_PROTOCOLS,   /* "name 6 alias", "name 6 # c": only protocols(5) */
	LINE_EITHER,      /* "name 80": either, read the same by both */
	LINE_EITHER_BASE, /* "name 010": either, but read as 8 by one and 10 by the
	                   * other (or past 16 bits, or glibc's last-line quirk,
	                   * see registry_protocols.c) */
};

/* The number after the name as strtoul(3) with base reads it into *v:
 * where it stops, or NULL when there is no number (or, for protocols(5),
 * one past 32 bits, see registry_protocols.c). */
static const char *number_end(const char *p, const char *end, int base,
                              unsigned long *v)
{
	char num[32], *stop;
	size_t n = (size_t)(end - p) < sizeof(num) - 1 ? (size_t)(end - p) : sizeof(num) - 1;

	memcpy(num, p, n);
	num[n] = '\0';
	*v = strtoul(num, &stop, base);
	if (stop == num || (base == 10 && *v > 0xffffffffu))
		return NULL;
	return p + (stop - num);
}

/* A line as glibc's files backend reads one: a name, white space, then
 * for services(5) a number as strtoul(3) with base 0 reads it and a slash
 * or the end of the line; for protocols(5) a number with base 10 and
 * white space or the end. '#' ends a line anywhere. A line "name 80" is
 * both, and a services(5) line of that form has no protocol (SPEC 10). */
static enum line_says classify_line(const char *p, const char *end)
{
	const char *hash = memchr(p, '#', (size_t)(end - p)), *s, *t;
	unsigned long sv, tv;
	int services, protocols;

	if (hash)
		end = hash;
	while (p < end && !is_space(*p))
		p++;
	if (p == end)
		return LINE_NEITHER;
	while (p < end && is_space(*p))
		p++;
	s = number_end(p, end, 0, &sv);
	t = number_end(p, end, 10, &tv);
	services = s && (s == end || *s == '/');
	protocols = t && (t == end || is_space(*t));
	if (services && protocols)
		return sv == tv && tv <= 65535 ? LINE_EITHER : LINE_EITHER_BASE;
	return services ? LINE_SERVICES : protocols ? LINE_PROTOCOLS : LINE_NEITHER;
}

/* The first meaningful line that tells services(5) from protocols(5)
 * decides; a first meaningful line that is neither makes the file
 * FMT_AUTO. When every line is "name N" (LINE_EITHER), *either is set and
 * FMT_SERVICES returned: both readers give the same records, and the
 * other inputs decide the database (registry_read_file). */
static enum registry_format detect_lines(const char *p, const char *end, int *either)
{
	*either = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *start = p;
		enum line_says says;

		while (p < eol && is_space(*p))
			p++;
		if (p < eol && *p != '#') {
			says = classify_line(p, eol);
			if (says == LINE_EITHER && !nl && p != start)
				says = LINE_EITHER_BASE;
			if (says == LINE_NEITHER && !*either)
				return FMT_AUTO;
			if (says == LINE_SERVICES || says == LINE_EITHER_BASE ||
			    says == LINE_PROTOCOLS) {
				*either = 0;
				return says == LINE_PROTOCOLS ? FMT_PROTOCOLS : FMT_SERVICES;
			}
			/* LINE_EITHER, or a bad line after one: its reader says */
			*either = 1;
		}
		p = nl ? nl + 1 : end;
	}
	return *either ? FMT_SERVICES : FMT_AUTO;
}

static enum registry_format detect(const char *data, size_t len, int *either)
{
	const char *p = data, *end = data + len;

	*either = 0;
	if (starts(p, end, "\xef\xbb\xbf"))
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (starts(p, end, "<?xml") || starts(p, end, "<registry"))
		return FMT_XML;
	if (starts(p, end, "Service Name,"))
		return FMT_CSV;
	if (starts(p, end, "Internet Assigned Numbers Authority") ||
	    memmem(data, len, "\nService Name Port Number Transport Protocol", 44))
		return FMT_TEXT;
	return detect_lines(p, end, either);
}

enum registry_format registry_detect(const char *data, size_t len)
{
	int either;

	return detect(data, len, &either);
}

/* Text checks shared by every format: no NUL byte, valid UTF-8, and, for
 * the line-based ones, no line past MAX_LINE. */
static int check_text(const char *data, size_t len, const char *file, int lines,
                      struct diags *d)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	const unsigned char *line_start = p;
	unsigned long line = 1;

	while (p < end) {
		unsigned c = *p;
		size_t n;

		if (c >= 0x20 && c < 0x80) {    /* the common case, quickly */
			p++;
			continue;
		}
		n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
		           (c & 0xf8) == 0xf0 ? 4 : 0;
		unsigned cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;

		if (c == 0) {
			diag_add(d, DIAG_ERROR, file, line, "NUL byte at column %zu",
			         (size_t)(p - line_start) + 1);
			return -EINVAL;
		}
		if (n == 0 || (size_t)(end - p) < n)
			goto bad;
		for (size_t i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				goto bad;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		/* overlong forms, surrogates and past U+10FFFF */
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		if (c == '\n') {
			if (lines && (size_t)(p - line_start) > MAX_LINE)
				goto long_line;
			line++;
			line_start = p + 1;
		}
		p += n;
	}
	if (lines && (size_t)(p - line_start) > MAX_LINE)
		goto long_line;
	return 0;
long_line:
	diag_add(d, DIAG_ERROR, file, line, "line longer than %u bytes", MAX_LINE);
	return -EINVAL;
bad:
	diag_add(d, DIAG_ERROR, file, line, "invalid UTF-8 at column %zu",
	         (size_t)(p - line_start) + 1);
	return -EINVAL;
}

/* The file in a buffer of at least *len + 1 bytes. */
static int slurp(const char *path, char **data, size_t *len)
{
	struct stat st;
	size_t n = 0, cap;
	char *buf;
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	if (cap > MAX_INPUT + 1)
		cap = MAX_INPUT + 1;
	buf = malloc(cap);
	for (;;) {
		ssize_t r;

		if (!buf) {
			errno = ENOMEM;
			break;
		}
		if (n == cap) {
			char *b;

			if (cap > MAX_INPUT) {
				errno = EFBIG;
				break;
			}
			b = realloc(buf, cap * 2);
			if (!b) {
				errno = ENOMEM;
				break;
			}
			buf = b;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			if (fd)
				close(fd);
			*data = buf;
			*len = n;
			return 0;
		}
		n += (size_t)r;
	}
	int e = errno;

	free(buf);
	if (fd)
		close(fd);
	return -e;
}

/* Adds "SHA256  NAME" to reg->sources. The name without its directory:
 * the same input read from elsewhere gives the same index. */
static int add_source(struct registry *reg, const char *path, const char *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[SHA256_DIGEST_SIZE];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t old = strlen(reg->sources), n = strlen(base);
	struct sha256_ctx ctx;
	char *s;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof(digest), digest);
	s = registry_strndup(reg, NULL, old + 2 * sizeof(digest) + 2 + n + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, reg->sources, old);
	for (size_t i = 0; i < sizeof(digest); i++) {
		s[old + 2 * i] = hex[digest[i] >> 4];
		s[old + 2 * i + 1] = hex[digest[i] & 15];
	}
	memcpy(s + old + 2 * sizeof(digest), "  ", 2);
	memcpy(s + old + 2 * sizeof(digest) + 2, base, n);
	s[old + 2 * sizeof(digest) + 2 + n] = '\n';
	reg->sources = s;
	return 0;
}

static int read_file(struct registry *reg, const char *path, enum registry_format *format,
                     int *either, struct diags *d)
{
	enum registry_format fmt = *format;
	const char *file = registry_strdup(reg, path);
	char *data = NULL;
	size_t len = 0;
	int r;

	if (!file)
		return -ENOMEM;
	r = slurp(path, &data, &len);
	if (r < 0) {
		diag_add(d, DIAG_ERROR, file, 0, "%s", strerror(-r));
		return -EINVAL;
	}
	if (add_source(reg, path, data, len) < 0) {
		free(data);
		return -ENOMEM;
	}
	if (fmt == FMT_AUTO)
		fmt = *format = detect(data, len, either);
	if (len == 0) {
		diag_add(d, DIAG_ERROR, file, 0, "empty file");
		r = -EINVAL;
	} else if (fmt == FMT_AUTO) {
		diag_add(d, DIAG_ERROR, file, 0, "cannot tell the format "
		         "(IANA CSV, XML, plain text, services(5) or protocols(5)); "
		         "use --format");
		r = -EINVAL;
	} else {
		r = check_text(data, len, file, fmt != FMT_XML && fmt != FMT_PROTOCOLS_XML, d);
	}
	if (r == 0) {
		char *text = data;

		if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
			text += 3;
			len -= 3;
		}
		switch (fmt) {
		case FMT_CSV:
			/* the fields stay in data, which reg now frees */
			if (registry_own(reg, data) < 0)
				return -ENOMEM;
			return registry_parse_csv_in_place(reg, text, len, file, d);
		case FMT_XML: r = registry_parse_xml(reg, text, len, file, d); break;
		case FMT_PROTOCOLS_XML:
			r = registry_parse_protocols_xml(reg, text, len, file, d);
			break;
		case FMT_TEXT: r = registry_parse_text(reg, text, len, file, d); break;
		case FMT_PROTOCOLS:
			r = registry_parse_protocols(reg, text, len, file, d);
			break;
		default: r = registry_parse_services(reg, text, len, file, d); break;
		}
	}
	free(data);
	return r;
}

/* Which database the input just read is, from what its reader set
 * (reg->database) and its format: 0 for a file of "name N" lines that
 * either database reads the same, which the other inputs decide. */
static unsigned input_database(const struct registry *reg, enum registry_format fmt,
                               int either)
{
	if (reg->database)
		return reg->database;
	if (fmt == FMT_PROTOCOLS || fmt == FMT_PROTOCOLS_XML)
		return IDX_DB_PROTOCOLS;
	return either ? 0 : IDX_DB_SERVICES;
}

int registry_read_file(struct registry *reg, const char *path,
                       enum registry_format fmt, struct diags *d)
{
	static const char *const names[] = {
		[IDX_DB_SERVICES] = "services", [IDX_DB_PROTOCOLS] = "protocols",
	};
	unsigned before = reg->database, now;
	int either = 0, r;

	reg->database = 0;
	r = read_file(reg, path, &fmt, &either, d);
	now = input_database(reg, fmt, either);
	reg->database = now ? now : before;
	if (r == 0 && before && now && before != now) {
		diag_add(d, DIAG_ERROR, path, 0,
		         "a %s input after %s inputs: compile one database at a time",
		         names[now], names[before]);
		return -EINVAL;
	}
	return r;
}
