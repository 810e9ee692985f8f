#!/bin/sh
# Bad input (SPEC section 6): every file of tests/bad/ gives its exact
# message naming the file and the line, its exit code with and without
# --strict, no output file, and leaves an existing index as it was.
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
bad="$top_srcdir/tests/bad"
seed="$top_srcdir/tests/data/seed-excerpt.txt"
dir="$tmp/idx"            # holds the index and nothing else
idx="$dir/services.idx"

mkdir "$dir"
"$tool" compile -o "$idx" "$seed" >/dev/null
before=$(sha256sum <"$idx")

# untouched WHAT: the index is as it was, and nothing sits beside it
untouched() {
	expect "$1: index untouched" "$before" "$(sha256sum <"$idx")"
	expect "$1: nothing beside the index" "services.idx" "$(ls -A "$dir")"
}

# fatal_once WHAT FILE WHERE MESSAGE [--strict]: malformed input, exit 2.
# WHERE is ":LINE", or "" for the file as a whole.
fatal_once() {
	what="$1${5:+ $5}"
	run "$tool" compile ${5:-} -o "$idx" "$2"
	expect "$what: exit" 2 "$rc"
	expect "$what: message" "iana-services: $2$3: $4" "$(head -n 1 "$tmp/err")"
	expect "$what: summary" "iana-services: $idx: 1 problem in the input; nothing written" \
		"$(sed -n 2p "$tmp/err")"
	expect "$what: nothing else said" 2 "$(wc -l <"$tmp/err")"
	expect "$what: no summary on stdout" "" "$out"
	untouched "$what"
	run "$tool" compile ${5:-} -o "$tmp/new.idx" "$2"
	expect "$what: no new file" no "$([ -e "$tmp/new.idx" ] && echo yes || echo no)"
}

# fatal WHAT FILE WHERE MESSAGE: the same with and without --strict.
fatal() {
	fatal_once "$@"
	fatal_once "$@" --strict
}

# skipped FILE WHERE MESSAGE: a record skipped with a diagnostic; fatal
# only with --strict.
skipped() {
	f="$2"
	msg="iana-services: $f$3: $4"
	run "$tool" compile -o "$tmp/new.idx" "$f"
	expect "$1: exit" 0 "$rc"
	expect "$1: message" "$msg" "$err"
	expect_match "$1: summary" "^2 records, 1 entries, 0 aliases; skipped:" "$out"
	expect "$1: written" yes "$([ -s "$tmp/new.idx" ] && echo yes || echo no)"
	rm -f "$tmp/new.idx"
	run "$tool" compile --strict -o "$idx" "$f"
	expect "$1 --strict: exit" 2 "$rc"
	expect "$1 --strict: message" "$msg" "$(head -n 1 "$tmp/err")"
	expect "$1 --strict: summary" \
		"iana-services: $idx: 1 problem in the input; nothing written" \
		"$(sed -n 2p "$tmp/err")"
	untouched "$1 --strict"
	run "$tool" compile --strict -o "$tmp/new.idx" "$f"
	expect "$1 --strict: no new file" no "$([ -e "$tmp/new.idx" ] && echo yes || echo no)"
}

# CSV: malformed
fatal "unterminated quote" "$bad/unterminated-quote.csv" :3 "unterminated quoted field"
fatal "wrong column count" "$bad/wrong-column-count.csv" :3 "4 fields, the header has 12"
fatal "invalid UTF-8" "$bad/invalid-utf8.csv" :3 "invalid UTF-8 at column 17"
fatal "NUL byte" "$bad/nul-byte.csv" :3 "NUL byte at column 12"
fatal "empty file" "$bad/empty.csv" "" "empty file"

# CSV: well formed, but a record cannot give entries
skipped "port 70000" "$bad/port-70000.csv" :3 \
	'big: port "70000" is out of range (0-65535); skipped'
skipped "backwards range" "$bad/backwards-range.csv" :3 \
	'back: port "12-3" is a backwards range; skipped'
skipped "unknown protocol" "$bad/unknown-protocol.csv" :3 \
	'odd: unknown transport protocol "ddp"; skipped'
skipped "invalid name" "$bad/invalid-name.csv" :3 \
	'service name "space name" contains white space; skipped'

# services(5)
fatal "services line without port/proto" "$bad/services-no-port.services" :3 \
	'expected "name port/protocol"'
fatal "services line without a slash" "$bad/services-no-slash.services" :2 \
	'expected "name port/protocol"'

# XML: nothing is expanded and nothing is loaded
fatal "truncated XML" "$bad/truncated.xml" :14 "XML error at column 5: unclosed token"
fatal "XML external entity" "$bad/external-entity.xml" :3 "entity declarations are not allowed"
fatal "XML billion laughs" "$bad/billion-laughs.xml" :3 "entity declarations are not allowed"
fatal "XML external DTD" "$bad/external-dtd.xml" :7 "reference to an undeclared entity &xxe;"

# 100 MB on one line: made here, never committed
header='Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes'
hundred_mb() { head -c 100000000 /dev/zero | tr '\0' x; }
{ printf '%s\nok,1,tcp,' "$header"; hundred_mb; printf ',,,,,,,,\n'; } >"$tmp/long-line.csv"
fatal_once "100 MB CSV line" "$tmp/long-line.csv" :2 "line longer than 1048576 bytes"
rm -f "$tmp/long-line.csv"
{ printf 'ok 1/tcp # '; hundred_mb; printf '\n'; } >"$tmp/long-line.services"
fatal_once "100 MB services line" "$tmp/long-line.services" :1 "line longer than 1048576 bytes"
rm -f "$tmp/long-line.services"
{
	printf '<?xml version="1.0"?>\n<registry xmlns="http://www.iana.org/assignments">\n'
	printf '<record><name>ok</name><description>'
	hundred_mb
	printf '</description></record></registry>\n'
} >"$tmp/long-text.xml"
fatal_once "100 MB XML text" "$tmp/long-text.xml" :3 "text longer than 1048576 bytes"
rm -f "$tmp/long-text.xml"

# Every file of the corpus is tested above.
for f in "$bad"/*; do
	grep -q "\$bad/$(basename "$f")\"" "$0" || fail "$f: not tested"
done
finish
