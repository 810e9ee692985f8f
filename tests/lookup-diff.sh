#!/bin/sh
# iana-services lookup and diff, end to end: on the seed always, on the
# full registry snapshots when they are there (else SKIP, after the rest).
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
seed="$top_srcdir/tests/data/seed-excerpt.txt"
csv="${REGISTRY_DIR:-}/service-names-port-numbers.2024-06.csv"
xml="${REGISTRY_DIR:-}/service-names-port-numbers.2024-03-18.xml"
idx="$tmp/seed.idx"

# has WHAT LINE: the output holds exactly this line
has() {
	if grep -qxF -- "$2" "$tmp/out"; then ok; else fail "$1: no line [$2] in [$out]"; fi
}

# fits WHAT: no line of the output is wider than 80 columns
fits() {
	expect "$1: fits 80 columns" "" "$(LC_ALL=C.UTF-8 awk 'length > 80' "$tmp/out")"
}

if command -v python3 >/dev/null; then
	# json WHAT [PYTHON]: the output parses; PYTHON, given d, must be true
	json() {
		if python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 3)' "$tmp/out" "${2:-True}"; then
			ok
		else
			fail "$1: JSON [$out] does not parse or fails ${2:-}"
		fi
	}
else
	echo "python3 not found: JSON output is not validated" >&2
	json() { :; }
fi

"$tool" compile -o "$idx" "$seed" >/dev/null

# ---- lookup on the seed ----
run "$tool" lookup -i "$idx" 7474
expect "7474 exit" 0 "$rc"
expect "7474 first line" "neo4j 7474/tcp" "$(head -n 1 "$tmp/out")"
has "7474 description" "  description       Neo4j Graph Database"
has "7474 assignee resolved" "  assignee          Neo Technology, Inc <mailto:admins&neotechnology.com>"
has "7474 contact resolved" "  contact           Julian Simpson <mailto:julian.simpson&neotechnology.com>"
has "7474 contact's organisation" "                    Neo Technology, Inc"
has "7474 registered" "  registered        2013-02-08"
has "7474 entry" "  services entry    neo4j 7474/tcp"
has "7474 udp record" "7474/udp"
has "7474 udp Reserved" "  description       Reserved"
expect "7474 says nothing on stderr" "" "$err"
fits "7474"

run "$tool" lookup -i "$idx" 7474 udp
expect "7474 udp exit" 0 "$rc"
expect "7474 udp: not assigned" "Port 7474/udp is not assigned to any service." \
	"$(head -n 1 "$tmp/out")"
expect "7474 udp: no tcp record" "" "$(grep neo4j "$tmp/out" || true)"

run "$tool" lookup -i "$idx" 7403
expect "7403 exit" 0 "$rc"
expect "7403: not assigned" "Port 7403 is not assigned to any service." "$(head -n 1 "$tmp/out")"
has "7403 range" "7403-7409"
has "7403 Unassigned" "  description       Unassigned"

run "$tool" lookup -i "$idx" 7499
has "unauthorized use" "  unauthorized use  Known Unauthorized Use on port 7499"

run "$tool" lookup -i "$idx" 7784
has "references" "  reference         RFC 7881"
has "modified" "  modified          2016-07-14"

run "$tool" lookup -i "$idx" 7500
expect "7500 exit" 1 "$rc"
expect "7500 stdout" "" "$out"
expect "7500 message" "iana-services: 7500: not in the registry" "$err"
run "$tool" lookup -i "$idx" 50000
expect "dynamic port exit" 1 "$rc"
expect_match "dynamic port message" "not in the registry \(49152-65535 are the Dynamic" "$err"

run "$tool" lookup -i "$idx" NEO4J
expect "name in any case" 0 "$rc"
expect "name gives the registered spelling" "neo4j 7474/tcp" "$(head -n 1 "$tmp/out")"
run "$tool" lookup -i "$idx" neo4j udp
expect "name with a protocol it lacks" 1 "$rc"
expect "its message" "iana-services: neo4j/udp: not in the registry" "$err"
run "$tool" lookup -i "$idx" rtps-dd-ut udp
expect "name and protocol" "rtps-dd-ut 7401/udp" "$(head -n 1 "$tmp/out")"
expect "only that protocol" 1 "$(grep -c '^rtps-dd-ut' "$tmp/out")"
run "$tool" lookup -i "$idx" no-such-service
expect "unknown name" 1 "$rc"

