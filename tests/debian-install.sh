#!/bin/sh
# debian-install.sh: build the Debian packages from a clean copy of the tree,
# check them with lintian, then install, update, reinstall, remove and purge
# them in a throw-away root: an overlayfs over / (upper layer on a tmpfs),
# mounted in a private mount and PID namespace and entered with chroot. The
# machine's own / is never written; the namespace, its mounts and every
# process in it end with the test, and the temporary directory is removed
# whatever happens.
#
# Run by scripts/check.sh, not by `make check`: it needs root, and a minute.
#   tests/debian-install.sh          the whole test
#   KEEP=1 tests/debian-install.sh   keep the temporary directory (packages, logs)
#   DEBS=DIR tests/debian-install.sh the .debs in DIR, built before: no build, no lintian
# Exit 0 pass, 1 fail, 77 skipped (no root, no overlayfs): a skip is no pass.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu

pkgs="libnss-iana iana-services libiana-services0 libiana-services-dev"
index=/var/lib/nss-iana/services.idx
pindex=/var/lib/nss-iana/protocols.idx
# a record the shipped registry does not have, added to a newer one
test_name=nss-iana-debtest
test_port=47999

# T0: when the test started, for the elapsed seconds of each line
say() { echo "debian-install: [$(($(date +%s) - ${T0:-$(date +%s)}))s] $*"; }
die() {
	echo "debian-install: FAIL: $*" >&2
	exit 1
}
skip() {
	echo "debian-install: SKIPPED, NOT PASSED: $*" >&2
	exit 77
}

# ---- inside the chroot: the packages' life on a machine -----------------
# expect WHAT WANT GOT
expect() {
	[ "$2" = "$3" ] || die "$1: expected [$2], got [$3]"
	say "ok: $1"
}

# The services and protocols lines with `iana [NOTFOUND=return]` put in
# front of `files` (SPEC F1), the rest of nsswitch.conf as it was.
expected_nsswitch() {
	sed -E '/^(services|protocols):/ s/([[:space:]])files([[:space:]]|$)/\1iana [NOTFOUND=return] files\2/' "$1"
}

# key_answer KEY [SOURCE]: name and port/proto of getent's answer (aliases
# may differ: the registry adds its synonyms to a local entry, R3/R4)
key_answer() {
	getent ${2:+-s "$2"} services "$1" | awk '{ print $1, $2 }'
}

