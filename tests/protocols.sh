#!/bin/sh
# The protocols database end to end (SPEC 9, issue 17), through real
# glibc NSS, Python, Perl and a static musl program:
#
#   - netbase's /etc/protocols + the registry: every name, alias and number
#     of the file answered by the module as glibc's files backend answers
#     from the file itself and from the export (P3);
#   - every number 0-255 and every entry's names: the module equals files
#     reading the export (the first entry in entry order), and getent -s
#     iana protocols lists the export's lines in order (P2);
#   - with `protocols: iana` and an empty /etc/protocols: getent, Python,
#     Perl and the musl shim answer from the registry alone, any case;
#   - an index of the other database, a truncated one, none: UNAVAIL, and
#     `protocols: iana files` falls back to files.
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
netbase="$top_srcdir/tests/data/netbase-protocols"
xml="$top_srcdir/data/protocol-numbers.xml"
dump="$top_builddir/tests/nss-dump"
need_root_unshare
export LD_LIBRARY_PATH="$module_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

run "$tool" compile -o "$tmp/p.idx" "$netbase" "$xml"
expect "compile netbase + registry" 0 "$rc"
"$tool" export -i "$tmp/p.idx" -o "$tmp/protocols.new"
run "$tool" compile -o "$tmp/registry.idx" "$xml"
expect "compile the registry alone" 0 "$rc"

# netbase's keys: each name and alias as spelled, each number
sed 's/#.*//' "$netbase" | awk 'NF >= 2 {
	for (i = 1; i <= NF; i++) if (i != 2) print "protoname", $i
	print "protonumber", $2 }' | sort -u >"$tmp/netbase.q"
keys=$(wc -l <"$tmp/netbase.q" | tr -d ' ')
# every number 0-255, a few beyond, and every name and alias of the export
{
	i=-1; while [ $i -le 300 ]; do echo "protonumber $i"; i=$((i + 1)); done
	sed 's/#.*//' "$tmp/protocols.new" | awk 'NF >= 2 {
		for (i = 1; i <= NF; i++) if (i != 2) print "protoname", $i }'
	echo "protoname no-such-protocol"
} | sort -u >"$tmp/all.q"

cat >"$tmp/run.sh" <<EOT
set -e
mount --bind "$netbase" /etc/protocols
"$dump" files <"$tmp/netbase.q" >"$tmp/netbase.files"
mount --bind "$tmp/protocols.new" /etc/protocols
"$dump" files <"$tmp/netbase.q" >"$tmp/netbase.export"
"$dump" files <"$tmp/all.q" >"$tmp/all.export"
NSS_IANA_PROTOCOLS_INDEX="$tmp/p.idx" "$dump" iana <"$tmp/netbase.q" >"$tmp/netbase.iana"
NSS_IANA_PROTOCOLS_INDEX="$tmp/p.idx" "$dump" iana <"$tmp/all.q" >"$tmp/all.iana"
NSS_IANA_PROTOCOLS_INDEX="$tmp/p.idx" getent -s iana protocols >"$tmp/getent.all"
EOT
unshare -m sh "$tmp/run.sh" || fail "the namespace run failed"

differ() {
	paste -d '\n' "$1" "$2" | awk 'NR % 2 { a = $0; next } a != $0 { n++ } END { print n + 0 }'
}
echo "netbase: $keys keys; $(differ "$tmp/netbase.files" "$tmp/netbase.iana") differ through" \
	"the module, $(differ "$tmp/netbase.files" "$tmp/netbase.export") through files on the export"
paste -d '\n' "$tmp/netbase.files" "$tmp/netbase.iana" |
	awk 'NR % 2 { a = $0; next } a != $0 { print "files: " a; print "iana:  " $0 }' | head -n 20
expect "netbase keys (Debian 12's /etc/protocols)" 170 "$keys"
expect "netbase keys the module answers otherwise than files" 0 \
	"$(differ "$tmp/netbase.files" "$tmp/netbase.iana")"
expect "netbase keys files on the export answers otherwise" 0 \
	"$(differ "$tmp/netbase.files" "$tmp/netbase.export")"
expect "netbase keys files does not answer" 0 "$(grep -c '	not found$' "$tmp/netbase.files" || true)"
expect "ip 0 IP kept" "protonumber 0	ip 0 IP" "$(grep -F 'protonumber 0	' "$tmp/netbase.iana")"
expect "OSPFIGP answers ospf" "protoname OSPFIGP	ospf 89 OSPFIGP" \
	"$(grep -F 'protoname OSPFIGP	' "$tmp/netbase.iana")"
