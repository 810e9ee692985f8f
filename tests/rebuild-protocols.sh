#!/bin/sh
# iana-services rebuild --database protocols (SPEC 9, section 10 F2/F3):
# the local protocols(5) files first, then the kept or shipped Protocol
# Numbers registry, watched; every key of netbase's file answered through
# the module as glibc's files answers it; an edit of a local file makes
# `check` exit 1 naming it, until the next rebuild; the services database
# is left alone.
. "$(dirname "$0")/lib.sh"
shipped="$top_srcdir/data/protocol-numbers.xml"
dir="$tmp/var"
idx="$dir/protocols.idx"
mkdir "$dir"
export IANA_SERVICES_SHIPPED_PROTOCOLS_REGISTRY="$tmp/none.xml"
export IANA_SERVICES_DEFAULT_LOCAL_PROTOCOLS="$tmp/etc-protocols:$tmp/local.protocols"
# the services database's defaults: nothing of this machine's
export IANA_SERVICES_DEFAULT_LOCAL= IANA_SERVICES_SHIPPED_REGISTRY="$top_srcdir/tests/data/seed-excerpt.txt"
offline=
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then offline="unshare -n"; fi
rebuild() { run $offline "$tool" rebuild --database protocols -i "$idx" "$@"; }
norm() { tr -s ' \t' '  '; }
nss() { # nss KEY: what the built module answers from $idx alone
	if a=$(LD_LIBRARY_PATH="$module_dir" NSS_IANA_PROTOCOLS_INDEX="$idx" \
		getent -s iana protocols "$1" 2>&1); then echo "$a" | norm; else echo "exit $?"; fi
}

rebuild
expect "nothing kept, nothing shipped: exit" 2 "$rc"
expect_match "nothing kept, nothing shipped: message" "$tmp/none.xml: No such file or directory" "$err"
expect "nothing kept, nothing shipped: nothing written" "" "$(ls -A "$dir")"

# netbase's file as this machine has it (so that files answers the same),
# or one made of its best-known lines
if [ -s /etc/protocols ]; then
	cp /etc/protocols "$tmp/etc-protocols"
	files=yes
else
	printf 'ip\t0\tIP\nicmp\t1\tICMP\ntcp\t6\tTCP\nudp\t17\tUDP\nospf\t89\tOSPFIGP\nmptcp\t262\tMPTCP\n' \
		>"$tmp/etc-protocols"
	files=
	echo "NOTE: no /etc/protocols here: the equivalence with glibc's files is not checked"
fi
printf 'myproto\t253\tMYPROTO\t# a local line\n' >>"$tmp/etc-protocols"
export IANA_SERVICES_SHIPPED_PROTOCOLS_REGISTRY="$shipped"
rebuild
expect "rebuild: exit" 0 "$rc"
expect "rebuild: the shipped registry" "$idx: installed, registry updated 2026-03-09" "$(echo "$out" | tail -n 1)"
expect "rebuild: nothing beside the index" "protocols.idx" "$(ls -A "$dir")"
expect "NSS: the local line" "myproto 253 MYPROTO" "$(nss myproto)"
expect "NSS: 253, the local line before the registry" "myproto 253 MYPROTO" "$(nss 253)"
expect "NSS: a registry keyword" "aggfrag 144 AGGFRAG" "$(nss AGGFRAG)"
expect_match "lookup: the local line's source" "^  source +$tmp/etc-protocols:[0-9]+$" \
	"$("$tool" lookup -i "$idx" myproto | grep '^  source')"

# P3: every name, alias and number of the local file, as files answers it
if [ -n "$files" ]; then
	differ=0
	keys=$(awk '/^[^#]/ && NF >= 2 { sub(/#.*/, ""); for (i = 1; i <= NF; i++) print $i }' /etc/protocols | sort -u)
	for k in $keys; do
		want=$(getent -s files protocols "$k" | norm) || want="exit $?"
		got=$(nss "$k")
		[ "$got" = "$want" ] || { echo "protocols $k: [$got], files says [$want]" >&2; differ=$((differ + 1)); }
	done
	echo "$(echo "$keys" | wc -l) keys of /etc/protocols, $differ answered otherwise than files"
	expect "every key of /etc/protocols as files answers it" 0 "$differ"
fi

# F2: the absent local.protocols is watched too; creating it makes the
# index stale, and check says which file, until the next rebuild
run "$tool" check -i "$idx"
expect "check: fresh" 0 "$rc"
printf 'another\t252\n' >"$tmp/local.protocols"
run "$tool" check -i "$idx"
expect "check after local.protocols appeared: exit" 1 "$rc"
expect_match "check: names the file" "$tmp/local.protocols" "$err"
expect "NSS while stale: UNAVAIL" "exit 2" "$(nss tcp)"
rebuild
expect "rebuild after the edit: exit" 0 "$rc"
run "$tool" check -i "$idx"
expect "check after the rebuild" 0 "$rc"
expect "NSS: the second local file" "another 252" "$(nss another)"
printf 'myproto\t253\tMYPROTO\tmy-alias\n' >>"$tmp/etc-protocols"
run "$tool" check -i "$idx"
expect "check after etc-protocols was edited: exit" 1 "$rc"
expect_match "check: names etc-protocols" "$tmp/etc-protocols" "$err"
rebuild
"$tool" export -i "$idx" -o "$tmp/protocols"
expect "rebuild: local files first, in order" "ip another" \
	"$(grep -v '^#' "$tmp/protocols" | awk 'NR == 1 || $1 == "another" { print $1 }' | tr '\n' ' ' | sed 's/ $//')"

# the kept registry, when newer than the shipped one, wins
sed 's|<updated>2026-03-09</updated>|<updated>2099-01-01</updated>|' "$shipped" >"$dir/protocols.registry"
rebuild
expect "newer kept registry" "0 $idx: installed, registry updated 2099-01-01" "$rc $(echo "$out" | tail -n 1)"
# and the guard holds: the shipped one, older, does not replace it
rm "$dir/protocols.registry"
snap=$(stat -c '%i %.9Y' "$idx"; sha256sum <"$idx")
rebuild
expect "older shipped registry: refused" 2 "$rc"
expect_match "older shipped registry: message" "older than the installed index's 2099-01-01; refused" "$err"
rebuild --force
expect "older shipped registry, --force" 0 "$rc"

# a local line that does not compile: nothing installed
printf 'broken-line-without-a-number\n' >"$tmp/local.protocols"
snap=$(stat -c '%i %.9Y' "$idx"; sha256sum <"$idx")
rebuild
expect "bad local file: exit" 2 "$rc"
expect_match "bad local file: message" "^iana-services: $tmp/local.protocols:1: " "$err"
expect "bad local file: untouched" "$snap" "$(stat -c '%i %.9Y' "$idx"; sha256sum <"$idx")"
rm "$tmp/local.protocols"

# the databases stay apart: rebuild without --database is services, from
# its own defaults; neither rebuild replaces an index of the other
run "$tool" rebuild -i "$dir/services.idx"
expect "services rebuild: exit" 0 "$rc"
expect_match "services rebuild: the services registry" "neo4j +7474/tcp" "$("$tool" lookup -i "$dir/services.idx" neo4j)"
run "$tool" rebuild -i "$idx"
expect "services rebuild over the protocols index: exit" 2 "$rc"
expect "services rebuild over the protocols index: message" \
	"iana-services: $idx: the installed index holds the protocols database, not services; refused" "$err"
run "$tool" rebuild --database protocols -i "$dir/services.idx"
expect "protocols rebuild over the services index: exit" 2 "$rc"
finish
