/* cmd_rebuild.c: iana-services rebuild [--database services|protocols]
 *                                     [-i INDEX] [--force]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * SPEC section 10, F3: the registry kept at the last update (INDEX.registry)
 * or, when there is none or it is older, the one data/ shipped, compiled
 * after today's local services(5) (protocols(5)) files, and installed
 * atomically with update's guards. No network. One database a run: the
 * systemd unit and the maintainer scripts run it once for each, so that
 * -i and the exit status each name one index.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "refresh.h"
#include "tool.h"

/* The registry's `updated` date, or NULL when path does not read. */
static char *registry_date(const char *path)
{
	struct registry reg;
	struct diags d = { 0 };
	struct stat st;
	char *date = NULL;

	if (stat(path, &st) < 0)
		return NULL;
	registry_init(&reg);
	if (registry_read_file(&reg, path, FMT_AUTO, &d) == 0 && d.errors == 0)
		date = strdup(reg.updated ? reg.updated : "");
	registry_free(&reg);
	diags_free(&d);
	return date;
}

/* The kept registry, or the shipped one when it is newer or the kept one
 * is not there or does not read. */
static const char *pick_registry(const struct refresh *r, const char *shipped)
{
	char *kept = registry_date(r->kept), *ours;
	const char *pick = r->kept;

	if (!kept)
		return shipped;
	ours = registry_date(shipped);
	if (ours && strcmp(ours, kept) > 0)
		pick = shipped;
	free(kept);
	free(ours);
	return pick;
}

int cmd_rebuild(int argc, char **argv)
{
	enum { OPT_DATABASE = 256 };
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "force", no_argument, NULL, 'f' },
		{ "database", required_argument, NULL, OPT_DATABASE },
		{ 0 }
	};
	enum iana_database database = IANA_DATABASE_SERVICES;
	const struct refresh_database *db;
	const char *index = NULL, *shipped;
	struct refresh r;
	struct tool_build b = { 0 };
	struct iana_index *installed = NULL, *built = NULL;
	int c, force = 0, status = EXIT_BAD;

	while ((c = getopt_long(argc, argv, "i:f", opts, NULL)) != -1) {
		switch (c) {
		case 'i': index = optarg; break;
		case 'f': force = 1; break;
		case OPT_DATABASE:
			if (parse_database(optarg, &database) < 0)
				return usage_error("rebuild", "unknown database '%s' (services or "
				                   "protocols)", optarg);
			break;
		default: return usage_error("rebuild", "bad option");
		}
	}
	db = refresh_database(database);
	if (optind != argc)
		return usage_error("rebuild", "unexpected argument '%s'", argv[optind]);
	shipped = getenv(db->shipped_env);
	if (!shipped || !*shipped)
		shipped = db->shipped;
	if (refresh_init(&r, db, index) < 0 || refresh_add_default_locals(&r) < 0 ||
	    refresh_add(&r, pick_registry(&r, shipped), NULL, FMT_AUTO, 0) < 0) {
		report(NULL, 0, "%s", strerror(ENOMEM));
		goto done;
	}
	r.force = force;
	if (refresh_installed(&r, &installed) != EXIT_OK ||
	    tool_build(&b, r.in, r.n, 0, r.index) != EXIT_OK)
		goto done;
	if ((c = tool_open_bytes(b.data, b.len, &built)) < 0) {
		report(r.index, 0, "cannot check the new index: %s", strerror(-c));
		goto done;
	}
	if (refresh_check_database(&r, r.in[r.n - 1].path, built) == EXIT_OK &&
	    refresh_guard(&r, r.in[r.n - 1].path, &b, installed) == EXIT_OK)
		status = refresh_install(&r, &b);
done:
	if (built)
		iana_index_close(built);
	if (installed)
		iana_index_close(installed);
	tool_build_free(&b);
	refresh_free(&r);
	return status;
}
