#!/bin/sh
# Concurrency and replacement (SPEC 5; issue 5 item 3): 8 threads look up
# through glibc while another process renames two different indexes over
# the live one 1000 times; every answer must be one index's or the other's.
# Then the reload latency, mappings and descriptors, the system calls on the
# lookup path (strace -c; LeakSanitizer cannot run under ptrace, so it is
# off there), and the same stress under ThreadSanitizer.
. "$(dirname "$0")/lib.sh"
prog="$top_builddir/tests/stress-reload"
[ -x "$prog" ] || { fail "$prog not built"; finish; exit 1; }
[ -f "$module_dir/libnss_iana.so.2" ] || { fail "the module is not built"; finish; exit 1; }
export LD_LIBRARY_PATH="$module_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

for r in a b c d; do
	"$prog" gen $r >"$tmp/$r.csv"
	"$tool" compile -o "$tmp/$r.idx" "$tmp/$r.csv" >/dev/null
done

# stress LOG PROGRAM REPLACEMENTS INTERVAL_US [PREFIX...]: the live index
# in a directory of its own, so that its mappings can be counted.
stress() {
	log=$1 p=$2 n=$3 us=$4
	shift 4
	rm -rf "$tmp/live"
	mkdir "$tmp/live"
	cp "$tmp/a.idx" "$tmp/live/services.idx"
	NSS_IANA_INDEX="$tmp/live/services.idx" "$@" "$p" stress \
		"$tmp/a.idx" "$tmp/b.idx" "$tmp/c.idx" "$tmp/d.idx" "$n" "$us" >"$log" 2>&1
}

# 1. 1000 replacements over about 6 s: the module re-reads at most once a
# second, so this spans several reloads.
stress "$tmp/stress.log" "$prog" 1000 6000 || fail "stress-reload exited $?"
cat "$tmp/stress.log"
log=$(cat "$tmp/stress.log")
expect_match "stress passes" "^PASS: stress-reload$" "$log"
expect_match "1000 replacements" "^replacer: 1000 replacements" "$log"
expect_match "no wrong answer" "^answers checked: [0-9]+ \(from A [1-9][0-9]*, from B [1-9][0-9]*\), failures 0$" "$log"

# 2. No system call on the lookup path: twice the lookups, the same system
# calls, give or take the once-a-second stat() of the index.
calls() { awk -v s="$2" '$NF == s { print $4 + 0; f = 1 } END { if (!f) print 0 }' "$1"; }
stats() { awk '$NF ~ /stat/ && $NF != "total" { n += $4 } END { print n + 0 }' "$1"; }
if command -v strace >/dev/null 2>&1; then
	for n in 100000 200000; do
		ASAN_OPTIONS=detect_leaks=0 NSS_IANA_INDEX="$tmp/a.idx" strace -f -c -o "$tmp/strace.$n" "$prog" loop $n \
			>"$tmp/loop.$n" 2>&1 || fail "loop $n: $(cat "$tmp/loop.$n")"
		cat "$tmp/loop.$n"
	done
	t100=$(calls "$tmp/strace.100000" total) t200=$(calls "$tmp/strace.200000" total)
	s100=$(stats "$tmp/strace.100000") s200=$(stats "$tmp/strace.200000")
	secs=$(awk '{ printf "%d", $5 + 1 }' "$tmp/loop.200000")
	echo "strace -c: $t100 system calls for 100000 lookups, $t200 for 200000 ($s100 and $s200 of them stat);" \
		"$(awk -v a="$t100" -v b="$t200" 'BEGIN { printf "%.5f", (b - a) / 100000 }') per lookup"
	expect "no system call per lookup, stat aside" "$((t100 - s100))" "$((t200 - s200))"
	[ "$((s200 - s100))" -le "$((secs + 1))" ] && ok ||
		fail "stat calls grew by $((s200 - s100)) over a ${secs}s loop"
	# The control: a system call per lookup does show.
	ASAN_OPTIONS=detect_leaks=0 NSS_IANA_INDEX="$tmp/a.idx" strace -f -c -o "$tmp/strace.control" "$prog" loop 5000 syscall \
		>/dev/null 2>&1 || fail "control loop failed"
	expect "control: strace counts one getppid per lookup" 5000 "$(calls "$tmp/strace.control" getppid)"
