/* cmd_update.c: iana-services update [--database services|protocols]
 *                                    [--url URL] [-i INDEX] [--local FILE]...
 *                                    [--export FILE] [--force] [--dry-run]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Downloads the registry (SPEC section 8), conditionally: the ETag and
 * Last-Modified of the last download are kept in INDEX.http (INDEX less
 * its .idx) and sent back, and a 304 leaves everything as it is. What
 * arrives is compiled after the local services(5) files (section 10, F1)
 * and, unless a guard refuses it, installed atomically; with --database
 * protocols, IANA's Protocol Numbers registry after the local protocols(5)
 * files, into the protocols index (section 9, P6); the download is
 * kept as INDEX.registry so that `rebuild` needs no network. Nothing is
 * written before everything has compiled, and nothing is left behind.
 *
 * Exit status: 0 installed or up to date, 2 bad input or refused,
 * 3 the download failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "index-write.h"
#include "refresh.h"
#include "tool.h"

#define CONNECT_TIMEOUT 30
#define TIMEOUT 300
#define MAX_SIZE ((size_t)64 << 20)

struct update {
	struct refresh r;
	struct fetch_request rq;
	const char *export;
};

/* ---- the validators of the last download ---- */

struct validators {
	char *url, *etag, *last_modified;
	long long filetime;
};

static void validators_free(struct validators *v)
{
	free(v->url);
	free(v->etag);
	free(v->last_modified);
	memset(v, 0, sizeof(*v));
	v->filetime = -1;
}

/* "KEY VALUE" lines; a file that is not there, or not ours, gives none. */
static void validators_read(const char *path, struct validators *v)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	v->filetime = -1;
	if (!f)
		return;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *value = strchr(line, ' ');

		if (line[n - 1] == '\n')
			line[n - 1] = 0;
		if (!value || line[0] == '#')
			continue;
		*value++ = 0;
		if (strcmp(line, "url") == 0 && !v->url)
			v->url = strdup(value);
		else if (strcmp(line, "etag") == 0 && !v->etag)
			v->etag = strdup(value);
		else if (strcmp(line, "last-modified") == 0 && !v->last_modified)
			v->last_modified = strdup(value);
		else if (strcmp(line, "filetime") == 0)
			v->filetime = strtoll(value, NULL, 10);
	}
	free(line);
	fclose(f);
}

static int validators_write(const char *path, const char *url, const struct fetch_result *res)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int r;

	if (!f)
		return -ENOMEM;
	fprintf(f, "# iana-services update: the validators of the last download\nurl %s\n", url);
	if (res->etag && !strpbrk(res->etag, "\r\n"))
		fprintf(f, "etag %s\n", res->etag);
	if (res->last_modified && !strpbrk(res->last_modified, "\r\n"))
		fprintf(f, "last-modified %s\n", res->last_modified);
	if (res->filetime >= 0)
		fprintf(f, "filetime %lld\n", res->filetime);
	if (fclose(f) != 0) {
		free(text);
		return -ENOMEM;
	}
	r = atomic_write(path, text, len, 0644);
	free(text);
	return r;
}

/* ---- what arrived ---- */

/* NULL when data is one of the database's registry renderings, else what
 * it is. Which XML registry it is, the compile says (refresh_check_database). */
static const char *not_a_registry(const struct refresh_database *db, const char *data,
                                  size_t len)
{
	enum registry_format f = registry_detect(data, len);
	const char *p = data, *end = data + (len < 1024 ? len : 1024);

	if (f == FMT_XML || f == FMT_PROTOCOLS_XML)
		return NULL;
	/* IANA publishes Protocol Numbers as XML; the compiler reads no other
	 * rendering of it */
	if (f == FMT_CSV || f == FMT_TEXT)
		return db->id == IANA_DATABASE_SERVICES ? NULL :
		       "a services registry, not the protocols one";
	if (len == 0)
		return "empty: not a registry";
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if ((size_t)(end - p) >= 5 && (strncasecmp(p, "<!doc", 5) == 0 || strncasecmp(p, "<html", 5) == 0))
		return "an HTML page, not a registry";
	return "not a registry (IANA's XML, CSV or text rendering)";
}

/* The download's name in the index's sources: the last part of the URL's
 * path when it is a plain file name. */
