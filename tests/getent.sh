#!/bin/sh
# The built module loaded by real glibc: getent -s iana, then python3 and
# perl through an nsswitch.conf bind-mounted inside unshare -m.
. "$(dirname "$0")/lib.sh"
export LD_LIBRARY_PATH="$module_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export NSS_IANA_INDEX="$top_builddir/tests/seed.idx"
[ -f "$NSS_IANA_INDEX" ] || { fail "$NSS_IANA_INDEX not built"; finish; exit 1; }

g() { getent -s "$1" services "$2" 2>&1 || echo "exit $?"; }

expect_match "getent services 7474" "^neo4j +7474/tcp$" "$(g iana 7474)"
expect_match "by name" "^neo4j +7474/tcp$" "$(g iana neo4j)"
expect_match "by name, other case" "^neo4j +7474/tcp$" "$(g iana NEO4J)"
expect_match "by port and protocol" "^ipluminary +7420/udp$" "$(g iana 7420/udp)"
expect_match "range-free port, other protocol" "^rise +7473/udp$" "$(g iana rise/udp)"
expect "reserved port is not found" "exit 2" "$(g iana 7474/udp)"
expect "unknown name" "exit 2" "$(g iana no-such-service)"
expect "unknown protocol" "exit 2" "$(g iana neo4j/udplite)"
n=$(getent -s iana services | wc -l)
expect "enumeration" 75 "$n"
expect_match "enumeration order" "^rtps-dd-ut +7401/tcp$" "$(getent -s iana services | head -n 1)"

# The default index: the whole registry that data/ ships.
full="$top_builddir/services.idx"
expect_match "default index: 7474" "^neo4j +7474/tcp$" "$(NSS_IANA_INDEX="$full" g iana 7474)"
expect_match "default index: http" "^http +80/tcp www www-http$" "$(NSS_IANA_INDEX="$full" g iana http)"
expect_match "default index: x11 range" "^x11 +6063/tcp$" "$(NSS_IANA_INDEX="$full" g iana 6063/tcp)"

# UNAVAIL falls through to the next service
expect "missing index: iana alone" "exit 2" "$(NSS_IANA_INDEX=/nonexistent g iana 7474)"
printf 'myservice 4242/tcp\n' >"$tmp/services"
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	cat >"$tmp/nsswitch.conf" <<EOT
services: iana files
EOT
	cat >"$tmp/clients.sh" <<EOT
set -e
mount --bind "$tmp/nsswitch.conf" /etc/nsswitch.conf
mount --bind "$tmp/services" /etc/services
echo "python \$(python3 -c 'import socket; print(socket.getservbyport(7474, "tcp"), socket.getservbyname("neo4j", "tcp"), socket.getservbyname("myservice"))')"
echo "perl \$(perl -e '@s = getservbyname("neo4j", "tcp"); @p = getservbyport(7420, "udp"); print "\$s[2] \$p[0]"')"
echo "fallback \$(NSS_IANA_INDEX=/nonexistent getent services myservice)"
EOT
	out=$(unshare -m sh "$tmp/clients.sh" 2>&1) || fail "clients: $out"
	expect "python3 socket" "python neo4j 7474 4242" "$(echo "$out" | grep '^python')"
	expect "perl" "perl 7474 ipluminary" "$(echo "$out" | grep '^perl')"
	expect_match "UNAVAIL falls back to files" "^fallback myservice +4242/tcp$" "$(echo "$out" | grep '^fallback')"
else
	finish
	skip "python3, perl and fallback checks need root and unshare -m"
fi
finish
