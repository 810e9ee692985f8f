#!/bin/sh
# iana-services update against the tests' own HTTP server: the first run
# installs, the second sends the validators and gets a 304 that leaves the
# index as it was, a new version installs and a running process sees it;
# --dry-run, --local and --export; a file:// URL.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/update-lib.sh"
start_server
url="http://127.0.0.1:$port/assignments/service-names-port-numbers.xml"
up() { run "$tool" update -i "$idx" --url "$url" "$@"; }

# ---- first run: installs OLD ----
mode serve "$OLD"
up
expect "first run: exit" 0 "$rc"
expect "first run: requests" 1 "$(requests)"
expect_match "first run: summary" "^[0-9]+ records, [0-9]+ entries" "$(echo "$out" | head -n 1)"
expect "first run: installed" "$idx: installed, registry updated 2024-03-18" "$(echo "$out" | tail -n 1)"
expect "first run: the files beside the index" "services.http services.idx services.registry " \
	"$(ls -A "$dir" | tr '\n' ' ')"
cmp -s "$OLD" "$dir/services.registry" && ok || fail "the download is not kept as services.registry"
expect_match "first run: ETag kept" '^etag "[0-9a-f]+"$' "$(grep '^etag ' "$dir/services.http")"
expect_match "first run: Last-Modified kept" '^last-modified [A-Z][a-z][a-z], ' "$(grep '^last-modified ' "$dir/services.http")"
expect "first run: first request sent no validators" "inm=- ims=- -> 200" \
	"$(sed -n 1p "$srv/requests" | cut -d' ' -f2-)"
# the same bytes as compile's of the same file (named as the URL names it)
mkdir "$tmp/c"
cp "$OLD" "$tmp/c/service-names-port-numbers.xml"
"$tool" compile -o "$tmp/old.idx" "$tmp/c/service-names-port-numbers.xml" >/dev/null 2>&1
cmp -s "$idx" "$tmp/old.idx" && ok || fail "update's index differs from compile's of the same registry"
run "$tool" lookup -i "$idx" tacacss tcp
expect "OLD has no tacacss" 1 "$rc"

# ---- second run: 304, nothing touched ----
before=$(snapshot)
sleep 1.1      # an mtime that changed would show
up
expect "second run: exit" 0 "$rc"
expect "second run: message" "up to date" "$out"
expect "second run: requests" 2 "$(requests)"
expect_match "second run: validators sent" '^inm="[0-9a-f]+" ims=[A-Z][a-z][a-z], .* -> 304$' \
	"$(sed -n 2p "$srv/requests" | cut -d' ' -f2-)"
expect "second run: index, inode and mtime untouched" "$before" "$(snapshot)"

# ---- a new version: installed, and seen by a running process ----
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	how="the module, through nsswitch.conf"
	echo "services: iana" >"$tmp/nsswitch.conf"
	cat >"$tmp/watch.sh" <<EOT
mount --bind "$tmp/nsswitch.conf" /etc/nsswitch.conf
export LD_LIBRARY_PATH="$module_dir" NSS_IANA_INDEX="$idx"
exec python3 "$tmp/watch.py"
EOT
	watch() { timeout 60 unshare -m sh "$tmp/watch.sh"; }
else
	how="the LD_PRELOAD shim"
	watch() { LD_PRELOAD="${san_preload:+$san_preload }$module_dir/libiana-preload.so" \
		NSS_IANA_INDEX="$idx" timeout 60 python3 "$tmp/watch.py"; }
fi
cat >"$tmp/watch.py" <<'EOT'
import socket, sys, time
last, end = None, time.time() + 30
while time.time() < end:
    try:
        r = socket.getservbyname("tacacss", "tcp")
    except OSError:
        r = "notfound"
    if r != last:
        print("%.3f %s" % (time.time(), r), flush=True)
        last = r
    if r == 300:
        break
    time.sleep(0.01)
EOT
watch >"$tmp/watch.out" 2>&1 &
watcher=$!
n=0
until grep -q notfound "$tmp/watch.out" || [ "$n" -gt 100 ]; do n=$((n + 1)); sleep 0.1; done
expect "running process: old answer first" notfound "$(cut -d' ' -f2 "$tmp/watch.out" | head -n 1)"
mode serve "$NEW"
up
installed_at=$(date +%s.%N)
expect "new version: exit" 0 "$rc"
expect "new version: requests" 3 "$(requests)"
expect "new version: installed" "$idx: installed, registry updated 2026-08-17" "$(echo "$out" | tail -n 1)"
cmp -s "$NEW" "$dir/services.registry" && ok || fail "the new download is not kept"
wait "$watcher" || true
seen_at=$(awk '$2 == 300 { print $1 }' "$tmp/watch.out")
if [ -n "$seen_at" ]; then
	latency=$(awk -v a="$installed_at" -v b="$seen_at" 'BEGIN { d = b - a; printf "%.2f", d < 0 ? 0 : d }')
	echo "running process ($how) saw the new index after ${latency}s"
	awk -v l="$latency" 'BEGIN { exit !(l <= 2.5) }' && ok || fail "new answer after ${latency}s"
