/* privileges.c: the built module, dlopen()ed by absolute path, in the
 * situations where the process around it matters (issue 5, item 4).
 * Driven by tests/privileges.sh.
 *
 *   privileges gen good|attacker       print a registry (CSV) on stdout
 *   privileges lookup MODULE NAME      one by-name lookup; prints who we are
 *       (real and effective ids, AT_SECURE), whether NSS_IANA_INDEX is set,
 *       and the module's answer. Installed setuid root by the script.
 *   privileges fds MODULE              after a lookup in the "good" index:
 *       no descriptor on the index, here or in a program exec'd afterwards
 *   privileges fdlist INDEX            (the exec'd program) fails if any of
 *       its descriptors is the file INDEX
 *   privileges fork MODULE             lookups in children forked after a
 *       lookup, and forked while other threads are inside the module
 *
 * The module is dlopen()ed by path, not found through LD_LIBRARY_PATH, which
 * the dynamic loader ignores in a setuid program; the index is
 * $NSS_IANA_INDEX.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <nss.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define HAMMERS 4
#define FORKS_MIN 50
#define FORK_SECONDS 2.5
#define CHILD_TIMEOUT 5          /* seconds: longer means a deadlock */

static struct {
	nss_getservbyname_r *byname;
	nss_getservbyport_r *byport;
	nss_setservent *setent;
	nss_getservent_r *getent;
	nss_endservent *endent;
} m;

static atomic_int stop;
static atomic_ulong hammer_calls, hammer_failures;

static const char *const good_entries[] = {
	"priv-http 8080/tcp priv-www",
	"priv-http 8080/udp",
	"priv-ssh 2222/tcp",
};
#define GOOD_ENTRIES (sizeof(good_entries) / sizeof(good_entries[0]))

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void gen(const char *kind)
{
	static const char head[] = "Service Name,Port Number,Transport Protocol,Description,"
		"Assignee,Contact,Registration Date,Modification Date,Reference,"
		"Service Code,Unauthorized Use Reported,Assignment Notes\r\n";

	fputs(head, stdout);
	if (strcmp(kind, "attacker") == 0) {
		fputs("attacker-svc,31337,tcp,Only in the attacker's index,,,,,,,,\r\n", stdout);
		return;
	}
	fputs("priv-http,8080,tcp,Test,,,,,,,,\r\n"
	      "priv-www,8080,tcp,Test,,,,,,,,\"This entry is an alias to \"\"priv-http\"\".\"\r\n"
	      "priv-http,8080,udp,Test,,,,,,,,\r\n"
	      "priv-ssh,2222,tcp,Test,,,,,,,,\r\n", stdout);
}

static int load(const char *path)
{
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!dl) {
		fprintf(stderr, "privileges: dlopen %s: %s\n", path, dlerror());
		return -1;
	}
	m.byname = (nss_getservbyname_r *)dlsym(dl, "_nss_iana_getservbyname_r");
	m.byport = (nss_getservbyport_r *)dlsym(dl, "_nss_iana_getservbyport_r");
	m.setent = (nss_setservent *)dlsym(dl, "_nss_iana_setservent");
	m.getent = (nss_getservent_r *)dlsym(dl, "_nss_iana_getservent_r");
	m.endent = (nss_endservent *)dlsym(dl, "_nss_iana_endservent");
	if (!m.byname || !m.byport || !m.setent || !m.getent || !m.endent) {
		fprintf(stderr, "privileges: %s lacks an _nss_iana_ function\n", path);
		return -1;
	}
	return 0;
}

static const char *status_name(enum nss_status s)
{
	switch (s) {
	case NSS_STATUS_SUCCESS: return "SUCCESS";
	case NSS_STATUS_NOTFOUND: return "NOTFOUND";
	case NSS_STATUS_UNAVAIL: return "UNAVAIL";
	case NSS_STATUS_TRYAGAIN: return "TRYAGAIN";
	default: return "OTHER";
	}
}

/* "STATUS" or "SUCCESS name port/proto aliases...". */
static void format(char *out, size_t len, enum nss_status st, const struct servent *s)
{
	size_t used;

	if (st != NSS_STATUS_SUCCESS) {
		snprintf(out, len, "%s", status_name(st));
		return;
	}
	used = (size_t)snprintf(out, len, "%s %u/%s", s->s_name,
	                        (unsigned)ntohs((uint16_t)s->s_port), s->s_proto);
	for (char **a = s->s_aliases; *a && used < len; a++)
		used += (size_t)snprintf(out + used, len - used, " %s", *a);
}

static void byname(const char *name, const char *proto, char *out, size_t len)
{
	struct servent s;
	char buf[1024];
	int err = 0;

	format(out, len, m.byname(name, proto, &s, buf, sizeof(buf), &err), &s);
}

static void byport(unsigned port, const char *proto, char *out, size_t len)
{
	struct servent s;
	char buf[1024];
	int err = 0;

	format(out, len, m.byport((int)htons((uint16_t)port), proto, &s, buf, sizeof(buf), &err),
	       &s);
}

