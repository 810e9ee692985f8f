#!/bin/sh
# iana-services rebuild (SPEC section 10, F3): the registry kept by the last
# update, or the shipped one when nothing is kept or it is newer, compiled
# after today's local files; no network.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/update-lib.sh"
shipped="$top_srcdir/data/service-names-port-numbers.xml"
export IANA_SERVICES_SHIPPED_REGISTRY="$tmp/none.xml"
# no network at all when this machine lets us make a namespace without one
offline=
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then offline="unshare -n"; fi
rebuild() { run $offline "$tool" rebuild -i "$idx" "$@"; }

rebuild
expect "nothing kept, nothing shipped: exit" 2 "$rc"
expect_match "nothing kept, nothing shipped: message" "$tmp/none.xml: No such file or directory" "$err"

cp "$OLD" "$tmp/mirror.xml"
run "$tool" update -i "$idx" --url "file://$tmp/mirror.xml"
expect "update from file://" 0 "$rc"
printf 'myservice 4242/tcp\n' >"$tmp/etc-services"
export IANA_SERVICES_DEFAULT_LOCAL="$tmp/etc-services:$tmp/local.services"
before=$(cat "$dir/services.http")
rebuild
expect "rebuild: exit" 0 "$rc"
expect "rebuild: the kept registry" "$idx: installed, registry updated 2024-03-18" "$(echo "$out" | tail -n 1)"
expect_match "rebuild: the local file merged" "^myservice +4242/tcp" "$("$tool" lookup -i "$idx" myservice)"
expect "rebuild: the validators kept" "$before" "$(cat "$dir/services.http")"
printf 'another 4243/tcp\n' >"$tmp/local.services"
rebuild
expect_match "rebuild: the second local file" "^another +4243/tcp" "$("$tool" lookup -i "$idx" 4243 tcp)"
"$tool" export -i "$idx" -o "$tmp/services"
expect "rebuild: local files first, in order" "myservice another" \
	"$(grep -v '^#' "$tmp/services" | head -n 2 | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"

# the shipped registry, newer than the kept one, wins
export IANA_SERVICES_SHIPPED_REGISTRY="$shipped"
rebuild
expect "newer shipped registry: installed" "$idx: installed, registry updated 2026-08-17" "$(echo "$out" | tail -n 1)"
# and is the fallback when nothing is kept
rm "$dir/services.registry"
rebuild
expect "nothing kept: the shipped registry" "0 $idx: installed, registry updated 2026-08-17" "$rc $(echo "$out" | tail -n 1)"

# the guards hold: an older kept registry does not replace a newer index
cp "$OLD" "$dir/services.registry"
export IANA_SERVICES_SHIPPED_REGISTRY="$tmp/none.xml"
snap=$(snapshot)
rebuild
expect "older kept registry: refused" 2 "$rc"
expect_match "older kept registry: message" "older than the installed index's 2026-08-17; refused" "$err"
expect "older kept registry: untouched" "$snap" "$(snapshot)"
rebuild --force
expect "older kept registry, --force" 0 "$rc"
# a local file that does not compile: nothing installed
printf 'broken line without a port\n' >"$tmp/local.services"
snap=$(snapshot)
rebuild
expect "bad local file: exit" 2 "$rc"
expect_match "bad local file: message" "^iana-services: $tmp/local.services:1: " "$err"
expect "bad local file: untouched" "$snap" "$(snapshot)"
expect "nothing beside the index" "services.http services.idx services.registry " "$(ls -A "$dir" | tr '\n' ' ')"
finish
