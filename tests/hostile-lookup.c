/* hostile-lookup.c: the module under glibc's NSS on a hostile index (issue
 * 20). Driven by tests/hostile.sh; $NSS_IANA_INDEX names the index and the
 * built module is on LD_LIBRARY_PATH.
 *
 *   hostile-lookup ask QUERY=OUTCOME...
 *       each query in turn, in a fresh process, timed (CLOCK_MONOTONIC);
 *       fails on an outcome other than the one expected, on an answer
 *       that is not well-formed, and on a lookup slower than
 *       $HOSTILE_LIMIT_MS (default 10) three times in a row (for each call
 *       of an enumeration, its thread's CPU time)
 *   hostile-lookup loop SECONDS IMAGE...
 *       looks up without pause while hostile-inplace.sh changes the index,
 *       for SECONDS or until the file $HOSTILE_STOP exists: every answer
 *       must be well-formed and made of bytes of a STRINGS section, of one
 *       of the IMAGE files or of the live file (read just before and just
 *       after the lookup)
 *   hostile-lookup enum inplace|rename [FILE]
 *       starts an enumeration, then changes the index: one byte written
 *       in place (the byte it holds, so only its identity changes), or
 *       FILE renamed over it; prints how the stream goes on
 *
 * QUERY: n:NAME:PROTO (getservbyname_r), p:PORT:PROTO (getservbyport_r),
 * e (getservent_r to the end); an empty PROTO is NULL. OUTCOME: FOUND,
 * FOUND:NAME, NOTFOUND, UNAVAIL, ANY, or for e the number of entries
 * and "/UNAVAIL" when the stream ended with an error rather than its end.
 * glibc tells the three apart: 0 and a result (SUCCESS), 0 and no result
 * (NOTFOUND), the module's errno (UNAVAIL: hostile.sh's nsswitch has only
 * "iana", so nothing follows it). An enumeration ends on NOTFOUND or
 * UNAVAIL alike; the errno it leaves says which (ENOENT: the end).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <nss.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define MAX_NAME 255
#define MAX_ALIASES 64
/* An answer within the format's limits needs about 17 KiB: 65 pointers,
 * 16,640 bytes of names, a protocol. */
#define MAX_BUFFER (64 * 1024)

/* The module maps the index with mmap(): this one, exported by the
 * executable (-export-dynamic, and default visibility: the tree builds
 * with -fvisibility=hidden), so that the module's call binds to it. Every
 * read-only shared file mapping gets an inaccessible page on each side, so
 * that a read past the mapping (issue 20: a strlen() ran from STRINGS into
 * whatever was mapped next) is a SIGSEGV every time, not a read of a
 * neighbour's bytes. The guard pages outlive the mapping: a few pages of
 * address space per index the process opens. */
__attribute__((visibility("default")))
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), span;
	unsigned char *area;
	void *m;

	if (!real)
		real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	if (addr || fd < 0 || prot != PROT_READ || !(flags & MAP_SHARED) || len == 0)
		return real(addr, len, prot, flags, fd, off);
	span = (len + page - 1) / page * page;
	area = real(NULL, span + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return MAP_FAILED;
	m = real(area + page, len, prot, flags | MAP_FIXED, fd, off);
	if (m == MAP_FAILED)
		munmap(area, span + 2 * page);
	return m;
}

enum outcome { FOUND, NOTFOUND, UNAVAIL };
static const char *const outcome_name[] = { "FOUND", "NOTFOUND", "UNAVAIL" };

