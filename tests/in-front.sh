#!/bin/sh
# SPEC section 10 through real glibc NSS, with the recommended line
# `services: iana [NOTFOUND=return] files`, netbase's /etc/services and the
# whole registry (data/), compiled by `rebuild`. Runs inside unshare -m with
# an overlay on /etc, so that /etc/services can be edited, replaced by mv
# and created as on a real system, and nothing outside changes.
#   - every name, alias and port of the local file answered as files
#     answers it; registry keys answered; enumeration = the export, each
#     entry once;
#   - strace -c -f: 100,000 lookups make no system call of the module's
#     but the once-a-second check;
#   - a long-running python3 answers each edit as files does within 2 s
#     (in-front-edits.py); rebuild brings the registry back, edits kept;
#   - lookup names a local entry's FILE:LINE; check names a stale file;
#   - a watched file gone, or now a directory or a FIFO: UNAVAIL, no hang.
. "$(dirname "$0")/lib.sh"
if [ -z "${IN_FRONT_NAMESPACE:-}" ]; then
	need_root_unshare
	rm -rf "$tmp"
	trap - EXIT
	IN_FRONT_NAMESPACE=1 exec unshare -m --propagation private sh "$0"
fi
command -v python3 >/dev/null || skip "python3 not installed"
command -v strace >/dev/null || skip "strace not installed (apt-get install strace)"
trap 'umount /etc 2>/dev/null; umount "$tmp/ovl" 2>/dev/null; rm -rf "$tmp"' EXIT
dump="$top_builddir/tests/nss-dump"
registry="$top_srcdir/data/service-names-port-numbers.xml"
line='services: iana [NOTFOUND=return] files'

# netbase's file: the tests' copy, else this machine's when it is netbase's
if [ -f "$top_srcdir/tests/data/netbase-services" ]; then
	src="$top_srcdir/tests/data/netbase-services"
	what="tests/data/netbase-services"
else
	src=/etc/services
	what="this machine's /etc/services"
	if dpkg --verify netbase >/dev/null 2>&1 && [ -z "$(dpkg --verify netbase 2>/dev/null)" ]; then
		what="$what (netbase's, unmodified: dpkg --verify netbase)"
	fi
fi
for l in '^gopher[[:space:]]+70/tcp' '^finger[[:space:]]+79/tcp' '^ssh[[:space:]]+22/tcp'; do
	grep -Eq "$l" "$src" || { fail "$src has no line /$l/: not netbase's file?"; finish; exit 1; }
done
echo "local file: $what"
cp "$src" "$tmp/services"

mkdir "$tmp/ovl"
mount -t tmpfs tmpfs "$tmp/ovl"
mkdir "$tmp/ovl/up" "$tmp/ovl/work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/ovl/up,workdir=$tmp/ovl/work" /etc
cp "$tmp/services" /etc/services
rm -rf /etc/nss-iana
sed -i "s/^services:.*/$line/" /etc/nsswitch.conf
grep -qx "$line" /etc/nsswitch.conf || echo "$line" >>/etc/nsswitch.conf

export LD_LIBRARY_PATH="$module_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export IANA_SERVICES_DEFAULT_LOCAL=/etc/services:/etc/nss-iana/local.services
export IANA_SERVICES_SHIPPED_REGISTRY="$registry"
mkdir "$tmp/var"
idx="$tmp/var/services.idx"
export NSS_IANA_INDEX="$idx"
run "$tool" rebuild -i "$idx"
expect "rebuild: exit" 0 "$rc"
[ "$rc" = 0 ] || { echo "$err"; finish; exit 1; }

# ---- every name, alias and port of the local file, with tcp, udp and none ----
services_queries </etc/services >"$tmp/queries"
"$dump" files <"$tmp/queries" >"$tmp/files.out"
"$dump" - <"$tmp/queries" >"$tmp/front.out"
queries=$(wc -l <"$tmp/queries")
# what files finds must be answered the same; what it does not, the registry may answer
paste "$tmp/files.out" "$tmp/front.out" | awk -F'\t' '$2 != "not found"' >"$tmp/found"
found=$(wc -l <"$tmp/found")
differences=$(awk -F'\t' '$2 != $4' "$tmp/found" | wc -l)
more=$(paste "$tmp/files.out" "$tmp/front.out" | awk -F'\t' '$2 == "not found" && $4 != "not found"' | wc -l)
echo "equivalence: $queries queries ($found answered by files): $differences differences;" \
	"of the $((queries - found)) files does not answer, the registry answers $more"
awk -F'\t' '$2 != $4 { print "  " $1 ": files [" $2 "], iana [" $4 "]" }' "$tmp/found" | head -n 10
expect "differences from files" 0 "$differences"
[ "$found" -gt 500 ] && ok || fail "too few answers from files ($found): is the file mounted?"

# ---- registry keys ----
printf '%s\n' "name neo4j tcp" "port 7474 tcp" "name NEO4J -" "name www-http tcp" \
	"name http udp" "port 6063 tcp" "name no-such-service -" >"$tmp/rq"
expect "registry keys" "neo4j 7474/tcp|neo4j 7474/tcp|neo4j 7474/tcp|www-http 80/tcp|http 80/udp www www-http|x11 6063/tcp|not found|" \
	"$("$dump" - <"$tmp/rq" | cut -f2 | tr '\n' '|')"

# ---- enumeration: the export's entries, in order, each once ----
"$tool" export -i "$idx" | sed 's/#.*//' | awk 'NF >= 2 {
	s = $1 " " $2; for (i = 3; i <= NF; i++) s = s " " $i; print "enumerate\t" s }' >"$tmp/export.enum"
