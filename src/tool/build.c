/* build.c: what compile, update and rebuild share: read the inputs in
 * order, apply the rules R1-R8, and build the index in memory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Nothing is built unless every input reads cleanly (and, with strict,
 * without a single skipped record). Writing the bytes is the caller's.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index-write.h"
#include "tool.h"

/* A compile's heap peaks at about seven times its inputs' size. */
#define HEAP_PER_INPUT_BYTE 8
#define HEAP_PAD_MIN (32 << 20)
#define HEAP_PAD_MAX (1 << 30)

#if defined(M_MMAP_THRESHOLD) && defined(MADV_HUGEPAGE)
#define HUGE_PAGE ((uintptr_t)2 << 20)

/* A compile touches some 10 MB once, 4 KiB at a time: in a VM a page
 * fault can cost 15 us, more than the work done on the page. Asked for,
 * the kernel backs the heap with 2 MB pages where it can (transparent
 * huge pages in "madvise" mode); where it cannot or will not, this does
 * nothing. The heap is made here, with a pad large enough for the whole
 * compile (M_TOP_PAD), so that one madvise() covers all of it. Returns
 * the heap below its first huge page, allocated (never touched) so that
 * the compile's memory starts above; free it at the end. */
static void *use_huge_pages(size_t pad)
{
	char *first = malloc(1);
	uintptr_t start, end;

	if (!first)
		return NULL;
	start = ((uintptr_t)first + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	end = (uintptr_t)sbrk(0) & ~(HUGE_PAGE - 1);
	/* not the heap just made (another malloc, under valgrind): leave it */
	if (end <= start || end - start > 2 * pad ||
	    madvise((void *)start, end - start, MADV_HUGEPAGE) < 0)
		return first;
	free(first);
	return malloc(start - (uintptr_t)first);
}
#endif

/* A compile frees big tables between its phases. glibc would hand those
 * back to the kernel (munmap, heap trim) and give the next phase fresh
 * pages, each a page fault on first touch; kept in the heap, they are
 * reused. The process is short: nothing needs handing back. Returns what
 * to free at the end. */
static void *tune_heap(const struct tool_input *in, size_t n)
{
	size_t pad = 0;
	struct stat st;

	for (size_t i = 0; i < n; i++)
		if (stat(in[i].path, &st) == 0 && S_ISREG(st.st_mode))
			pad += (size_t)st.st_size * HEAP_PER_INPUT_BYTE;
	pad = pad < HEAP_PAD_MIN ? HEAP_PAD_MIN : pad > HEAP_PAD_MAX ? HEAP_PAD_MAX : pad;
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, (int)pad);
#endif
#if defined(M_MMAP_THRESHOLD) && defined(MADV_HUGEPAGE)
	return use_huge_pages(pad);
#else
	(void)pad;
	return NULL;
#endif
}

/* report_diags(), each file named as its input's label says. */
static size_t report_input_diags(const struct diags *d, int strict,
                                 const struct tool_input *in, size_t n)
{
	size_t bad = d->errors;

	for (size_t i = 0; i < d->count; i++) {
		const char *file = d->v[i].file;

		for (size_t k = 0; file && k < n; k++)
			if (in[k].label && strcmp(file, in[k].path) == 0) {
				file = in[k].label;
				break;
			}
		report(file, d->v[i].line, "%s", d->v[i].message);
		if (strict && d->v[i].kind != DIAG_ERROR)
			bad++;
	}
	return bad;
}

/* A system's local file that is there but empty has nothing to merge;
 * any other input is read, and an empty one is an error. */
static int nothing_to_read(const struct tool_input *in)
{
	struct stat st;

	return in->is_local && stat(in->path, &st) == 0 && S_ISREG(st.st_mode) &&
	       st.st_size == 0;
}

/* What a watched input is now, before it is read: a change after this is
 * then a change the reader sees (SPEC 10, F2). *absent when an optional
 * input does not exist: it is not read, only watched. 0, or -errno. */
static int watch_input(const struct tool_input *in, struct index_watch *w, int *absent)
{
	char *cwd;

	*absent = 0;
	memset(w, 0, sizeof(*w));
	if (stat(in->path, &w->st) < 0) {
		if (!(errno == ENOENT && in->optional))
			return 0;    /* reading it will say what is wrong */
		*absent = w->absent = 1;
	}
	if (in->path[0] == '/')
		return (w->path = strdup(in->path)) ? 0 : -ENOMEM;
	cwd = getcwd(NULL, 0);
	if (!cwd || asprintf((char **)&w->path, "%s/%s", cwd, in->path) < 0)
		w->path = NULL;
	free(cwd);
	return w->path ? 0 : -ENOMEM;
}

