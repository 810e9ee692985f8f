#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/run.sh: the performance suite of issues 6, 15 and 19, run by
# `make bench`.
#
# Measures, on the full IANA registry: services lookups through glibc NSS
# (iana, files, libnss-db, nscd in front of files, and a floor module that
# looks nothing up), the library's direct calls, whole-process getent,
# compile time and sizes, and the same on synthetic registries 1x, 4x and
# 16x; then the three nsswitch lines of issue 19 (files on netbase's file,
# files iana, iana [NOTFOUND=return] files, and nscd in front of files
# iana) with an index of netbase's file + the registry; getprotobyname and
# getprotobynumber through iana against files, on netbase's /etc/protocols
# and on the export of an index of it + the protocols registry (issue 17);
# checks every answer; prints the table with PASS/FAIL per target and writes
# it to $BENCH_RESULTS.
#
# BENCH_ONLY=protocols runs the protocols part alone (seconds, not the
# suite's long run): its section is then replaced in $BENCH_RESULTS, or
# added at its end, and the rest of the file is kept as it is.
#
# Needs root: files and libnss-db are pointed at the benchmark's files by
# bind mounts over /etc/services and /var/lib/misc inside `unshare -m`, a
# private mount namespace that ends with the command, so the machine's own
# files are never touched.
#
# nscd (Debian package nscd) is installed if missing. Installing it may
# start the system's nscd, which would then cache services (and passwd,
# group, hosts) for every process of the machine: right after installing,
# the bench stops it and disables it (systemctl where systemd runs,
# update-rc.d otherwise), and it never starts one itself outside a private
# namespace. Its own nscd runs inside `unshare -m` with its own
# /etc/nscd.conf (only the services cache on), /etc/nsswitch.conf, socket
# directory /var/run/nscd and cache directory /var/cache/nscd (tmpfs mounted
# over both; /run/nscd is created, empty, if missing, as a mount point), so
# the machine's processes never reach it; it is stopped when its command
# ends, and the EXIT trap kills any left behind.
#
# Environment (make bench sets the first four):
#   BUILDDIR       the configured build tree (default: the current directory)
#   SRCDIR         the source tree (default: this script's parent)
#   REGISTRY_DIR   where service-names-port-numbers.2024-06.csv (and the XML) are
#   BENCH_RESULTS  the markdown file to write (default: $SRCDIR/bench/results.md)
#   BENCH_REPS     timed repetitions per query set (default 11)
#   BENCH_CPU      CPU to pin the measurements to (default: the last one);
#                  BENCH_CPU=none runs unpinned
#   BENCH_SCALES   synthetic sizes (default "1 4 16"; "" skips scaling)
#   BENCH_KEEP=1   keep the scratch directory
#   BENCH_ONLY     "protocols": only the protocols part (default: everything)
#
# Exit status: 0 when every target passes, 1 when one fails, 2 when something
# needed is missing or a step breaks.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=${SRCDIR:-$(dirname "$here")}
BUILDDIR=${BUILDDIR:-$PWD}
REGISTRY_DIR=${REGISTRY_DIR:-$SRCDIR/../shared/registry}
BENCH_RESULTS=${BENCH_RESULTS:-$SRCDIR/bench/results.md}
BENCH_REPS=${BENCH_REPS:-11}
BENCH_CPU=${BENCH_CPU:-$(($(nproc) - 1))}
BENCH_SCALES=${BENCH_SCALES-1 4 16}
BENCH_ONLY=${BENCH_ONLY:-}

csv=$REGISTRY_DIR/service-names-port-numbers.2024-06.csv
xml=$REGISTRY_DIR/service-names-port-numbers.2024-03-18.xml
tool=$BUILDDIR/iana-services
driver=$BUILDDIR/bench/nss-bench
module_dir=$BUILDDIR/.libs
floor_dir=$BUILDDIR/bench/.libs
db_makefile=/var/lib/misc/Makefile
port=7474          # neo4j: in the registry, not in Debian's netbase file

say() { printf 'bench: [%3ds] %s\n' "$SECONDS" "$*" >&2; }
die() { say "$*"; exit 2; }

case $BENCH_ONLY in
'' | protocols) ;;
*) die "BENCH_ONLY=$BENCH_ONLY: only 'protocols' (or nothing: the whole suite)" ;;
esac