run "$tool" lookup -i "$idx" 70000
expect "port out of range" 2 "$rc"
run "$tool" lookup -i "$idx"
expect "no query" 2 "$rc"
run "$tool" lookup -i "$idx" 1 tcp extra
expect "too many arguments" 2 "$rc"
run "$tool" lookup -i "$tmp/missing.idx" 80
expect "missing index" 2 "$rc"
expect_match "missing index message" "missing.idx: No such file or directory" "$err"
head -c 100 "$idx" >"$tmp/short.idx"
run "$tool" lookup -i "$tmp/short.idx" 80
expect "truncated index" 2 "$rc"

# --json: the same records, every field
run "$tool" lookup -i "$idx" --json 7474
expect "json 7474 exit" 0 "$rc"
json "json 7474" 'd["query"] == "7474" and d["port"] == 7474 and d["assigned"] and
	[r["protocol"] for r in d["records"]] == ["tcp", "udp"] and
	d["records"][0]["contact_people"][0]["name"] == "Julian Simpson" and
	d["records"][0]["entry"]["name"] == "neo4j" and d["records"][1]["name"] is None and
	d["records"][1]["entry"] is None and d["records"][1]["description"] == "Reserved"'
run "$tool" lookup -i "$idx" --json 7403
json "json 7403" 'not d["assigned"] and d["records"][0]["port_lo"] == 7403 and
	d["records"][0]["port_hi"] == 7409 and d["records"][0]["protocol"] is None'
run "$tool" lookup -i "$idx" --json 7784 udp
json "json references" 'd["records"][0]["references"] == ["RFC 7881"] and
	d["records"][0]["reference"] == "[RFC7881]"'
run "$tool" lookup -i "$idx" --json 7500
expect "json not found exit" 1 "$rc"
json "json not found" 'd["records"] == []'

# Whatever an index holds, the JSON parses and the terminal gets no control
# characters: a description overwritten with bytes that are not text.
cp "$idx" "$tmp/odd.idx"
off=$(grep -obaF "Neo4j Graph Database" "$tmp/odd.idx" | head -n 1 | cut -d: -f1)
printf 'N\377\001"\\\033' | dd of="$tmp/odd.idx" bs=1 seek="$off" conv=notrunc 2>/dev/null
run "$tool" lookup -i "$tmp/odd.idx" --json 7474 tcp
json "json escapes" 'd["records"][0]["description"] == "N\ufffd\x01\"\\\x1bGraph Database"'
run "$tool" lookup -i "$tmp/odd.idx" 7474 tcp
has "control characters shown as ?" '  description       N??"\?Graph Database'

# a local services(5) alias finds the records behind its entry
printf 'neo4j 7474/tcp graph # local alias\nmyapp 9999/udp\n' >"$tmp/local"
"$tool" compile -o "$tmp/m.idx" "$seed" "$tmp/local" >/dev/null
run "$tool" lookup -i "$tmp/m.idx" graph
expect "local alias" 0 "$rc"
expect "local alias: both records" 2 "$(grep -c '^neo4j 7474/tcp$' "$tmp/out")"
has "local alias: the entry" "  services entry    neo4j 7474/tcp graph"
has "local record: where it stood" "  source            $tmp/local:1"

# ---- diff on small inputs ----
header='Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes'
cat >"$tmp/old.csv" <<EOF
$header
alpha,1000,tcp,Alpha,[A],[A],2020-01-01,,,,,
alpha,1000,udp,Alpha,[A],[A],2020-01-01,,,,,
beta,2000,tcp,Beta,[B],[B],,,,,,
gamma,3000,tcp,Gamma,[C],[C],,,,,,
delta,4000-4010,tcp,Delta,[D],[D],,,,,,
portless,,,A name without a port,,,,,,,,
,5000,tcp,Reserved,,,,,,,,
EOF
cat >"$tmp/new.csv" <<EOF
$header
alpha,1000,tcp,"Alpha
  service",[A],[A],2020-01-01,,,,,