/* Keeps the watched inputs that turned out to be services(5) or
 * protocols(5) files (every record local), in input order. */
static size_t keep_local_watches(struct index_watch *w, const int *local, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (w[i].path && local[i])
			w[k++] = w[i];
		else
			free((char *)w[i].path);
	}
	return k;
}

int tool_build(struct tool_build *b, const struct tool_input *in, size_t n, int strict,
               const char *out)
{
	struct registry reg;
	struct services svc = { 0 };
	struct diags d = { 0 };
	struct index_watch *watch = calloc(n + 1, sizeof(*watch));
	int *local = calloc(n + 1, sizeof(*local));
	size_t bad, nwatch = 0;
	int r, status = EXIT_BAD;
	void *heap_head = tune_heap(in, n);

	memset(b, 0, sizeof(*b));
	registry_init(&reg);
	if (!watch || !local)
		d.errors++;
	for (size_t i = 0; d.errors == 0 && i < n; i++) {
		size_t before = reg.count;
		int absent = 0;

		if (in[i].watch && watch_input(&in[i], &watch[i], &absent) < 0)
			d.errors++;
		local[i] = 1;
		if (absent || nothing_to_read(&in[i]))
			continue;
		/* A watched path that is a FIFO would block the read (and the
		 * path unit's rebuild with it) until someone writes to it. */
		if (watch[i].path && S_ISFIFO(watch[i].st.st_mode)) {
			diag_add(&d, DIAG_ERROR, in[i].path, 0, "a FIFO, not a services or "
			         "protocols file");
			continue;
		}
		r = registry_read_file(&reg, in[i].path, in[i].format, &d);
		if (r == -ENOMEM)
			d.errors++;
		for (size_t k = before; k < reg.count; k++)
			local[i] &= reg.records[k].local;
	}
	if (watch && local)
		nwatch = keep_local_watches(watch, local, n);
	if (d.errors == 0) {
		r = reg.database == IDX_DB_PROTOCOLS ? protocols_build(&svc, &reg, &d) :
		    services_build(&svc, &reg, &d);
		if (r < 0 && r != -EINVAL)
			d.errors++;    /* -EINVAL came with its DIAG_ERROR */
	}
	bad = report_input_diags(&d, strict, in, n);
	if (bad) {
		report(out, 0, "%zu problem%s in the input; nothing written", bad,
		       bad == 1 ? "" : "s");
		goto done;
	}
	if (svc.count == 0) {
		report(out, 0, "the input gives no %s entries; nothing written",
		       reg.database == IDX_DB_PROTOCOLS ? "protocols" : "services");
		goto done;
	}
	b->updated = strdup(reg.updated ? reg.updated : "");
	r = b->updated ? index_build(&reg, &svc, watch, nwatch, PACKAGE_VERSION, &b->data,
	                             &b->len) : -ENOMEM;
	if (r < 0) {
		if (r == -E2BIG)
			report(out, 0, "more than %d watched files; nothing written", IDX_MAX_WATCH);
		else
			report(out, 0, "cannot write: %s", strerror(-r));
		goto done;
	}
	b->records = reg.count;
	b->entries = svc.count;
	b->aliases = svc.aliases;
	memcpy(b->skipped, svc.skipped, sizeof(b->skipped));
	status = EXIT_OK;
done:
	if (status != EXIT_OK)
		tool_build_free(b);
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
	for (size_t i = 0; watch && i < nwatch; i++)
		free((char *)watch[i].path);
	free(watch);
	free(local);
	free(heap_head);
	return status;
}

void tool_build_summary(const struct tool_build *b)
{
	printf("%zu records, %zu entries, %zu aliases; skipped:", b->records, b->entries,
	       b->aliases);
	for (int i = 0; i < SKIP_COUNT; i++)
		printf("%s %zu %s", i ? "," : "", b->skipped[i],
		       services_skip_reason((enum skip_reason)i));
	printf("\n");
}

void tool_build_free(struct tool_build *b)
{
	free(b->data);
	free(b->updated);
	memset(b, 0, sizeof(*b));
}

int tool_open_bytes(const unsigned char *data, size_t len, struct iana_index **idx)
{
	const char *dir = getenv("TMPDIR");
	char *tmp;
	int fd, e = 0;

	if (!dir || !*dir)
		dir = "/tmp";
	if (asprintf(&tmp, "%s/iana-services.XXXXXX", dir) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		e = -errno;
		free(tmp);
		return e;
	}
	e = write_all(fd, data, len);
	if (close(fd) < 0 && e == 0)
		e = -errno;
	if (e == 0)
		e = iana_index_open(tmp, idx);
	unlink(tmp);
	free(tmp);
	return e;
}
