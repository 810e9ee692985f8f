#!/bin/sh
# SPEC R9 as a property, over 200 services(5) files that tests/gen-services.py
# makes from fixed seeds (case variants, odd protocols, repeated lines,
# comments, odd separators and port spellings, long alias lists, names of
# the registry): for each file F, the index compiled from F and the full
# registry, and glibc's files backend reading the file `iana-services
# export` wrote from it, answer every name, alias and port of F, with its
# protocol and with NULL, exactly as glibc's files backend reading F does;
# and the module enumerates exactly the export's lines.
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"
xml="${REGISTRY_DIR:-}/service-names-port-numbers.2026-08-17.xml"
[ -r "$xml" ] || skip "full registry not found at $xml (set REGISTRY_DIR or --with-registry-dir)"
command -v python3 >/dev/null || skip "python3 not found: tests/gen-services.py makes the files"
need_root_unshare
export LD_LIBRARY_PATH="$module_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
dump="$top_builddir/tests/nss-dump"
files=${R9_FILES:-200}
g="$tmp/g"
mkdir "$g"

python3 "$top_srcdir/tests/gen-services.py" --many "$g" "$files"

# Compile and export, as many at a time as there are CPUs. Under a test
# wrapper (make check-valgrind) the first files go through it and the rest
# through the tool alone: 200 compiles of the whole registry under memcheck
# take some 11 minutes and find nothing that the first few would not.
wrapped=${R9_WRAPPED:-5}
[ -n "${TEST_WRAPPER:-}" ] || wrapped=$files
cat >"$tmp/build.sh" <<EOT
i=\$1
tool="$tool"
[ \$i -le $wrapped ] || tool="$top_builddir/iana-services"
"\$tool" compile -o "$g/\$i.idx" "$g/\$i.services" "$xml" >/dev/null 2>"$g/\$i.err" &&
"\$tool" export -i "$g/\$i.idx" -o "$g/\$i.export" 2>>"$g/\$i.err" || echo "\$i" >>"$g/failed"
EOT
seq 1 "$files" | xargs -P "$(nproc 2>/dev/null || echo 2)" -n 1 sh "$tmp/build.sh"
if [ -s "$g/failed" ]; then
	for i in $(sort -n "$g/failed"); do
		fail "seed $i: compile or export failed: $(head -n 3 "$g/$i.err")"
	done
	finish
	exit 1
fi

# One mount namespace: /etc/services is $tmp/current, rewritten in place
# for each file (the bind mount follows the inode).
: >"$tmp/current"
cat >"$tmp/run.sh" <<EOT
set -e
mount --bind "$tmp/current" /etc/services
i=1
while [ \$i -le $files ]; do
	cat "$g/\$i.services" >"$tmp/current"
	"$dump" files <"$g/\$i.queries" >"$g/\$i.files"
	cat "$g/\$i.export" >"$tmp/current"
	"$dump" files <"$g/\$i.queries" >"$g/\$i.exported"
	{ cat "$g/\$i.queries"; echo enumerate; } |
		NSS_IANA_INDEX="$g/\$i.idx" "$dump" iana >"$g/\$i.iana"
	i=\$((i + 1))
done
EOT
unshare -m sh "$tmp/run.sh"

# compare ANSWERS OTHER: the queries whose answers differ, "seed\tanswer\tother"
compare() {
	paste -d '\n' "$1" "$2" | awk -v seed="$3" 'NR % 2 { a = $0; next } a != $0 { print seed "\t" a "\t" $0 }'
}

queries=0
: >"$tmp/notfound"
: >"$tmp/differ.export"
: >"$tmp/differ.iana"
: >"$tmp/differ.enum"
i=1
while [ "$i" -le "$files" ]; do
	n=$(wc -l <"$g/$i.queries")
	queries=$((queries + n))
	grep '	not found$' "$g/$i.files" | sed "s/^/$i	/" >>"$tmp/notfound" || true
	compare "$g/$i.files" "$g/$i.exported" "$i" >>"$tmp/differ.export"
	head -n "$n" "$g/$i.iana" >"$tmp/answers"
	compare "$g/$i.files" "$tmp/answers" "$i" >>"$tmp/differ.iana"
	# every line of the export once, in order, through getservent_r
	grep -v '^#' "$g/$i.export" | tr -s ' ' | sed 's/^/enumerate	/' >"$tmp/want"
	echo "enumerated	$(wc -l <"$tmp/want" | tr -d ' ')" >>"$tmp/want"
	tail -n +"$((n + 1))" "$g/$i.iana" >"$tmp/got"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		echo "$i	$(diff "$tmp/want" "$tmp/got" | sed -n 2p)" >>"$tmp/differ.enum"
	fi
	i=$((i + 1))
done

d_export=$(wc -l <"$tmp/differ.export" | tr -d ' ')
d_iana=$(wc -l <"$tmp/differ.iana" | tr -d ' ')
d_enum=$(wc -l <"$tmp/differ.enum" | tr -d ' ')
lines=$(cat "$g"/*.services | grep -c . || true)
echo "generated: $files files ($lines non-blank lines), $queries queries; differ: $d_export files-on-export, $d_iana iana; enumerations differing: $d_enum"
for f in export iana enum; do
	head -n 5 "$tmp/differ.$f" | sed "s/^/$f: seed /"
done
head -n 5 "$tmp/notfound" | sed 's/^/not found by files on F: seed /'
expect "queries that files reading F does not answer" 0 "$(wc -l <"$tmp/notfound" | tr -d ' ')"
expect "answers of files on the export that differ from files on F" 0 "$d_export"
expect "answers of the module that differ from files on F" 0 "$d_iana"
expect "enumerations of the module that differ from the export" 0 "$d_enum"
[ "$queries" -gt 100000 ] && ok || fail "too few queries ($queries)"
finish
