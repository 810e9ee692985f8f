#!/bin/sh
# What runs inside other programs (the NSS module, the public library, the
# LD_PRELOAD shim and the static musl shim) needs the C library and nothing
# else: no expat, nettle or libcurl, whose place is the tool. Every symbol
# they leave undefined is glibc's (versioned GLIBC_*), or for the musl
# shim, one that musl's libc.a defines.
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"

# the sanitizers' runtimes are allowed in a sanitizer build, and nothing else
sanitizer='^(lib(asan|ubsan)\.|__(asan|ubsan|sanitizer|lsan)_)'

# In a sanitizer build the runtimes interpose malloc, memcpy and the like:
# those are bound unversioned to them. Only what they define may be so.
: >"$tmp/sanitizer-defined"
if [ -n "${SANITIZER_CFLAGS:-}" ]; then
	for rt in libasan.so libubsan.so; do
		f=$(${CC:-cc} -print-file-name=$rt)
		[ -f "$f" ] && nm -D --defined-only "$f" | awk '{ sub(/@.*/, "", $3); print $3 }' \
			>>"$tmp/sanitizer-defined"
	done
	[ -s "$tmp/sanitizer-defined" ] || fail "the sanitizer runtimes' symbols could not be read"
fi

for so in libnss_iana.so.2 libiana-services.so libiana-preload.so; do
	f="$module_dir/$so"
	[ -f "$f" ] || { fail "$f not built"; continue; }
	needed=$(objdump -p "$f" | awk '/NEEDED/ { print $2 }' | grep -Ev "$sanitizer" | sort | tr '\n' ' ')
	expect "$so: libraries needed" "libc.so.6 " "$needed"
	# "U name@GLIBC_2.x"; weak references (w) are the toolchain's own
	foreign=$(nm -D -u "$f" | awk '$1 == "U" { print $2 }' | grep -v '@GLIBC_' |
		grep -Ev "$sanitizer" | grep -vxF -f "$tmp/sanitizer-defined" | head -n 20 | tr '\n' ' ')
	expect "$so: undefined symbols not from glibc" "" "$foreign"
	leaked=$(nm -D -u "$f" | grep -Ei ' (XML_|curl_|nettle_)' | tr '\n' ' ' || true)
	expect "$so: no expat, libcurl or nettle symbol" "" "$leaked"
done

shim="$top_builddir/musl/libiana-shim.a"
if command -v musl-gcc >/dev/null 2>&1; then
	[ -f "$shim" ] || fail "$shim not built although musl-gcc is here"
	libc=$(musl-gcc -print-file-name=libc.a)
	[ -f "$libc" ] || fail "musl's libc.a not found ($libc)"
	if [ -f "$shim" ] && [ -f "$libc" ]; then
		nm --defined-only "$libc" 2>/dev/null | awk 'NF == 3 && $2 ~ /[TWDBRVi]/ { print $3 }' |
			sort -u >"$tmp/musl-defined"
		# _GLOBAL_OFFSET_TABLE_ is the linker's, not a library's
		nm -u "$shim" | awk 'NF == 2 { print $2 }' | grep -v '^_GLOBAL_OFFSET_TABLE_$' |
			sort -u >"$tmp/shim-undefined"
		missing=$(comm -23 "$tmp/shim-undefined" "$tmp/musl-defined" | tr '\n' ' ')
		expect "musl shim: undefined symbols musl's libc.a lacks" "" "$missing"
		[ -s "$tmp/shim-undefined" ] || fail "musl shim: no undefined symbol at all: nm failed?"
	fi
else
	echo "NOT RUN: the musl shim's symbols (musl-gcc is not installed)" >&2
fi
finish