Alpha,1000,udp,Alpha,[A],[A],2020-01-01,,,,,
gamma,3001,tcp,Gamma,[C],[C],,,,,,
delta,4000-4010,tcp,Delta,[D2],[D],,,,,,
epsilon,6000,sctp,"Epsilon ""quoted""",[E],[E],,,[RFC1],,,
portless,,,A name without a port,,,,,,,,
,5000,tcp,Now unassigned,,,,,,,,
EOF
mkdir "$tmp/t"
run env TMPDIR="$tmp/t" "$tool" diff "$tmp/old.csv" "$tmp/new.csv"
expect "diff differs" 1 "$rc"
expect "diff output" "added    epsilon 6000/sctp  Epsilon \"quoted\"
removed  beta 2000/tcp  Beta
changed  alpha 1000/tcp  description: \"Alpha\" -> \"Alpha service\"
changed  alpha 1000/udp  name: alpha -> Alpha
changed  gamma 3000/tcp  port: 3000 -> 3001
changed  delta 4000-4010/tcp  assignee: \"[D]\" -> \"[D2]\"
1 added, 1 removed, 4 changed" "$out"
expect "diff says nothing on stderr" "" "$err"
expect "diff leaves no temporary file" "" "$(ls -A "$tmp/t")"

run env TMPDIR="$tmp/t" "$tool" diff --json "$tmp/old.csv" "$tmp/new.csv"
expect "diff --json differs" 1 "$rc"
json "diff --json" 'd["counts"] == {"added": 1, "removed": 1, "changed": 4} and
	[a["name"] for a in d["added"]] == ["epsilon"] and
	d["added"][0]["description"] == "Epsilon \"quoted\"" and
	[a["name"] for a in d["removed"]] == ["beta"] and
	[c["fields"] for c in d["changed"]] == [["description"], ["name"], ["port"], ["assignee"]] and
	d["changed"][2]["old"]["port_lo"] == 3000 and d["changed"][2]["new"]["port_lo"] == 3001'

# a port moved, a protocol changed, a service name given a port
printf 'Service Name,Port Number,Transport Protocol,Description\nfoo,100,tcp,F\nbar,200,tcp,B\nbar,200,udp,B\nbaz,,,Z\n' >"$tmp/p1.csv"
printf 'Service Name,Port Number,Transport Protocol,Description\nfoo,100,udp,F\nbar,300,tcp,B\nbar,300,udp,B\nbar,300,sctp,B\nbaz,400,tcp,Z\n' >"$tmp/p2.csv"
run "$tool" diff "$tmp/p1.csv" "$tmp/p2.csv"
expect "moves" "added    bar 300/sctp  B
changed  foo 100/tcp  protocol: tcp -> udp
changed  bar 200/tcp  port: 200 -> 300
changed  bar 200/udp  port: 200 -> 300
changed  baz  port: none -> 400
changed  baz  protocol: none -> tcp
1 added, 0 removed, 4 changed" "$out"

# white space alone is no change: IANA reflows text between renderings
sed 's/^alpha,1000,tcp,Alpha,/alpha,1000,tcp," Alpha ",/' "$tmp/old.csv" >"$tmp/spaced.csv"
run "$tool" diff "$tmp/old.csv" "$tmp/spaced.csv"
expect "reflowed text is equal" 0 "$rc"

run "$tool" diff "$idx" "$idx"
expect "same index" 0 "$rc"
expect "same index output" "0 added, 0 removed, 0 changed" "$out"
run env TMPDIR="$tmp/t" "$tool" diff "$seed" "$idx"
expect "registry against its own index" 0 "$rc"
expect "no temporary file" "" "$(ls -A "$tmp/t")"
run "$tool" diff "$idx" "$tmp/m.idx"
expect "local records are assignments" "added    neo4j 7474/tcp  local alias
added    myapp 9999/udp
2 added, 0 removed, 0 changed" "$out"

run "$tool" diff "$idx"
expect "diff with one argument" 2 "$rc"
run "$tool" diff --frob "$idx" "$idx"
expect "diff with a bad option" 2 "$rc"
run "$tool" diff "$idx" "$tmp/missing.csv"
expect "diff with a missing file" 2 "$rc"
expect "its message" "iana-services: $tmp/missing.csv: No such file or directory" "$err"
run "$tool" diff "$tmp/short.idx" "$idx"
expect "diff with a truncated index" 2 "$rc"
expect "its message" "iana-services: $tmp/short.idx: not a valid nss-iana index" "$err"
printf '%s\nbroken,2,tcp,"never closed\n' "$header" >"$tmp/bad.csv"
run "$tool" diff "$tmp/bad.csv" "$idx"
expect "diff with a malformed registry" 2 "$rc"
expect "its message" "iana-services: $tmp/bad.csv:2: unterminated quoted field" "$err"

# ---- the full registry ----
if [ ! -r "$csv" ]; then
	finish
	skip "full registry not found at $csv (set REGISTRY_DIR or --with-registry-dir); seed checks passed"
