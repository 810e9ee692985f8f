#!/bin/sh
# The LD_PRELOAD drop-in with an untouched nsswitch.conf: python3 and perl
# answer from the index; a name only in a local /etc/services still
# resolves through the fallthrough to libc.
. "$(dirname "$0")/lib.sh"
shim="$module_dir/libiana-preload.so"
export NSS_IANA_INDEX="$top_builddir/tests/seed.idx"
[ -f "$shim" ] || { fail "$shim not built"; finish; exit 1; }

got=$(nm -D --defined-only "$shim" | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ')
expect "shim exports" "endprotoent endservent getprotobyname getprotobyname_r getprotobynumber getprotobynumber_r getprotoent getprotoent_r getservbyname getservbyname_r getservbyport getservbyport_r getservent getservent_r setprotoent setservent " "$got"

py() { LD_PRELOAD="${san_preload:+$san_preload }$shim" python3 -c "import socket; $1" 2>&1 || true; }
expect "python3 getservbyname" 7474 "$(py "print(socket.getservbyname('neo4j', 'tcp'))")"
expect "python3 getservbyport" neo4j "$(py "print(socket.getservbyport(7474, 'tcp'))")"
expect "python3 any case" 7474 "$(py "print(socket.getservbyname('NEO4J'))")"
expect "perl" "7474 ipluminary" "$(LD_PRELOAD="${san_preload:+$san_preload }$shim" perl -e '@s = getservbyname("neo4j", "tcp"); @p = getservbyport(7420, "udp"); print "$s[2] $p[0]"')"
expect "without the shim" "OSError" "$(python3 -c "import socket
try: socket.getservbyname('neo4j', 'tcp'); print('found')
except OSError: print('OSError')")"

need_root_unshare
printf 'only-local 4243/tcp local-alias\nneo4j 7474/tcp\n' >"$tmp/services"
cat >"$tmp/run.sh" <<EOT
set -e
mount --bind "$tmp/services" /etc/services
P="${san_preload:+$san_preload }$shim"
LD_PRELOAD="\$P" python3 -c "import socket; print(socket.getservbyname('only-local', 'tcp'), socket.getservbyname('local-alias'), socket.getservbyport(4243))"
LD_PRELOAD="\$P" python3 -c "import socket; print(socket.getservbyname('rtps-dd-ut', 'udp'))"
LD_PRELOAD="\$P" getent services >"$tmp/all"
wc -l <"$tmp/all"
tail -n 1 "$tmp/all"
EOT
out=$(unshare -m sh "$tmp/run.sh" 2>&1) || fail "unshare: $out"
expect "local name through the fallthrough" "4243 4243 only-local" "$(echo "$out" | sed -n 1p)"
expect "registry name with a local file" 7401 "$(echo "$out" | sed -n 2p)"
# enumeration: the index's 75 entries, then the local line the index lacks
expect "enumeration count" 76 "$(echo "$out" | sed -n 3p)"
expect_match "enumeration ends with the local line" "^only-local +4243/tcp local-alias$" "$(echo "$out" | sed -n 4p)"
finish
