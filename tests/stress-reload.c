/* stress-reload.c: the module under glibc's NSS while its index is replaced
 * (issue 5, item 3). Driven by tests/stress.sh.
 *
 *   stress-reload gen a|b|c|d          print a registry (CSV) on stdout
 *   stress-reload stress A B C D REPLACEMENTS INTERVAL_US
 *       8 threads look up through glibc while a replacer process renames
 *       A and B alternately over $NSS_IANA_INDEX; then the reload latency
 *       (C, then D), and the mappings and descriptors before and after
 *   stress-reload replace A B COUNT INTERVAL_US
 *       the replacer (run by "stress" through fork and exec)
 *   stress-reload loop N [syscall]     N lookups in a row, for strace -c;
 *       "syscall" adds one getppid() per lookup, to show strace counts them
 *   stress-reload race                 a data race on purpose: proves that a
 *       ThreadSanitizer build reports races and fails the run
 *
 * Registries, for every port n in [BASE, BASE + COUNT):
 *   a: alpha-n n/tcp a-n
 *   b: beta-n n/tcp b-n, beta-n n/udp
 *   c: gamma-n n/tcp        d: delta-n n/tcp
 * Every query below gets a different answer from a and from b, so each
 * answer says which index gave it, and anything else is a failure.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <netdb.h>
#include <nss.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/wait.h>

#define BASE 20000
#define COUNT 1000
#define THREADS 8
#define MAX_ALIASES 8
#define SHOW_FAILURES 10
#define LATENCY_LIMIT 2.0
#define LATENCY_GIVE_UP 10.0

enum which { NONE, IDX_A, IDX_B };

struct counts {
	unsigned long answers, from_a, from_b, failures;
	unsigned long passes, passes_a, passes_b, entries;
};

static atomic_int stop;
static atomic_ulong failures_shown;
/* glibc keeps one enumeration per process, not per thread: one pass at a time. */
static pthread_mutex_t enum_lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void gen(char kind)
{
	static const char head[] = "Service Name,Port Number,Transport Protocol,Description,"
		"Assignee,Contact,Registration Date,Modification Date,Reference,"
		"Service Code,Unauthorized Use Reported,Assignment Notes\r\n";
	const char *name = kind == 'a' ? "alpha" : kind == 'b' ? "beta" :
	                   kind == 'c' ? "gamma" : "delta";

	fputs(head, stdout);
	for (unsigned n = BASE; n < BASE + COUNT; n++) {
		printf("%s-%u,%u,tcp,Test %u,,,,,,,,\r\n", name, n, n, n);
		if (kind == 'a' || kind == 'b')
			printf("%c-%u,%u,tcp,Test %u,,,,,,,,\"This entry is an alias to \"\"%s-%u\"\".\"\r\n",
			       kind, n, n, n, name, n);
		if (kind == 'b')
			printf("%s-%u,%u,udp,Test %u,,,,,,,,\r\n", name, n, n, n);
	}
}

static int inside(const void *p, const char *buf, size_t len)
{
	return (const char *)p >= buf && (const char *)p < buf + len;
}

static int string_inside(const char *s, const char *buf, size_t len)
{
	return inside(s, buf, len) && memchr(s, '\0', (size_t)(buf + len - s));
}

/* The answer as one line, "-" for none; "garbage" when anything points
 * outside the caller's buffer or is not terminated inside it. */
static void format(char *out, size_t outlen, const struct servent *s,
                   const char *buf, size_t buflen)
{
	size_t used;
	int i;

	if (!s) {
		snprintf(out, outlen, "-");
		return;
	}
	if (!string_inside(s->s_name, buf, buflen) || !string_inside(s->s_proto, buf, buflen) ||
	    !inside(s->s_aliases, buf, buflen)) {
		snprintf(out, outlen, "garbage");
		return;
	}
	used = (size_t)snprintf(out, outlen, "%s %u/%s", s->s_name,
	                        (unsigned)ntohs((uint16_t)s->s_port), s->s_proto);
	for (i = 0; i <= MAX_ALIASES; i++) {
		const char *a;

		if (!inside(&s->s_aliases[i], buf, buflen)) {
			snprintf(out, outlen, "garbage");
			return;
		}
		a = s->s_aliases[i];
		if (!a)
			return;
		if (i == MAX_ALIASES || !string_inside(a, buf, buflen)) {
			snprintf(out, outlen, "garbage");
			return;
		}
		if (used < outlen)
			used += (size_t)snprintf(out + used, outlen - used, " %s", a);
	}
}