# The protocols part's inputs: both in the source tree.
proto_netbase=$SRCDIR/tests/data/netbase-protocols
proto_xml=$SRCDIR/data/protocol-numbers.xml

# ---- prerequisites ----

libnss_db_present() {
	[[ -f $db_makefile ]] && command -v makedb >/dev/null &&
		{ compgen -G '/usr/lib/*/libnss_db.so.2' || compgen -G '/lib/*/libnss_db.so.2'; } >/dev/null
}

nscd_present() {
	command -v nscd >/dev/null
}

# The package's postinst may have started the system's nscd: stop it and
# keep it from starting at boot, so that it never caches for the machine's
# own processes (the bench runs its own, in a private namespace).
system_nscd_off() {
	if [[ -d /run/systemd/system ]]; then
		systemctl stop nscd.service >&2 || true
		systemctl disable nscd.service >&2 || true
	else
		if [[ -x /etc/init.d/nscd ]]; then
			/etc/init.d/nscd stop >&2 || true
		fi
		if command -v update-rc.d >/dev/null; then
			update-rc.d nscd disable >&2 || true
		fi
		# no systemd running: its unit may still be enabled for a later boot
		systemctl disable nscd.service >&2 2>/dev/null || true
	fi
	local pid
	if [[ -r /var/run/nscd/nscd.pid ]] && pid=$(cat /var/run/nscd/nscd.pid) &&
		[[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == nscd ]]; then
		kill "$pid" || true
	fi
	say "the system's nscd, installed just now, is stopped and disabled"
}

