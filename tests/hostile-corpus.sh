#!/bin/sh
# Every index seed of the fuzz corpus (fuzz/corpus/index, made by
# `make fuzz-corpus` from the tool of this tree) passes `iana-services
# check`: a format change that leaves them behind makes fuzz-index start at
# the version check again (issue 20).
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
n=0
for f in "$top_srcdir"/fuzz/corpus/index/*; do
	[ -f "$f" ] || continue
	run "$tool" check -i "$f"
	expect "$(basename "$f") passes check (run make fuzz-corpus)" 0 "$rc"
	n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "only $n index seeds in fuzz/corpus/index"
echo "$n index seeds"
finish
