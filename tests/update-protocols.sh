#!/bin/sh
# iana-services update --database protocols (SPEC 9, P6; section 8) against
# the tests' own server: the first run installs the protocols index beside
# its kept registry and validators, the second gets a 304 and leaves it as
# it was; a services registry, fewer than 90% of the entries and an older
# registry are refused, exit 2, index untouched; the default URL is IANA's
# Protocol Numbers; install checks which database a FILE holds; the index
# answers through the NSS module.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/update-lib.sh"
PNEW="$top_srcdir/data/protocol-numbers.xml"
POLD="${REGISTRY_DIR:-}/protocol-numbers.2023-03-16.xml"
idx="$dir/protocols.idx"
start_server
url="http://127.0.0.1:$port/protocol-numbers.xml"
up() { run "$tool" update --database protocols -i "$idx" --url "$url" --timeout 20 "$@"; }
nss() { # nss KEY: what the built module answers from $idx alone
	if a=$(LD_LIBRARY_PATH="$module_dir" NSS_IANA_PROTOCOLS_INDEX="$idx" \
		getent -s iana protocols "$1" 2>&1); then echo "$a" | tr -s ' \t' '  '; else echo "exit $?"; fi
}

# first run: installed, with a local protocols(5) file merged in front
printf 'myproto\t253\tMYPROTO my-alias\t# a local line\n' >"$tmp/local.protocols"
mode serve "$PNEW"
up --local "$tmp/local.protocols"
expect "first run: exit" 0 "$rc"
expect "first run: installed" "$idx: installed, registry updated 2026-03-09" "$(echo "$out" | tail -n 1)"
expect "first run: beside the index" "protocols.http protocols.idx protocols.registry " \
	"$(ls -A "$dir" | tr '\n' ' ')"
cmp -s "$PNEW" "$dir/protocols.registry" && ok || fail "the kept registry is not the download"
expect_match "first run: validators" "^etag \"" "$(grep '^etag ' "$dir/protocols.http")"
expect "NSS: tcp" "tcp 6 TCP" "$(nss tcp)"
expect "NSS: TCP, another case" "tcp 6 TCP" "$(nss Tcp)"
expect "NSS: 144, a registry keyword" "aggfrag 144 AGGFRAG" "$(nss 144)"
expect "NSS: the local line, in front" "myproto 253 MYPROTO my-alias" "$(nss my-alias)"
expect "NSS: not found" "exit 2" "$(nss no-such-protocol)"
installed=$(snapshot)

# second run: a conditional GET, 304, nothing touched
n=$(requests)
up
expect "second run: exit" 0 "$rc"
expect "second run: up to date" "up to date" "$out"
expect "second run: one request" 1 "$(($(requests) - n))"
expect_match "second run: If-None-Match sent, 304" "^/protocol-numbers.xml inm=\"[0-9a-f]+\" .* -> 304$" \
	"$(tail -n 1 "$srv/requests")"
expect "second run: index untouched (inode, mtime, bytes)" "$installed" "$(snapshot)"

# refused WHAT REGEX [update's options...]: exit 2, the message, nothing changed
refused() {
	what=$1 regex=$2
	shift 2
	up "$@"
	echo "guard '$what': exit $rc: $(echo "$err" | tail -n 1)"
	expect "$what: exit" 2 "$rc"
	expect_match "$what: message" "$regex" "$(echo "$err" | tail -n 1)"
	expect "$what: index and directory untouched" "$installed" "$(snapshot)"
}

# a services registry served for the protocols database, even with --force
mode serve "$NEW"
refused "services XML for protocols" \
	"^iana-services: $url: a registry of the services database, not of protocols; refused$"
refused "services XML for protocols, --force" "not of protocols; refused$" --force
mode serve "$top_srcdir/tests/data/seed-excerpt.txt"
refused "services text rendering for protocols" \
	"^iana-services: $url: a services registry, not the protocols one; refused$"
mode html
refused "HTML page" "^iana-services: $url: an HTML page, not a registry; refused$"

