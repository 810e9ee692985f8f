#!/bin/sh
# A program built with musl-gcc and linked statically with the musl shim
# answers from the index.
. "$(dirname "$0")/lib.sh"
lib="$top_builddir/musl/libiana-shim.a"
command -v musl-gcc >/dev/null || skip "musl-gcc not installed (apt-get install musl-tools)"
[ -f "$lib" ] || { fail "$lib not built (configure found no musl-gcc?)"; finish; exit 1; }
# Only the public names are global: the archive links into any program.
private=$(nm -g --defined-only "$lib" | awk '$2 ~ /[TDBR]/ { print $3 }' |
	grep -Ev '^(iana_|getserv|setservent|endservent|getproto|setprotoent|endprotoent)' | tr '\n' ' ')
expect "private global symbols" "" "$private"
cat >"$tmp/prog.c" <<'EOT'
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
int main(int argc, char **argv)
{
	struct servent *s = argv[1][0] >= '0' && argv[1][0] <= '9' ?
		getservbyport(htons(atoi(argv[1])), argv[2]) : getservbyname(argv[1], argv[2]);
	if (!s) { puts("not found"); return 1; }
	printf("%s %d/%s\n", s->s_name, ntohs(s->s_port), s->s_proto);
	return 0;
}
EOT
musl-gcc -static -O2 -o "$tmp/prog" "$tmp/prog.c" "$lib" || { fail "musl-gcc link"; finish; exit 1; }
expect_match "statically linked" "statically linked" "$(file "$tmp/prog")"
export NSS_IANA_INDEX="$top_builddir/tests/seed.idx"
expect "musl getservbyname" "neo4j 7474/tcp" "$("$tmp/prog" neo4j tcp)"
expect "musl getservbyport" "ipluminary 7420/udp" "$("$tmp/prog" 7420 udp)"
expect "musl not found" "not found" "$("$tmp/prog" nonesuch tcp || true)"
finish
