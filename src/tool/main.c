/* main.c: iana-services, the registry compiler and reader.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */


#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

const char *program_name = "iana-services";

static const char usage[] =
	"Usage: iana-services VERB [OPTIONS] [ARGS]\n"
	"\n"
	"  compile [--format FORMAT] [--strict] [--watch] -o INDEX INPUT...\n"
	"          FORMAT: auto, csv, xml, text, services (the services database),\n"
	"          protocols-xml, protocols (the protocols database)\n"
	"  export  [-i INDEX] [--database DB] [-o FILE]\n"
	"  lookup  [-i INDEX] [--database DB] [--json] QUERY [PROTO]\n"
	"  check   [-i INDEX] [--database DB]\n"
	"  diff    [--json] OLD NEW\n"
	"  update  [--database DB] [--url URL] [-i INDEX] [--local FILE]... [--export FILE]\n"
	"          [--force] [--dry-run] [--cacert FILE] [--timeout S]\n"
	"          [--connect-timeout S] [--max-size BYTES]\n"
	"  rebuild [--database DB] [-i INDEX] [--force]\n"
	"  install [--database DB] [-i INDEX] FILE\n"
	"\n"
	"DB is services (the default) or protocols. The default index is\n"
	"$NSS_IANA_INDEX, else " IANA_DEFAULT_INDEX ";\n"
	"for protocols $NSS_IANA_PROTOCOLS_INDEX, else " IANA_DEFAULT_PROTOCOLS_INDEX ".\n"
	"See iana-services(1).\n";

void report(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_name);
	if (file && line)
		fprintf(stderr, "%s:%lu: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

size_t report_diags(const struct diags *d, int strict)
{
	size_t bad = d->errors;

	for (size_t i = 0; i < d->count; i++) {
		report(d->v[i].file, d->v[i].line, "%s", d->v[i].message);
		if (strict && d->v[i].kind != DIAG_ERROR)
			bad++;
	}
	return bad;
}

int usage_error(const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", program_name, verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'iana-services --help'.\n");
	return EXIT_BAD;
}

int parse_database(const char *name, enum iana_database *database)
{
	if (strcmp(name, "services") == 0)
		*database = IANA_DATABASE_SERVICES;
	else if (strcmp(name, "protocols") == 0)
		*database = IANA_DATABASE_PROTOCOLS;
	else
		return -EINVAL;
	return 0;
}

struct iana_index *open_index(const char *path)
{
	return open_index_of(path, IANA_DATABASE_SERVICES);
}

struct iana_index *open_index_of(const char *path, enum iana_database database)
{
	struct iana_index *idx;
	int r;

	if (!path)
		path = iana_index_database_path(database);
	r = iana_index_open(path, &idx);
	if (r < 0) {
		report(path, 0, "%s", r == -EPROTO ? "not a valid nss-iana index" : strerror(-r));
		return NULL;
	}
	return idx;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} verbs[] = {
		{ "compile", cmd_compile }, { "export", cmd_export },
		{ "lookup", cmd_lookup }, { "check", cmd_check }, { "diff", cmd_diff },
		{ "update", cmd_update }, { "rebuild", cmd_rebuild },
		{ "install", cmd_install },
	};

	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_BAD;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("iana-services %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[1], verbs[i].name) == 0)
			return verbs[i].run(argc - 1, argv + 1);
	report(NULL, 0, "unknown verb '%s'; try 'iana-services --help'", argv[1]);
	return EXIT_BAD;
}
