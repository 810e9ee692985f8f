/* cmd_compile.c: iana-services compile [--format F] [--strict] [--watch]
 * -o INDEX INPUT...
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Nothing is written unless every input reads cleanly (and, with --strict,
 * without a single skipped record); the index is replaced atomically. With
 * --watch the index records each services(5) input's path and identity,
 * and readers take it for stale once one changes (SPEC 10, F2).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "index-write.h"
#include "tool.h"

static int compile(const char *out, char **paths, int n, enum registry_format fmt,
                   int strict, int watch)
{
	struct tool_input *in = calloc((size_t)n, sizeof(*in));
	struct tool_build b;
	int r, status;

	if (!in) {
		report(out, 0, "cannot write: %s", strerror(ENOMEM));
		return EXIT_BAD;
	}
	for (int i = 0; i < n; i++)
		in[i] = (struct tool_input){ .path = paths[i], .format = fmt, .watch = watch };
	status = tool_build(&b, in, (size_t)n, strict, out);
	if (status == EXIT_OK) {
		r = atomic_write(out, b.data, b.len, 0644);
		if (r < 0) {
			report(out, 0, "cannot write: %s", strerror(-r));
			status = EXIT_BAD;
		} else {
			tool_build_summary(&b);
		}
	}
	tool_build_free(&b);
	free(in);
	return status;
}

int cmd_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "watch", no_argument, NULL, 'w' },
		{ 0 }
	};
	enum registry_format fmt = FMT_AUTO;
	const char *out = NULL;
	int strict = 0, watch = 0, c;

	while ((c = getopt_long(argc, argv, "f:so:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (registry_format_parse(optarg, &fmt) < 0)
				return usage_error("compile", "unknown format '%s'", optarg);
			break;
		case 's':
			strict = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'w':
			watch = 1;
			break;
		default:
			return usage_error("compile", "bad option");
		}
	}
	if (!out)
		return usage_error("compile", "-o INDEX is required");
	if (optind == argc)
		return usage_error("compile", "no input files");
	return compile(out, argv + optind, argc - optind, fmt, strict, watch);
}
