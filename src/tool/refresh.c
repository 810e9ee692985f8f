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

int refresh_init(struct refresh *r, const char *index)
{
	memset(r, 0, sizeof(*r));
	r->index = index ? index : iana_index_default_path();
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
	const char *env = getenv("IANA_SERVICES_DEFAULT_LOCAL");
	char *p, *next;

	r->defaults = strdup(env ? env : ETC_SERVICES ":" IANA_LOCAL_SERVICES);
	if (!r->defaults)
		return -ENOMEM;
	for (p = r->defaults; p; p = next) {
		next = strchr(p, ':');
		if (next)
			*next++ = 0;
		/* an absent one is watched too: creating it makes the index stale */
		if (*p && refresh_add(r, p, NULL, FMT_SERVICES, 1) < 0)
			return -ENOMEM;
		if (*p)
			r->in[r->n - 1].optional = 1;
	}
	return 0;
}

struct iana_index *refresh_installed(const struct refresh *r)
{
	struct iana_index *idx;

	return iana_index_open(r->index, &idx) == 0 ? idx : NULL;
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
	refresh_nscd();
	return EXIT_OK;
}

void refresh_nscd(void)
{
	static const char *const sockets[] = { "/run/nscd/socket", "/var/run/nscd/socket" };
	char *argv[] = { "nscd", "-i", "services", NULL };
	posix_spawn_file_actions_t fa;
	struct stat st;
	int status, running = 0;
	pid_t pid;

	for (size_t i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++)
		running |= stat(sockets[i], &st) == 0 && S_ISSOCK(st.st_mode);
	if (!running)
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
