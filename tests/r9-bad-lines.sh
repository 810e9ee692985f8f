#!/bin/sh
# The services(5) lines glibc's files backend ignores, and those past the
# index's limits (SPEC 5): the compiler refuses them, exit 2, with
# FILE:LINE, and writes nothing; glibc's files backend, reading the same
# file, ignores each ignored line and answers the lines after it (so the
# refusal hides nothing glibc would answer).
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
seed="$top_srcdir/tests/data/seed-excerpt.txt"
dump="$top_builddir/tests/nss-dump"
n=0

# refused WHAT LINE: "first 1/tcp", a comment, LINE (line 3), "last 2/tcp"
refused() {
	n=$((n + 1))
	f="$tmp/bad$n.services"
	printf 'first 1/tcp\n# a comment\n%b\nlast 2/tcp\n' "$2" >"$f"
	run "$tool" compile -o "$tmp/bad.idx" "$f" "$seed"
	expect "$1: exit" 2 "$rc"
	expect_match "$1: names the file and line" "^iana-services: $f:3: " "$err"
	[ ! -e "$tmp/bad.idx" ] && ok || fail "$1: an index was written"
	echo "$1	$f" >>"$tmp/ignored"
}

: >"$tmp/ignored"
refused "no slash, a protocol" 'name 80 tcp'
refused "no number" 'name abc/tcp'
refused "a name alone" 'name'
refused "a blank after the number" 'name 80 '
refused "a blank, then a comment" 'name 80 # comment'
refused "CR after the number" 'name 80\r'
refused "octal with an 8" 'name 080/tcp'
refused "0x without a digit" 'name 0x/tcp'
refused "a letter after the number" 'name 80a/tcp'
# past 32 bits: Debian 12's glibc 2.36 ignores the line where upstream's
# strtou32 would clamp it to 65535 (registry_services.c); 4294967376 is
# 2^32 + 80, so "port 80" below would find it if it were cut to 16 bits
refused "a number past 32 bits" 'name 4294967296/tcp'
refused "2^32 + 80" 'name 4294967376/tcp'
refused "hex past 32 bits" 'name 0x100000000/tcp'
refused "minus one" 'name -1/tcp'
refused "past 64 bits" 'name 99999999999999999999/tcp'

# past the limits: glibc would answer these, the index cannot hold them
aliases=$(seq 1 65 | sed 's/^/a/' | tr '\n' ' ')
n=$((n + 1))
printf 'first 1/tcp\n# a comment\nname 80/tcp %s\n' "$aliases" >"$tmp/long$n.services"
run "$tool" compile -o "$tmp/bad.idx" "$tmp/long$n.services" "$seed"
expect "65 aliases: exit" 2 "$rc"
expect_match "65 aliases: FILE:LINE" "^iana-services: $tmp/long$n.services:3: name: 65 aliases, more than 64" "$err"
printf 'first 1/tcp\n# a comment\nname 80/tcp %s\n' "$(seq 1 64 | sed 's/^/a/' | tr '\n' ' ')" \
	>"$tmp/ok64.services"
run "$tool" compile -o "$tmp/ok.idx" "$tmp/ok64.services" "$seed"
expect "64 aliases: exit" 0 "$rc"
long=$(printf '%0256d' 0 | tr 0 x)
printf 'first 1/tcp\n# a comment\n%s 80/tcp\n' "$long" >"$tmp/longname.services"
run "$tool" compile -o "$tmp/bad.idx" "$tmp/longname.services" "$seed"
expect "a 256-byte name: exit" 2 "$rc"
expect_match "a 256-byte name: FILE:LINE" "^iana-services: $tmp/longname.services:3: " "$err"

# the largest numbers glibc reads: 4294967295, and a negation that wraps
# to 32 bits, cut to 16 as glibc cuts them
printf 'first 1/tcp\nsvcmax 4294967295/tcp\nsvchex 0xffffffff/udp\nsvcneg -18446744073709551615/tcp\n' \
	>"$tmp/max.services"
run "$tool" compile -o "$tmp/max.idx" "$tmp/max.services" "$seed"
expect "4294967295: exit" 0 "$rc"
run "$tool" lookup -i "$tmp/max.idx" svcmax tcp
expect_match "4294967295 is port 65535" "^svcmax  *65535/tcp" "$out"
run "$tool" lookup -i "$tmp/max.idx" svchex udp
expect_match "0xffffffff is port 65535" "^svchex  *65535/udp" "$out"
run "$tool" lookup -i "$tmp/max.idx" svcneg tcp
expect_match "-18446744073709551615 is port 1" "^svcneg  *1/tcp" "$out"

# glibc's files backend ignores each refused line and goes on
need_root_unshare
: >"$tmp/current"
cat >"$tmp/run.sh" <<EOT
set -e
mount --bind "$tmp/current" /etc/services
while IFS='	' read -r what f; do
	cat "\$f" >"$tmp/current"
	printf 'name name -\nport 80 -\nname last tcp\nenumerate\n' | "$dump" files |
		tr '\n' ',' | sed "s|^|\$what: |"
	echo
done <"$tmp/ignored"
EOT
unshare -m sh "$tmp/run.sh" >"$tmp/glibc" 2>&1 || fail "unshare: $(cat "$tmp/glibc")"
while IFS='	' read -r what f; do
	expect "$what: glibc files ignores it" \
		"$what: name name -	not found,port 80 -	not found,name last tcp	last 2/tcp,enumerate	first 1/tcp,enumerate	last 2/tcp,enumerated	2," \
		"$(grep "^$what: " "$tmp/glibc")"
done <"$tmp/ignored"
# and answers the largest numbers as the index does
cat >"$tmp/run-max.sh" <<EOT
set -e
mount --bind "$tmp/max.services" /etc/services
printf 'name svcmax tcp\nname svchex udp\nname svcneg tcp\n' | "$dump" files | tr '\n' ','
EOT
unshare -m sh "$tmp/run-max.sh" >"$tmp/glibc-max" 2>&1 || fail "unshare: $(cat "$tmp/glibc-max")"
expect "glibc files reads the largest numbers so" \
	"name svcmax tcp	svcmax 65535/tcp,name svchex udp	svchex 65535/udp,name svcneg tcp	svcneg 1/tcp," \
	"$(cat "$tmp/glibc-max")"
finish