enum query { BYNAME_ALPHA, BYNAME_A_ALIAS, BYNAME_BETA_UDP, BYNAME_B_ALIAS,
             BYPORT_ANY, BYPORT_UDP, BYPORT_TCP, QUERIES };

static void alpha(char *out, size_t len, unsigned n)
{
	snprintf(out, len, "alpha-%u %u/tcp a-%u", n, n, n);
}

static void beta(char *out, size_t len, unsigned n, const char *proto)
{
	if (strcmp(proto, "tcp") == 0)
		snprintf(out, len, "beta-%u %u/tcp b-%u", n, n, n);
	else
		snprintf(out, len, "beta-%u %u/%s", n, n, proto);
}

static void none(char *out, size_t len)
{
	snprintf(out, len, "-");
}

/* What index w answers to query q about port n. */
static void expected(char *out, size_t len, enum which w, enum query q, unsigned n)
{
	int a = w == IDX_A;

	switch (q) {
	case BYNAME_ALPHA:
	case BYNAME_A_ALIAS:
		if (a)
			alpha(out, len, n);
		else
			none(out, len);
		break;
	case BYNAME_BETA_UDP:
	case BYPORT_UDP:
		if (a)
			none(out, len);
		else
			beta(out, len, n, "udp");
		break;
	case BYNAME_B_ALIAS:
		if (a)
			none(out, len);
		else
			beta(out, len, n, "tcp");
		break;
	case BYPORT_ANY:
	case BYPORT_TCP:
	default:
		if (a)
			alpha(out, len, n);
		else
			beta(out, len, n, "tcp");
		break;
	}
}

/* Entry i of an enumeration of index w: a has one entry a port, b two. */
static void expected_entry(char *out, size_t len, enum which w, unsigned long i)
{
	if (w == IDX_A)
		alpha(out, len, BASE + (unsigned)i);
	else
		beta(out, len, BASE + (unsigned)(i / 2), i % 2 ? "udp" : "tcp");
}

static void failure(struct counts *c, const char *what, const char *got, const char *a,
                    const char *b)
{
	c->failures++;
	if (atomic_fetch_add(&failures_shown, 1) < SHOW_FAILURES)
		fprintf(stderr, "FAIL: %s: got [%s], a gives [%s], b gives [%s]\n", what, got, a, b);
}

static int lookup(enum query q, unsigned n, char *got, size_t gotlen)
{
	struct servent s, *res = NULL;
	char buf[1024], name[32];
	int r;

	switch (q) {
	case BYNAME_ALPHA:
		snprintf(name, sizeof(name), "alpha-%u", n);
		r = getservbyname_r(name, "tcp", &s, buf, sizeof(buf), &res);
		break;
	case BYNAME_A_ALIAS:
		snprintf(name, sizeof(name), "A-%u", n);
		r = getservbyname_r(name, NULL, &s, buf, sizeof(buf), &res);
		break;
	case BYNAME_BETA_UDP:
		snprintf(name, sizeof(name), "beta-%u", n);
		r = getservbyname_r(name, "udp", &s, buf, sizeof(buf), &res);
		break;
	case BYNAME_B_ALIAS:
		snprintf(name, sizeof(name), "B-%u", n);
		r = getservbyname_r(name, "tcp", &s, buf, sizeof(buf), &res);
		break;
	case BYPORT_ANY:
		r = getservbyport_r((int)htons((uint16_t)n), NULL, &s, buf, sizeof(buf), &res);
		break;
	case BYPORT_UDP:
		r = getservbyport_r((int)htons((uint16_t)n), "udp", &s, buf, sizeof(buf), &res);
		break;
	case BYPORT_TCP:
	default:
		r = getservbyport_r((int)htons((uint16_t)n), "tcp", &s, buf, sizeof(buf), &res);
		break;
	}
	if (r != 0)
		snprintf(got, gotlen, "error %d (%s)", r, strerror(r));
	else
		format(got, gotlen, res, buf, sizeof(buf));
	return r;
}

static void check_query(struct counts *c, enum query q, unsigned n)
{
	char got[256], a[256], b[256], what[64];

	lookup(q, n, got, sizeof(got));
	expected(a, sizeof(a), IDX_A, q, n);
	expected(b, sizeof(b), IDX_B, q, n);
	c->answers++;
	if (strcmp(got, a) == 0) {
		c->from_a++;
	} else if (strcmp(got, b) == 0) {
		c->from_b++;
	} else {
		snprintf(what, sizeof(what), "query %d port %u", (int)q, n);
		failure(c, what, got, a, b);
	}
}