static const char *download_name(const char *url, char *buf, size_t size)
{
	const char *s = strstr(url, "://"), *end;
	size_t n;

	s = s ? s + 3 : url;
	end = s + strcspn(s, "?#");
	s = memchr(s, '/', (size_t)(end - s));
	if (s)
		while (memchr(s + 1, '/', (size_t)(end - s - 1)))
			s = memchr(s + 1, '/', (size_t)(end - s - 1));
	n = s ? (size_t)(end - s - 1) : 0;
	if (n == 0 || n >= size || s[1] == '.' ||
	    strspn(s + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") < n)
		return "registry";
	memcpy(buf, s + 1, n);
	buf[n] = 0;
	return buf;
}

/* The download as a file of its own, in a directory of its own under
 * $TMPDIR, for the compiler to read. */
static int write_download(const char *url, const struct fetch_result *res, char **dir,
                          char **path)
{
	const char *tmpdir = getenv("TMPDIR");
	char name[NAME_MAX + 1];
	int fd, e = 0;
	*path = NULL;
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if (asprintf(dir, "%s/iana-services.XXXXXX", tmpdir) < 0)
		return -ENOMEM;
	if (!mkdtemp(*dir)) {
		e = -errno;
		free(*dir);
		*dir = NULL;
		return e;
	}
	if (asprintf(path, "%s/%s", *dir, download_name(url, name, sizeof(name))) < 0) {
		*path = NULL;
		return -ENOMEM;
	}
	fd = open(*path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	e = write_all(fd, res->data, res->len);
	if (close(fd) < 0 && e == 0)
		e = -errno;
	return e;
}

static void remove_download(char *dir, char *path)
{
	if (path)
		unlink(path);
	if (dir)
		rmdir(dir);
	free(path);
	free(dir);
}

/* ---- the verb ---- */

static int dry_run(const struct update *u, const struct tool_build *b,
                   struct iana_index *installed, struct iana_index *built)
{
	int status;

	if (installed) {
		status = diff_indexes(u->r.index, installed, u->rq.url, built);
		if (status == EXIT_BAD)
			return EXIT_BAD;
	} else {
		printf("%s: no index installed; %zu entries would be installed\n", u->r.index,
		       b->entries);
	}
	status = refresh_guard(&u->r, u->rq.url, b, installed);
	if (status == EXIT_OK)
		printf("dry run: nothing installed\n");
	return status;
}

static int install(const struct update *u, const struct tool_build *b,
                   const struct fetch_result *res, const char *export_text, size_t export_len)
{
	int e;

	/* a failure below must not leave validators of what is not installed */
	if (unlink(u->r.state) < 0 && errno != ENOENT) {
		report(u->r.state, 0, "cannot remove: %s", strerror(errno));
		return EXIT_BAD;
	}
	if (refresh_install(&u->r, b) != EXIT_OK)
		return EXIT_BAD;
	e = atomic_write(u->r.kept, res->data, res->len, 0644);
	if (e < 0) {
		report(u->r.kept, 0, "cannot write: %s", strerror(-e));
		return EXIT_BAD;
	}
	e = validators_write(u->r.state, u->rq.url, res);
	if (e < 0) {
		report(u->r.state, 0, "cannot write: %s", strerror(-e));
		return EXIT_BAD;
	}
	if (u->export) {
		e = atomic_write(u->export, export_text, export_len, 0644);
		if (e < 0) {
			report(u->export, 0, "cannot write: %s", strerror(-e));
			return EXIT_BAD;
		}
	}
	return EXIT_OK;
}

static int update(struct update *u)
{
	struct validators v = { 0 };
	struct fetch_result res = { 0 };
	struct tool_build b = { 0 };
	struct iana_index *installed = NULL, *built = NULL;
	char *dir = NULL, *path = NULL, *export_text = NULL;
	const char *what;
	size_t export_len = 0;
	int status = EXIT_BAD, e;

	if (refresh_installed(&u->r, &installed) != EXIT_OK)
		goto done;
	/* the validators hold only while what they describe is in place */
	validators_read(u->r.state, &v);
	if (installed && v.url && strcmp(v.url, u->rq.url) == 0 && access(u->r.kept, R_OK) == 0) {
		u->rq.etag = v.etag;
		u->rq.last_modified = v.last_modified;
		u->rq.filetime = v.filetime;
	}
	switch (fetch(&u->rq, &res)) {
	case FETCH_NOT_MODIFIED:
		printf("up to date\n");
		status = EXIT_OK;
		goto done;
	case FETCH_FAILED:
		report(u->rq.url, 0, "%s", res.error);
		status = EXIT_NET;
		goto done;
	case FETCH_OK:
		break;
	}
	if (!u->r.force && (what = not_a_registry(u->r.db, res.data, res.len))) {
		report(u->rq.url, 0, "%s; refused", what);
		goto done;
	}
	e = write_download(u->rq.url, &res, &dir, &path);
	if (e < 0) {
		report(path ? path : dir ? dir : "$TMPDIR", 0, "cannot write: %s", strerror(-e));
		goto done;
	}
	if (refresh_add(&u->r, path, u->rq.url, FMT_AUTO, 0) < 0) {
		report(NULL, 0, "%s", strerror(ENOMEM));
		goto done;
	}
	status = tool_build(&b, u->r.in, u->r.n, 0, u->r.index);
	remove_download(dir, path);
	dir = path = NULL;
	if (status != EXIT_OK)
		goto done;
	status = EXIT_BAD;
	e = tool_open_bytes(b.data, b.len, &built);
	if (e < 0) {
		report(u->r.index, 0, "cannot check the new index: %s", strerror(-e));
		goto done;
	}
	/* not even --force installs a registry of the other database: the
	 * readers of this index would refuse it */
	if (refresh_check_database(&u->r, u->rq.url, built) != EXIT_OK)
		goto done;
	if (u->export)
		e = u->r.db->id == IANA_DATABASE_PROTOCOLS ?
		    protocols_export(built, &export_text, &export_len) :
		    services_export(built, &export_text, &export_len);
	if (e < 0) {
		report(u->r.index, 0, "cannot export the new index: %s", strerror(-e));
		goto done;
	}
	if (u->r.dry_run)
		status = dry_run(u, &b, installed, built);
	else if (refresh_guard(&u->r, u->rq.url, &b, installed) == EXIT_OK)
		status = install(u, &b, &res, export_text, export_len);
done:
	remove_download(dir, path);
	if (built)
		iana_index_close(built);
	if (installed)
		iana_index_close(installed);
	free(export_text);
	tool_build_free(&b);
	fetch_result_free(&res);
	validators_free(&v);
	return status;
}

/* A positive number of at most max; 0 when s is not one. */
static unsigned long long number(const char *s, unsigned long long max)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(s, &end, 10);
	return errno || end == s || *end || *s == '-' || n > max ? 0 : n;
}

int cmd_update(int argc, char **argv)
{
	enum { OPT_CACERT = 256, OPT_TIMEOUT, OPT_CONNECT, OPT_MAX_SIZE, OPT_DATABASE };
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "index", required_argument, NULL, 'i' },
		{ "local", required_argument, NULL, 'l' },
		{ "export", required_argument, NULL, 'e' },
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "connect-timeout", required_argument, NULL, OPT_CONNECT },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "database", required_argument, NULL, OPT_DATABASE },
		{ 0 }
	};
	struct update u = {
		.rq = {
			.cacert = getenv("IANA_SERVICES_CACERT"),
			.connect_timeout = CONNECT_TIMEOUT, .timeout = TIMEOUT,
			.max_size = MAX_SIZE, .filetime = -1,
		},
	};
	enum iana_database database = IANA_DATABASE_SERVICES;
	const struct refresh_database *db;
	const char *index = NULL, **locals = calloc((size_t)argc, sizeof(*locals));
	size_t nlocal = 0;
	int c, force = 0, dry = 0, status;

	if (!locals) {
		report(NULL, 0, "%s", strerror(ENOMEM));
		return EXIT_BAD;
	}
	if (u.rq.cacert && !*u.rq.cacert)
		u.rq.cacert = NULL;
	while ((c = getopt_long(argc, argv, "u:i:l:e:fn", opts, NULL)) != -1) {
		switch (c) {
		case 'u': u.rq.url = optarg; break;
		case 'i': index = optarg; break;
		case 'l': locals[nlocal++] = optarg; break;
		case 'e': u.export = optarg; break;
		case 'f': force = 1; break;
		case 'n': dry = 1; break;
		case OPT_CACERT: u.rq.cacert = optarg; break;
		case OPT_TIMEOUT:
		case OPT_CONNECT:
			if (!number(optarg, 86400)) {
				free(locals);
				return usage_error("update", "bad number of seconds '%s'", optarg);
			}
			*(c == OPT_TIMEOUT ? &u.rq.timeout : &u.rq.connect_timeout) =
				(long)number(optarg, 86400);
			break;
		case OPT_MAX_SIZE:
			if (!(u.rq.max_size = (size_t)number(optarg, (size_t)1 << 40))) {
				free(locals);
				return usage_error("update", "bad size '%s'", optarg);
			}
			break;
		case OPT_DATABASE:
			if (parse_database(optarg, &database) < 0) {
				free(locals);
				return usage_error("update", "unknown database '%s' (services or "
				                   "protocols)", optarg);
			}
			break;
		default:
			free(locals);
			return usage_error("update", "bad option");
		}
	}
	db = refresh_database(database);
	if (optind != argc) {
		free(locals);
		return usage_error("update", "unexpected argument '%s'", argv[optind]);
	}
	if (!u.rq.url)
		u.rq.url = db->url;
	if (refresh_init(&u.r, db, index) < 0 || refresh_add_default_locals(&u.r) < 0) {
		report(NULL, 0, "%s", strerror(ENOMEM));
		status = EXIT_BAD;
		goto done;
	}
	u.r.force = force;
	u.r.dry_run = dry;
	for (size_t i = 0; i < nlocal; i++)
		if (refresh_add(&u.r, locals[i], NULL, db->local_format, 1) < 0) {
			report(NULL, 0, "%s", strerror(ENOMEM));
			status = EXIT_BAD;
			goto done;
		}
	status = update(&u);
done:
	refresh_free(&u.r);
	free(locals);
	return status;
}
