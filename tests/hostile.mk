# tests/hostile.mk: hostile indexes (issue 20); included by Makefile.am.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hostile.sh: crafted files of the current format (tests/gen-hostile.py),
# special files and a format-2 index at the index's path; hostile-inplace.sh:
# one-byte writes, truncation, cp, install and rename under a running
# reader, and an enumeration across an in-place change; hostile-corpus.sh:
# every fuzz/corpus/index seed passes `iana-services check`.
# tests/hostile-lookup.c talks to glibc and the dlopen()ed module only.
check_PROGRAMS += tests/hostile-lookup
TESTS += tests/hostile.sh tests/hostile-inplace.sh tests/hostile-corpus.sh
EXTRA_DIST += tests/hostile.sh tests/hostile-inplace.sh tests/hostile-corpus.sh \
	tests/gen-hostile.py tests/data/format2.idx

tests_hostile_lookup_SOURCES = tests/hostile-lookup.c
tests_hostile_lookup_LDADD = -ldl
# its mmap() takes the module's calls: see hostile-lookup.c
tests_hostile_lookup_LDFLAGS = -export-dynamic
