/* cmd_export.c: iana-services export [-i INDEX] [--database DB] [-o FILE]:
 * services(5) or protocols(5) text, as the index holds one or the other.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index-write.h"
#include "tool.h"

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "database", required_argument, NULL, 'd' },
		{ 0 }
	};
	const char *in = NULL, *out = NULL;
	enum iana_database db = IANA_DATABASE_SERVICES;
	struct iana_index *idx;
	char *text = NULL;
	size_t len;
	int c, r;

	while ((c = getopt_long(argc, argv, "i:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'i': in = optarg; break;
		case 'o': out = optarg; break;
		case 'd':
			if (parse_database(optarg, &db) < 0)
				return usage_error("export", "unknown database '%s' (services or "
				                   "protocols)", optarg);
			break;
		default: return usage_error("export", "bad option");
		}
	}
	if (optind != argc)
		return usage_error("export", "unexpected argument '%s'", argv[optind]);
	idx = open_index_of(in, db);
	if (!idx)
		return EXIT_BAD;
	r = iana_index_database(idx) == IANA_DATABASE_PROTOCOLS ?
	    protocols_export(idx, &text, &len) : services_export(idx, &text, &len);
	if (r == 0 && out)
		r = atomic_write(out, text, len, 0644);
	else if (r == 0 && (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0))
		r = -EIO;
	if (r == -EPROTO)
		report(in ? in : iana_index_database_path(db), 0, "damaged index: run iana-services check");
	else if (r < 0)
		report(out ? out : "stdout", 0, "cannot write: %s", strerror(-r));
	free(text);
	iana_index_close(idx);
	return r < 0 ? EXIT_BAD : EXIT_OK;
}