static double clock_ms(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

/* A call's elapsed time, and the CPU time its thread spent in it (page
 * faults included, time on another's time slice not). */
struct timing {
	double wall, cpu;
};

static void start(struct timing *t)
{
	t->cpu = clock_ms(CLOCK_THREAD_CPUTIME_ID);
	t->wall = now_ms();
}

static void stop(struct timing *t)
{
	t->wall = now_ms() - t->wall;
	t->cpu = clock_ms(CLOCK_THREAD_CPUTIME_ID) - t->cpu;
}

/* ---- the STRINGS sections answers may come from ---- */

struct image {
	unsigned char *data;
	size_t size;
	size_t str_off, str_size;    /* STRINGS, from the file's own section table */
};

static int read_file(const char *path, struct image *im)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	ssize_t n = 0;

	im->data = NULL;
	im->size = im->str_off = im->str_size = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
		close(fd);
		return -1;
	}
	im->data = malloc((size_t)st.st_size + 1);
	if (im->data)
		n = pread(fd, im->data, (size_t)st.st_size, 0);
	close(fd);
	if (!im->data || n < 0)
		return -1;
	im->size = (size_t)n;
	return 0;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* STRINGS as the image's own section table places it (header 64 bytes,
 * section_count at 20, then 16-byte rows id, offset, size, count). */
static void find_strings(struct image *im)
{
	uint32_t n;

	if (im->size < 64)
		return;
	n = le32(im->data + 20);
	for (uint32_t i = 0; i < n && i < 64 && 64 + 16 * (i + 1) <= im->size; i++) {
		const unsigned char *row = im->data + 64 + 16 * i;
		uint32_t off = le32(row + 4), size = le32(row + 8);

		if (le32(row) == 1 && off <= im->size && size <= im->size - off) {
			im->str_off = off;
			im->str_size = size;
			return;
		}
	}
}

/* Whether the len bytes at s (with their NUL when nul) are inside the
 * STRINGS section of im: where its own table says, or where layout's does. */
static int in_strings(const struct image *im, const struct image *layout, const char *s,
                      size_t len, int nul)
{
	const struct image *ims[] = { im, layout };

	for (int k = 0; k < 2; k++) {
		size_t off = ims[k] ? ims[k]->str_off : 0, size = ims[k] ? ims[k]->str_size : 0;

		if (!ims[k] || off + size > im->size || size == 0)
			continue;
		if (memmem(im->data + off, size, s, len + (nul ? 1 : 0)))
			return 1;
	}
	return 0;
}

/* ---- one answer, well-formed ---- */