fi
"$tool" compile -o "$tmp/csv.idx" "$csv" >/dev/null 2>&1

run "$tool" lookup -i "$tmp/csv.idx" 7474
expect "full 7474" "neo4j 7474/tcp" "$(head -n 1 "$tmp/out")"
has "full 7474 udp" "7474/udp"
has "unknown person as its ID" "  contact           [Julian_Simpson]"
fits "full 7474"

run "$tool" lookup -i "$tmp/csv.idx" 6010
expect "6010 exit" 0 "$rc"
expect "6010 shows the range" "x11 6000-6063/tcp" "$(head -n 1 "$tmp/out")"
has "6010 udp range" "x11 6000-6063/udp"
has "6010 entry at that port" "  services entry    x11 6010/tcp"
has "6010 unauthorized use" "  unauthorized use  Known Unauthorized Use on port 6003"
run "$tool" lookup -i "$tmp/csv.idx" x11 tcp
has "a range by name" "  services entry    x11 6000-6063/tcp (64 entries, one per port)"

run "$tool" lookup -i "$tmp/csv.idx" 7403
expect "full 7403 exit" 0 "$rc"
expect "full 7403" "Port 7403 is not assigned to any service." "$(head -n 1 "$tmp/out")"
has "full 7403 range" "7403-7409"

run "$tool" lookup -i "$tmp/csv.idx" http
expect "http exit" 0 "$rc"
expect "http records" "http 80/tcp
http 80/udp
http 80/sctp" "$(grep '^http' "$tmp/out")"
has "http entry with its aliases" "  services entry    http 80/tcp www www-http"
has "http reference" "  reference         RFC 9110"
fits "http"
run "$tool" lookup -i "$tmp/csv.idx" HTTP sctp
expect "HTTP sctp" "http 80/sctp" "$(head -n 1 "$tmp/out")"
run "$tool" lookup -i "$tmp/csv.idx" www
has "an alias record" "  services entry    http 80/tcp www www-http (www is an alias)"
run "$tool" lookup -i "$tmp/csv.idx" imap
has "several references" "  reference         RFC 3501, RFC 9051"

run "$tool" lookup -i "$tmp/csv.idx" arp
expect "arp exit" 0 "$rc"
expect "arp header" "arp" "$(head -n 1 "$tmp/out")"
has "arp description" "  description       Address Resolution Protocol"
has "arp has no entry" "  services entry    none: the record has no port number"
run "$tool" lookup -i "$tmp/csv.idx" 3283
has "a name services(5) cannot hold" "  services entry    none: the name cannot stand in a services file"
run "$tool" lookup -i "$tmp/csv.idx" 631 tcp
has "getservbyport gives another name" \
	'  services entry    ipps 631/tcp; getservbyport(631, "tcp") gives ipp'

for q in 7474 6010 7403 http arp 80; do
	run "$tool" lookup -i "$tmp/csv.idx" --json $q
	json "full json $q" 'len(d["records"]) > 0'
	run "$tool" lookup -i "$tmp/csv.idx" $q
	fits "full $q"
done

run "$tool" diff "$csv" "$tmp/csv.idx"
expect "full registry against its own index" 0 "$rc"

if [ -r "$xml" ] && "$tool" compile -o "$tmp/xml.idx" "$xml" >/dev/null 2>&1; then
	run "$tool" lookup -i "$tmp/xml.idx" 7474
	has "XML people resolve" "  contact           Julian Simpson <mailto:julian.simpson&neotechnology.com>"
	has "XML organisations resolve" "  assignee          Neo Technology, Inc <mailto:admins&neotechnology.com>"
	run "$tool" diff "$xml" "$csv"
	expect "2024-03-18 to 2024-06 exit" 1 "$rc"
	expect "2024-03-18 to 2024-06 counts" "3 added, 0 removed, 3 changed" \
		"$(tail -n 1 "$tmp/out")"
	has "a new service name" "added    dnssd-srp (tcp)  DNS-SD Service Registration"
	has "a changed contact" 'changed  fox-skytale 4319/tcp  contact: "[Frans_van_Dorsselaer]" -> "[Mark_Revier]"'
	run "$tool" diff --json "$xml" "$tmp/csv.idx"
	json "snapshots --json" 'd["counts"] == {"added": 3, "removed": 0, "changed": 3}'
else
	fail "$xml: missing or does not compile"
fi
finish
