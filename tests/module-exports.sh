#!/bin/sh
# The module exports the five NSS entry points and nothing else; it needs
# nothing but glibc.
. "$(dirname "$0")/lib.sh"
so="$module_dir/libnss_iana.so.2"
[ -f "$so" ] || { fail "$so not built"; finish; exit 1; }

got=$(nm -D --defined-only "$so" | awk '$2 == "T" || $2 == "D" || $2 == "B" { sub(/@.*/, "", $3); print $3 }' | sort | tr '\n' ' ')
expect "exported symbols" "_nss_iana_endprotoent _nss_iana_endservent _nss_iana_getprotobyname_r _nss_iana_getprotobynumber_r _nss_iana_getprotoent_r _nss_iana_getservbyname_r _nss_iana_getservbyport_r _nss_iana_getservent_r _nss_iana_setprotoent _nss_iana_setservent " "$got"
# a sanitizer build links the sanitizers' runtimes too
needed=$(objdump -p "$so" | awk '/NEEDED/ { print $2 }' | grep -Ev '^lib(asan|ubsan)\.' | sort | tr '\n' ' ')
expect "libraries needed" "libc.so.6 " "$needed"
expect "soname" "libnss_iana.so.2" "$(objdump -p "$so" | awk '/SONAME/ { print $2 }')"
finish
