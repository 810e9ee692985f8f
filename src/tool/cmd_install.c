/* cmd_install.c: iana-services install [--database services|protocols]
 *                                      [-i INDEX] FILE
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Puts a prebuilt index in place the only safe way: checked whole
 * (structure and checksum), then written beside the live one and renamed
 * over it. `cp new.idx services.idx` truncates and rewrites the file that
 * running processes have mapped: a process can die of SIGBUS, as with
 * every memory-mapped database. FILE must hold the database named
 * (services unless --database says otherwise): the readers of INDEX would
 * refuse the other one and answer UNAVAIL.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "index-internal.h"
#include "index-write.h"
#include "refresh.h"
#include "tool.h"

int cmd_install(int argc, char **argv)
{
	enum { OPT_DATABASE = 256 };
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "database", required_argument, NULL, OPT_DATABASE },
		{ 0 }
	};
	enum iana_database database = IANA_DATABASE_SERVICES;
	const struct refresh_database *db;
	const char *path = NULL, *file;
	struct iana_index *idx;
	int c, r;

	while ((c = getopt_long(argc, argv, "i:", opts, NULL)) != -1) {
		switch (c) {
		case 'i': path = optarg; break;
		case OPT_DATABASE:
			if (parse_database(optarg, &database) < 0)
				return usage_error("install", "unknown database '%s' (services or "
				                   "protocols)", optarg);
			break;
		default: return usage_error("install", "bad option");
		}
	}
	db = refresh_database(database);
	if (optind + 1 != argc)
		return usage_error("install", "expected one FILE, the index to install");
	file = argv[optind];
	if (!path)
		path = iana_index_database_path(db->id);
	r = iana_index_open(file, &idx);
	if (r == 0) {
		r = iana_index_verify(idx);
		if (r < 0)
			iana_index_close(idx);
	}
	if (r < 0) {
		report(file, 0, "%s; nothing installed", r == -EBADMSG ? "checksum mismatch" :
		       r == -EPROTO ? "not a valid nss-iana index" : strerror(-r));
		return EXIT_BAD;
	}
	if (iana_index_database(idx) != db->id) {
		report(file, 0, "an index of the %s database, not %s; nothing installed "
		       "(--database %s installs it)",
		       db->id == IANA_DATABASE_SERVICES ? "protocols" : "services", db->name,
		       db->id == IANA_DATABASE_SERVICES ? "protocols" : "services");
		iana_index_close(idx);
		return EXIT_BAD;
	}
	/* the bytes checked, not the file again: it may change meanwhile */
	r = atomic_write(path, idx->map, idx->size, 0644);
	iana_index_close(idx);
	if (r < 0) {
		report(path, 0, "cannot write: %s", strerror(-r));
		return EXIT_BAD;
	}
	printf("%s: installed from %s\n", path, file);
	return EXIT_OK;
}
