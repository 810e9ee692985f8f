#!/bin/sh
# Quick start: install the build dependencies (Debian 12), build nss-iana in
# build/, and answer `getent services 7474` and `getent services http` from
# the whole registry that data/ ships, through the built module, without
# touching /etc.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
cd "$(dirname "$0")/.."

# Build: compiler, autotools, expat (XML input), nettle, libcurl (the tool's
# `update`). Tests: cmocka, musl-gcc for the static shim, clang + compiler-rt
# for fuzzing, valgrind, openssl (a test CA for `update` over HTTPS),
# systemd (systemd-analyze verify on the units). Debian packages: debhelper,
# dh-nss, dpkg-dev, lintian. Benchmarks: libnss-db and hyperfine.
packages="build-essential autoconf automake libtool pkg-config libexpat1-dev nettle-dev
libcurl4-openssl-dev libcmocka-dev musl-tools clang libclang-rt-14-dev valgrind
util-linux binutils python3 perl man-db bsdextrautils file strace openssl systemd
debhelper dh-nss dpkg-dev lintian libnss-db hyperfine"

missing=$(for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
	else
		echo "quickstart: missing packages; run as root or: sudo apt-get install" $missing >&2
		exit 1
	fi
fi

[ -x configure ] || ./autogen.sh >/dev/null 2>&1
mkdir -p build
cd build
[ -f Makefile ] || ../configure --enable-werror --quiet
make -j"$(nproc)" >/dev/null

echo "getent -s iana services 7474, answered by build/.libs/libnss_iana.so.2 from build/services.idx:"
LD_LIBRARY_PATH="$PWD/.libs" NSS_IANA_INDEX="$PWD/services.idx" getent -s iana services 7474
echo "getent -s iana services http:"
LD_LIBRARY_PATH="$PWD/.libs" NSS_IANA_INDEX="$PWD/services.idx" getent -s iana services http
echo "getent -s iana protocols tcp 58, from build/protocols.idx (IANA's Protocol Numbers):"
LD_LIBRARY_PATH="$PWD/.libs" NSS_IANA_PROTOCOLS_INDEX="$PWD/protocols.idx" getent -s iana protocols tcp 58