/* One full getservent_r pass: all of a or all of b, nothing else. */
static void check_pass(struct counts *c)
{
	struct servent s, *res;
	char buf[1024], got[256], a[256], b[256], want[256], what[64];
	enum which w = NONE;
	unsigned long i = 0, len;
	int r, bad = 0;

	setservent(0);
	while ((r = getservent_r(&s, buf, sizeof(buf), &res)) == 0 && res) {
		format(got, sizeof(got), res, buf, sizeof(buf));
		if (i == 0) {
			expected_entry(a, sizeof(a), IDX_A, 0);
			expected_entry(b, sizeof(b), IDX_B, 0);
			w = strcmp(got, a) == 0 ? IDX_A : strcmp(got, b) == 0 ? IDX_B : NONE;
		}
		expected_entry(want, sizeof(want), w, i);
		c->entries++;
		if (!bad && (w == NONE || strcmp(got, want) != 0 ||
		             i >= (w == IDX_A ? COUNT : 2 * COUNT))) {
			snprintf(what, sizeof(what), "enumeration entry %lu", i);
			expected_entry(a, sizeof(a), IDX_A, i);
			expected_entry(b, sizeof(b), IDX_B, i);
			failure(c, what, got, a, b);
			bad = 1;
		}
		i++;
	}
	endservent();
	c->passes++;
	if (r != ENOENT || res) {
		snprintf(got, sizeof(got), "return %d (%s)", r, strerror(r));
		failure(c, "end of enumeration", got, "2 (ENOENT)", "2 (ENOENT)");
		return;
	}
	len = w == IDX_A ? COUNT : 2 * COUNT;
	if (!bad && (w == NONE || i != len)) {
		snprintf(got, sizeof(got), "%lu entries", i);
		failure(c, "enumeration length", got, "1000 entries", "2000 entries");
		return;
	}
	if (w == IDX_A)
		c->passes_a++;
	else if (w == IDX_B)
		c->passes_b++;
}

static void *worker(void *arg)
{
	struct counts *c = arg;
	uint64_t x = 0x9e3779b97f4a7c15ull * (uint64_t)(uintptr_t)(c + 1);

	while (!atomic_load(&stop)) {
		for (int i = 0; i < 256; i++) {
			/* xorshift: cheap, and each thread its own sequence */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			check_query(c, (enum query)(x % QUERIES),
			            BASE + (unsigned)((x >> 16) % COUNT));
		}
		if (pthread_mutex_trylock(&enum_lock) == 0) {
			check_pass(c);
			pthread_mutex_unlock(&enum_lock);
		}
	}
	return NULL;
}

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0 ||
	    !(*data = malloc((size_t)n + 1)) || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	*len = (size_t)n;
	fclose(f);
	return 0;
}

/* As the tool does: a new file in the same directory, renamed over the old,
 * so a reader opens the old file or the new one, never half of either. No
 * fsync: that is for surviving a crash, which this test does not try. */
static int replace(const char *path, const char *data, size_t len)
{
	char tmp[4096];
	size_t off = 0;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0)
		return -1;
	return 0;
}

static const char *index_path(void)
{
	const char *p = getenv("NSS_IANA_INDEX");

	if (!p || !*p) {
		fprintf(stderr, "stress-reload: NSS_IANA_INDEX must name the live index\n");
		exit(2);
	}
	return p;
}

