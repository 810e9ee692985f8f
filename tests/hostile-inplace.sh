#!/bin/sh
# An index changed under a running reader (issue 20, finding 2; SPEC 5).
# tests/hostile-lookup.c looks up without pause while this script:
#  1. writes single bytes in place (dd conv=notrunc) at every offset of the
#     header and section table and every fifth one after, each for a moment:
#     no crash, and no answer holding a byte from outside a STRINGS section;
#  2. overwrites the last byte of STRINGS, the NUL that ends port 80's names,
#     in a file where STRINGS is last and ends at a page boundary (5219d3f
#     answered "httpAELF" there, read from the next mapping): UNAVAIL;
#  3. truncates the file, and cp's another over it: as with every
#     memory-mapped database, a process reading the pages cut off dies of
#     SIGBUS. That is the one outcome accepted besides a clean run, and only
#     here (documented in nss-iana-index(5) and nss-iana(8));
#  4. replaces it with `iana-services install` and mv, 40 times: never a
#     SIGBUS, every answer from one file or the other;
#  5. an enumeration: a byte written in place ends the stream with UNAVAIL
#     within about a second; a file renamed over it does not (the stream
#     keeps the file it started on).
# SPDX-License-Identifier: LGPL-2.1-or-later
python=$(command -v python3 || true)
. "$(dirname "$0")/lib.sh"
prog="$top_builddir/tests/hostile-lookup"
gen="$top_srcdir/tests/gen-hostile.py"
[ -n "$python" ] || skip "python3 not found: gen-hostile.py needs it"
[ -x "$prog" ] || { fail "$prog not built"; finish; exit 1; }
[ -f "$module_dir/libnss_iana.so.2" ] || { fail "the module is not built"; finish; exit 1; }
export LD_LIBRARY_PATH="$module_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# A sanitizer build would report SIGBUS itself and exit 1: let it be the
# signal, which is what the truncation cases look for.
export ASAN_OPTIONS="handle_sigbus=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# slow lookups are hostile.sh's business; here a stall while a write
# happens (a page fault on a page being written) is not a failure
export HOSTILE_LIMIT_MS=1000

cat >"$tmp/a.services" <<'EOF'
http 80/tcp www www-http
http 80/udp www
ssh 22/tcp
domain 53/udp nameserver
kerberos 88/tcp krb5
myproto 7000/ddp
EOF
sed 's/^http /web /; s/^ssh /secure-shell /' "$tmp/a.services" >"$tmp/b.services"
# several pages: a truncation then cuts off pages a lookup reads
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "svc-%d %d/tcp alias-%d\n", i, 20000 + i, i }' \
	>>"$tmp/b.services"
"$tool" compile -o "$tmp/a.idx" "$tmp/a.services" >/dev/null
"$tool" compile -o "$tmp/b.idx" "$tmp/b.services" >/dev/null
"$python" "$gen" page "$tmp/a.idx" "$tmp/page.idx"
mkdir "$tmp/live"
live="$tmp/live/services.idx"
export NSS_IANA_INDEX="$live" HOSTILE_STOP="$tmp/stop"

# start_loop SECONDS IMAGE...: the reader, in the background
start_loop() {
	rm -f "$tmp/stop"
	"$prog" loop "$@" >"$tmp/loop.log" 2>&1 &
	loop_pid=$!
	sleep 0.3
}

# stop_loop: its exit status in loop_rc, its summary in loop_out
stop_loop() {
	touch "$tmp/stop"
	set +e
	wait "$loop_pid"
	loop_rc=$?
	set -e
	loop_out=$(cat "$tmp/loop.log")
}

# poke FILE OFFSET BYTE: one byte written in place
poke() {
	printf "\\$(printf %03o "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# restore FILE FROM OFFSET: the byte FROM has there
restore() {
	dd if="$2" of="$1" bs=1 skip="$3" seek="$3" count=1 conv=notrunc status=none
}

# 1. single bytes, each written and then put back
cp "$tmp/a.idx" "$live"
start_loop 120 "$tmp/a.idx"
size=$(stat -c %s "$tmp/a.idx")
header_size=$(od -An -tu4 -j16 -N4 "$tmp/a.idx" | tr -d ' ')
off=0 pokes=0
while [ "$off" -lt "$size" ]; do
	case $((off % 3)) in 0) b=65 ;; 1) b=0 ;; *) b=255 ;; esac
	poke "$live" "$off" "$b"
	restore "$live" "$tmp/a.idx" "$off"
	pokes=$((pokes + 1))
	if [ "$off" -lt "$header_size" ]; then off=$((off + 1)); else off=$((off + 5)); fi
