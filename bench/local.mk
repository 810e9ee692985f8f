# bench/local.mk: included by Makefile.am
#
# `make bench`: the performance suite of issue 6 (bench/run.sh does the work).
# Nothing here is built by `make` or `make check`: speed is never asserted in
# the tests, only measured by hand with this target.

# The driver: glibc NSS, or the library linked in (libiana-core is a
# convenience archive, so the direct calls pay no PLT either).
EXTRA_PROGRAMS = bench/nss-bench
bench_nss_bench_SOURCES = bench/nss-bench.c
bench_nss_bench_LDADD = libiana-core.la

# The floor: glibc's NSS dispatch cost, with a module that looks nothing up.
# -rpath makes libtool build a shared module although it is never installed.
EXTRA_LTLIBRARIES = bench/libnss_floor.la
bench_libnss_floor_la_SOURCES = bench/nss-floor.c
bench_libnss_floor_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared -shrext .so.2 \
	-rpath $(abs_builddir)/bench -Wl,-z,defs

EXTRA_DIST += bench/run.sh bench/gen-registry.py bench/report.py bench/results.md
CLEANFILES += bench/nss-bench$(EXEEXT) bench/libnss_floor.la

# The table goes to bench/results.md in the source tree, where the README
# links to it; BENCH_RESULTS=FILE puts it elsewhere. BENCH_ONLY=protocols
# (in the environment) runs the protocols part alone and replaces only its
# section there.
BENCH_RESULTS = $(abs_top_srcdir)/bench/results.md

bench: bench/nss-bench$(EXEEXT) bench/libnss_floor.la libnss_iana.la iana-services$(EXEEXT)
	BUILDDIR='$(abs_top_builddir)' SRCDIR='$(abs_top_srcdir)' \
	REGISTRY_DIR='$(registrydir)' BENCH_RESULTS='$(BENCH_RESULTS)' \
	bash $(srcdir)/bench/run.sh

.PHONY: bench
