#!/bin/sh
# Every man page renders with man -l, without a warning from groff.
. "$(dirname "$0")/lib.sh"
command -v man >/dev/null || { fail "man not installed (apt-get install man-db)"; finish; exit 1; }
for page in "$top_srcdir"/man/*.[0-9]; do
	out=$(MANWIDTH=80 man --warnings -l "$page" 2>"$tmp/warn" | col -b)
	expect "warnings from $page" "" "$(cat "$tmp/warn")"
	name=$(basename "$page" | sed 's/\.[0-9]$//' | tr 'a-z_' 'A-Z_')
	expect_match "$page renders" "^$name" "$out"
done
finish