echo enumerate | "$dump" - >"$tmp/enum"
entries=$(wc -l <"$tmp/export.enum")
expect "enumeration = the export's entries, in order" "" "$(grep -v '^enumerated' "$tmp/enum" | diff - "$tmp/export.enum" | head -n 5)"
expect "enumeration: each entry once" "" "$(grep -v '^enumerated' "$tmp/enum" | awk '{ print $2, $3 }' | sort | uniq -d | head -n 5)"
expect "getent services: as many as the export" "$entries" "$(getent services | wc -l)"
echo "enumeration: $entries entries, as the export"

# ---- strace: a long-running process makes the once-a-second check only ----
# glibc itself stats /etc/nsswitch.conf on every call and retries nscd's
# socket every 100 calls: -P counts the module's own calls, those that
# name the index or a watched file.
loop="$top_builddir/tests/nss-loop"
mod="-P $idx -P /etc/services -P /etc/nss-iana/local.services"
calls() { awk '$NF == "total" { print $4 }' "$1"; }
# LeakSanitizer cannot run under ptrace (a sanitizer build's nss-loop)
strace() { ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" command strace "$@"; }
strace -f -c -o "$tmp/all.one" "$loop" 1 0 >/dev/null
strace -f -c -o "$tmp/all.many" "$loop" 100000 2 >"$tmp/loop.out"
expect "100,000 lookups: found" 75000 "$(cut -d' ' -f1 "$tmp/loop.out")"
strace -f -c -o "$tmp/mod.one" $mod "$loop" 1 0 >/dev/null
strace -f -c -o "$tmp/mod.many" $mod "$loop" 100000 2 >"$tmp/loop.out"
secs=$(cut -d' ' -f2 "$tmp/loop.out")
nsswitch=$(awk '$NF == "newfstatat" { print $4 }' "$tmp/all.many")
module=$(($(calls "$tmp/mod.many") - $(calls "$tmp/mod.one")))
echo "strace -c -f, 100,000 lookups over 2 s: $(calls "$tmp/all.many") system calls" \
	"($nsswitch newfstatat: glibc stats nsswitch.conf on each call), against" \
	"$(calls "$tmp/all.one") for one lookup; the module's own: $(calls "$tmp/mod.many")" \
	"against $(calls "$tmp/mod.one") for one lookup: $module for the 100,000 (in $secs s)"
# each check stats the index and its 2 watched files: one check a second
# of the run (which takes longer than asked on a busy machine), and one more
limit=$((3 * ($(printf '%.0f' "$secs") + 2)))
[ "$module" -le "$limit" ] && ok ||
	{ fail "the module made $module system calls in $secs s (at most $limit)"; cat "$tmp/mod.many"; }

# ---- a long-running process and edits of /etc/services ----
run timeout 120 python3 "$top_srcdir/tests/in-front-edits.py" "$tool" "$dump" "$idx"
echo "$out"
if [ -n "$err" ]; then echo "$err"; fi
expect "python3 and the edits: exit" 0 "$rc"

# ---- lookup names the local line; check names the stale file ----
n=$(grep -n '^gopher' /etc/services | cut -d: -f1)
expect_match "lookup: the local entry's source" "^  source +/etc/services:$n$" \
	"$("$tool" lookup -i "$idx" gopher tcp | grep '^  source')"
run "$tool" check -i "$idx"
expect "check: a fresh index" 0 "$rc"
touch /etc/services
run "$tool" check -i "$idx"
expect "check: stale: exit" 1 "$rc"
expect_match "check: stale: the file named" "stale: /etc/services has changed" "$err"

# ---- a watched file gone, a directory, a FIFO: UNAVAIL, files answers ----
mkdir /etc/nss-iana-w
w=/etc/nss-iana-w/w.services
printf 'nss-iana-watched 49993/tcp\n' >"$w"
"$tool" compile --watch -o "$tmp/w.idx" "$w" "$registry" >/dev/null
printf '%s\n' "name neo4j tcp" "name nss-iana-watched tcp" "name nss-iana-added tcp" >"$tmp/wq"
state() {
	r=0
	NSS_IANA_INDEX="$tmp/w.idx" timeout 10 "$dump" - <"$tmp/wq" >"$tmp/state" || r=$?
	echo "$(cut -f2 "$tmp/state" | tr '\n' '|') rc=$r"
}
unavail="not found|not found|nss-iana-added 49990/tcp added-alias| rc=0"
expect "watched file there: the index answers" \
	"neo4j 7474/tcp|nss-iana-watched 49993/tcp|not found| rc=0" "$(state)"
rm "$w"
expect "watched file gone: UNAVAIL, files answers" "$unavail" "$(state)"
run timeout 10 "$tool" check -i "$tmp/w.idx"
expect_match "watched file gone: check" "^1 .*stale: $w has changed" "$rc $err"
mkdir "$w"
expect "watched path a directory: UNAVAIL" "$unavail" "$(state)"
rmdir "$w"
mkfifo "$w"
expect "watched path a FIFO: UNAVAIL, no hang" "$unavail" "$(state)"
run timeout 10 "$tool" check -i "$tmp/w.idx"
expect_match "watched path a FIFO: check" "^1 .*stale: $w has changed" "$rc $err"
run timeout 10 env IANA_SERVICES_DEFAULT_LOCAL="$w" "$tool" rebuild -i "$tmp/w.idx"
expect_match "watched path a FIFO: rebuild refuses, no hang" "^2 iana-services: $w: a FIFO" "$rc $err"
finish
