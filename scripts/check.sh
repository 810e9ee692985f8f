#!/bin/sh
# The whole test suite, on the tree quickstart.sh built in build/:
#   1. make check                      unit and end-to-end tests
#   2. make distcheck                  the release tarball builds, installs, passes
#   3. ASan + UBSan build, make check  (build-sanitizers/)
#   4. make check-valgrind             every unit test and tool call under memcheck
#   5. make fuzz-smoke                 each libFuzzer harness for a few seconds
#   6. tests/debian-install.sh         the Debian packages built, installed, removed
#                                      and purged in a throw-away root (one test)
# Any failure, and any skipped test, fails the whole.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
failed=""
total_pass=0
total_fail=0
total_skip=0

# tally DIR: add up DIR/test-suite.log
tally() {
	p=$(awk '/^# PASS:/ { print $3 }' "$1/test-suite.log" 2>/dev/null)
	f=$(awk '/^# (FAIL|ERROR|XPASS):/ { n += $3 } END { print n + 0 }' "$1/test-suite.log" 2>/dev/null)
	s=$(awk '/^# SKIP:/ { print $3 }' "$1/test-suite.log" 2>/dev/null)
	total_pass=$((total_pass + ${p:-0}))
	total_fail=$((total_fail + ${f:-0}))
	total_skip=$((total_skip + ${s:-0}))
	if [ "${s:-0}" != 0 ]; then
		echo "check: SKIPPED in $1:" >&2
		grep -l '^SKIP' "$1"/tests/*.log >&2 || true
		failed="$failed skipped-tests"
	fi
}

step() { # step NAME CMD...
	name=$1
	shift
	echo "== $name"
	if ! "$@"; then
		echo "check: $name FAILED" >&2
		failed="$failed $name"
	fi
}

cd "$top/build"
step "make check" make -j"$jobs" check
tally "$top/build"
step "make distcheck" sh -c "make -j$jobs distcheck >distcheck.log 2>&1 || { tail -n 60 distcheck.log; exit 1; }"

mkdir -p "$top/build-sanitizers"
cd "$top/build-sanitizers"
[ -f Makefile ] || "$top/configure" --enable-sanitizers --enable-werror --quiet
step "sanitizers: make check" make -j"$jobs" check
tally "$top/build-sanitizers"

cd "$top/build"
step "make check-valgrind" make -j"$jobs" check-valgrind
tally "$top/build"
step "make fuzz-smoke" make fuzz-smoke

# debian_install: one test in the tally; exit 77 is a skip, and fails the whole
debian_install() {
	sh "$top/tests/debian-install.sh"
	rc=$?
	case $rc in
	0) total_pass=$((total_pass + 1)) ;;
	77) total_skip=$((total_skip + 1)); failed="$failed skipped-tests" ;;
	*) total_fail=$((total_fail + 1)) ;;
	esac
	return $rc
}
step "debian packages" debian_install

echo "check: $total_pass passed, $total_fail failed, $total_skip skipped"
if [ -n "$failed" ]; then
	echo "check: FAILED:$failed" >&2
	exit 1
fi
echo "check: all steps passed"