static int do_replace(char **argv)
{
	const char *path = index_path();
	char *data[2];
	size_t len[2];
	long count = atol(argv[2]), interval = atol(argv[3]);
	struct timespec next;
	double t0 = now();

	if (read_file(argv[0], &data[0], &len[0]) < 0 || read_file(argv[1], &data[1], &len[1]) < 0) {
		perror("replacer: read");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	/* The live index starts as A: the first replacement brings B. */
	for (long i = 0; i < count; i++) {
		if (replace(path, data[(i + 1) % 2], len[(i + 1) % 2]) < 0) {
			perror("replacer: replace");
			return 1;
		}
		/* A fixed schedule, so that the run lasts count * interval
		 * whatever the writes cost. Halfway, B (live after an even i)
		 * stays for 1.2 s, longer than the module's check interval: a
		 * run then sees B whatever the phase of its checks against the
		 * fast alternation (else about one run in 2^seconds never did). */
		next.tv_nsec += interval * 1000;
		if (i == (count / 2 & ~1L))
			next.tv_nsec += 1200000000L;
		next.tv_sec += next.tv_nsec / 1000000000;
		next.tv_nsec %= 1000000000;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
	printf("replacer: %ld replacements in %.2f s\n", count, now() - t0);
	free(data[0]);
	free(data[1]);
	return 0;
}

/* Mappings of files in dir, and open descriptors (of any kind, and of
 * files in dir). */
static void census(const char *dir, int *maps, int *fds, int *fds_in_dir)
{
	char line[4096], link[4096];
	size_t dlen = strlen(dir);
	struct dirent *e;
	FILE *f;
	DIR *d;

	*maps = *fds = *fds_in_dir = 0;
	f = fopen("/proc/self/maps", "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char *p = strchr(line, '/');

			if (p && strncmp(p, dir, dlen) == 0 && p[dlen] == '/')
				(*maps)++;
		}
		fclose(f);
	}
	d = opendir("/proc/self/fd");
	if (!d)
		return;
	while ((e = readdir(d))) {
		ssize_t n;

		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		(*fds)++;
		n = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			if (strncmp(link, dir, dlen) == 0 && link[dlen] == '/')
				(*fds_in_dir)++;
		}
	}
	closedir(d);
}

static int module_path_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (strstr(info->dlpi_name, "libnss_iana.so")) {
		snprintf(data, 4096, "%s", info->dlpi_name);
		return 1;
	}
	return 0;
}

/* Seconds until a lookup in this process sees data renamed over path;
 * negative if it never does. */
static double latency(const char *path, const char *file, const char *name)
{
	char *data;
	size_t len;
	double t0;

	if (read_file(file, &data, &len) < 0 || replace(path, data, len) < 0) {
		perror(file);
		return -1;
	}
	free(data);
	t0 = now();
	while (now() - t0 < LATENCY_GIVE_UP) {
		struct servent s, *res = NULL;
		char buf[1024];
		struct timespec ms = { 0, 1000000 };

		if (getservbyname_r(name, "tcp", &s, buf, sizeof(buf), &res) == 0 && res)
			return now() - t0;
		nanosleep(&ms, NULL);
	}
	return -1;
}

static pid_t spawn_replacer(char **argv)
{
	char *args[] = { "stress-reload", "replace", argv[0], argv[1], argv[4], argv[5], NULL };
	pid_t pid = fork();

	if (pid == 0) {
		execv("/proc/self/exe", args);
		perror("exec replacer");
		_exit(127);
	}
	return pid;
}

