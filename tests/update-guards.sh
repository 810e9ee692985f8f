#!/bin/sh
# iana-services update refuses what it must not install: every guard and
# every transfer failure gives its exit status and message, leaves the
# installed index as it was (bytes, inode, mtime) and nothing beside it.
# --force overrides a guard.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/update-lib.sh"
start_server
url="http://127.0.0.1:$port/service-names-port-numbers.xml"
# seconds, not minutes: a 2 s total timeout, a 1 MB size limit
up() { run "$tool" update -i "$idx" --url "$url" --timeout 2 --max-size 1000000 "$@"; }

mode serve "$NEW"
up --max-size 64000000
expect "NEW installed" 0 "$rc"
installed=$(snapshot)

# refused WHAT EXIT MESSAGE-REGEX [update's options...]: one request, the
# exit status and the message, and nothing changed.
refused() {
	what=$1 code=$2 regex=$3
	shift 3
	n=$(requests)
	start=$(date +%s)
	up "$@"
	took=$(($(date +%s) - start))
	n=$(($(requests) - n))
	echo "guard '$what': exit $rc, $n request(s), ${took}s: $(echo "$err" | tail -n 1)"
	expect "$what: exit" "$code" "$rc"
	expect_match "$what: message" "$regex" "$(echo "$err" | tail -n 1)"
	expect "$what: index and directory untouched" "$installed" "$(snapshot)"
	[ "$n" -le 1 ] && ok || fail "$what: $n requests"
}

mode html
refused "HTML page with 200" 2 "^iana-services: $url: an HTML page, not a registry; refused$"
head -c 1500000 "$NEW" >"$tmp/truncated.xml"
mode serve "$tmp/truncated.xml"
refused "truncated XML" 2 "^iana-services: $dir/services.idx: 1 problem in the input; nothing written$" \
	--max-size 64000000
expect_match "truncated XML: the parser's message names the URL" "^iana-services: $url:[0-9]+: " \
	"$(echo "$err" | head -n 1)"
printf '<?xml version="1.0"?>\n<registry xmlns="http://www.iana.org/assignments">\n<record><name>x</nam></record>\n</registry>\n' >"$tmp/malformed.xml"
mode serve "$tmp/malformed.xml"
refused "malformed XML" 2 "nothing written$"
expect_match "malformed XML: the parser's message" "^iana-services: $url:3: .*mismatched tag" \
	"$(echo "$err" | head -n 1)"
mode serve "$top_srcdir/tests/data/seed-excerpt.txt"
refused "fewer than 90% of the entries" 2 \
	"^iana-services: $url: 75 entries, fewer than 90% of the [0-9]+ of the installed index $idx; refused \(--force installs it\)$"
mode serve "$OLD"
refused "older registry" 2 \
	"^iana-services: $url: registry updated 2024-03-18, older than the installed index's 2026-08-17; refused \(--force installs it\)$" \
	--max-size 64000000
mode status 404
refused "HTTP 404" 3 "^iana-services: $url: HTTP status 404$"
mode status 500
refused "HTTP 500" 3 "^iana-services: $url: HTTP status 500$"
closed="http://127.0.0.1:$(closed_port)/service-names-port-numbers.xml"
n=$(requests)
run "$tool" update -i "$idx" --url "$closed"
echo "guard 'connection refused': exit $rc, $(($(requests) - n)) request(s): $err"
expect "connection refused: exit" 3 "$rc"
expect_match "connection refused: message" "^iana-services: $closed: Couldn't connect to server" "$err"
expect "connection refused: untouched" "$installed" "$(snapshot)"
mode stall 30
refused "stalled server (2 s total timeout)" 3 "^iana-services: $url: Timeout was reached"
[ "$took" -lt 10 ] && ok || fail "the stall took ${took}s"
mode big 3000000
refused "body over the size limit (Content-Length)" 3 \
	"^iana-services: $url: larger than the size limit of 1000000 bytes$"
mode bigstream 3000000
refused "body over the size limit (no Content-Length)" 3 \
	"^iana-services: $url: larger than the size limit of 1000000 bytes$"
mode cut "$NEW"
refused "body cut in the middle" 3 "^iana-services: $url: Transferred a partial file" --max-size 64000000

# --force installs what a guard refused, and only a guard
mode serve "$top_srcdir/tests/data/seed-excerpt.txt"
up --force
expect "--force: exit" 0 "$rc"
expect_match "--force: installed" "^$idx: installed, registry updated 2025-04-07$" "$(echo "$out" | tail -n 1)"
expect "--force: 75 entries" "75" "$("$tool" check -i "$idx" | sed 's/.*ok, \([0-9]*\) entries.*/\1/')"
mode serve "$tmp/malformed.xml"
up --force
expect "--force does not install what does not compile" 2 "$rc"
mode status 404
up --force
expect "--force does not make a 404 a success" 3 "$rc"
expect "no temporary file in the index directory" "services.http services.idx services.registry " \
	"$(ls -A "$dir" | tr '\n' ' ')"
finish
