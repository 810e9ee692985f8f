#!/bin/sh
# A 100,000-line registry with 1% malformed rows: each bad row is reported
# once, with its line; without --strict the rest compiles, with --strict
# nothing is written.
. "$(dirname "$0")/lib.sh"
csv="$tmp/big.csv"
python3 - "$csv" "$tmp/expected" <<'EOT'
import random, sys
random.seed(20261126)
bad = ["port", "range", "proto", "name"]
with open(sys.argv[1], "w") as f, open(sys.argv[2], "w") as e:
    f.write("Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
            "Registration Date,Modification Date,Reference,Service Code,"
            "Unauthorized Use Reported,Assignment Notes\n")
    for i in range(100000):
        line = i + 2
        name, port, proto = "svc-%d" % i, str(1 + i % 65535), ("tcp", "udp", "sctp", "dccp")[i // 65535 % 4]
        if random.random() < 0.01:
            kind = random.choice(bad)
            if kind == "port":
                port = str(65536 + i)
                e.write('%d: %s: port "%s" is out of range (0-65535); skipped\n' % (line, name, port))
            elif kind == "range":
                port = "%d-%d" % (200, 100)
                e.write('%d: %s: port "%s" is a backwards range; skipped\n' % (line, name, port))
            elif kind == "proto":
                proto = "udplite"
                e.write('%d: %s: unknown transport protocol "udplite"; skipped\n' % (line, name))
            else:
                name = "bad name %d" % i
                e.write('%d: service name "%s" contains white space; skipped\n' % (line, name))
        f.write("%s,%s,%s,Service %d,,,,,,,,\n" % (name, port, proto, i))
EOT
expected=$(wc -l <"$tmp/expected")
set +e
"$tool" compile -o "$tmp/big.idx" "$csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
expect "compile with diagnostics" 0 "$rc"
sed "s|^iana-services: $csv:||" "$tmp/err" >"$tmp/got"
expect "each bad row once, with its line" "" "$(diff "$tmp/expected" "$tmp/got" | head -n 5)"
expect "bad rows" "$expected" "$(wc -l <"$tmp/got")"
expect_match "summary" "^100000 records, $((100000 - expected)) entries" "$(cat "$tmp/out")"
"$tool" check -i "$tmp/big.idx" >/dev/null || fail "the index does not check"

set +e
"$tool" compile --strict -o "$tmp/strict.idx" "$csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
expect "--strict" 2 "$rc"
expect "--strict reports each row" "$((expected + 1))" "$(wc -l <"$tmp/err")"
expect "--strict writes nothing" "" "$(ls "$tmp" | grep strict || true)"
echo "$expected malformed rows of 100000, each reported once"
finish