expect "mptcp 262 kept" "protonumber 262	mptcp 262 MPTCP" \
	"$(grep -F 'protonumber 262	' "$tmp/netbase.iana")"

all=$(wc -l <"$tmp/all.q" | tr -d ' ')
echo "numbers -1..300 and every name of the export: $all queries," \
	"$(differ "$tmp/all.export" "$tmp/all.iana") differ"
expect "module against files on the export, every number and name" 0 \
	"$(differ "$tmp/all.export" "$tmp/all.iana")"
expect "a registry-only keyword" "protoname isis-over-ipv4	isis-over-ipv4 124 ISIS-over-IPv4" \
	"$(grep -F 'protoname isis-over-ipv4	' "$tmp/all.iana")"
expect "a number no entry has" "protonumber 200	not found" "$(grep -F 'protonumber 200	' "$tmp/all.iana")"
expect "a negative number" "protonumber -1	not found" "$(grep -F 'protonumber -1	' "$tmp/all.iana")"
grep -v '^#' "$tmp/protocols.new" | sed 's/[[:space:]]*#.*//' | tr -s ' \t' '  ' >"$tmp/want"
tr -s ' \t' '  ' <"$tmp/getent.all" | sed 's/ $//' >"$tmp/got"
expect "getent -s iana protocols: the export's entries in order" "" \
	"$(diff "$tmp/want" "$tmp/got" | head -n 5)"
expect "entries enumerated" "$(wc -l <"$tmp/want" | tr -d ' ')" "$(wc -l <"$tmp/got" | tr -d ' ')"
# P3: a registry keyword an earlier entry of its number has, in any case,
# adds nothing (netbase's ospf 89 OSPFIGP stands for IANA's OSPFIGP)
repeats=$(awk '{ r = 0; for (i = 1; i <= NF; i++) if (i != 2) { k = tolower($i) " " $2
	if (k in seen && seen[k] != NR) r = 1; seen[k] = NR } n += r } END { print n + 0 }' "$tmp/got")
expect "entries repeating an earlier entry's name and number" 0 "$repeats"
expect "OSPFIGP gives no entry of its own" "" "$(grep -i '^ospfigp ' "$tmp/got")"

# No /etc/protocols to speak of: an empty file bound over it, and the
# nsswitch.conf line the package writes, with iana in front of files.
: >"$tmp/empty"
printf 'protocols: iana [NOTFOUND=return] files\nservices: files\n' >"$tmp/nsswitch.conf"
cat >"$tmp/prog.pl" <<'EOT'
my @p = getprotobynumber(58); print "$p[0] $p[2]\n";
@p = getprotobyname("TCP"); print "$p[0] $p[2]\n";
EOT
cat >"$tmp/empty.sh" <<EOT
set -e
mount --bind "$tmp/empty" /etc/protocols
mount --bind "$tmp/nsswitch.conf" /etc/nsswitch.conf
export NSS_IANA_PROTOCOLS_INDEX="$tmp/registry.idx"
getent protocols tcp >"$tmp/e.tcp"
getent protocols Tcp >"$tmp/e.Tcp"
getent protocols 58 >"$tmp/e.58"
python3 -c 'import socket; print(socket.getprotobyname("TCP"), socket.getprotobyname("ipv6-icmp"))' >"$tmp/e.py"
perl "$tmp/prog.pl" >"$tmp/e.pl"
getent -s files protocols tcp >"$tmp/e.files" || echo "exit \$?" >"$tmp/e.files"
EOT
run unshare -m sh "$tmp/empty.sh"
expect "empty /etc/protocols: the namespace run" 0 "$rc"
expect "getent protocols tcp" "tcp 6 TCP" "$(tr -s ' ' <"$tmp/e.tcp")"
expect "getent protocols Tcp" "tcp 6 TCP" "$(tr -s ' ' <"$tmp/e.Tcp")"
expect "getent protocols 58" "ipv6-icmp 58 IPv6-ICMP" "$(tr -s ' ' <"$tmp/e.58")"
expect "python3 getprotobyname" "6 58" "$(cat "$tmp/e.py")"
expect "perl getprotobynumber(58), getprotobyname(TCP)" "ipv6-icmp 58
tcp 6" "$(cat "$tmp/e.pl")"
expect "files alone has nothing there" "exit 2" "$(cat "$tmp/e.files")"