static int expect(const char *what, const char *want, const char *got)
{
	if (strcmp(want, got) == 0)
		return 0;
	/* write(2), not stdio: this also runs in children forked from
	 * threaded parents. */
	dprintf(2, "FAIL: %s: want [%s], got [%s]\n", what, want, got);
	return 1;
}

/* Every kind of lookup against the "good" index; the number of wrong answers. */
static int check_good(void)
{
	struct servent s;
	char buf[1024], got[256];
	enum nss_status st;
	size_t i = 0;
	int err = 0, bad = 0;

	byname("PRIV-WWW", "tcp", got, sizeof(got));
	bad += expect("by name", "priv-http 8080/tcp priv-www", got);
	byport(8080, "udp", got, sizeof(got));
	bad += expect("by port", "priv-http 8080/udp", got);
	byport(2222, NULL, got, sizeof(got));
	bad += expect("by port, any protocol", "priv-ssh 2222/tcp", got);
	byname("no-such-service", NULL, got, sizeof(got));
	bad += expect("unknown name", "NOTFOUND", got);

	m.setent(0);
	while ((st = m.getent(&s, buf, sizeof(buf), &err)) == NSS_STATUS_SUCCESS) {
		format(got, sizeof(got), st, &s);
		bad += expect("enumeration", i < GOOD_ENTRIES ? good_entries[i] : "(end)", got);
		i++;
	}
	m.endent();
	format(got, sizeof(got), st, &s);
	bad += expect("end of enumeration", "NOTFOUND", got);
	if (i != GOOD_ENTRIES) {
		dprintf(2, "FAIL: enumeration gave %zu entries, want %zu\n", i, GOOD_ENTRIES);
		bad++;
	}
	return bad;
}

static int do_lookup(char **argv)
{
	const char *env = getenv("NSS_IANA_INDEX");
	char got[256];

	if (load(argv[0]) < 0)
		return 2;
	byname(argv[1], NULL, got, sizeof(got));
	printf("ruid=%u euid=%u rgid=%u egid=%u at_secure=%lu NSS_IANA_INDEX=%s answer: %s\n",
	       (unsigned)getuid(), (unsigned)geteuid(), (unsigned)getgid(), (unsigned)getegid(),
	       getauxval(AT_SECURE), env ? "set" : "unset", got);
	/* No exit handlers: in a sanitizer build, LeakSanitizer would fail
	 * at exit in a setgid process, which it may not ptrace, and whose
	 * ASAN_OPTIONS it cannot read (/proc/self/environ is not ours). */
	fflush(stdout);
	_exit(0);
}

/* Descriptors of this process that are the file st (same device and inode). */
static int fds_on(const struct stat *st, int verbose)
{
	struct dirent *e;
	struct stat fst;
	int n = 0, total = 0;
	DIR *d = opendir("/proc/self/fd");

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		total++;
		if (fstatat(dirfd(d), e->d_name, &fst, 0) == 0 && fst.st_dev == st->st_dev &&
		    fst.st_ino == st->st_ino) {
			if (verbose)
				printf("descriptor %s is the index\n", e->d_name);
			n++;
		}
	}
	closedir(d);
	if (verbose)
		printf("%d open descriptors, %d on the index\n", total, n);
	return n;
}

static int maps_of(const char *path)
{
	char line[4096], real[4096];
	int n = 0;
	FILE *f;

	if (!realpath(path, real))
		return -1;
	f = fopen("/proc/self/maps", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');

		if (p && strncmp(p, real, strlen(real)) == 0 && p[strlen(real)] == '\n')
			n++;
	}
	fclose(f);
	return n;
}

static int do_fds(char **argv)
{
	const char *index = getenv("NSS_IANA_INDEX");
	char *args[] = { "privileges", "fdlist", (char *)index, NULL };
	struct stat st;
	char got[256];
	int status = 0, fds, maps, bad = 0;
	pid_t pid;

	if (!index || load(argv[0]) < 0 || stat(index, &st) < 0) {
		fprintf(stderr, "privileges: need NSS_IANA_INDEX and the module\n");
		return 2;
	}
	byname("priv-ssh", "tcp", got, sizeof(got));
	bad += expect("lookup", "priv-ssh 2222/tcp", got);
	maps = maps_of(index);
	fds = fds_on(&st, 1);
	printf("after a lookup: the index is mapped %d time(s), %d descriptor(s) on it\n", maps, fds);
	if (maps < 1) {
		printf("FAIL: the index is not mapped: the lookup did not use it\n");
		bad++;
	}
	if (fds != 0) {
		printf("FAIL: a descriptor on the index stays open after the lookup\n");
		bad++;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv("/proc/self/exe", args);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("FAIL: the program exec'd after the lookup holds the index open (or failed)\n");
		bad++;
	}
	printf("%s: fds\n", bad ? "FAIL" : "PASS");
	return bad != 0;
}

