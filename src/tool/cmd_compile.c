/* cmd_compile.c: iana-services compile [--format F] [--strict] -o INDEX INPUT...
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Nothing is written unless every input reads cleanly (and, with --strict,
 * without a single skipped record); the index is replaced atomically.
 */


#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index-write.h"
#include "registry.h"
#include "services.h"
#include "tool.h"

/* A compile's heap peaks at about seven times its inputs' size. */
#define HEAP_PER_INPUT_BYTE 8
#define HEAP_PAD_MIN (32 << 20)
#define HEAP_PAD_MAX (1 << 30)

static void summary(const struct registry *reg, const struct services *svc)
{
	printf("%zu records, %zu entries, %zu aliases; skipped:", reg->count, svc->count,
	       svc->aliases);
	for (int i = 0; i < SKIP_COUNT; i++)
		printf("%s %zu %s", i ? "," : "", svc->skipped[i],
		       services_skip_reason((enum skip_reason)i));
	printf("\n");
}

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
static void *tune_heap(char **inputs, int n)
{
	size_t pad = 0;
	struct stat st;

	for (int i = 0; i < n; i++)
		if (stat(inputs[i], &st) == 0 && S_ISREG(st.st_mode))
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

static int compile(const char *out, char **inputs, int n, enum registry_format fmt,
                   int strict)
{
	struct registry reg;
	struct services svc = { 0 };
	struct diags d = { 0 };
	unsigned char *data = NULL;
	size_t len, bad;
	int r, status = EXIT_BAD;
	void *heap_head = tune_heap(inputs, n);

	registry_init(&reg);
	for (int i = 0; i < n; i++) {
		r = registry_read_file(&reg, inputs[i], fmt, &d);
		if (r == -ENOMEM)
			d.errors++;
	}
	if (d.errors == 0) {
		r = services_build(&svc, &reg, &d);
		if (r < 0 && r != -EINVAL)
			d.errors++;    /* -EINVAL came with its DIAG_ERROR */
	}
	bad = report_diags(&d, strict);
	if (bad) {
		report(out, 0, "%zu problem%s in the input; nothing written", bad,
		       bad == 1 ? "" : "s");
		goto done;
	}
	if (svc.count == 0) {
		report(out, 0, "the input gives no services entries; nothing written");
		goto done;
	}
	r = index_build(&reg, &svc, NULL, 0, PACKAGE_VERSION, &data, &len);
	if (r == 0)
		r = atomic_write(out, data, len, 0644);
	if (r < 0) {
		report(out, 0, "cannot write: %s", strerror(-r));
		goto done;
	}
	summary(&reg, &svc);
	status = EXIT_OK;
done:
	free(data);
	services_free(&svc);
	registry_free(&reg);
	diags_free(&d);
	free(heap_head);
	return status;
}

int cmd_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ 0 }
	};
	enum registry_format fmt = FMT_AUTO;
	const char *out = NULL;
	int strict = 0, c;

	while ((c = getopt_long(argc, argv, "f:so:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (registry_format_parse(optarg, &fmt) < 0)
				return usage_error("compile", "unknown format '%s'", optarg);
			break;
		case 's':
			strict = 1;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return usage_error("compile", "bad option");
		}
	}
	if (!out)
		return usage_error("compile", "-o INDEX is required");
	if (optind == argc)
		return usage_error("compile", "no input files");
	return compile(out, argv + optind, argc - optind, fmt, strict);
}
