#!/bin/sh
# Format detection must know every services(5) file glibc reads (SPEC R9):
# `compile -o new.idx /etc/services REGISTRY` is the regeneration recipe, and
# --format would force one format on both inputs. A file whose first entry
# is "name 80" (no protocol), has its port in hex or octal or with a sign,
# or \v or \f between name and port is a services(5) file all the same.
#
# Expected to FAIL (XFAIL_TESTS) while registry_detect() reads only
# "name<blank>digits/" in src/compile/registry_read.c; take it out of XFAIL_TESTS
# when that is fixed.
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
seed="$top_srcdir/tests/data/seed-excerpt.txt"
n=0

# detected WHAT FIRST-LINE
detected() {
	n=$((n + 1))
	printf '# local services\n%b\nsecond 2/tcp\n' "$2" >"$tmp/f$n"
	run "$tool" compile -o "$tmp/f$n.idx" "$tmp/f$n" "$seed"
	expect "$1: compiles with the registry" "0 " "$rc $(echo "$err" | grep 'cannot tell' || true)"
}

detected "plain" 'first 1/tcp'
detected "no protocol" 'first 80'
detected "hex port" 'first 0x50/tcp'
detected "octal port" 'first 0120/tcp'
detected "a sign" 'first +80/tcp'
detected "a \\\\v separator" 'first\v80/tcp'
detected "a \\\\f separator" 'first\f80/tcp'
detected "a CR separator" 'first\r80/tcp'
detected "no protocol after a slash" 'first 80/ alias'
finish