static int is_name(const char *s, const char *buf, size_t buflen)
{
	size_t n;

	if (s < buf || s >= buf + buflen)
		return 0;
	n = strnlen(s, (size_t)(buf + buflen - s));
	if (n == 0 || n > MAX_NAME || s + n == buf + buflen)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* The strings of an answer: names in the buffer, within the limits, and
 * (when images are given) each found with its NUL in some STRINGS. */
static const char *malformed(const struct servent *se, const char *buf, size_t buflen,
                             const struct image *images, int nimages)
{
	int n = 0;

	if (!is_name(se->s_name, buf, buflen))
		return "s_name is not a name inside the buffer";
	if (!is_name(se->s_proto, buf, buflen))
		return "s_proto is not a name inside the buffer";
	if ((const char *)se->s_aliases < buf || (const char *)se->s_aliases >= buf + buflen)
		return "s_aliases outside the buffer";
	for (; se->s_aliases[n]; n++)
		if (n >= MAX_ALIASES || !is_name(se->s_aliases[n], buf, buflen))
			return "an alias is not a name inside the buffer, or too many";
	for (int i = -2; i < n && nimages; i++) {
		const char *s = i == -2 ? se->s_proto : i == -1 ? se->s_name : se->s_aliases[i];
		int seen = 0;

		/* the protocol is copied by its length: its NUL is the module's */
		for (int k = 0; k < nimages && !seen; k++)
			seen = in_strings(&images[k], &images[0], s, strlen(s), i != -2);
		if (!seen)
			return "a string that is in no STRINGS section";
	}
	return NULL;
}

/* ---- one query through glibc ---- */

struct answer {
	enum outcome outcome;
	int err;                     /* for UNAVAIL */
	struct servent se;
	char *buf;
	size_t buflen;
};

/* The query q, as glibc's getservbyname() runs it: a larger buffer on
 * ERANGE, up to MAX_BUFFER. */
static int ask(const char *q, struct answer *a)
{
	char kind = q[0], what[512], proto[512];
	const char *p1 = strchr(q, ':'), *p2 = p1 ? strchr(p1 + 1, ':') : NULL;
	struct servent *res = NULL;
	int r = ERANGE;

	if (!p1 || !p2 || (size_t)(p2 - p1 - 1) >= sizeof(what) || strlen(p2 + 1) >= sizeof(proto))
		return -1;
	memcpy(what, p1 + 1, (size_t)(p2 - p1 - 1));
	what[p2 - p1 - 1] = 0;
	strcpy(proto, p2 + 1);
	for (a->buflen = 256; r == ERANGE && a->buflen <= MAX_BUFFER; a->buflen *= 2) {
		free(a->buf);
		a->buf = malloc(a->buflen);
		if (!a->buf)
			return -1;
		errno = 0;
		if (kind == 'n')
			r = getservbyname_r(what, proto[0] ? proto : NULL, &a->se, a->buf, a->buflen,
			                    &res);
		else
			r = getservbyport_r((int)htons((uint16_t)atoi(what)), proto[0] ? proto : NULL,
			                    &a->se, a->buf, a->buflen, &res);
		if (r != ERANGE)
			break;
	}
	a->err = r;
	a->outcome = r == ERANGE ? UNAVAIL : r ? UNAVAIL : res ? FOUND : NOTFOUND;
	return r == ERANGE ? -2 : 0;
}

static int limit_ms(double *limit)
{
	const char *env = getenv("HOSTILE_LIMIT_MS");

	*limit = env && atof(env) > 0 ? atof(env) : 10.0;
	return 0;
}

/* The module loaded before the first lookup, so that no lookup's time
 * includes dlopen(); glibc's own dlopen() of it then finds it loaded. */
static int load_module(void)
{
	if (!dlopen("libnss_iana.so.2", RTLD_NOW)) {
		fprintf(stderr, "FAIL: cannot load libnss_iana.so.2: %s\n", dlerror());
		return -1;
	}
	__nss_configure_lookup("services", "iana");
	return 0;
}

static int cmd_ask(int argc, char **argv)
{
	const char *index = getenv("NSS_IANA_INDEX");
	struct image im = { 0 };
	struct answer a = { 0 };
	double limit, slowest = 0;
	const char *slowest_q = "";
	int failed = 0, have_image;

	limit_ms(&limit);
	have_image = index && read_file(index, &im) == 0;
	if (have_image)
		find_strings(&im);
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '='), q[600];
		const char *want, *bad = NULL;
		char got[300];
		double t, wall = 0;

		if (!eq || (size_t)(eq - argv[i]) >= sizeof(q)) {
			fprintf(stderr, "FAIL: bad argument %s\n", argv[i]);
			return 2;
		}
		memcpy(q, argv[i], (size_t)(eq - argv[i]));
		q[eq - argv[i]] = 0;
		want = eq + 1;
		if (strcmp(q, "e") == 0) {
			struct servent se, *res;
			char buf[MAX_BUFFER];
			unsigned long n = 0;
			int r, e;

			/* Every call of a long enumeration is bounded by its CPU
			 * time: on a machine shared with other work, one call in a
			 * few hundred is preempted for a time slice (4 ms and more),
			 * which says nothing about the file. */
			t = 0;
			setservent(0);
			for (;;) {
				struct timing one;

				start(&one);
				errno = 0;
				r = getservent_r(&se, buf, sizeof(buf), &res);
				e = errno;
				stop(&one);
				t = one.cpu > t ? one.cpu : t;
				wall = one.wall > wall ? one.wall : wall;
				if (r != 0 || !res)
					break;
				/* the strings looked for in the file for the first
				 * entries: memmem() over STRINGS is not cheap */
				if ((bad = malformed(&se, buf, sizeof(buf), have_image ? &im : NULL,
				                     have_image && n < 1000)))
					break;
				if (++n > 1000000)
					break;
			}
			endservent();
			snprintf(got, sizeof(got), "%lu%s", n, r && e != ENOENT ? "/UNAVAIL" : "");
			printf("%-12s %-10s %s entries, ended with %s (%s), slowest %.3f ms of CPU "
			       "(%.3f ms elapsed)\n", q, want, got, r ? "no result" : "a result",
			       e ? strerror(e) : "errno 0", t, wall);
		} else {
			struct timing best = { 0 };
			int r;

			/* A lookup over the limit is run again, twice at most, and
			 * the fastest run counts: a lookup made slow by the file is
			 * slow every time, one preempted on a busy machine is not. */
			for (int pass = 0; pass < 3 && (pass == 0 || best.wall > limit); pass++) {
				struct timing one;

				start(&one);
				r = ask(q, &a);
				stop(&one);
				if (pass == 0 || one.wall < best.wall)
					best = one;
			}
			t = best.wall;
			if (r == -1) {
				fprintf(stderr, "FAIL: bad query %s\n", q);
				return 2;
			}
			if (r == -2)
				bad = "an answer needs more than 64 KiB of buffer";
			snprintf(got, sizeof(got), "%s%s%.255s", outcome_name[a.outcome],
			         a.outcome == FOUND ? ":" : "", a.outcome == FOUND ? a.se.s_name : "");
			if (a.outcome == FOUND && !bad)
				bad = malformed(&a.se, a.buf, a.buflen, have_image ? &im : NULL,
				                have_image);
			printf("%-12s %-10.40s %.60s%s%s, %.3f ms, buffer %zu\n", q, want, got,
			       a.outcome == UNAVAIL ? " " : "",
			       a.outcome == UNAVAIL ? strerror(a.err) : "", t, a.buflen);
		}
		if (bad) {
			printf("FAIL: %s: %s\n", q, bad);
			failed = 1;
		} else if (strcmp(want, "ANY") != 0 && strcmp(want, got) != 0 &&
		           !(strcmp(want, "FOUND") == 0 && strncmp(got, "FOUND:", 6) == 0)) {
			printf("FAIL: %s: expected %s, got %s\n", q, want, got);
			failed = 1;
		}
		if (t > limit) {
			printf("FAIL: %s took %.3f ms, more than %.1f\n", q, t, limit);
			failed = 1;
		}
		if (t > slowest) {
			slowest = t;
			slowest_q = argv[i];
		}
	}
	printf("slowest %.3f ms %s\n", slowest, slowest_q);
	free(a.buf);
	free(im.data);
	return failed;
}

