#!/bin/sh
# make install DESTDIR=... on a build machine whose /etc/services holds a
# service of its own (SPEC section 10, F4): the staged index holds none of
# it, is byte for byte what compile makes of data/ alone (so it watches no
# file), and the install hook's rebuild (F1) does not run. The index is
# recompiled for the occasion (make -W), inside the namespace where the
# poisoned file is /etc/services.
. "$(dirname "$0")/lib.sh"
need_root_unshare
shipped="$top_srcdir/data/service-names-port-numbers.xml"
srcdir=$(sed -n 's/^srcdir = //p' "$top_builddir/Makefile")
{ cat /etc/services 2>/dev/null || true; printf 'poisoned-xyz\t4242/tcp\tpoisoned-alias\n'; } >"$tmp/poisoned"

cat >"$tmp/ns.sh" <<EOT
set -e
mount --bind "$tmp/poisoned" /etc/services
getent -s files services poisoned-xyz
cd "$top_builddir"
env -u MAKEFLAGS -u MFLAGS ${MAKE:-make} install DESTDIR="$tmp/dest" \
	-W "$srcdir/data/service-names-port-numbers.xml" >"$tmp/make.out" 2>&1
printf 'poisoned-later\t4243/tcp\n' >>/etc/services
"$tool" check -i "\$(find "$tmp/dest" -name services.idx)" >"$tmp/check.out" 2>&1 || true
EOT
run unshare -m sh "$tmp/ns.sh"
expect_match "the build machine's /etc/services is poisoned" "^poisoned-xyz +4242/tcp poisoned-alias$" "$out"
expect "make install DESTDIR=...: exit" 0 "$rc"
[ "$rc" = 0 ] || { echo "$err"; tail -n 20 "$tmp/make.out"; finish; exit 1; }
expect_match "the index was compiled again" "(GEN +|compile -o )services.idx" "$(cat "$tmp/make.out")"
expect "the hook's rebuild did not run" "" "$(grep ' rebuild ' "$tmp/make.out")"

idx=$(find "$tmp/dest" -name services.idx)
expect_match "the index staged" "/var/lib/nss-iana/services.idx$" "$idx"
run "$tool" lookup -i "$idx" poisoned-xyz
expect "poisoned-xyz: not in the staged index" 1 "$rc"
run "$tool" lookup -i "$idx" poisoned-alias
expect "poisoned-alias: not in the staged index" 1 "$rc"
expect "4242/tcp: nothing of the poisoned line" "" "$("$tool" lookup -i "$idx" 4242 tcp | grep -i poisoned || true)"
# watches nothing: check passed after the poisoned file changed, and the
# bytes are those of compile without --watch
expect_match "no watched file: check after /etc/services changed" "^$idx: ok" "$(cat "$tmp/check.out")"
"$tool" compile -o "$tmp/shipped.idx" "$shipped" >/dev/null
cmp -s "$idx" "$tmp/shipped.idx" && ok || fail "the staged index is not compile's of data/ alone"
expect "nothing else beside the index" "services.idx" "$(ls "$(dirname "$idx")")"
finish
