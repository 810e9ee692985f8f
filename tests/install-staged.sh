#!/bin/sh
# make install DESTDIR=... on a build machine whose /etc/services and
# /etc/protocols hold entries of their own (SPEC section 10, F4; section 9):
# the staged indexes hold none of them, are byte for byte what compile makes
# of data/ alone (so they watch no file), and the install hook's rebuilds
# (F1) do not run. The indexes are recompiled for the occasion (make -W),
# inside the namespace where the poisoned files are /etc/services and
# /etc/protocols.
. "$(dirname "$0")/lib.sh"
need_root_unshare
[ -e /etc/protocols ] || skip "no /etc/protocols to bind-mount a poisoned copy on"
shipped="$top_srcdir/data/service-names-port-numbers.xml"
pshipped="$top_srcdir/data/protocol-numbers.xml"
srcdir=$(sed -n 's/^srcdir = //p' "$top_builddir/Makefile")
{ cat /etc/services 2>/dev/null || true; printf 'poisoned-xyz\t4242/tcp\tpoisoned-alias\n'; } >"$tmp/poisoned"
{ cat /etc/protocols 2>/dev/null || true; printf 'poisoned-proto\t253\tPOISONED-ALIAS\n'; } >"$tmp/poisoned-protocols"

cat >"$tmp/ns.sh" <<EOT
set -e
mount --bind "$tmp/poisoned" /etc/services
mount --bind "$tmp/poisoned-protocols" /etc/protocols
getent -s files services poisoned-xyz
getent -s files protocols poisoned-proto
cd "$top_builddir"
env -u MAKEFLAGS -u MFLAGS ${MAKE:-make} install DESTDIR="$tmp/dest" \
	-W "$srcdir/data/service-names-port-numbers.xml" -W "$srcdir/data/protocol-numbers.xml" \
	>"$tmp/make.out" 2>&1
printf 'poisoned-later\t4243/tcp\n' >>/etc/services
printf 'poisoned-later\t252\n' >>/etc/protocols
"$tool" check -i "\$(find "$tmp/dest" -name services.idx)" >"$tmp/check.out" 2>&1 || true
"$tool" check -i "\$(find "$tmp/dest" -name protocols.idx)" >"$tmp/pcheck.out" 2>&1 || true
EOT
run unshare -m sh "$tmp/ns.sh"
expect_match "the build machine's /etc/services is poisoned" "^poisoned-xyz +4242/tcp poisoned-alias$" \
	"$(echo "$out" | grep '^poisoned-xyz')"
expect_match "the build machine's /etc/protocols is poisoned" "^poisoned-proto +253 POISONED-ALIAS$" \
	"$(echo "$out" | grep '^poisoned-proto')"
expect "make install DESTDIR=...: exit" 0 "$rc"
[ "$rc" = 0 ] || { echo "$err"; tail -n 20 "$tmp/make.out"; finish; exit 1; }
expect_match "the index was compiled again" "(GEN +|compile -o )services.idx" "$(cat "$tmp/make.out")"
expect_match "the protocols index was compiled again" "(GEN +|compile -o )protocols.idx" "$(cat "$tmp/make.out")"
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

pidx=$(find "$tmp/dest" -name protocols.idx)
expect_match "the protocols index staged" "/var/lib/nss-iana/protocols.idx$" "$pidx"
for k in poisoned-proto POISONED-ALIAS 253; do
	expect "protocols $k: nothing of the poisoned line" "" \
		"$(LD_LIBRARY_PATH="$module_dir" NSS_IANA_PROTOCOLS_INDEX="$pidx" getent -s iana protocols "$k" | grep -i poisoned || true)"
done
expect_match "protocols: no watched file: check after /etc/protocols changed" "^$pidx: ok" "$(cat "$tmp/pcheck.out")"
"$tool" compile -o "$tmp/pshipped.idx" "$pshipped" >/dev/null
cmp -s "$pidx" "$tmp/pshipped.idx" && ok || fail "the staged protocols index is not compile's of data/ alone"
expect "nothing else beside the indexes" "protocols.idx services.idx" "$(ls "$(dirname "$idx")" | tr '\n' ' ' | sed 's/ $//')"
finish
