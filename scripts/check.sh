#!/bin/sh
# The whole test suite, on the tree quickstart.sh built in build/: unit and
# end-to-end tests, then `make distcheck`.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
cd "$(dirname "$0")/../build"
status=0
make -j"$(nproc)" check || status=1
pass=$(awk '/^# PASS:/ { print $3 }' test-suite.log)
fail=$(awk '/^# (FAIL|ERROR|XPASS):/ { n += $3 } END { print n + 0 }' test-suite.log)
skip=$(awk '/^# SKIP:/ { print $3 }' test-suite.log)
if [ "$skip" != 0 ]; then
	echo "check: $skip test(s) SKIPPED:" >&2
	grep -l '^SKIP' tests/*.log >&2 || true
	status=1
fi
[ "$status" = 0 ] && { make -j"$(nproc)" distcheck >distcheck.log 2>&1 || {
	tail -n 40 distcheck.log >&2; echo "check: make distcheck failed" >&2; status=1; }; }
echo "make check: $pass passed, $fail failed, $skip skipped"
exit $status
