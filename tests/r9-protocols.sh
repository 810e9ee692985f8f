#!/bin/sh
# Local protocols and aliases (SPEC R9, issue 13) through every reader: the
# index compiled from netbase's file and the registry answers rtmp/ddp and
# Clearcase/udp through the NSS module (getent), the LD_PRELOAD shim
# (python3), the static musl shim and `iana-services lookup`. /etc/services
# is an empty file meanwhile, so no answer can come from glibc's files.
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
netbase="$top_srcdir/tests/data/netbase-services"
xml="${REGISTRY_DIR:-}/service-names-port-numbers.2026-08-17.xml"
[ -r "$xml" ] || skip "full registry not found at $xml (set REGISTRY_DIR or --with-registry-dir)"
shim="$module_dir/libiana-preload.so"
musl_lib="$top_builddir/musl/libiana-shim.a"
export NSS_IANA_INDEX="$tmp/new.idx"
export LD_LIBRARY_PATH="$module_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

"$tool" compile -o "$NSS_IANA_INDEX" "$netbase" "$xml" >/dev/null

# the tool
run "$tool" lookup rtmp ddp
expect "lookup rtmp ddp: exit" 0 "$rc"
expect "lookup rtmp ddp" "rtmp 1/ddp" "$(head -n 1 "$tmp/out")"
run "$tool" lookup 1 ddp
expect "lookup 1 ddp" "rtmp 1/ddp" "$(head -n 1 "$tmp/out")"
run "$tool" lookup Clearcase udp
expect "lookup Clearcase udp" "clearcase 371/udp" "$(head -n 1 "$tmp/out")"
expect_match "lookup Clearcase udp: its entry" "services entry +clearcase 371/udp Clearcase" "$out"
run "$tool" lookup rtmp udplite
expect "lookup rtmp udplite: not found" 1 "$rc"

need_root_unshare

# the static musl shim: a tiny program, when musl-gcc is there
musl=
if command -v musl-gcc >/dev/null && [ -f "$musl_lib" ]; then
	cat >"$tmp/prog.c" <<'EOT'
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
int main(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i += 2) {
		struct servent *s = argv[i][0] >= '0' && argv[i][0] <= '9' ?
			getservbyport(htons(atoi(argv[i])), argv[i + 1]) :
			getservbyname(argv[i], argv[i + 1]);
		if (!s) { puts("not found"); continue; }
		printf("%s %d/%s", s->s_name, ntohs(s->s_port), s->s_proto);
		for (char **a = s->s_aliases; *a; a++)
			printf(" %s", *a);
		putchar('\n');
	}
	return 0;
}
EOT
	if musl-gcc -static -O2 -o "$tmp/musl-prog" "$tmp/prog.c" "$musl_lib"; then
		musl="$tmp/musl-prog"
	else
		fail "musl-gcc link"
	fi
else
	echo "musl-gcc or $musl_lib missing: the static shim is not checked here (tests/musl.sh says why)" >&2
fi

: >"$tmp/empty"
cat >"$tmp/run.sh" <<EOT
set -e
mount --bind "$tmp/empty" /etc/services
echo "files: \$(getent -s files services rtmp/ddp || echo none)"
echo "getent: \$(getent -s iana services rtmp/ddp)"
echo "getent port: \$(getent -s iana services 1/ddp)"
echo "getent Clearcase: \$(getent -s iana services Clearcase/udp)"
echo "getent udplite: \$(getent -s iana services rtmp/udplite || echo none)"
P="${san_preload:+$san_preload }$shim"
LD_PRELOAD="\$P" python3 -c 'import socket
print("shim:", socket.getservbyport(1, "ddp"), "%d/ddp" % socket.getservbyname("rtmp", "ddp"))
print("shim Clearcase:", socket.getservbyport(371, "udp"), "%d/udp" % socket.getservbyname("Clearcase", "udp"))'
LD_PRELOAD="\$P" perl -e '@s = getservbyname("rtmp", "ddp"); print "perl: \$s[0] \$s[2]/\$s[3]\n"'
if [ -n "$musl" ]; then echo "musl: \$("$musl" rtmp ddp 1 ddp Clearcase udp | tr '\n' ',')"; fi
EOT
out=$(unshare -m sh "$tmp/run.sh" 2>&1) || fail "unshare: $out"
echo "$out"
line() { echo "$out" | sed -n "s/^$1: //p" | tr -s ' '; }
expect "files on an empty /etc/services" "none" "$(line files)"
expect "getent -s iana services rtmp/ddp" "rtmp 1/ddp" "$(line getent)"
expect "getent -s iana services 1/ddp" "rtmp 1/ddp" "$(line 'getent port')"
expect "getent -s iana services Clearcase/udp" "clearcase 371/udp Clearcase" "$(line 'getent Clearcase')"
expect "getent -s iana services rtmp/udplite" "none" "$(line 'getent udplite')"
expect "LD_PRELOAD shim, python3" "rtmp 1/ddp" "$(line shim)"
expect "LD_PRELOAD shim, python3, Clearcase" "clearcase 371/udp" "$(line 'shim Clearcase')"
expect "LD_PRELOAD shim, perl" "rtmp 1/ddp" "$(line perl)"
if [ -n "$musl" ]; then
	expect "static musl shim" "rtmp 1/ddp,rtmp 1/ddp,clearcase 371/udp Clearcase," "$(line musl)"
fi
finish