static int do_fdlist(const char *index)
{
	struct stat st;
	int n;

	if (stat(index, &st) < 0) {
		perror(index);
		return 2;
	}
	printf("exec'd child: ");
	n = fds_on(&st, 1);
	return n == 0 ? 0 : 1;
}

static void *hammer(void *arg)
{
	struct servent s;
	char buf[1024];
	struct timespec pause = { 0, 20000 };
	unsigned long i = 0;
	int err;

	while (!atomic_load(&stop)) {
		enum nss_status st;

		switch (i++ % 3) {
		case 0:
			st = m.byname("priv-ssh", "tcp", &s, buf, sizeof(buf), &err);
			break;
		case 1:
			st = m.byport((int)htons(8080), NULL, &s, buf, sizeof(buf), &err);
			break;
		default:
			/* The module keeps one enumeration per process: any
			 * position is right, the end included. */
			st = m.getent(&s, buf, sizeof(buf), &err);
			if (st == NSS_STATUS_NOTFOUND) {
				m.setent(0);
				st = NSS_STATUS_SUCCESS;
			}
			break;
		}
		atomic_fetch_add(&hammer_calls, 1);
		if (st != NSS_STATUS_SUCCESS)
			atomic_fetch_add(&hammer_failures, 1);
		/* A mutex is not fair: without a pause now and then, four
		 * threads keep it from fork()'s prepare handler for long. */
		if (i % 4096 == 0)
			nanosleep(&pause, NULL);
	}
	return arg;
}

/* A new file renamed over the index: the module reloads it within a
 * second, so that some forks happen in the middle of a reload. */
static int renew(const char *index)
{
	char tmp[4096], buf[65536];
	ssize_t n;
	int in, out, r = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", index);
	in = open(index, O_RDONLY | O_CLOEXEC);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (in < 0 || out < 0)
		r = -1;
	while (r == 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			r = -1;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0)
		r = -1;
	if (r == 0 && rename(tmp, index) < 0)
		r = -1;
	return r;
}

/* Fork, check every lookup in the child; 0 right, 1 wrong, 2 hung, 3 other. */
static int forked_check(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		alarm(CHILD_TIMEOUT);
		_exit(check_good() == 0 ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 3;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		return 2;
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 0 ? 0 : 1;
	return 3;
}

static int do_fork(char **argv)
{
	const char *index = getenv("NSS_IANA_INDEX");
	unsigned long tally[4] = { 0 }, forks = 0, renewals = 0;
	pthread_t th[HAMMERS];
	int r, bad = 0;
	double t0, last;

	if (!index || load(argv[0]) < 0) {
		fprintf(stderr, "privileges: need NSS_IANA_INDEX and the module\n");
		return 2;
	}
	if (check_good() != 0) {
		printf("FAIL: lookups in the parent\n");
		return 1;
	}
	fflush(stdout);
	r = forked_check();
	printf("child forked after a lookup: %s\n",
	       r == 0 ? "right answers" : r == 1 ? "WRONG answers" : r == 2 ? "HUNG" : "failed");
	bad += r != 0;

	for (int i = 0; i < HAMMERS; i++)
		if (pthread_create(&th[i], NULL, hammer, NULL) != 0) {
			perror("pthread_create");
			return 2;
		}
	t0 = last = now();
	while (forks < FORKS_MIN || now() - t0 < FORK_SECONDS) {
		if (now() - last > 0.1) {
			if (renew(index) < 0) {
				perror("renew");
				bad++;
				break;
			}
			renewals++;
			last = now();
		}
		r = forked_check();
		tally[r]++;
		forks++;
		if (r != 0)
			break;  /* a hang costs CHILD_TIMEOUT: one is enough */
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < HAMMERS; i++)
		pthread_join(th[i], NULL);
	printf("forks while %d threads were in the module: %lu in %.2f s, %lu index replacements: "
	       "right %lu, wrong %lu, hung %lu, other %lu; the threads made %lu calls, %lu failed\n",
	       HAMMERS, forks, now() - t0, renewals, tally[0], tally[1], tally[2], tally[3],
	       atomic_load(&hammer_calls), atomic_load(&hammer_failures));
	if (tally[1] || tally[2] || tally[3] || atomic_load(&hammer_failures))
		bad++;
	printf("%s: fork\n", bad ? "FAIL" : "PASS");
	return bad != 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: privileges gen good|attacker\n"
	        "       privileges lookup MODULE NAME\n"
	        "       privileges fds MODULE\n"
	        "       privileges fdlist INDEX\n"
	        "       privileges fork MODULE\n");
	return 2;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "gen") == 0) {
		gen(argv[2]);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "lookup") == 0)
		return do_lookup(argv + 2);
	if (argc == 3 && strcmp(argv[1], "fds") == 0)
		return do_fds(argv + 2);
	if (argc == 3 && strcmp(argv[1], "fdlist") == 0)
		return do_fdlist(argv[2]);
	if (argc == 3 && strcmp(argv[1], "fork") == 0)
		return do_fork(argv + 2);
	return usage();
}
