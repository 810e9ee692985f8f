/* refresh.c: what update and rebuild share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "index-write.h"
#include "refresh.h"

extern char **environ;

/* INDEX less a trailing ".idx", plus suffix. */
static char *beside(const char *index, const char *suffix)
{
	size_t n = strlen(index);
	char *s;

	if (n > 4 && strcmp(index + n - 4, ".idx") == 0)
		n -= 4;
	if (asprintf(&s, "%.*s%s", (int)n, index, suffix) < 0)
		return NULL;
	return s;
}

/* services first, protocols second: refresh_database() indexes them so */
static const struct refresh_database databases[] = {
	{
		.id = IANA_DATABASE_SERVICES, .name = "services",
		.url = "https://www.iana.org/assignments/service-names-port-numbers/"
		       "service-names-port-numbers.xml",
		.locals = ETC_SERVICES ":" IANA_LOCAL_SERVICES,
		.locals_env = "IANA_SERVICES_DEFAULT_LOCAL",
		.shipped = IANA_SHIPPED_REGISTRY,
		.shipped_env = "IANA_SERVICES_SHIPPED_REGISTRY",
		.local_format = FMT_SERVICES,
	},
	{
		.id = IANA_DATABASE_PROTOCOLS, .name = "protocols",
		.url = "https://www.iana.org/assignments/protocol-numbers/protocol-numbers.xml",
		.locals = ETC_PROTOCOLS ":" IANA_LOCAL_PROTOCOLS,
		.locals_env = "IANA_SERVICES_DEFAULT_LOCAL_PROTOCOLS",
		.shipped = IANA_SHIPPED_PROTOCOLS_REGISTRY,
		.shipped_env = "IANA_SERVICES_SHIPPED_PROTOCOLS_REGISTRY",
		.local_format = FMT_PROTOCOLS,
	},
};

const struct refresh_database *refresh_database(enum iana_database id)
{
	return &databases[id == IANA_DATABASE_PROTOCOLS];
}

static const char *database_name(enum iana_database id)
{
	return id == IANA_DATABASE_PROTOCOLS ? "protocols" : "services";
}

int refresh_init(struct refresh *r, const struct refresh_database *db, const char *index)
{
	memset(r, 0, sizeof(*r));
	r->db = db ? db : &databases[0];
	r->index = index ? index : iana_index_database_path(r->db->id);
	r->state = beside(r->index, ".http");
	r->kept = beside(r->index, ".registry");
	return r->state && r->kept ? 0 : -ENOMEM;
}

void refresh_free(struct refresh *r)
{
	free(r->state);
	free(r->kept);
	free(r->in);
	free(r->defaults);
	memset(r, 0, sizeof(*r));
}

int refresh_add(struct refresh *r, const char *path, const char *label,
                enum registry_format format, int is_local)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct tool_input *in = realloc(r->in, cap * sizeof(*in));

		if (!in)
			return -ENOMEM;
		r->in = in;
		r->cap = cap;
	}
	r->in[r->n++] = (struct tool_input){
		.path = path, .label = label, .format = format, .is_local = is_local,
		.watch = is_local,
	};
	return 0;
}

int refresh_add_default_locals(struct refresh *r)
{
	const char *env = getenv(r->db->locals_env);
	char *p, *next;

	r->defaults = strdup(env ? env : r->db->locals);
	if (!r->defaults)
		return -ENOMEM;
	for (p = r->defaults; p; p = next) {
		next = strchr(p, ':');
		if (next)
			*next++ = 0;
		/* an absent one is watched too: creating it makes the index stale */
		if (*p && refresh_add(r, p, NULL, r->db->local_format, 1) < 0)
			return -ENOMEM;
		if (*p)
			r->in[r->n - 1].optional = 1;
	}
	return 0;
}

int refresh_installed(const struct refresh *r, struct iana_index **installed)
{
	enum iana_database has;

	if (iana_index_open(r->index, installed) < 0) {
		*installed = NULL;
		return EXIT_OK;
	}
	has = iana_index_database(*installed);
	if (has == r->db->id)
		return EXIT_OK;
	report(r->index, 0, "the installed index holds the %s database, not %s; refused",
	       database_name(has), r->db->name);
	iana_index_close(*installed);
	*installed = NULL;
	return EXIT_BAD;
}

int refresh_check_database(const struct refresh *r, const char *what,
                           const struct iana_index *built)
{
	enum iana_database has = iana_index_database(built);

	if (has == r->db->id)
		return EXIT_OK;
	report(what, 0, "a registry of the %s database, not of %s; refused",
	       database_name(has), r->db->name);
	return EXIT_BAD;
}

int refresh_guard(const struct refresh *r, const char *what, const struct tool_build *b,
                  const struct iana_index *installed)
{
	struct iana_meta m;
	size_t old;

	if (r->force || !installed || iana_index_meta(installed, &m) < 0)
		return EXIT_OK;
	old = iana_index_entry_count(installed);
	if (b->entries * 10 < old * 9) {
		report(what, 0, "%zu entries, fewer than 90%% of the %zu of the installed "
		       "index %s; refused (--force installs it)", b->entries, old, r->index);
		return EXIT_BAD;
	}
	if (b->updated[0] && m.updated[0] && strcmp(b->updated, m.updated) < 0) {
		report(what, 0, "registry updated %s, older than the installed index's %s; "
		       "refused (--force installs it)", b->updated, m.updated);
		return EXIT_BAD;
	}
	return EXIT_OK;
}

int refresh_install(const struct refresh *r, const struct tool_build *b)
{
	int e = atomic_write(r->index, b->data, b->len, 0644);

	if (e < 0) {
		report(r->index, 0, "cannot write: %s", strerror(-e));
		return EXIT_BAD;
	}
	tool_build_summary(b);
	printf("%s: installed%s%s\n", r->index, b->updated[0] ? ", registry updated " : "",
	       b->updated);
	refresh_nscd(r);
	return EXIT_OK;
}

void refresh_nscd(const struct refresh *r)
{
	static const char *const sockets[] = { "/run/nscd/socket", "/var/run/nscd/socket" };
	char *argv[] = { "nscd", "-i", "services", NULL };
	posix_spawn_file_actions_t fa;
	struct stat st;
	int status, running = 0;
	pid_t pid;

	for (size_t i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++)
		running |= stat(sockets[i], &st) == 0 && S_ISSOCK(st.st_mode);
	/* glibc's nscd caches passwd, group, hosts, services and netgroup:
	 * protocols lookups never go through it */
	if (!running || r->db->id != IANA_DATABASE_SERVICES)
		return;
	fflush(stdout);
	if (posix_spawn_file_actions_init(&fa) != 0)
		return;
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (posix_spawnp(&pid, "nscd", &fa, NULL, argv, environ) == 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	posix_spawn_file_actions_destroy(&fa);
}
