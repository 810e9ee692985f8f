#!/bin/sh
# fuzz/run.sh: run the libFuzzer harnesses for make fuzz, fuzz-smoke and
# fuzz-regress.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   run.sh fuzz SECONDS SRCDIR BUILDDIR NAME...   fuzz each for SECONDS
#   run.sh regress 0 SRCDIR BUILDDIR NAME...      run each input once
#
# SRCDIR is the source tree's fuzz/, BUILDDIR the directory holding the
# fuzz-NAME binaries. For each harness:
#  1. the reproducers in SRCDIR/regressions/NAME run once each, with
#     nothing suppressed: a known bug that is not fixed yet fails here
#     (output in BUILDDIR/work/NAME/regressions/log);
#  2. the harness runs on a scratch copy of SRCDIR/corpus/NAME in
#     BUILDDIR/work/NAME (the source corpus is never written; what the
#     fuzzer finds stays in the copy) with the dictionary SRCDIR/NAME.dict,
#     for SECONDS, or once over each input for regress. Known bugs
#     (SRCDIR/known-bugs.supp) are suppressed here so that the fuzzer gets
#     past them; FUZZ_KNOWN_BUGS=no suppresses none.
# Crashes, leaks, timeouts and out-of-memory inputs go to
# BUILDDIR/work/NAME/artifacts; an input that runs longer than $FUZZ_TIMEOUT
# seconds (default 10) is a timeout. One line per harness; the exit status
# is 1 if a reproducer or a run failed.
set -u

mode=$1 seconds=$2 src=$3 build=$4
shift 4
timeout=${FUZZ_TIMEOUT:-10}
failed=0
ubsan=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
known=
if [ "${FUZZ_KNOWN_BUGS:-yes}" != no ]; then
	known=:suppressions=$(cd "$src" && pwd)/known-bugs.supp
fi

for name; do
	bin=$build/fuzz-$name
	work=$build/work/$name
	log=$work/log
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts" "$work/regressions"
	if [ -d "$src/corpus/$name" ]; then
		cp "$src/corpus/$name"/* "$work/corpus/" 2>/dev/null
		chmod -R u+w "$work/corpus"
	fi
	: >"$log"

	regressions=$(find "$src/regressions/$name" -type f ! -name '*.md' 2>/dev/null | sort)
	nreg=0 regfail=0
	for r in $regressions; do
		nreg=$((nreg + 1))
		if ! UBSAN_OPTIONS=$ubsan "$bin" -artifact_prefix="$work/regressions/" \
			"$r" >>"$work/regressions/log" 2>&1; then
			regfail=$((regfail + 1))
			echo "    reproducer fails: $r"
		fi
	done

	status=0
	if [ "$mode" = fuzz ]; then
		UBSAN_OPTIONS=$ubsan$known \
		"$bin" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
			-dict="$src/$name.dict" -artifact_prefix="$work/artifacts/" \
			-print_final_stats=1 "$work/corpus" >>"$log" 2>&1 || status=$?
	else
		UBSAN_OPTIONS=$ubsan$known \
		"$bin" -runs=0 -timeout="$timeout" -artifact_prefix="$work/artifacts/" \
			-print_final_stats=1 "$work/corpus" >>"$log" 2>&1 || status=$?
	fi

	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
	crashes=$(find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' \
		-o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	printf 'fuzz-%-9s %10s executions  %d crashes  exit status %d  reproducers: %d of %d fail\n' \
		"$name" "${runs:-?}" "$crashes" "$status" "$regfail" "$nreg"
	if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		grep -m 8 -E '^==[0-9]+==ERROR|^SUMMARY|check failed|runtime error|^    [^ #]' \
			"$log" | sed 's/^/    /'
		for a in "$work/artifacts"/*; do
			[ -e "$a" ] && echo "    reproduce: $bin $a"
		done
	fi
	if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		echo "    log: $log"
	fi
	if [ "$regfail" -ne 0 ]; then
		echo "    log: $work/regressions/log"
	fi
	if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ] || [ "$regfail" -ne 0 ]; then
		failed=1
	fi
done
exit $failed
