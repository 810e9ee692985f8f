#!/bin/sh
# iana-services: verbs, exit codes, messages, and nothing written on failure.
. "$(dirname "$0")/lib.sh"
seed="$top_srcdir/tests/data/seed-excerpt.txt"
idx="$tmp/services.idx"

run "$tool" compile -o "$idx" "$seed"
expect "compile seed" 0 "$rc"
expect "summary line" "101 records, 75 entries, 0 aliases; skipped: 26 unnamed, 0 no port, 0 no protocol, 0 invalid name, 0 invalid port, 0 unknown protocol, 0 duplicate" "$out"
run "$tool" check -i "$idx"
expect "check" 0 "$rc"
expect_match "check says ok" "ok, 75 entries, 101 records" "$out"

# lookup: 0 found, 1 not found, 2 usage
run "$tool" lookup -i "$idx" 7474
expect "lookup 7474" 0 "$rc"
expect_match "lookup 7474 output" "^neo4j +7474/tcp" "$out"
run "$tool" lookup -i "$idx" NEO4J tcp
expect "lookup by name, any case" 0 "$rc"
run "$tool" lookup -i "$idx" 7472
expect "lookup unassigned shows the Unassigned record" 0 "$rc"
run "$tool" lookup -i "$idx" 7500
expect "lookup of a port the registry does not list" 1 "$rc"
run "$tool" lookup -i "$idx"
expect "lookup without query" 2 "$rc"
run "$tool" frobnicate
expect "unknown verb" 2 "$rc"
expect_match "unknown verb message" "^iana-services: unknown verb 'frobnicate'" "$err"
run env NSS_IANA_INDEX="$idx" "$tool" lookup 7474
expect "NSS_IANA_INDEX for the tool" 0 "$rc"

# export: deterministic, standard format
run "$tool" export -i "$idx" -o "$tmp/a"
expect "export" 0 "$rc"
"$tool" compile -o "$tmp/again.idx" "$seed" >/dev/null
"$tool" export -i "$tmp/again.idx" -o "$tmp/b"
expect "same input, same index" "$(sha256sum <"$idx")" "$(sha256sum <"$tmp/again.idx")"
expect "same input, same export" "$(sha256sum <"$tmp/a")" "$(sha256sum <"$tmp/b")"
expect_match "export line" "^neo4j +7474/tcp$" "$(grep neo4j "$tmp/a")"
expect "export entries" 75 "$(grep -vc '^#' "$tmp/a")"

# bad input: exit 2, one line per problem, nothing written, old index kept
before=$(sha256sum <"$idx")
printf 'Service Name,Port Number,Transport Protocol\nx,1,tcp\n"open,2,tcp\n' >"$tmp/bad.csv"
run "$tool" compile -o "$idx" "$tmp/bad.csv"
expect "unterminated quote exit" 2 "$rc"
expect_match "unterminated quote message" "^iana-services: $tmp/bad.csv:3: unterminated quoted field$" "$err"
expect "index untouched" "$before" "$(sha256sum <"$idx")"
expect "no temporary left" "" "$(ls "$tmp" | grep 'services.idx.' || true)"

printf 'Service Name,Port Number,Transport Protocol\nbig,70000,tcp\nok,1,tcp\n' >"$tmp/range.csv"
run "$tool" compile -o "$tmp/r.idx" "$tmp/range.csv"
expect "bad port is a diagnostic" 0 "$rc"
expect_match "bad port message" "range.csv:2: big: port \"70000\" is out of range" "$err"
run "$tool" compile --strict -o "$tmp/strict.idx" "$tmp/range.csv"
expect "--strict makes it fatal" 2 "$rc"
expect "--strict writes nothing" no "$([ -e "$tmp/strict.idx" ] && echo yes || echo no)"

printf 'Service Name,Port Number,Transport Protocol\n,1,tcp\n' >"$tmp/none.csv"
run "$tool" compile -o "$tmp/none.idx" "$tmp/none.csv"
expect "no entries is refused" 2 "$rc"
expect_match "no entries message" "no services entries" "$err"

printf 'hello world\n' >"$tmp/what"
run "$tool" compile -o "$tmp/x.idx" "$tmp/what"
expect "unknown format" 2 "$rc"
expect_match "unknown format message" "cannot tell the format.*--format" "$err"
: >"$tmp/empty"
run "$tool" compile -o "$tmp/x.idx" "$tmp/empty"
expect "empty file" 2 "$rc"
run "$tool" compile --format csv -o "$tmp/x.idx" "$seed"
expect "--format csv on text" 2 "$rc"
run "$tool" compile --format nonsense -o "$tmp/x.idx" "$seed"
expect "unknown --format" 2 "$rc"
run "$tool" compile -o "$tmp/x.idx" "$tmp/does-not-exist"
expect "missing input" 2 "$rc"
expect_match "missing input message" "does-not-exist: No such file or directory" "$err"

# services(5) merged after the registry
printf 'neo4j 7474/tcp graph # local alias\nmyapp 9999/udp\n' >"$tmp/local"
run "$tool" compile -o "$tmp/m.idx" "$seed" "$tmp/local"
expect "merge" 0 "$rc"
expect_match "merged alias" "services entry +neo4j 7474/tcp graph$" "$("$tool" lookup -i "$tmp/m.idx" graph)"
expect_match "local entry" "services entry +myapp 9999/udp$" "$("$tool" lookup -i "$tmp/m.idx" myapp)"

# check: a changed byte is found
cp "$idx" "$tmp/flip.idx"
printf '\377' | dd of="$tmp/flip.idx" bs=1 seek=5000 conv=notrunc 2>/dev/null
run "$tool" check -i "$tmp/flip.idx"
expect "check finds a flipped byte" 1 "$rc"
head -c 100 "$idx" >"$tmp/short.idx"
run "$tool" check -i "$tmp/short.idx"
expect "check refuses a truncated index" 1 "$rc"
finish
