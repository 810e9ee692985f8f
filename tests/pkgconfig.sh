#!/bin/sh
# The example of iana_services(3), built with pkg-config's flags, runs.
. "$(dirname "$0")/lib.sh"
command -v pkg-config >/dev/null || { fail "pkg-config not installed"; finish; exit 1; }
pc="pkg-config --define-variable=libdir=$top_builddir/.libs --define-variable=includedir=$top_srcdir/include"
flags=$(PKG_CONFIG_PATH="$top_builddir" $pc --cflags --libs iana-services)
expect_match "pkg-config flags" "-liana-services" "$flags"
cc -Wall -Wextra -Werror ${SANITIZER_CFLAGS:-} -o "$tmp/example" "$top_srcdir/tests/example.c" $flags || fail "example does not build"
out=$(LD_LIBRARY_PATH="$top_builddir/.libs" "$tmp/example" "$top_builddir/tests/seed.idx" 7474 2>&1) || fail "example: $out"
expect "example output" "neo4j 7474/tcp: Neo4j Graph Database" "$out"
finish
