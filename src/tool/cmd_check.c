/* cmd_check.c: iana-services check [-i INDEX] [--database DB]: structure,
 * checksum, and whether the local files it was compiled from with --watch
 * are unchanged. Either database's index; --database picks the default.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "database", required_argument, NULL, 'd' },
		{ 0 }
	};
	const char *path = NULL, *changed = NULL;
	enum iana_database db = IANA_DATABASE_SERVICES;
	struct iana_index *idx;
	int c, r;

	while ((c = getopt_long(argc, argv, "i:", opts, NULL)) != -1) {
		if (c == 'i')
			path = optarg;
		else if (c != 'd' || parse_database(optarg, &db) < 0)
			return usage_error("check", c == 'd' ? "unknown database (services or "
			                   "protocols)" : "bad option");
	}
	if (optind != argc)
		return usage_error("check", "unexpected argument '%s'", argv[optind]);
	if (!path)
		path = iana_index_database_path(db);
	r = iana_index_open(path, &idx);
	if (r < 0) {
		report(path, 0, "%s", r == -EPROTO ? "invalid index structure" : strerror(-r));
		return EXIT_NOTFOUND;
	}
	r = iana_index_verify(idx);
	if (r < 0)
		report(path, 0, "%s", r == -EBADMSG ? "checksum mismatch" :
		       "invalid index structure");
	else if ((r = iana_index_stale(idx, &changed)) < 0)
		report(path, 0, "stale: %s has changed since the index was compiled; "
		       "run 'iana-services rebuild%s'", changed,
		       iana_index_database(idx) == IANA_DATABASE_PROTOCOLS ?
		       " --database protocols" : "");
	else
		printf("%s: ok, %s%zu entries, %zu records\n", path,
		       iana_index_database(idx) == IANA_DATABASE_PROTOCOLS ?
		       "protocols database, " : "",
		       iana_index_entry_count(idx), iana_index_record_count(idx));
	iana_index_close(idx);
	return r < 0 ? EXIT_NOTFOUND : EXIT_OK;
}