else
	fail "the running process never saw tacacss 300/tcp: $(cat "$tmp/watch.out")"
fi
run "$tool" lookup -i "$idx" tacacss tcp
expect "NEW has tacacss" 0 "$rc"
up
expect "new version, again: up to date" "0 up to date" "$rc $out"

# ---- --dry-run: the diff, nothing installed ----
sed -e 's|<updated>2026-08-17</updated>|<updated>2026-09-01</updated>|' \
	-e 's|<description>TLS Secure Login Host Protocol (TACACSS)</description>|<description>TACACS over TLS</description>|' \
	"$NEW" >"$tmp/newer.xml"
mode serve "$tmp/newer.xml"
before=$(snapshot; cat "$dir/services.http")
up --dry-run
expect "dry run: exit" 0 "$rc"
expect_match "dry run: the change" '^changed +tacacss 300/tcp +description: "TLS Secure Login Host Protocol \(TACACSS\)" -> "TACACS over TLS"$' "$out"
expect "dry run: summary" "0 added, 0 removed, 1 changed" "$(echo "$out" | grep 'added,')"
expect "dry run: last line" "dry run: nothing installed" "$(echo "$out" | tail -n 1)"
expect "dry run: nothing written" "$before" "$(snapshot; cat "$dir/services.http")"
expect "dry run: requests" 5 "$(requests)"

# ---- local files first, --local, --export ----
printf '# the machine'"'"'s own\nmyhttp 80/tcp\n' >"$tmp/etc-services"
printf 'myservice 4242/tcp my-alias\nwhois 43/tcp nicname-local\n' >"$tmp/local"
: >"$tmp/empty-local"
IANA_SERVICES_DEFAULT_LOCAL="$tmp/etc-services:$tmp/nonexistent:$tmp/empty-local" \
	up --local "$tmp/local" --export "$tmp/services"
expect "local files: exit" 0 "$rc"
expect_match "local files: installed" "registry updated 2026-09-01$" "$(echo "$out" | tail -n 1)"
expect "default local file first" "myhttp          80/tcp" "$(grep -v '^#' "$tmp/services" | head -n 1)"
expect "--local merged" "myservice       4242/tcp my-alias" "$(grep '^myservice ' "$tmp/services")"
expect_match "--local alias on a registry entry" "^whois +43/tcp .*nicname-local" "$(grep '^whois .*43/tcp' "$tmp/services")"
"$tool" export -i "$idx" -o "$tmp/services.again"
cmp -s "$tmp/services" "$tmp/services.again" && ok || fail "--export differs from export of the index"
run "$tool" lookup -i "$idx" 80 tcp
expect_match "port 80 answers the local line" "^myhttp +80/tcp" "$out"

# --export is left as it was when the update fails
mode html
before=$(sha256sum <"$tmp/services")
up --export "$tmp/services"
expect "failed update: exit" 2 "$rc"
expect "failed update: export untouched" "$before" "$(sha256sum <"$tmp/services")"
expect "failed update: nothing beside the export" "services services.again" \
	"$(ls -A "$tmp" | grep '^services' | tr '\n' ' ' | sed 's/ $//')"

# ---- a file:// URL, conditional on its mtime ----
fdir="$tmp/fvar"
mkdir "$fdir"
cp "$NEW" "$tmp/mirror.xml"
run "$tool" update -i "$fdir/services.idx" --url "file://$tmp/mirror.xml"
expect "file://: exit" 0 "$rc"
run "$tool" update -i "$fdir/services.idx" --url "file://$tmp/mirror.xml"
expect "file://, again: up to date" "0 up to date" "$rc $out"
touch -d '+1 minute' "$tmp/mirror.xml"
run "$tool" update -i "$fdir/services.idx" --url "file://$tmp/mirror.xml"
expect_match "file://, touched: installed again" "installed, registry updated 2026-08-17$" "$rc $out"

# ---- usage ----
run "$tool" update --bogus
expect "bad option" 2 "$rc"
run "$tool" update --url "ftp://127.0.0.1/x" -i "$idx"
expect "ftp:// refused: exit" 3 "$rc"
expect_match "ftp:// refused: message" "^iana-services: ftp://127.0.0.1/x: .*(Unsupported|not supported|disabled)" "$err"
finish