static int do_stress(char **argv)
{
	const char *path = index_path();
	char dir[4096], module[4096] = "(not loaded)", got[256];
	struct counts c[THREADS], t = { 0 };
	pthread_t th[THREADS];
	int maps0, fds0, in0, maps1, fds1, in1, status = 0, failed = 0;
	double t0, secs, lat1, lat2;
	pid_t pid;
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		fprintf(stderr, "stress-reload: NSS_IANA_INDEX must be an absolute path in its own directory\n");
		return 2;
	}
	*slash = '\0';
	if (__nss_configure_lookup("services", "iana") != 0) {
		perror("__nss_configure_lookup");
		return 2;
	}

	/* Map the index (A) before counting what is mapped. */
	lookup(BYPORT_ANY, BASE, got, sizeof(got));
	if (strcmp(got, "alpha-20000 20000/tcp a-20000") != 0) {
		fprintf(stderr, "FAIL: the live index must start as A; got [%s]\n", got);
		return 1;
	}
	dl_iterate_phdr(module_path_cb, module);
	printf("module: %s\n", module);
	census(dir, &maps0, &fds0, &in0);

	memset(c, 0, sizeof(c));
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, worker, &c[i]) != 0) {
			perror("pthread_create");
			return 2;
		}
	t0 = now();
	pid = spawn_replacer(argv);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "FAIL: the replacer failed (status %#x)\n", status);
		failed = 1;
	}
	secs = now() - t0;
	atomic_store(&stop, 1);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		t.answers += c[i].answers;
		t.from_a += c[i].from_a;
		t.from_b += c[i].from_b;
		t.failures += c[i].failures;
		t.passes += c[i].passes;
		t.passes_a += c[i].passes_a;
		t.passes_b += c[i].passes_b;
		t.entries += c[i].entries;
	}
	/* A thread keeps the index it last read until it looks up again or
	 * exits: the workers have exited, and this lookup moves the main
	 * thread off A. What is left mapped is the current index, and perhaps
	 * the one an unfinished enumeration stream started on. */
	lookup(BYPORT_ANY, BASE, got, sizeof(got));
	census(dir, &maps1, &fds1, &in1);

	lat1 = latency(path, argv[2], "gamma-20000");
	lat2 = latency(path, argv[3], "delta-20000");

	printf("stress: %d threads for %.2f s while %s replacements ran\n", THREADS, secs, argv[4]);
	printf("answers checked: %lu (from A %lu, from B %lu), failures %lu\n",
	       t.answers, t.from_a, t.from_b, t.failures);
	printf("enumeration passes: %lu (all A %lu, all B %lu), entries checked %lu\n",
	       t.passes, t.passes_a, t.passes_b, t.entries);
	printf("index mappings: before %d, after %d; open fds: before %d, after %d; "
	       "fds on the index directory: before %d, after %d\n",
	       maps0, maps1, fds0, fds1, in0, in1);
	printf("reload latency: %.3f s (replaced at a random moment), %.3f s (replaced just after a reload)\n",
	       lat1, lat2);

	if (t.failures) {
		printf("FAIL: %lu wrong answers\n", t.failures);
		failed = 1;
	}
	if (!t.from_a || !t.from_b) {
		printf("FAIL: the lookups never saw %s: no reload happened\n", t.from_a ? "B" : "A");
		failed = 1;
	}
	if (!t.passes) {
		printf("FAIL: no enumeration pass completed\n");
		failed = 1;
	}
	if (maps1 > maps0 || maps1 > 2 || maps0 < 1) {
		printf("FAIL: index mappings before %d, after %d (want 1 or 2, not growing)\n", maps0, maps1);
		failed = 1;
	}
	if (fds1 > fds0 || in0 || in1) {
		printf("FAIL: descriptors grew or point at the index directory\n");
		failed = 1;
	}
	if (lat1 < 0 || lat2 < 0 || lat1 > LATENCY_LIMIT || lat2 > LATENCY_LIMIT) {
		printf("FAIL: reload latency above %.1f s (negative: never seen within %.0f s)\n",
		       LATENCY_LIMIT, LATENCY_GIVE_UP);
		failed = 1;
	}
	printf("%s: stress-reload\n", failed ? "FAIL" : "PASS");
	return failed;
}

static int do_loop(long n, int with_syscall)
{
	char got[256];
	double t0;
	long found = 0;

	if (__nss_configure_lookup("services", "iana") != 0) {
		perror("__nss_configure_lookup");
		return 2;
	}
	/* The first lookup maps the index: the same in every run. */
	lookup(BYPORT_ANY, BASE, got, sizeof(got));
	t0 = now();
	for (long i = 0; i < n; i++) {
		enum query q = i % 2 ? BYNAME_ALPHA : BYPORT_TCP;

		if (lookup(q, BASE + (unsigned)(i % COUNT), got, sizeof(got)) == 0 && got[0] != '-')
			found++;
		if (with_syscall)
			getppid();
	}
	printf("loop: %ld lookups in %.3f s, %ld found\n", n, now() - t0, found);
	return found == n ? 0 : 1;
}

static int shared;

static void *racer(void *arg)
{
	shared++;
	return arg;
}

static int do_race(void)
{
	pthread_t t;

	pthread_create(&t, NULL, racer, NULL);
	shared++;
	pthread_join(t, NULL);
	printf("race: done (%d)\n", shared);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: stress-reload gen a|b|c|d\n"
	        "       stress-reload stress A B C D REPLACEMENTS INTERVAL_US\n"
	        "       stress-reload replace A B COUNT INTERVAL_US\n"
	        "       stress-reload loop N [syscall]\n"
	        "       stress-reload race\n");
	return 2;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "gen") == 0 && strchr("abcd", argv[2][0]) && argv[2][0]) {
		gen(argv[2][0]);
		return 0;
	}
	if (argc == 8 && strcmp(argv[1], "stress") == 0)
		return do_stress(argv + 2);
	if (argc == 6 && strcmp(argv[1], "replace") == 0)
		return do_replace(argv + 2);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "loop") == 0)
		return do_loop(atol(argv[2]), argc == 4 && strcmp(argv[3], "syscall") == 0);
	if (argc == 2 && strcmp(argv[1], "race") == 0)
		return do_race();
	return usage();
}