# Hot reload: a running python3 sees a protocols index installed over the
# one it has mapped (rename, as `install` does) within about a second.
cp "$tmp/registry.idx" "$tmp/live.idx"
printf 'zzproto 250 ZZ\n' >"$tmp/local.protocols"
"$tool" compile -o "$tmp/next.idx" "$tmp/local.protocols" "$xml" >/dev/null
cat >"$tmp/reload.py" <<'EOT'
import socket, sys, time
def ask():
    try:
        return socket.getprotobyname("ZZPROTO")
    except OSError:
        return None
print("before", ask(), flush=True)
open(sys.argv[1], "w").close()
start = time.monotonic()
while time.monotonic() - start < 5:
    n = ask()
    if n is not None:
        print("after", n, round(time.monotonic() - start, 2), flush=True)
        break
    time.sleep(0.05)
else:
    print("after none", flush=True)
EOT
cat >"$tmp/reload.sh" <<EOT
set -e
mount --bind "$tmp/nsswitch.conf" /etc/nsswitch.conf
export NSS_IANA_PROTOCOLS_INDEX="$tmp/live.idx"
python3 "$tmp/reload.py" "$tmp/ready" >"$tmp/reload.out" &
while [ ! -e "$tmp/ready" ]; do sleep 0.05; done
"$tool" install --database protocols -i "$tmp/live.idx" "$tmp/next.idx" >/dev/null
wait
EOT
run timeout 30 unshare -m sh "$tmp/reload.sh"
expect "reload: the namespace run" 0 "$rc"
expect "reload: before the install" "before None" "$(sed -n 1p "$tmp/reload.out")"
expect_match "reload: after, within 2 s" "^after 250 (0|1)\.[0-9]+$|^after 250 2\.0$" \
	"$(sed -n 2p "$tmp/reload.out")"
echo "reload: $(sed -n 2p "$tmp/reload.out")"

# The other database's index, a truncated one, none: UNAVAIL, and files
# after iana answers.
head -c 1000 "$tmp/registry.idx" >"$tmp/short.idx"
files_answer=$(printf 'protoname tcp\nprotonumber 17\n' | "$dump" files)
for bad in "$top_builddir/services.idx" "$tmp/short.idx" "$tmp/nonexistent.idx"; do
	run env NSS_IANA_PROTOCOLS_INDEX="$bad" getent -s iana protocols tcp
	expect "$(basename "$bad") as the protocols index: getent exit (UNAVAIL)" 2 "$rc"
	run sh -c "printf 'protoname tcp\nprotonumber 17\n' |
		NSS_IANA_PROTOCOLS_INDEX='$bad' '$dump' 'iana files'"
	expect "$(basename "$bad"): 'iana files' answers as files" "$files_answer" "$out"
done
run env NSS_IANA_INDEX="$tmp/registry.idx" getent -s iana services http
expect "a protocols index as the services index: UNAVAIL" 2 "$rc"

# The static musl shim, on the registry alone.
lib="$top_builddir/musl/libiana-shim.a"
if command -v musl-gcc >/dev/null 2>&1; then
	cat >"$tmp/proto.c" <<'EOT'
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
	struct protoent *p = argv[1][0] >= '0' && argv[1][0] <= '9' ?
		getprotobynumber(atoi(argv[1])) : getprotobyname(argv[1]);
	if (!p) { puts("not found"); return 1; }
	printf("%s %d", p->p_name, p->p_proto);
	for (char **a = p->p_aliases; *a; a++) printf(" %s", *a);
	putchar('\n');
	return 0;
}
EOT
	if musl-gcc -static -O2 -o "$tmp/proto" "$tmp/proto.c" "$lib"; then
		export NSS_IANA_PROTOCOLS_INDEX="$tmp/registry.idx"
		expect "musl getprotobyname(TCP)" "tcp 6 TCP" "$("$tmp/proto" TCP)"
		expect "musl getprotobynumber(58)" "ipv6-icmp 58 IPv6-ICMP" "$("$tmp/proto" 58)"
		expect "musl not found" "not found" "$("$tmp/proto" nonesuch || true)"
		unset NSS_IANA_PROTOCOLS_INDEX
	else
		fail "musl-gcc could not link the protocols program"
	fi
else
	echo "NOT RUN: the musl shim's protocols (musl-gcc is not installed)" >&2
fi

# The LD_PRELOAD shim: the index first, libc's files for the rest.
shim="$module_dir/libiana-preload.so"
run env LD_PRELOAD="${san_preload:+$san_preload }$shim" NSS_IANA_PROTOCOLS_INDEX="$tmp/registry.idx" \
	python3 -c 'import socket; print(socket.getprotobyname("Isis-Over-IPv4"), socket.getprotobyname("mptcp"))'
expect "preload: registry keyword any case, then libc's mptcp" "124 262" "$out"
finish
