#!/bin/sh
# The module where the process around it matters (SPEC 1, 5; issue 5 item 4):
# no descriptor on the index after a lookup or across exec, the index opened
# O_CLOEXEC, lookups in children after fork (also forked while other threads
# are inside the module), and NSS_IANA_INDEX ignored in setuid and setgid
# programs (secure_getenv), with a non-setuid control that honours it.
. "$(dirname "$0")/lib.sh"
prog="$top_builddir/tests/privileges"
module="$module_dir/libnss_iana.so.2"
[ -x "$prog" ] || { fail "$prog not built"; finish; exit 1; }
[ -f "$module" ] || { fail "$module not built"; finish; exit 1; }

# Everything the unprivileged user needs goes in $tmp/priv, readable by all.
priv="$tmp/priv"
mkdir "$priv"
cp "$module" "$priv/libnss_iana.so.2"
"$prog" gen good >"$tmp/good.csv"
"$prog" gen attacker >"$tmp/attacker.csv"
"$tool" compile -o "$priv/good.idx" "$tmp/good.csv" >/dev/null
"$tool" compile -o "$priv/attacker.idx" "$tmp/attacker.csv" >/dev/null

# 1. Nothing stays open: not after a lookup, not in a program exec'd after it.
out=$(NSS_IANA_INDEX="$priv/good.idx" "$prog" fds "$priv/libnss_iana.so.2" 2>&1) ||
	fail "descriptors: $out"
echo "$out"
expect_match "no descriptor after a lookup" "mapped 1 time\(s\), 0 descriptor" "$out"
expect_match "none in an exec'd child" "^exec'd child: .* 0 on the index$" "$out"

# The open itself asks for O_CLOEXEC, so that a thread's exec during a
# reload cannot inherit the descriptor either.
if command -v strace >/dev/null 2>&1; then
	NSS_IANA_INDEX="$priv/good.idx" strace -f -e trace=open,openat -o "$tmp/open.trace" \
		"$prog" lookup "$priv/libnss_iana.so.2" priv-ssh >/dev/null 2>&1 ||
		fail "strace of a lookup failed"
	opens=$(grep -F "\"$priv/good.idx\"" "$tmp/open.trace" || true)
	echo "the index opened as: $(echo "$opens" | sed 's/^[0-9]* *//')"
	expect_match "index opened with O_CLOEXEC" "O_CLOEXEC" "$opens"
else
	fail "strace not installed: cannot check that the index is opened O_CLOEXEC"
fi

# 2. fork: a child of a process that has the index mapped, and children
# forked while four threads are in the middle of lookups.
out=$(NSS_IANA_INDEX="$priv/good.idx" "$prog" fork "$priv/libnss_iana.so.2" 2>&1) ||
	fail "fork: $out"
echo "$out"
expect_match "fork" "^PASS: fork$" "$out"

# 3. setuid and setgid: needs root to chown, and setpriv to become nobody.
if [ "$(id -u)" != 0 ]; then
	finish
	skip "setuid and setgid checks need root (chown root, chmod 4755)"
fi
command -v setpriv >/dev/null 2>&1 || { finish; skip "setpriv (util-linux) not installed"; }

# A nosuid mount would make the setuid bit a no-op and the check vacuous.
nosuid() { findmnt -n -o OPTIONS -T "$1" 2>/dev/null | tr ',' '\n' | grep -qx nosuid; }
if nosuid "$priv"; then
	echo "$priv is on a nosuid mount; using the build tree"
	priv2="$top_builddir/tests/privileges-suid.$$"
	rm -rf "$priv2"
	cp -R "$priv" "$priv2"
	priv="$priv2"
	trap 'rm -rf "$tmp" "$priv2"' EXIT
	nosuid "$priv" && { finish; skip "both $tmp and $top_builddir are on nosuid mounts"; }
fi
cp "$prog" "$priv/plain"
cp "$prog" "$priv/suid"
cp "$prog" "$priv/sgid"
chown -R root:root "$priv"
chmod 755 "$priv" "$priv/plain" "$priv/suid" "$priv/sgid"
chmod 4755 "$priv/suid"
chmod 2755 "$priv/sgid"
chmod 644 "$priv/libnss_iana.so.2" "$priv/good.idx" "$priv/attacker.idx"
chmod 755 "$tmp"
setpriv --reuid=65534 --regid=65534 --clear-groups -- test -x "$priv/plain" ||
	{ fail "nobody cannot reach $priv/plain (a parent directory is not searchable)"; finish; exit 1; }

as_nobody() {
	NSS_IANA_INDEX="$priv/attacker.idx" setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		"$priv/$1" lookup "$priv/libnss_iana.so.2" attacker-svc 2>&1 || echo "exit $?"
}

# The control: an ordinary program run by nobody does read NSS_IANA_INDEX,
# so the test can tell the difference.
out=$(as_nobody plain)
echo "not setuid, as nobody: $out"
expect_match "control: NSS_IANA_INDEX honoured" \
	"^ruid=65534 euid=65534 .*at_secure=0 NSS_IANA_INDEX=set answer: attacker-svc 31337/tcp$" "$out"

for kind in suid sgid; do
	out=$(as_nobody "$kind")
	echo "$kind root, as nobody: $out"
	if [ "$kind" = suid ]; then ids="ruid=65534 euid=0 rgid=65534 egid=65534"; else ids="ruid=65534 euid=65534 rgid=65534 egid=0"; fi
	expect_match "$kind: privileged, the variable present" "^$ids at_secure=1 NSS_IANA_INDEX=set " "$out"
	expect_match "$kind: NSS_IANA_INDEX ignored" "answer: (UNAVAIL|NOTFOUND)$" "$out"
done
finish