# fewer than 90% of the entries: the registry less most of its records
python3 - "$PNEW" "$tmp/few.xml" <<'EOT'
import re, sys
text = open(sys.argv[1]).read()
records = list(re.finditer(r"\s*<record>.*?</record>", text, re.S))
# keep the first 40 records, drop the rest of the first registry's
cut = text[:records[40].start()] + text[records[-1].end():]
open(sys.argv[2], "w").write(cut)
EOT
mode serve "$tmp/few.xml"
refused "fewer than 90% of the entries" \
	"^iana-services: $url: [0-9]+ entries, fewer than 90% of the 144 of the installed index $idx; refused \(--force installs it\)$"

# an older registry: IANA's of 2023 when at hand, else ours dated back
if [ -r "$POLD" ]; then
	old="$POLD" olddate=2023-03-16
else
	echo "NOTE: $POLD not found: an older registry made from data/'s"
	sed 's|<updated>2026-03-09</updated>|<updated>2020-01-01</updated>|' "$PNEW" >"$tmp/old.xml"
	old="$tmp/old.xml" olddate=2020-01-01
fi
mode serve "$old"
refused "older registry" \
	"^iana-services: $url: registry updated $olddate, older than the installed index's 2026-03-09; refused \(--force installs it\)$"

# the other way round: the protocols registry for the services database
mode serve "$PNEW"
mkdir "$tmp/svc"
run "$tool" update -i "$tmp/svc/services.idx" --url "$url"
expect "protocols XML for services: exit" 2 "$rc"
expect "protocols XML for services: message" \
	"iana-services: $url: a registry of the protocols database, not of services; refused" "$err"
expect "protocols XML for services: nothing written" "" "$(ls -A "$tmp/svc")"
# nor does a protocols update replace a services index
cp "$top_builddir/tests/seed.idx" "$tmp/svc/services.idx"
run "$tool" update --database protocols -i "$tmp/svc/services.idx" --url "$url"
expect "protocols update over a services index: exit" 2 "$rc"
expect "protocols update over a services index: message" \
	"iana-services: $tmp/svc/services.idx: the installed index holds the services database, not protocols; refused" "$err"
cmp -s "$top_builddir/tests/seed.idx" "$tmp/svc/services.idx" && ok || fail "the services index was changed"

# --export writes protocols(5) text (a changed file: no 304)
{ cat "$PNEW"; echo; } >"$tmp/changed.xml"
mode serve "$tmp/changed.xml"
up --export "$tmp/protocols.out"
expect "--export: exit" 0 "$rc"
expect "--export: protocols(5) lines" "tcp 6 TCP # Transmission Control" \
	"$(grep '^tcp[[:space:]]' "$tmp/protocols.out" | tr -s ' \t' '  ')"
installed=$(snapshot)

# the default URL is IANA's Protocol Numbers: seen in the message of a
# transfer through a proxy that is not there (no request leaves the machine)
run env https_proxy="http://127.0.0.1:$(closed_port)" "$tool" update --database protocols -i "$idx"
expect "default URL: exit 3" 3 "$rc"
expect_match "default URL: named" \
	"^iana-services: https://www.iana.org/assignments/protocol-numbers/protocol-numbers.xml: " "$err"
expect "default URL: untouched" "$installed" "$(snapshot)"

# install: a FILE of the database named, and no other
run "$tool" install --database protocols -i "$tmp/p.idx" "$idx"
expect "install --database protocols: exit" 0 "$rc"
cmp -s "$idx" "$tmp/p.idx" && ok || fail "install --database protocols: not the same bytes"
run "$tool" install -i "$tmp/q.idx" "$idx"
expect "install a protocols index as services: exit" 2 "$rc"
expect "install a protocols index as services: message" \
	"iana-services: $idx: an index of the protocols database, not services; nothing installed (--database protocols installs it)" "$err"
run "$tool" install --database protocols -i "$tmp/q.idx" "$top_builddir/tests/seed.idx"
expect "install a services index as protocols: exit" 2 "$rc"
expect_match "install a services index as protocols: message" \
	"seed.idx: an index of the services database, not protocols; nothing installed" "$err"
[ ! -e "$tmp/q.idx" ] && ok || fail "install wrote $tmp/q.idx"
run "$tool" update --database nosuch
expect "unknown database: exit" 2 "$rc"
stop_server
finish
