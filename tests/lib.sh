# lib.sh: sourced by the test scripts.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu

: "${top_builddir:?run me through make check}"
: "${top_srcdir:?run me through make check}"
module_dir="$top_builddir/.libs"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nss-iana-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The tool, run under $TEST_WRAPPER (valgrind) when make check sets one.
tool="$tmp/iana-services"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${TEST_WRAPPER:-}" "$top_builddir/iana-services" >"$tool"
chmod +x "$tool"

# A sanitizer build's module and shim run inside getent, python3 and perl
# only with the sanitizer runtimes loaded first: wrappers of those three,
# first in PATH, load them (not every program tolerates them: dd does not).
# Whoever preloads the shim puts $san_preload before it. The clients' own
# leaks are not ours.
san_preload=
if [ -n "${SANITIZER_CFLAGS:-}" ]; then
	san_preload="$(${CC:-cc} -print-file-name=libasan.so) $(${CC:-cc} -print-file-name=libubsan.so)"
	mkdir "$tmp/san-bin"
	for prog in getent python3 perl; do
		real=$(command -v "$prog") || continue
		cat >"$tmp/san-bin/$prog" <<EOT
#!/bin/sh
LD_PRELOAD="$san_preload\${LD_PRELOAD:+ \$LD_PRELOAD}" ASAN_OPTIONS="detect_leaks=0\${ASAN_OPTIONS:+:\$ASAN_OPTIONS}" exec "$real" "\$@"
EOT
		chmod +x "$tmp/san-bin/$prog"
	done
	PATH="$tmp/san-bin:$PATH"
	export PATH
fi
failures=0
checks=0

# skip WHY: exit 77, which automake reports as SKIP; said loudly, never a pass.
skip() {
	echo "SKIPPED, NOT PASSED: $*" >&2
	exit 77
}

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

ok() {
	checks=$((checks + 1))
}

# expect WHAT EXPECTED ACTUAL
expect() {
	if [ "$2" = "$3" ]; then ok; else fail "$1: expected [$2], got [$3]"; fi
}

# expect_match WHAT REGEX ACTUAL
expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok; else fail "$1: [$3] does not match /$2/"; fi
}

# run CMD...: sets out, err and rc, whatever the command's status
run() {
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	set -e
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

finish() {
	echo "$checks checks, $failures failures"
	[ "$failures" -eq 0 ]
}

registry_csv() {
	f="${REGISTRY_DIR:-}/service-names-port-numbers.2024-06.csv"
	[ -r "$f" ] || skip "full registry not found at $f (set REGISTRY_DIR or --with-registry-dir)"
	echo "$f"
}

# services_queries < SERVICES: for nss-dump, every name and alias of a
# services(5) file and every port, each with tcp, udp and no protocol,
# sorted (comments and lines of fewer than two fields left out).
services_queries() {
	sed 's/#.*//' | awk 'NF >= 2 {
		split($2, pp, "/")
		for (i = 1; i <= NF; i++) if (i != 2) names[$i] = 1
		ports[pp[1]] = 1
	} END {
		for (n in names) for (p = 1; p <= 3; p++) print "name", n, (p == 1 ? "tcp" : p == 2 ? "udp" : "-")
		for (n in ports) for (p = 1; p <= 3; p++) print "port", n, (p == 1 ? "tcp" : p == 2 ? "udp" : "-")
	}' | sort
}

need_root_unshare() {
	[ "$(id -u)" = 0 ] || skip "needs root for unshare -m"
	unshare -m true 2>/dev/null || skip "unshare -m does not work here"
}