check_prerequisites() {
	local missing=() pkgs=()

	if [[ $(id -u) != 0 ]]; then
		missing+=("root: the files and db runs bind-mount over /etc/services, /etc/protocols and /var/lib/misc in a private mount namespace (run: sudo make bench)")
	fi
	[[ -r $proto_netbase ]] || missing+=("$proto_netbase")
	[[ -r $proto_xml ]] || missing+=("$proto_xml")
	[[ -f /etc/protocols ]] || missing+=("/etc/protocols (Debian package netbase): the mount point of the protocols files runs")
	# the protocols part uses none of the services part's tools and data
	if [[ $BENCH_ONLY == protocols ]]; then
		local cmd
		for cmd in python3 unshare mount taskset; do
			command -v "$cmd" >/dev/null || missing+=("$cmd")
		done
		[[ -x $tool ]] || missing+=("$tool: run make first")
		[[ -x $driver && -f $module_dir/libnss_iana.so.2 ]] ||
			missing+=("the built driver and module in $BUILDDIR: run 'make bench' rather than this script")
		if [[ $(id -u) == 0 ]] && command -v unshare >/dev/null && ! unshare -m true 2>/dev/null; then
			missing+=("a working 'unshare -m' (mount namespaces are not allowed here)")
		fi
		if ((${#missing[@]})); then
			say "cannot run, missing:"
			printf '  - %s\n' "${missing[@]}" >&2
			exit 2
		fi
		return 0
	fi
	command -v hyperfine >/dev/null || pkgs+=(hyperfine)
	libnss_db_present || pkgs+=(libnss-db)
	nscd_present || pkgs+=(nscd)
	if ((${#pkgs[@]})) && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		say "installing ${pkgs[*]} (apt-get)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >&2 ||
			{ apt-get update -q >&2 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >&2; } ||
			say "apt-get could not install ${pkgs[*]}"
		[[ " ${pkgs[*]} " != *" nscd "* ]] || system_nscd_off
	fi
	nscd_present || missing+=("nscd (Debian package nscd)")
	command -v hyperfine >/dev/null || missing+=("hyperfine (Debian package hyperfine)")
	libnss_db_present || missing+=("libnss-db: $db_makefile, makedb and libnss_db.so.2 (Debian package libnss-db)")
	local cmd
	for cmd in python3 unshare mount taskset getent make awk; do
		command -v "$cmd" >/dev/null || missing+=("$cmd")
	done
	if [[ $(id -u) == 0 ]] && command -v unshare >/dev/null && ! unshare -m true 2>/dev/null; then
		missing+=("a working 'unshare -m' (mount namespaces are not allowed here)")
	fi
	[[ -f /etc/services ]] || missing+=("/etc/services (Debian package netbase)")
	[[ -r $csv ]] || missing+=("the registry CSV: $csv (set REGISTRY_DIR, or configure --with-registry-dir)")
	[[ -x $tool ]] || missing+=("$tool: run make first")
	[[ -x $driver && -f $floor_dir/libnss_floor.so.2 && -f $module_dir/libnss_iana.so.2 ]] ||
		missing+=("the built driver and modules in $BUILDDIR: run 'make bench' rather than this script")
	if ((${#missing[@]})); then
		say "cannot run, missing:"
		printf '  - %s\n' "${missing[@]}" >&2
		exit 2
	fi
	if [[ $(dpkg -S /etc/services 2>/dev/null) != netbase:* ]]; then
		say "note: /etc/services does not come from netbase here; the 'netbase' rows use it anyway"
	elif dpkg -V netbase 2>/dev/null | grep -q ' /etc/services$'; then
		say "note: /etc/services differs from netbase's; the 'netbase' rows use it anyway"
	fi
}

check_prerequisites

work=$(mktemp -d "${TMPDIR:-/tmp}/nss-bench.XXXXXX")

# Every nscd the bench starts writes its pid here; whatever way the bench
# ends, the EXIT trap stops those still running.
stop_nscds() {
	local pid
	[[ -f $work/nscd.pids ]] || return 0
	while read -r pid; do
		if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == nscd ]]; then
			kill "$pid" 2>/dev/null || true
		fi
	done <"$work/nscd.pids"
}
if [[ ${BENCH_KEEP:-0} == 1 ]]; then
	say "scratch directory kept: $work"
	trap 'stop_nscds' EXIT
else
	trap 'stop_nscds; rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM HUP
mkdir -p "$work/etc" "$work/db" "$work/dbc" "$work/scale"
: >"$work/raw.tsv"
: >"$work/sizes.tsv"
: >"$work/meta.tsv"

pin=()
[[ $BENCH_CPU == none ]] || pin=(taskset -c "$BENCH_CPU")

meta() { printf '%s\t%s\n' "$1" "$2" >>"$work/meta.tsv"; }
size() { printf '%s\t%s\n' "$1" "$(stat -c %s "$2")" >>"$work/sizes.tsv"; }
entries_of() { grep -c -v -E '^[[:space:]]*(#|$)' "$1"; }

# libnss-db's own recipe (/var/lib/misc/Makefile): awk keys piped to makedb.
db_recipe() {        # ETC-dir VAR_DB-dir
	make -s -f "$db_makefile" ETC="$1" VAR_DB="$2" "$2/services.db" >/dev/null
}

# A command in a private mount namespace where /etc/services is $1 and
# /var/lib/misc is $2; both mounts vanish with the command.
# shellcheck disable=SC2016 # expanded by the inner bash
in_ns() {            # services-file var-lib-misc-dir command...
	unshare -m --propagation private bash -euc \
		'mount --bind "$0" /etc/services; mount --bind "$1" /var/lib/misc; shift; exec "$@"' \
		"$@"
}

# In-process lookups run in rounds, every backend in each; report.py takes a
# ratio round by round and reports the median: this machine has periods in
# which everything runs up to twice as slow, and a period that starts in the
# middle of a round then spoils one ratio of five, not the pooled medians.
lookup_rounds=5
per_round=$(((BENCH_REPS + lookup_rounds - 1) / lookup_rounds))
sample=2000
tail_n=200
batch=200
warmup=3           # untimed passes over a set before the timed ones

meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta arch "$(uname -m)"
meta kernel "Linux $(uname -r)"
meta cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
meta ncpu "$(nproc)"
meta glibc "$(getconf GNU_LIBC_VERSION | sed 's/^glibc //')"
meta load "$(cut -d' ' -f1-3 /proc/loadavg)"
meta cpu_pin "$BENCH_CPU"
meta csv "$(basename "$csv")"
meta sample "$sample"
meta tail "$tail_n"
meta batch "$batch"
meta warmup "$warmup"
meta netbase_entries "$(entries_of /etc/services)"

# ---- the table ----

write_table() {      # report.py options...
	local status=0 results_dir
	results_dir=$(dirname "$BENCH_RESULTS")
	if [[ ! -w $results_dir ]]; then
		say "$results_dir is not writable; writing the table to $BUILDDIR/bench/results.md"
		BENCH_RESULTS=$BUILDDIR/bench/results.md
	fi
	echo
	python3 "$SRCDIR/bench/report.py" "$@" "$work" "$BENCH_RESULTS" || status=$?
	echo
	say "table written to $BENCH_RESULTS"
	# the protocols section has no targets, only the check of the answers
	if [[ $status == 0 && $BENCH_ONLY == protocols ]]; then
		say "every iana answer equals files' on the export"
	elif [[ $status == 1 && $BENCH_ONLY == protocols ]]; then
		say "some iana answers differ from files' on the export (see the table)"
	fi
	case $status in
	0) [[ $BENCH_ONLY == protocols ]] || say "every target PASSes" ;;
	1) [[ $BENCH_ONLY == protocols ]] || say "some targets FAIL (see the table)" ;;
	*) die "report.py failed" ;;
	esac
	exit "$status"
}

# ---- protocols (issue 17) ----

# getprotobyname_r and getprotobynumber_r through iana, with an index of
# netbase's /etc/protocols and the registry's XML (the local file first, as
# the package installs it), against files on netbase's file and files on
# that index's export (what files would answer for the same data). All
# three are asked the same sets: every name (and alias) and number of the
# export, the same of netbase's file, names nobody has and the numbers
# 0-255 nobody has; each answer is checked against the file that backend
# reads (the export for iana). Rounds as the services lookups': fresh
# copies, the backends taking turns, files unwarmed and on a time budget.

# A command in a private mount namespace where /etc/protocols is $1.
# shellcheck disable=SC2016 # expanded by the inner bash
in_ns_protocols() {  # protocols-file command...
	unshare -m --propagation private bash -euc \
		'mount --bind "$0" /etc/protocols; exec "$@"' "$@"
}

bench_protocols() {
	local summary round d pidx pexport="$work/proto/protocols.new" pb
	mkdir -p "$work/proto"
	say "protocols: compiling $(basename "$proto_netbase") + $(basename "$proto_xml")"
	summary=$("$tool" compile -o "$work/proto/protocols.idx" "$proto_netbase" "$proto_xml" \
		2>"$work/proto.err") ||
		{ cat "$work/proto.err" >&2; die "iana-services compile failed on the protocols files"; }
	say "  $summary"
	"$tool" export -i "$work/proto/protocols.idx" -o "$pexport"
	meta proto_xml "$(basename "$proto_xml")"
	meta proto_records "${summary%% records*}"
	meta proto_netbase_entries "$(entries_of "$proto_netbase")"
	meta proto_entries "$(entries_of "$pexport")"
	size proto.netbase "$proto_netbase"
	size proto.xml "$proto_xml"
	size proto.export "$pexport"
	size proto.index "$work/proto/protocols.idx"
	for round in $(seq "$lookup_rounds"); do
		d=$work/round-proto-$round
		mkdir -p "$d/mod"
		cp "$driver" "$d/nss-bench"
		cp "$module_dir/libnss_iana.so.2" "$d/mod/"
		cp "$work/proto/protocols.idx" "$d/protocols.idx"
		pidx=$d/protocols.idx
		printf 'round\tproto-%s\n' "$round" >>"$work/raw.tsv"
		pb=("${pin[@]}" "$d/nss-bench" --queries "$pexport" --local "$proto_netbase"
			--sample "$sample" --batch "$batch" --reps "$per_round")
		say "protocols, round $round/$lookup_rounds: iana, files on netbase's file, files on the export"
		{
			LD_LIBRARY_PATH=$d/mod NSS_IANA_PROTOCOLS_INDEX=$pidx "${pb[@]}" \
				--protocols "$pexport" --db iana --label proto-iana --warmup "$warmup"
			in_ns_protocols "$proto_netbase" "${pb[@]}" --protocols "$proto_netbase" \
				--db files --label proto-files-netbase --warmup 0 --budget 1 --min-reps 1
			in_ns_protocols "$pexport" "${pb[@]}" --protocols "$pexport" \
				--db files --label proto-files-export --warmup 0 --budget 1 --min-reps 1
		} >>"$work/raw.tsv"
	done
}

if [[ $BENCH_ONLY == protocols ]]; then
	bench_protocols
	write_table --only protocols
fi

# ---- the full registry: index, export, services.db ----

say "compiling $(basename "$csv")"
summary=$("$tool" compile -o "$work/full.idx" "$csv" 2>/dev/null) ||
	die "iana-services compile failed on $csv"
say "  $summary"
"$tool" export -i "$work/full.idx" -o "$work/etc/services"
db_recipe "$work/etc" "$work/db"
export_file=$work/etc/services
entries=$(entries_of "$export_file")
meta entries "$entries"
meta records "${summary%% records*}"
size csv "$csv"
size index "$work/full.idx"
size export "$export_file"
size services.db "$work/db/services.db"

xml_ok=no
if [[ -r $xml ]]; then
	size xml "$xml"
	if "$tool" compile -o "$work/xml.idx" "$xml" >/dev/null 2>"$work/xml.err"; then
		xml_ok=yes
	else
		say "XML: not available (reader failed): $(head -1 "$work/xml.err")"
		meta xml "not available (reader failed)"
	fi
else
	say "XML: not available (no $xml)"
	meta xml "not available (file missing)"
fi
[[ $xml_ok == no ]] || meta xml yes

# The module is found as an installed one is, through the dynamic linker's
# cache: a private /etc/ld.so.cache that also lists the build's .libs (and
# the floor module's) is bind-mounted in the namespace. (Through
# LD_LIBRARY_PATH, glibc would first try ten hwcaps subdirectories there, a
# cost no installed module pays.)
printf '%s\n' "$module_dir" "$floor_dir" >"$work/ld.so.conf"
cat /etc/ld.so.conf >>"$work/ld.so.conf" 2>/dev/null || true
ldconfig -X -C "$work/ld.so.cache" -f "$work/ld.so.conf" ||
	die "ldconfig could not build a cache with $module_dir"
# (nscd, which loads the module itself, finds it so too.)

# ---- nscd ----

# Only the services cache, shared with clients through its mapping (the
# Debian defaults otherwise); not persistent, so every nscd starts cold.
cat >"$work/nscd.conf" <<'EOF'
	debug-level		0
	paranoia		no
	enable-cache		passwd		no
	enable-cache		group		no
	enable-cache		hosts		no
	enable-cache		netgroup	no
	enable-cache		services	yes
	positive-time-to-live	services	28800
	negative-time-to-live	services	20
	suggested-size		services	211
	check-files		services	yes
	persistent		services	no
	shared			services	yes
	max-db-size		services	33554432
EOF
[[ -d /run/nscd ]] || mkdir -p /run/nscd   # a mount point only: empty, no socket

# A command in a private mount namespace where nscd runs in front of the
# nsswitch line $2, /etc/services is $1, and the socket and cache
# directories are tmpfs of its own; nscd is stopped when the command ends.
# Clients must not call __nss_configure_lookup (glibc then skips nscd for
# the database): nss-bench --system.
nscd_seq=0
# shellcheck disable=SC2016 # expanded by the inner bash
in_nscd() {          # services-file nsswitch-line command...
	nscd_seq=$((nscd_seq + 1))
	local nsswitch=$work/nsswitch-$nscd_seq.conf
	printf 'services: %s\n' "$2" >"$nsswitch"
	unshare -m --propagation private bash -euc '
		services=$1 nsswitch=$2 conf=$3 cache=$4 pids=$5
		shift 5
		mount --bind "$services" /etc/services
		mount --bind "$nsswitch" /etc/nsswitch.conf
		mount --bind "$conf" /etc/nscd.conf
		mount --bind "$cache" /etc/ld.so.cache
		mount -t tmpfs -o mode=0755,size=64m nscd-run /run/nscd
		mount -t tmpfs -o mode=0755,size=64m nscd-cache /var/cache/nscd
		nscd -F &
		pid=$!
		echo "$pid" >>"$pids"
		trap "kill $pid 2>/dev/null; wait $pid 2>/dev/null || true" EXIT
		trap "exit 130" INT TERM HUP
		for _ in $(seq 200); do
			[[ -S /run/nscd/socket ]] && break
			sleep 0.05
		done
		[[ -S /run/nscd/socket ]] || { echo "bench: nscd did not start" >&2; exit 1; }
		"$@"
	' in-nscd "$1" "$nsswitch" "$work/nscd.conf" "$work/ld.so.cache" "$work/nscd.pids" "${@:3}"
}

# nss-bench through nscd, one set at a time, each after `nscd -i services`:
# the set's first pass (the "first" rows) asks every key cold, through the
# socket; the timed passes after it are warm, read from nscd's mapping.
# The command for in_nscd: bash -c "$nscd_sets" nscd-sets SETS nss-bench...
# shellcheck disable=SC2016 # expanded by the inner bash
nscd_sets='sets=$1; shift; for set in $sets; do nscd -i services; "$@" --only "$set"; done'

# ---- in-process lookups ----

nss_bench() {        # nss-bench arguments...
	"${pin[@]}" "$r_driver" --services "$export_file" --sample "$sample" --tail "$tail_n" \
		--batch "$batch" --warmup "$warmup" "$@" >>"$work/raw.tsv"
}

# Each round runs fresh copies of the driver, the modules and the index:
# new files, so new page-cache pages. Where in physical memory the code and
# the index land moves a lookup's cost by up to 30% on this kind of
# virtual machine (the same module, copied to another file, enumerated at
# 44 ns an entry against 57), and one placement for every round would be
# one draw for the whole run.
fresh_copies() {     # round
	local d=$work/round-$1
	mkdir -p "$d/mod" "$d/floor"
	cp "$driver" "$d/nss-bench"
	cp "$module_dir/libnss_iana.so.2" "$d/mod/"
	cp "$floor_dir/libnss_floor.so.2" "$d/floor/"
	cp "$work/full.idx" "$d/full.idx"
	r_driver=$d/nss-bench r_module_dir=$d/mod r_floor_dir=$d/floor r_index=$d/full.idx
	printf 'round\t%s\n' "$1" >>"$work/raw.tsv"
}

# floor, iana and direct on one set, labelled floor-SUFFIX and so on.
trio() {             # label-suffix nss-bench-arguments...
	local suffix=$1
	shift
	LD_LIBRARY_PATH=$r_floor_dir nss_bench --db floor --unchecked --label "floor-$suffix" "$@"
	LD_LIBRARY_PATH=$r_module_dir NSS_IANA_INDEX=$r_index \
		nss_bench --db iana --label "iana-$suffix" "$@"
	nss_bench --direct "$r_index" --label "direct-$suffix" "$@"
}

# The backends take turns, so that a burst of load on the machine falls on
# all of them alike and their ratios stay fair. files and libnss-db cost
# ~0.5 ms a lookup: a time budget per query set keeps them within minutes
# (one repetition, 10 batches, is enough for backends a thousand times
# slower than the ones the targets compare), and they are not warmed up:
# they read their files again on every call.
for round in $(seq "$lookup_rounds"); do
	fresh_copies "$round"
	say "in-process lookups, round $round/$lookup_rounds: floor, iana, direct, current"
	LD_LIBRARY_PATH=$r_floor_dir NSS_FLOOR_ENTRIES=$entries \
		nss_bench --db floor --unchecked --reps "$per_round"
	LD_LIBRARY_PATH=$r_module_dir NSS_IANA_INDEX=$r_index \
		nss_bench --db iana --reps "$per_round"
	nss_bench --direct "$r_index" --reps "$per_round"
	NSS_IANA_INDEX=$r_index nss_bench --current --reps "$per_round"
	for set in name/any port/any; do
		# 16 queries, asked over and over, keep their slots, entries and
		# names in the CPU's caches: what is left is the code's own cost
		trio hot --sample 16 --only "$set" --reps "$per_round"
		# each call timed alone, as the issue's orientation figures seem to
		# have been: the clock reads and the lost overlap between calls count
		# in full
		trio call --batch 1 --only "$set" --reps "$per_round"
	done
	say "in-process lookups, round $round/$lookup_rounds: files, db, db held open (slow)"
	in_ns "$export_file" "$work/db" bash -c '
		"$@" --db files
		"$@" --db db
		"$@" --db db --label db-open --stayopen
	' nss-bench "${pin[@]}" "$r_driver" --services "$export_file" --sample "$sample" \
		--tail "$tail_n" --batch "$batch" --warmup 0 --reps "$per_round" --budget 1 \
		--min-reps 1 >>"$work/raw.tsv"
	say "in-process lookups, round $round/$lookup_rounds: nscd in front of files (cold, warm)"
	in_nscd "$export_file" files bash -c "$nscd_sets" nscd-sets \
		"name/tcp name/udp name/any port/tcp port/udp port/any tail/name tail/port enum" \
		"${pin[@]}" "$r_driver" --system --label nscd --services "$export_file" \
		--sample "$sample" --tail "$tail_n" --batch "$batch" --warmup "$warmup" \
		--reps "$per_round" --budget 2 --min-reps 1 >>"$work/raw.tsv"
done

# ---- in front of files (issue 19) ----

# netbase's /etc/services and the registry in one index, the local file
# first (SPEC 10, F1), and its export: what `files` would give for it.
# Query sets from the export, split by what netbase's file has (nss-bench
# --local): registry names and ports, netbase's names and ports, names
# nobody has, and the enumeration.
say "in front of files: compiling netbase's /etc/services + $(basename "$csv")"
"$tool" compile -o "$work/front.idx" /etc/services "$csv" >/dev/null 2>"$work/front.err" ||
	{ cat "$work/front.err" >&2; die "iana-services compile failed on /etc/services + $csv"; }
"$tool" export -i "$work/front.idx" -o "$work/front.services"
meta front_entries "$(entries_of "$work/front.services")"
front_sets="reg/name reg/port local/name local/port miss/name enum"
for round in $(seq "$lookup_rounds"); do
	fresh_copies "front-$round"
	cp "$work/front.idx" "$work/round-front-$round/front.idx"
	front_idx=$work/round-front-$round/front.idx
	front=("${pin[@]}" "$r_driver" --queries "$work/front.services" --local /etc/services
		--sample "$sample" --batch "$batch" --reps "$per_round")
	say "in front of files, round $round/$lookup_rounds: iana, iana [NOTFOUND=return] files"
	LD_LIBRARY_PATH=$r_module_dir NSS_IANA_INDEX=$front_idx "${front[@]}" \
		--services "$work/front.services" --db iana --label f19-iana \
		--warmup "$warmup" >>"$work/raw.tsv"
	LD_LIBRARY_PATH=$r_module_dir NSS_IANA_INDEX=$front_idx "${front[@]}" \
		--services "$work/front.services" --db "iana [NOTFOUND=return] files" \
		--label f19-front --warmup "$warmup" >>"$work/raw.tsv"
	say "in front of files, round $round/$lookup_rounds: files, files iana (slow)"
	"${front[@]}" --services /etc/services --db files --label f19-files \
		--warmup 0 --budget 1 --min-reps 1 >>"$work/raw.tsv"
	LD_LIBRARY_PATH=$r_module_dir NSS_IANA_INDEX=$front_idx "${front[@]}" \
		--services "$work/front.services" --db "files iana" --label f19-files-iana \
		--warmup 0 --budget 1 --min-reps 1 >>"$work/raw.tsv"
	say "in front of files, round $round/$lookup_rounds: nscd in front of files iana"
	NSS_IANA_INDEX=$front_idx in_nscd /etc/services "files iana" \
		bash -c "$nscd_sets" nscd-sets "$front_sets" "${front[@]}" \
		--services "$work/front.services" --system --label f19-nscd \
		--warmup "$warmup" --budget 2 --min-reps 1 >>"$work/raw.tsv"
done

bench_protocols

# ---- whole process ----

# hyperfine's warnings (outliers, ignored exit codes) go to a log that is
# shown only if it fails.
hf() {               # json-file hyperfine-arguments...
	local out=$1
	shift
	"${pin[@]}" hyperfine --shell=none --ignore-failure --style none "$@" \
		--export-json "$out" >/dev/null 2>>"$work/hyperfine.log" ||
		{ cat "$work/hyperfine.log" >&2; die "hyperfine failed"; }
}


# shellcheck disable=SC2016 # expanded by the inner bash
as_installed() {     # services-file command...
	unshare -m --propagation private bash -euc \
		'mount --bind "$0" /etc/services; mount --bind "$1" /etc/ld.so.cache; shift; exec "$@"' \
		"$1" "$work/ld.so.cache" "${@:2}"
}

# Many short rounds, the commands taking turns, so that a burst of load on
# the machine falls on both alike.
rounds=15
say "whole process: getent services $port (hyperfine, $rounds rounds)"
for round in $(seq "$rounds"); do
	for where in host full; do
		file=/etc/services
		[[ $where == host ]] || file=$export_file
		# the floor module, in the netbase rounds: what loading any module costs
		floor=()
		[[ $where == full ]] || floor=("getent -s floor services $port")
		as_installed "$file" env NSS_IANA_INDEX="$work/full.idx" "${pin[@]}" \
			hyperfine --shell=none --ignore-failure --style none --warmup 3 --runs 20 \
			"getent -s iana services $port" "getent -s files services $port" "${floor[@]}" \
			--export-json "$work/hf-getent-$where-$round.json" \
			>/dev/null 2>>"$work/hyperfine.log" ||
			{ cat "$work/hyperfine.log" >&2; die "hyperfine failed"; }
	done
done

# ---- compile time ----

say "compile time: CSV$([[ $xml_ok == yes ]] && echo ', XML') and libnss-db's recipe (hyperfine)"
mkdir -p "$work/dbc/etc" "$work/dbc/var"
cp "$export_file" "$work/dbc/etc/services"
compile_cmds=(-n "compile CSV" "$tool compile -o $work/dbc/c.idx $csv")
[[ $xml_ok == no ]] || compile_cmds+=(-n "compile XML" "$tool compile -o $work/dbc/x.idx $xml")
compile_cmds+=(-n "libnss-db recipe"
	"make -s -f $db_makefile ETC=$work/dbc/etc VAR_DB=$work/dbc/var $work/dbc/var/services.db")
for round in 1 2 3; do
	hf "$work/hf-compile-$round.json" --warmup 1 --runs 5 \
		--prepare "rm -f $work/dbc/var/services.db" "${compile_cmds[@]}"
done

# ---- scaling ----

# All sizes are built first, then measured in turns, so that the load on the
# machine at one moment does not fall on one size only.
meta scales "$BENCH_SCALES"
scale_compile=()
for k in $BENCH_SCALES; do
	say "scaling: generating and compiling the ${k}x registry"
	d=$work/scale/$k
	mkdir -p "$d/etc" "$d/db"
	python3 "$SRCDIR/bench/gen-registry.py" --scale "$k" -o "$d/registry.csv" 2>/dev/null
	s=$("$tool" compile -o "$d/services.idx" "$d/registry.csv" 2>/dev/null) ||
		die "iana-services compile failed on the ${k}x registry"
	"$tool" export -i "$d/services.idx" -o "$d/etc/services"
	db_recipe "$d/etc" "$d/db"
	meta "scale$k.records" "${s%% records*}"
	meta "scale$k.entries" "$(entries_of "$d/etc/services")"
	size "scale$k.csv" "$d/registry.csv"
	size "scale$k.index" "$d/services.idx"
	size "scale$k.services.db" "$d/db/services.db"
	scale_compile+=(-n "compile ${k}x" "$tool compile -o $d/c.idx $d/registry.csv")
done
if [[ -n $BENCH_SCALES ]]; then
	# short rounds, many: the 16x compile takes a third of a second, and a
	# slow period that begins within a round spoils its ratio
	say "scaling: compile time (hyperfine, 9 rounds)"
	for round in $(seq 9); do
		hf "$work/hf-scale-$round.json" --warmup 1 --runs 2 "${scale_compile[@]}"
	done
	for round in $(seq "$lookup_rounds"); do
		say "scaling: lookups, round $round/$lookup_rounds"
		fresh_copies "scale-$round"
		for k in $BENCH_SCALES; do
			d=$work/scale/$k
			cp "$d/services.idx" "$work/round-scale-$round/$k.idx"
			LD_LIBRARY_PATH=$r_module_dir NSS_IANA_INDEX=$work/round-scale-$round/$k.idx \
				"${pin[@]}" "$r_driver" --services "$d/etc/services" --db iana \
				--label "scale$k-iana" --reps "$per_round" --sample "$sample" \
				--batch "$batch" --warmup "$warmup" >>"$work/raw.tsv"
			"${pin[@]}" "$r_driver" --services "$d/etc/services" \
				--direct "$work/round-scale-$round/$k.idx" \
				--label "scale$k-direct" --reps "$per_round" --sample "$sample" \
				--batch "$batch" --warmup "$warmup" >>"$work/raw.tsv"
		done
	done
fi

write_table