done
# and the last NUL of STRINGS, long enough for a reload to see it
set -- $("$python" "$gen" strings "$tmp/a.idx")
last=$(($1 + $2 - 1))
poke "$live" "$last" 65
sleep 1.5
restore "$live" "$tmp/a.idx" "$last"
sleep 1.2
stop_loop
echo "one-byte writes at $pokes offsets: $loop_out"
expect "one-byte writes: the reader's exit status" 0 "$loop_rc"
expect_match "one-byte writes: every answer well-formed" ", 0 bad;" "$loop_out"
cmp -s "$live" "$tmp/a.idx" || fail "the live file was not restored"

# 2. STRINGS last, its final NUL at a page boundary: port 80's names
cp "$tmp/page.idx" "$live"
run "$tool" check -i "$live"
expect "page.idx is valid" 0 "$rc"
run "$prog" ask p:80:tcp=FOUND:http
expect "page.idx answers port 80" 0 "$rc"
start_loop 60 "$tmp/page.idx"
size=$(stat -c %s "$live")
expect "page.idx ends at a page boundary" 0 $((size % 4096))
poke "$live" $((size - 1)) 65
sleep 1.5
stop_loop
echo "last NUL at the page boundary overwritten: $loop_out"
expect "page boundary: the reader's exit status" 0 "$loop_rc"
expect_match "page boundary: every answer well-formed" ", 0 bad;" "$loop_out"
expect_match "page boundary: some lookups UNAVAIL" ", [1-9][0-9]* unavailable" "$loop_out"
# a new process: a pool that does not end in NUL is refused on open
run "$prog" ask p:80:tcp=UNAVAIL n:www:=UNAVAIL p:22:=UNAVAIL
expect "page boundary, a new process: UNAVAIL" 0 "$rc"

# 3. truncation and cp under a running reader: a clean run or SIGBUS
sigbus=$((128 + $("$python" -c 'import signal; print(int(signal.SIGBUS))')))
# under_reader NAME COMMAND...: the reader on b.idx while COMMAND runs
under_reader() {
	what=$1
	shift
	cp "$tmp/b.idx" "$live"
	start_loop 60 "$tmp/b.idx" "$tmp/a.idx"
	"$@"
	sleep 1.5
	stop_loop
	case $loop_rc in
	0) echo "$what: the reader survived: $loop_out" ;;
	"$sigbus") echo "$what: the reader died of SIGBUS (the documented risk)" ;;
	*) fail "$what: the reader exited $loop_rc: $loop_out" ;;
	esac
	ok
}
under_reader "truncate -s 0" truncate -s 0 "$live"
under_reader "truncate to half" truncate -s $(($(stat -c %s "$tmp/b.idx") / 2)) "$live"
under_reader "cp a.idx over it" cp "$tmp/a.idx" "$live"
run "$prog" ask n:http:tcp=FOUND:http
expect "after cp, a new process reads the new file" 0 "$rc"

# 4. install and rename never do that
cp "$tmp/b.idx" "$live"
start_loop 120 "$tmp/a.idx" "$tmp/b.idx"
i=0
while [ "$i" -lt 20 ]; do
	"$tool" install -i "$live" "$tmp/a.idx" >/dev/null
	sleep 0.05
	cp "$tmp/b.idx" "$tmp/live/next.idx"
	mv "$tmp/live/next.idx" "$live"
	sleep 0.05
	i=$((i + 1))
done
stop_loop
echo "40 replacements by install and mv: $loop_out"
expect "install and mv: the reader's exit status" 0 "$loop_rc"
expect_match "install and mv: every answer well-formed" ", 0 bad;" "$loop_out"

# 5. an enumeration across a change
cp "$tmp/b.idx" "$live"
run "$prog" enum inplace
echo "enumeration, a byte written in place: $out"
expect "enumeration, in place: status" 0 "$rc"
ms=$(printf '%s\n' "$out" | sed -n 's/.*ended \([0-9]*\) ms after it (Stale file handle)$/\1/p')
if [ -z "$ms" ] || [ "$ms" -gt 2000 ]; then
	fail "enumeration, in place: no UNAVAIL (ESTALE) within 2 s: $out"
fi
ok
cp "$tmp/b.idx" "$live"
cp "$tmp/a.idx" "$tmp/live/next.idx"
run "$prog" enum rename "$tmp/live/next.idx"
echo "enumeration, a file renamed over it: $out"
entries=$(awk 'END { print NR }' "$tmp/b.services")
expect_match "enumeration, renamed: the stream goes on to its end" \
	"^enum: 5 entries before the change, $((entries - 5)) after, ended [0-9]+ ms after it \(No such file or directory\)$" \
	"$out"
finish