else
	fail "strace not installed (apt-get install strace): cannot count system calls"
fi

# 3. ThreadSanitizer: the module and the driver rebuilt with -fsanitize=thread,
# a shorter stress, and not one report.
# A sanitizer build's lib.sh preloads ASan, which TSan programs cannot have.
unset LD_PRELOAD
tsan="$tmp/tsan"
mkdir "$tsan"
cc=${CC:-gcc}
tsan_flags="-fsanitize=thread -g -O1 -pthread -include $top_builddir/config.h -I$top_srcdir/include -I$top_srcdir/src/core"
if ! $cc $tsan_flags -fPIC -shared -fvisibility=hidden \
	-Wl,--version-script="$top_srcdir/nss/nss-iana.map" -o "$tsan/libnss_iana.so.2" \
	"$top_srcdir/nss/nss-iana.c" "$top_srcdir/src/core/index_open.c" \
	"$top_srcdir/src/core/index_validate.c" "$top_srcdir/src/core/index_find.c" \
	"$top_srcdir/src/core/index_entry.c" "$top_srcdir/src/core/index_record.c" \
	"$top_srcdir/src/core/index_current.c" "$top_srcdir/src/core/index_watch.c" >"$tsan/build.log" 2>&1 ||
   ! $cc $tsan_flags -o "$tsan/stress-reload" "$top_srcdir/tests/stress-reload.c" >>"$tsan/build.log" 2>&1; then
	cat "$tsan/build.log" >&2
	fail "THREADSANITIZER BUILD FAILED with $cc: the race check did not run"
	finish
	exit 1
fi
expect_match "the TSan module is instrumented" "__tsan_read" "$(nm -D --undefined-only "$tsan/libnss_iana.so.2")"

export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
# The self-test: a race on purpose must be reported and fail the run. Some
# kernels' address-space layouts defeat TSan; without ASLR it runs.
runner=
selftest() { $runner "$tsan/stress-reload" race >"$tsan/selftest.log" 2>&1 && r=0 || r=$?; echo $r; }
rc=$(selftest)
if [ "$rc" != 66 ] || ! grep -q "WARNING: ThreadSanitizer: data race" "$tsan/selftest.log"; then
	echo "TSan does not run as is (exit $rc): $(head -n 3 "$tsan/selftest.log"); retrying with setarch -R"
	runner="setarch $(uname -m) -R"
	rc=$(selftest)
fi
if [ "$rc" != 66 ] || ! grep -q "WARNING: ThreadSanitizer: data race" "$tsan/selftest.log"; then
	cat "$tsan/selftest.log" >&2
	fail "THREADSANITIZER CANNOT RUN HERE (self-test exit $rc, even with setarch -R): the race check did not run"
	finish
	exit 1
fi
echo "TSan self-test: a deliberate race is reported (exit 66)${runner:+, under $runner}"

stress "$tmp/tsan.log" "$tsan/stress-reload" 200 15000 env LD_LIBRARY_PATH="$tsan" $runner &&
	rc=0 || rc=$?
reports=$(grep -c "WARNING: ThreadSanitizer" "$tmp/tsan.log" || true)
sed 's/^/tsan: /' "$tmp/tsan.log"
echo "ThreadSanitizer: $reports reports, exit $rc"
expect "TSan run exit status" 0 "$rc"
expect "TSan reports" 0 "$reports"
expect_match "TSan run used the TSan module" "^module: $tsan/libnss_iana.so.2$" "$(cat "$tmp/tsan.log")"
expect_match "TSan stress passes" "^PASS: stress-reload$" "$(cat "$tmp/tsan.log")"
finish
