#!/bin/sh
# SPEC R9 on Debian's netbase /etc/services (issue 13): regenerating the
# file from the old one and the registry loses nothing.
#
#   iana-services compile -o new.idx netbase-services REGISTRY.xml
#   iana-services export -i new.idx -o services.new
#
# Every name, alias and port of netbase's file, each with its own protocol
# and with NULL, is asked through glibc's files backend reading netbase's
# file, through files reading services.new, and through the module on
# new.idx: the answers (s_name, aliases in order, port, protocol) must be
# the same. And the module enumerates each line of services.new once.
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
netbase="$top_srcdir/tests/data/netbase-services"
xml="${REGISTRY_DIR:-}/service-names-port-numbers.2026-08-17.xml"
[ -r "$xml" ] || skip "full registry not found at $xml (set REGISTRY_DIR or --with-registry-dir)"
command -v python3 >/dev/null || skip "python3 not found: tests/gen-services.py lists the queries"
need_root_unshare
export LD_LIBRARY_PATH="$module_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
dump="$top_builddir/tests/nss-dump"

# The data is netbase 6.4's file as dpkg installs it, below a 4-line note.
if command -v md5sum >/dev/null; then
	expect "netbase-services is netbase 6.4's file" 3975f0d8c4e1ecb25f035edfb1ba27ac \
		"$(tail -n +5 "$netbase" | md5sum | cut -d' ' -f1)"
fi

run "$tool" compile -o "$tmp/new.idx" "$netbase" "$xml"
expect "compile exit" 0 "$rc"
expect_match "compile summary" "^[0-9]+ records, [0-9]+ entries" "$out"
expect "compile says nothing else" "" "$err"
"$tool" export -i "$tmp/new.idx" -o "$tmp/services.new"

# name/alias x its protocol, port x its protocol, each also with NULL
python3 "$top_srcdir/tests/gen-services.py" --queries "$netbase" >"$tmp/queries"
queries=$(wc -l <"$tmp/queries" | tr -d ' ')
keys=$(grep -vc ' -$' "$tmp/queries" || true)

cat >"$tmp/run.sh" <<EOT
set -e
mount --bind "$netbase" /etc/services
"$dump" files <"$tmp/queries" >"$tmp/netbase.out"
mount --bind "$tmp/services.new" /etc/services
"$dump" files <"$tmp/queries" >"$tmp/export.out"
NSS_IANA_INDEX="$tmp/new.idx" "$dump" iana <"$tmp/queries" >"$tmp/iana.out"
NSS_IANA_INDEX="$tmp/new.idx" getent -s iana services >"$tmp/getent.out"
EOT
unshare -m sh "$tmp/run.sh"

# differ A B: the number of queries whose answers differ
differ() {
	paste -d '\n' "$1" "$2" | awk 'NR % 2 { a = $0; next } a != $0 { n++ } END { print n + 0 }'
}
d_export=$(differ "$tmp/netbase.out" "$tmp/export.out")
d_iana=$(differ "$tmp/netbase.out" "$tmp/iana.out")
d=$(paste -d '\n' "$tmp/netbase.out" "$tmp/export.out" "$tmp/iana.out" |
	awk 'NR % 3 == 1 { a = $0; next } NR % 3 == 2 { b = $0; next }
	     a != b || a != $0 { n++ } END { print n + 0 }')
echo "netbase: $queries queries ($keys keys by their own protocol, each also with NULL), $d differ" \
	"($d_export on the export, $d_iana through the module)"
paste -d '\n' "$tmp/netbase.out" "$tmp/export.out" "$tmp/iana.out" |
	awk 'NR % 3 == 1 { a = $0; next } NR % 3 == 2 { b = $0; next }
	     a != b || a != $0 { print "netbase: " a; print "export:  " b; print "iana:    " $0 }' |
	head -n 30
expect "queries (722 keys of netbase 6.4 by protocol, and each with NULL)" 1444 "$queries"
expect "answers that differ" 0 "$d"
expect "queries files on netbase's file does not answer" 0 \
	"$(grep -c '	not found$' "$tmp/netbase.out" || true)"

# The issue's examples, by name.
expect "Clearcase/udp" "name Clearcase udp	clearcase 371/udp Clearcase" \
	"$(grep -F 'name Clearcase udp	' "$tmp/iana.out")"
expect "rtmp/ddp" "name rtmp ddp	rtmp 1/ddp" "$(grep -F 'name rtmp ddp	' "$tmp/iana.out")"
expect "zip/ddp" "name zip ddp	zip 6/ddp" "$(grep -F 'name zip ddp	' "$tmp/export.out")"

# getent services through the module: each line of the export once, in order.
grep -v '^#' "$tmp/services.new" | tr -s ' ' >"$tmp/want"
tr -s ' ' <"$tmp/getent.out" >"$tmp/got"
expect "getent -s iana services: the export's lines" "" "$(diff "$tmp/want" "$tmp/got" | head -n 5)"
expect "enumerated entries" "$(wc -l <"$tmp/want")" "$(wc -l <"$tmp/got")"
expect "no line twice" "" "$(sort "$tmp/got" | uniq -d | head -n 3)"
finish