/* ---- lookups while the file changes ---- */

static int cmd_loop(double seconds, char **files, int nfiles)
{
	/* www-http: the last name of port 80's block, which hostile-inplace.sh
	 * puts at the end of the file */
	static const char *const queries[] = { "n:http:tcp", "p:80:tcp", "n:www:", "p:22:",
	                                       "n:kerberos:", "p:7000:ddp", "n:www-http:" };
	const char *index = getenv("NSS_IANA_INDEX"), *stop = getenv("HOSTILE_STOP");
	struct image im[16 + 2];
	struct answer a = { 0 };
	unsigned long counts[3] = { 0 }, bad = 0, n = 0;
	double end = now_ms() + seconds * 1e3, slowest = 0;
	int ni = 0;

	for (int i = 0; i < nfiles && ni < 16; i++)
		if (read_file(files[i], &im[ni]) == 0)
			find_strings(&im[ni++]);
	if (ni == 0 || !index)
		return 2;
	while (now_ms() < end && !(stop && n % 256 == 0 && access(stop, F_OK) == 0)) {
		const char *q = queries[n++ % (sizeof(queries) / sizeof(queries[0]))];
		const char *why = NULL;
		double t0 = now_ms(), t;
		int k = ni;

		/* the live file before and after: a byte written in between is
		 * in one of them, as long as a write lasts longer than a lookup */
		if (read_file(index, &im[k]) == 0)
			find_strings(&im[k++]);
		if (ask(q, &a) == -2)
			why = "an answer needs more than 64 KiB of buffer";
		t = now_ms() - t0;
		slowest = t > slowest ? t : slowest;
		if (read_file(index, &im[k]) == 0)
			find_strings(&im[k++]);
		counts[a.outcome]++;
		/* STRINGS where each image's table says, and where the first
		 * image's does: a write may have moved the live table's */
		if (!why && a.outcome == FOUND)
			why = malformed(&a.se, a.buf, a.buflen, im, k);
		if (why) {
			if (bad++ < 10)
				printf("FAIL: %s: %s (%s \"%.80s\")\n", q, why, outcome_name[a.outcome],
				       a.outcome == FOUND ? a.se.s_name : "");
		}
		for (int i = ni; i < k; i++)
			free(im[i].data);
	}
	printf("loop: %lu lookups: %lu found, %lu not found, %lu unavailable, %lu bad; "
	       "slowest %.3f ms\n", n, counts[FOUND], counts[NOTFOUND], counts[UNAVAIL], bad,
	       slowest);
	for (int i = 0; i < ni; i++)
		free(im[i].data);
	free(a.buf);
	return bad ? 1 : 0;
}