in_root() {
	export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin
	unset NSS_IANA_INDEX NSS_IANA_PROTOCOLS_INDEX LD_PRELOAD LD_LIBRARY_PATH 2>/dev/null || true
	cd /tmp/debs
	for p in $pkgs; do
		case $(dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null || true) in
		i* | r* | c*) die "$p is already known to this machine's dpkg; the test needs a machine without it" ;;
		esac
	done
	# libnss-db answers in front of us when it has a database (`db iana ... files`)
	rm -f /var/lib/misc/services.db
	# man-db's trigger rebuilds every manual page's index: half the time of
	# each install, and nothing this test looks at
	rm -f /var/lib/man-db/auto-update
	cp /etc/nsswitch.conf /tmp/nsswitch.orig
	grep -q '^services:.*[[:space:]]files' /etc/nsswitch.conf ||
		die "this machine's nsswitch.conf has no services line with files"
	grep -q '^protocols:.*[[:space:]]files' /etc/nsswitch.conf ||
		die "this machine's nsswitch.conf has no protocols line with files"
	[ -s /etc/protocols ] || die "this machine has no /etc/protocols (netbase) to compare with"

	say "apt-get install ./*.deb"
	apt-get install -y -q /tmp/debs/*.deb >/tmp/apt-install.log 2>&1 ||
		{ cat /tmp/apt-install.log; die "apt-get install failed"; }
	grep -i 'warning' /tmp/apt-install.log || true

	expected_nsswitch /tmp/nsswitch.orig >/tmp/nsswitch.want
	cmp -s /tmp/nsswitch.want /etc/nsswitch.conf ||
		{ diff -u /tmp/nsswitch.want /etc/nsswitch.conf; die "nsswitch.conf after install"; }
	say "ok: $(grep '^services:' /etc/nsswitch.conf)"
	say "ok: $(grep '^protocols:' /etc/nsswitch.conf)"
	for i in "$index" "$pindex"; do
		[ -s "$i" ] || die "no live index $i"
		dpkg -S "$i" >/dev/null 2>&1 && die "$i is a file of a package"
	done
	shipped=$(dpkg-query -L libnss-iana | grep '/nss-iana/services.idx$') ||
		die "libnss-iana ships no index"
	dpkg-query -L libnss-iana | grep -q '/nss-iana/protocols.idx$' ||
		die "libnss-iana ships no protocols index"

	# the autopkgtests, against the packages just installed
	for t in services protocols library; do
		say "debian/tests/$t"
		sh "/tmp/autopkgtest/$t" || die "debian/tests/$t"
	done

	# F4: the shipped index holds the registry alone, the live one the local
	# lines too, each answered as `files` answers it (F1, R9).
	local_only=0
	differ=0
	keys=$(awk '/^[^#]/ && NF >= 2 { sub(/#.*/, ""); for (i = 1; i <= NF; i++) if (i != 2) print $i; print $2 }' /etc/services | sort -u)
	for k in $keys; do
		want=$(key_answer "$k" files)
		[ -n "$want" ] || continue
		got=$(key_answer "$k")
		if [ "$got" != "$want" ]; then
			echo "getent services $k: [$got], files says [$want]" >&2
			differ=$((differ + 1))
		fi
		case $k in
		*/*) ;;
		*) iana-services lookup -i "$shipped" "$k" >/dev/null 2>&1 || local_only=$((local_only + 1)) ;;
		esac
	done
	[ "$differ" -eq 0 ] || die "$differ keys of /etc/services answered otherwise than files answers them"
	say "ok: every key of /etc/services ($(echo "$keys" | wc -l)) answered as files answers it"
	[ "$local_only" -gt 0 ] ||
		die "the shipped index knows every name of /etc/services: compiled from the build machine's? (F4)"
	say "ok: $local_only names of /etc/services are in the live index, not in the shipped one"

	# every name, alias and number of /etc/protocols answered as files
	# answers it, aliases and all (P3)
	differ=0
	keys=$(awk '/^[^#]/ && NF >= 2 { sub(/#.*/, ""); for (i = 1; i <= NF; i++) print $i }' /etc/protocols | sort -u)
	for k in $keys; do
		want=$(getent -s files protocols "$k" | tr -s ' \t' '  ')
		got=$(getent protocols "$k" | tr -s ' \t' '  ')
		if [ "$got" != "$want" ]; then
			echo "getent protocols $k: [$got], files says [$want]" >&2
			differ=$((differ + 1))
		fi
	done
	[ "$differ" -eq 0 ] || die "$differ keys of /etc/protocols answered otherwise than files answers them"
	say "ok: every key of /etc/protocols ($(echo "$keys" | wc -l)) answered as files answers it"

	# the dpkg file trigger on /etc/protocols rebuilds the protocols index:
	# until then it is stale and iana alone answers nothing (F2)
	printf '%s-proto 254 NSS-IANA-DEBTEST\n' "$test_name" >>/etc/protocols
	iana-services check -i "$pindex" >/dev/null 2>&1 && die "$pindex not stale after /etc/protocols changed"
	dpkg-trigger --no-await /etc/protocols
	dpkg --triggers-only --pending >/tmp/trigger.log 2>&1 || { cat /tmp/trigger.log; die "trigger"; }
	iana-services check -i "$pindex" >/dev/null || die "the trigger on /etc/protocols did not rebuild $pindex"
	expect "getent -s iana protocols $test_name-proto (after the trigger)" \
		"$test_name-proto 254 NSS-IANA-DEBTEST" "$(getent -s iana protocols "$test_name-proto" | tr -s ' \t' '  ')"

	# the dpkg file trigger on /etc/services rebuilds the index
	printf '%s-local %d/udp\n' "$test_name" "$test_port" >>/etc/services
	dpkg-trigger --no-await /etc/services
	dpkg --triggers-only --pending >/tmp/trigger.log 2>&1 || { cat /tmp/trigger.log; die "trigger"; }
	iana-services lookup "$test_name-local" udp >/dev/null ||
		die "the trigger on /etc/services did not rebuild the index"
	expect "getent services $test_name-local (after the trigger)" "$test_name-local $test_port/udp" \
		"$(key_answer "$test_name-local")"

	# update installs a newer registry; reinstalling the package keeps it
	registry=$(dpkg-query -L iana-services | grep '/service-names-port-numbers.xml$') ||
		die "iana-services ships no registry"
	sed -e '0,/<updated>[^<]*<\/updated>/s//<updated>2099-01-01<\/updated>/' \
		-e "0,/<record>/s//<record><name>$test_name<\/name><protocol>tcp<\/protocol><number>$test_port<\/number><description>nss-iana install test<\/description><\/record>\n<record>/" \
		"$registry" >/tmp/newer.xml
	cmp -s "$registry" /tmp/newer.xml && die "could not make a newer registry"
	iana-services update --url file:///tmp/newer.xml || die "iana-services update --url file:///tmp/newer.xml"
	expect "getent services $test_name (after update)" "$test_name $test_port/tcp" "$(key_answer "$test_name")"
	apt-get install -y -q --reinstall /tmp/debs/*.deb >/tmp/apt-reinstall.log 2>&1 ||
		{ cat /tmp/apt-reinstall.log; die "apt-get install --reinstall failed"; }
	expect "getent services $test_name (after apt-get --reinstall)" "$test_name $test_port/tcp" "$(key_answer "$test_name")"
	dpkg -i /tmp/debs/*.deb >/tmp/dpkg-reinstall.log 2>&1 || { cat /tmp/dpkg-reinstall.log; die "dpkg -i again failed"; }
	expect "getent services $test_name (after dpkg -i)" "$test_name $test_port/tcp" "$(key_answer "$test_name")"
	cmp -s /tmp/nsswitch.want /etc/nsswitch.conf || die "nsswitch.conf changed by the reinstall"

	# remove: iana off the services line, the rest byte-identical, no index left
	for p in $pkgs; do dpkg-query -L "$p"; done | sort -u >/tmp/package-files
	say "apt-get remove"
	# shellcheck disable=SC2086
	apt-get remove -y -q $pkgs >/tmp/apt-remove.log 2>&1 || { cat /tmp/apt-remove.log; die "apt-get remove failed"; }
	cmp -s /tmp/nsswitch.orig /etc/nsswitch.conf ||
		{ diff -u /tmp/nsswitch.orig /etc/nsswitch.conf; die "nsswitch.conf after remove"; }
	say "ok: nsswitch.conf byte-identical to the original after remove"
	[ ! -e "$index" ] || die "$index left behind by remove"
	[ ! -e "$pindex" ] || die "$pindex left behind by remove"
	[ -z "$(getent services "$test_name")" ] || die "getent services $test_name still answered after remove"
	say "ok: no live index after remove"

	# purge: nothing of the packages left
	# those with nothing left to purge are gone already: apt knows them no more
	residual=$(for p in $pkgs; do dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' "$p" 2>/dev/null; done |
		awk '$1 == "rc" { print $2 }')
	say "apt-get purge $(echo "$residual" | tr '\n' ' ')"
	[ -n "$residual" ] || die "no package left to purge (iana-services has a postrm)"
	# shellcheck disable=SC2086
	apt-get purge -y -q $residual >/tmp/apt-purge.log 2>&1 || { cat /tmp/apt-purge.log; die "apt-get purge failed"; }
	for p in $pkgs; do
		! dpkg-query -W "$p" >/dev/null 2>&1 || die "$p still known to dpkg after purge"
	done
	cmp -s /tmp/nsswitch.orig /etc/nsswitch.conf || die "nsswitch.conf after purge"
	left=0
	while read -r f; do
		[ "$f" != /. ] || continue
		[ -e "$f" ] || [ -L "$f" ] || continue
		if [ -d "$f" ] && dpkg-query -S "$f" >/dev/null 2>&1; then
			continue # a directory another package owns
		fi
		echo "left behind: $f" >&2
		left=$((left + 1))
	done </tmp/package-files
	[ "$left" -eq 0 ] || die "$left files of the packages left after purge"
	[ ! -e /var/lib/nss-iana ] || die "/var/lib/nss-iana left after purge"
	for f in /etc/nsswitch.conf.nss.*; do
		[ ! -e "$f" ] || die "$f left after purge"
	done
	! grep -qs iana /var/lib/dpkg/triggers/File || die "a dpkg trigger interest left after purge"
	say "ok: purge left none of $(wc -l </tmp/package-files) paths of the packages, nor /var/lib/nss-iana"
}

# ---- inside the namespace: the overlay, then the chroot -----------------
in_namespace() {
	tmp=$1
	ns=$tmp/ns
	mount -t tmpfs -o mode=0755,size=2g nss-iana-test "$ns"
	mkdir "$ns/upper" "$ns/work" "$ns/root"
	root=$ns/root
	mount -t overlay overlay -o "lowerdir=/,upperdir=$ns/upper,workdir=$ns/work" "$root"
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	# a fresh /run: no systemd of this machine to start units in
	mount -t tmpfs -o mode=0755 run "$root/run"
	mkdir -p "$root/run/lock"
	mount -t tmpfs -o mode=1777 tmp "$root/tmp"
	mkdir "$root/tmp/debs"
	for deb in "$tmp"/out/*.deb; do
		case $deb in *-dbgsym_*) ;; *) cp "$deb" "$root/tmp/debs/" ;; esac
	done
	cp -r "$tmp/out/src/debian/tests" "$root/tmp/autopkgtest"
	cp "$0" "$root/tmp/debian-install.sh"
	chroot "$root" /bin/sh /tmp/debian-install.sh --in-root
	# every file the packages' life created under / is in the upper layer:
	# after the purge, none named after them (whiteouts are deletions)
	left=$(cd "$ns/upper" && find . -name '*iana*' ! -type c)
	[ -z "$left" ] || die "left in the throw-away root after purge: $left"
	say "ok: the throw-away root holds no file named *iana* after purge"
}

case ${1:-} in
--in-root)
	in_root
	exit 0
	;;
--in-namespace)
	in_namespace "$2"
	exit 0
	;;
esac

# ---- on the machine: checks, build, lintian, the namespace ---------------
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || skip "needs root (a mount namespace, overlayfs, chroot)"
for c in unshare chroot mount dpkg-buildpackage lintian timeout git; do
	command -v "$c" >/dev/null || skip "$c not found"
done
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || true
grep -qw overlay /proc/filesystems || skip "no overlayfs in this kernel"
unshare --mount --pid --fork true 2>/dev/null || skip "cannot make a mount and PID namespace here"
git -C "$top" rev-parse --git-dir >/dev/null 2>&1 || skip "$top is no git checkout: no clean copy to build from"

start=$(date +%s)
T0=$start
export T0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nss-iana-deb.XXXXXX")
cleanup() {
	if [ -n "${KEEP:-}" ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir "$tmp/out" "$tmp/out/src" "$tmp/ns"

if [ -n "${DEBS:-}" ]; then
	cp "$DEBS"/*.deb "$tmp/out/"
	cp -r "$top/debian" "$tmp/out/src/"
else
	# a clean copy: the files git tracks, as they are in the work tree (no
	# build directory, nothing generated); the packages land in $tmp/out
	# shellcheck disable=SC2016
	(cd "$top" && git ls-files -z | xargs -0 sh -c 'for f; do [ ! -e "$f" ] || printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -xf - -C "$tmp/out/src"
	say "dpkg-buildpackage -us -uc -b (DEB_BUILD_OPTIONS=nocheck) in $tmp/out/src"
	(cd "$tmp/out/src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
		timeout 1200 dpkg-buildpackage -us -uc -b >"$tmp/build.log" 2>&1) ||
		{ tail -n 60 "$tmp/build.log"; die "dpkg-buildpackage failed (log above)"; }
	for deb in "$tmp"/out/*.deb; do
		say "built $(basename "$deb") $(stat -c %s "$deb") bytes"
	done
	say "built in $(($(date +%s) - start)) s; lintian"
	rc=0
	timeout 600 lintian --fail-on error "$tmp"/out/*.changes >"$tmp/lintian.log" 2>&1 || rc=$?
	grep -v '^running with root privileges' "$tmp/lintian.log" || true
	[ "$rc" -eq 0 ] || die "lintian reports errors (exit $rc)"
fi

say "install, update, reinstall, remove, purge in an overlay over / ($(($(date +%s) - start)) s so far)"
timeout 900 unshare --mount --pid --fork --kill-child --propagation private \
	sh "$0" --in-namespace "$tmp" || die "in the throw-away root (see above)"
say "PASS in $(($(date +%s) - start)) s"
