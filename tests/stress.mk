# tests/stress.mk: included by Makefile.am
#
# Issue 5, items 3 and 4: the module under concurrent lookups while its index
# is replaced (tests/stress.sh: answers, reload latency, mappings and
# descriptors, strace -c, ThreadSanitizer), and where the process around it
# matters (tests/privileges.sh: setuid/setgid, descriptors across exec, fork).
# The drivers talk to glibc and to the dlopen()ed module only: no cmocka, no
# library; they print PASS/FAIL lines and exit non-zero on failure.
# stress.sh builds its ThreadSanitizer variants itself, from the sources, with
# $(CC) -fsanitize=thread, in its scratch directory.
check_PROGRAMS += tests/stress-reload tests/privileges
TESTS += tests/stress.sh tests/privileges.sh
EXTRA_DIST += tests/stress.sh tests/privileges.sh

tests_stress_reload_SOURCES = tests/stress-reload.c
tests_stress_reload_LDADD = -lpthread
tests_privileges_SOURCES = tests/privileges.c
tests_privileges_LDADD = -ldl -lpthread