/* ---- an enumeration across a change ---- */

static int cmd_enum(const char *how, const char *file)
{
	const char *index = getenv("NSS_IANA_INDEX");
	struct servent se, *res;
	char buf[MAX_BUFFER];
	unsigned long before = 0, after = 0;
	double changed, ended = -1;
	int r = 0, e = 0;

	setservent(0);
	for (; before < 5; before++)
		if (getservent_r(&se, buf, sizeof(buf), &res) != 0) {
			printf("FAIL: the enumeration ended after %lu entries\n", before);
			return 1;
		}
	/* a write in the same clock tick as the file's last one would leave
	 * its mtime as it was: the file system clock ticks every few ms */
	usleep(50 * 1000);
	if (strcmp(how, "inplace") == 0) {
		int fd = open(index, O_RDWR | O_CLOEXEC);
		unsigned char c;

		if (fd < 0 || pread(fd, &c, 1, 100) != 1 || pwrite(fd, &c, 1, 100) != 1) {
			printf("FAIL: cannot write %s: %s\n", index, strerror(errno));
			return 1;
		}
		close(fd);
	} else if (!file || rename(file, index) < 0) {
		printf("FAIL: cannot rename %s over %s\n", file ? file : "(none)", index);
		return 1;
	}
	changed = now_ms();
	while (now_ms() - changed < 5000) {
		errno = 0;
		r = getservent_r(&se, buf, sizeof(buf), &res);
		e = errno;
		if (r != 0 || !res) {
			ended = now_ms() - changed;
			break;
		}
		if (malformed(&se, buf, sizeof(buf), NULL, 0)) {
			printf("FAIL: a malformed entry after the change\n");
			return 1;
		}
		after++;
		if (now_ms() - changed < 3000)
			usleep(10 * 1000);
	}
	endservent();
	if (ended < 0)
		printf("enum: %lu entries before the change, %lu after, still going after 5 s\n",
		       before, after);
	else
		printf("enum: %lu entries before the change, %lu after, ended %.0f ms after it (%s)\n",
		       before, after, ended, e ? strerror(e) : "errno 0");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || load_module() < 0)
		return 2;
	if (strcmp(argv[1], "ask") == 0)
		return cmd_ask(argc - 2, argv + 2);
	if (strcmp(argv[1], "loop") == 0 && argc >= 4)
		return cmd_loop(atof(argv[2]), argv + 3, argc - 3);
	if (strcmp(argv[1], "enum") == 0 && argc >= 3)
		return cmd_enum(argv[2], argc > 3 ? argv[3] : NULL);
	fprintf(stderr, "usage: see tests/hostile-lookup.c\n");
	return 2;
}
