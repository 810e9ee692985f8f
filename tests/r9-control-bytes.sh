#!/bin/sh
# A services(5) line with a control byte in its name, an alias or its
# protocol is a line glibc's files backend answers (only \t \n \v \f \r
# separate its fields). The index cannot hold such a name (SPEC 5: "no
# whitespace or control byte ... the compiler refuses more (FILE:LINE,
# exit 2)"), and R9 says nothing of a local file may be lost: so the
# compiler must either refuse the line, exit 2 with FILE:LINE, or keep it
# whole. Skipping it (or one alias of it) with exit 0 loses an answer.
#
# Expected to FAIL (XFAIL_TESTS) while check_local() and local_aliases()
# in src/compile/services_build.c skip such names and aliases with DIAG_SKIP; take
# it out of XFAIL_TESTS when that is fixed.
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
seed="$top_srcdir/tests/data/seed-excerpt.txt"
n=0

# not_lost WHAT LINE: LINE is line 2 of a services(5) file
not_lost() {
	n=$((n + 1))
	f="$tmp/c$n.services"
	printf 'first 1/tcp\n%b\n' "$2" >"$f"
	run "$tool" compile -o "$tmp/c$n.idx" "$f" "$seed"
	if [ "$rc" = 2 ]; then
		expect_match "$1: refused with FILE:LINE" "^iana-services: $f:2: " "$err"
	elif [ "$rc" = 0 ]; then
		"$tool" export -i "$tmp/c$n.idx" -o "$tmp/c$n.export"
		want=$(printf '%b\n' "$2" | tr -s ' ')
		expect "$1: kept whole" "$want" \
			"$(awk -v n="$(printf '%b' "$2" | cut -d' ' -f1)" '$1 == n' "$tmp/c$n.export" |
				tr -s ' ')"
	else
		fail "$1: exit $rc: $err"
	fi
}

not_lost "a name with \\\\001" 'na\001me 80/tcp'
not_lost "a name with DEL" 'name\177 80/tcp'
not_lost "an alias with ESC" 'name 80/tcp al\033ias'
not_lost "a protocol with \\\\001" 'name 80/t\001cp'
finish
