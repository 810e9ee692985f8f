#!/bin/sh
# SPEC L4 over the full registry: for every name and port, with tcp, udp and
# no protocol, and for the whole enumeration, the module answers exactly what
# glibc's files backend answers from the file `iana-services export` wrote.
. "$(dirname "$0")/lib.sh"
csv=$(registry_csv)
need_root_unshare
export LD_LIBRARY_PATH="$module_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export NSS_IANA_INDEX="$tmp/full.idx"
dump="$top_builddir/tests/nss-dump"

"$tool" compile -o "$NSS_IANA_INDEX" "$csv" >/dev/null 2>"$tmp/diag"
"$tool" export -i "$NSS_IANA_INDEX" -o "$tmp/services"

# Every name and alias as registered, and every port, each with three protocols.
{ services_queries <"$tmp/services"; echo enumerate; } | sort >"$tmp/queries"

cat >"$tmp/run.sh" <<EOT
set -e
mount --bind "$tmp/services" /etc/services
"$dump" files <"$tmp/queries" >"$tmp/files.out"
"$dump" iana <"$tmp/queries" >"$tmp/iana.out"
EOT
unshare -m sh "$tmp/run.sh"

entries=$(grep -vc '^#' "$tmp/services")
queries=$(grep -vc '^enumerate' "$tmp/queries")
found=$(grep -v '^enumerate' "$tmp/files.out" | grep -vc "	not found$" || true)
echo "entries: $entries; queries: $queries ($found found by files); enumerated: $(grep '^enumerated' "$tmp/iana.out" | cut -f2)"
differences=$(diff "$tmp/files.out" "$tmp/iana.out" | grep -c '^[<>]' || true)
echo "differences: $differences"
diff "$tmp/files.out" "$tmp/iana.out" | head -n 20
expect "differences between files and iana" 0 "$differences"
expect "enumeration covers every entry" "enumerated	$entries" "$(grep '^enumerated' "$tmp/iana.out")"
[ "$found" -gt 10000 ] && ok || fail "too few answers from files ($found): is the export mounted?"
finish
